"""One command at a time on a repository.

Every command holds the repository lock (``.newscorpus/lock``, an operating-system
file lock through ``filelock``, released by the kernel if the process dies) for its
whole read-modify-write. A second command waits up to ``NEWSCORPUS_LOCK_TIMEOUT``
seconds (default 60), then fails with ``repository-locked``, naming the command and
process id that hold the lock."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from newscorpus.errors import CorpusError, Problem
from newscorpus.store.paths import Layout

DEFAULT_TIMEOUT = 60.0
_HELD: set[str] = set()  # roots whose lock this process holds


def state_dir(layout: Layout) -> Path:
    """The folder of local, unversioned state (lock, journal, caches)."""
    return layout.root / ".newscorpus"


def _timeout() -> float:
    raw = os.environ.get("NEWSCORPUS_LOCK_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_TIMEOUT
    except ValueError:
        raise CorpusError(Problem("NEWSCORPUS_LOCK_TIMEOUT", "", "lock-timeout-format",
                                  "expected a number of seconds", raw)) from None


def _holder(info: Path) -> str:
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
        return f"'{data['command']}' (process {data['pid']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another command (unknown process)"


@contextmanager
def repository_lock(layout: Layout, command: str) -> Iterator[bool]:
    """Hold the repository's lock for the block; fail with ``repository-locked``.
    Re-entrant: a library call inside a command's lock does not wait for itself. Yields
    whether this call took the lock (False inside another holder's block)."""
    key = str(layout.root.resolve())
    if key in _HELD:
        yield False
        return
    folder = state_dir(layout)
    folder.mkdir(exist_ok=True)
    lock = FileLock(str(folder / "lock"), timeout=_timeout())
    info = folder / "lock.json"
    try:
        lock.acquire()
    except Timeout:
        raise CorpusError(Problem(layout.rel(folder / "lock"), "", "repository-locked",
                                  f"the repository is locked by {_holder(info)}; "
                                  "try again when it has finished", command)) from None
    _HELD.add(key)
    try:
        info.write_text(json.dumps({"command": command, "pid": os.getpid()}) + "\n",
                        encoding="utf-8")
        yield True
    finally:
        try:
            info.unlink()
        except OSError:
            pass
        _HELD.discard(key)
        lock.release()
