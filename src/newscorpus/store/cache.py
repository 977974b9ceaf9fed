"""A local cache, outside version control (``.newscorpus/cache.sqlite``), that lets
``validate`` skip work it has done before:

- ``sha256``: the content hash of a file, recomputed only when the file's size, mtime,
  ctime or inode changed (the way git's index avoids rehashing);
- ``passed``: the keys of checks that passed. A key is a hash of everything the check
  read (file contents, inventory, checker version), so a changed input is a new key
  and is checked again; nothing is ever trusted because of a time alone.

Deleting the folder is always safe: the next command rebuilds it. If the cache
cannot be opened (a read-only checkout), everything is simply computed."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from newscorpus.store.lock import state_dir
from newscorpus.store.paths import Layout

SCHEMA = """
create table if not exists hashes (path text primary key, size integer, mtime_ns integer,
                                   ctime_ns integer, ino integer, sha256 text);
create table if not exists passed (key text primary key, extra text);
"""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Cache:
    """Content hashes and passed checks of one repository."""

    def __init__(self, layout: Layout):
        self.db: sqlite3.Connection | None = None
        self.pending_hashes: list[tuple] = []
        self.pending_passes: list[tuple[str, str]] = []
        # read once, in two queries: a lookup per file would cost more than the check
        self.hashes: dict[str, tuple] = {}
        self.passes: dict[str, str] = {}
        try:
            folder = state_dir(layout)
            folder.mkdir(exist_ok=True)
            self.db = sqlite3.connect(str(folder / "cache.sqlite"), timeout=30)
            self.db.executescript(SCHEMA)
            self.hashes = {row[0]: tuple(row[1:]) for row in self.db.execute("select * from hashes")}
            self.passes = dict(self.db.execute("select key, extra from passed"))
        except (OSError, sqlite3.Error):
            self.db = None

    def sha256(self, path: Path) -> str:
        # os.path (fast) and the absolute path as given, links not resolved (the stamp is the target's)
        key = os.path.abspath(path)
        st = os.stat(key)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        row = self.hashes.get(key)
        if row is not None and row[:4] == stamp:
            return row[4]
        sha = file_sha256(path)
        self.hashes[key] = (*stamp, sha)
        self.pending_hashes.append((key, *stamp, sha))
        return sha

    def passed(self, key: str) -> str | None:
        """The extra value stored with a passed check, or None if it never passed."""
        return self.passes.get(key)

    def record_pass(self, key: str, extra: str = "") -> None:
        self.passes[key] = extra
        self.pending_passes.append((key, extra))

    def save(self) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany("insert or replace into hashes values (?, ?, ?, ?, ?, ?)",
                                    self.pending_hashes)
                self.db.executemany("insert or replace into passed values (?, ?)",
                                    self.pending_passes)
        except sqlite3.Error:
            pass
        self.pending_hashes, self.pending_passes = [], []

    def close(self) -> None:
        self.save()
        if self.db is not None:
            self.db.close()
            self.db = None


def key_of(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
