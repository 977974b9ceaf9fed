"""Shared fixtures: every test works on its own copy of the repository's data, so no
test can modify the real corpus, and the Hugging Face caches live in a temporary
folder with the Hub switched off. The helpers they use are in helpers.py."""
from __future__ import annotations

from pathlib import Path

import pytest

# re-exported: some test modules import these from conftest
from helpers import REPO, SEED, copy_repo, require_valid_draft, run_cli, snapshot  # noqa: F401


@pytest.fixture(autouse=True)
def _offline_hub(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.getbasetemp() / "hf_home"
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("NEWSCORPUS_ROOT", raising=False)


@pytest.fixture
def root(tmp_path) -> Path:
    """A private copy of the corpus repository's data."""
    return copy_repo(tmp_path / "corpus-root")


@pytest.fixture
def gold(root) -> Path:
    """A private copy whose draft validates; the test fails if the draft does not."""
    return require_valid_draft(root)
