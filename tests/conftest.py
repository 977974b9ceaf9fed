"""Shared fixtures: every test works on its own copy of the repository's data, so no
test can modify the real corpus, and the Hugging Face caches live in a temporary
folder with the Hub switched off. The helpers they use are in helpers.py.

The live Label Studio server (``label_studio``, session scope) is started here for the
live tests (tests/test_labelstudio_live.py, tests/test_labelstudio_browser.py) from the
``label-studio`` executable named by $LABEL_STUDIO_BIN, on 127.0.0.1 and a free port,
with a temporary data folder, and stopped at the end. Without $LABEL_STUDIO_BIN those
tests are skipped, unless CI is set: then they must run (the default virtual
environment of .ci/install-label-studio.sh is tried, and the tests fail if no server
can be had)."""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
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


# --- the live Label Studio server ------------------------------------------------------------

USER = "annotator@example.org"
START_TIMEOUT = 180
HOW_TO = ("install Label Studio in its own environment with `bash .ci/install-label-studio.sh`, then "
          "`export LABEL_STUDIO_BIN=<the path it prints>` and run the tests again")


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _binary() -> str:
    binary = os.environ.get("LABEL_STUDIO_BIN", "").strip()
    if not binary and _ci():
        venv = os.environ.get("NEWSCORPUS_LS_VENV") or str(Path.home() / ".cache/newscorpus/label-studio-venv")
        default = Path(venv) / "bin" / "label-studio"
        if default.is_file():
            binary = str(default)
        else:
            pytest.fail(f"CI is set, so the live Label Studio tests must run, but LABEL_STUDIO_BIN is not set "
                        f"and {default} does not exist: {HOW_TO}")
    if not binary:
        pytest.skip(f"live Label Studio tests skipped (LABEL_STUDIO_BIN is not set): {HOW_TO}")
    path = shutil.which(binary) or binary
    if not Path(path).is_file():
        pytest.fail(f"LABEL_STUDIO_BIN={binary} is not an executable file: {HOW_TO}")
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=3) as response:
            return response.status == 200 and b"UP" in response.read()
    except OSError:
        return False


@pytest.fixture(scope="session")
def label_studio_password() -> str:
    """The password of the live server's account (USER), for tests that log in with a browser."""
    return secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory, label_studio_password):
    """A fresh Label Studio on 127.0.0.1: yields (url, token); killed (process group) at the end.
    The account is USER with the password of ``label_studio_password``."""
    binary = _binary()
    base = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    token = secrets.token_hex(20)
    password = label_studio_password
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")}
    env.update(LABEL_STUDIO_BASE_DATA_DIR=str(base / "data"), LATEST_VERSION_CHECK="false",
               COLLECT_ANALYTICS="false", SENTRY_DSN="", FRONTEND_SENTRY_DSN="")
    log_path = base / "label-studio.log"
    log = open(log_path, "wb")
    started = time.monotonic()
    proc = subprocess.Popen(
        [binary, "start", "--no-browser", "--internal-host", "127.0.0.1", "-p", str(port),
         "--data-dir", str(base / "data"), "--username", USER, "--password", password,
         "--user-token", token, "--enable-legacy-api-token"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=base,
        start_new_session=True)
    try:
        while not _healthy(url):
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"Label Studio exited with status {proc.returncode} while starting:\n{tail}")
            if time.monotonic() - started > START_TIMEOUT:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"Label Studio did not answer {url}/health within {START_TIMEOUT} s:\n{tail}")
            time.sleep(0.5)
        print(f"\nLabel Studio up at {url} after {time.monotonic() - started:.1f} s")
        yield url, token
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()
