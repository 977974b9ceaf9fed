"""Shared fixtures: every test works on its own copy of the repository's data, so no
test can modify the real corpus, and the Hugging Face caches live in a temporary
folder with the Hub switched off."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = ("seeds", "corpus", "schema", "annotations", "docs", "CITATION.cff")
SEED = "000_ac7a1151f6a5afe0"


@pytest.fixture(autouse=True)
def _offline_hub(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.getbasetemp() / "hf_home"
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("NEWSCORPUS_ROOT", raising=False)


def copy_repo(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in DATA:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.exists():
            shutil.copy2(src, target / name)
    return target


@pytest.fixture
def root(tmp_path) -> Path:
    """A private copy of the corpus repository's data."""
    return copy_repo(tmp_path / "corpus-root")


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under ``path`` with its bytes and mode: to prove a failed
    command wrote nothing. ``.newscorpus/`` (the lock's local state) is left out."""
    out = {}
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).as_posix()
        if rel == ".newscorpus" or rel.startswith(".newscorpus/"):
            continue
        out[rel] = (p.read_bytes() if p.is_file() else b"", p.stat().st_mode)
    return out


def run_cli(*args: str, root: Path | None = None, env: dict | None = None, cwd: Path | None = None):
    """Run ``python -m newscorpus`` in a fresh process, as a user would."""
    cmd = [sys.executable, "-m", "newscorpus"]
    if root is not None:
        cmd += ["--root", str(root)]
    cmd += list(args)
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)
