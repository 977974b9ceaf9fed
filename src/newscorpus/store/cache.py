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


class _Database:
    """The cache's SQLite file, or nothing (None) if it cannot be opened or used."""

    def __init__(self, layout: Layout):
        self.db: sqlite3.Connection | None = None
        try:
            folder = state_dir(layout)
            folder.mkdir(exist_ok=True)
            self.db = sqlite3.connect(str(folder / "cache.sqlite"), timeout=30)
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error):
            self.db = None

    def one(self, sql: str, key: str) -> tuple | None:
        if self.db is None:
            return None
        try:
            return self.db.execute(sql, (key,)).fetchone()
        except sqlite3.Error:
            return None

    def write(self, hashes: dict[str, tuple], passes: dict[str, str]) -> bool:
        if self.db is None:
            return True  # nothing to keep them in: computed again next time
        try:
            with self.db:
                self.db.executemany("insert or replace into hashes values (?, ?, ?, ?, ?, ?)",
                                    [(k, *row) for k, row in hashes.items()])
                self.db.executemany("insert or replace into passed values (?, ?)", list(passes.items()))
        except sqlite3.Error:
            return False
        return True

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class Cache:
    """Content hashes and passed checks of one repository, looked up one key at a time
    (the tables are never read whole, so memory does not grow with the corpus). What a
    run adds is written in batches of ``FLUSH_EVERY`` and at ``close``."""

    FLUSH_EVERY = 2000  # new rows held before they are written
    RECENT = 4096       # hashes of this run kept in memory (the inventory's, the records')

    def __init__(self, layout: Layout):
        self.store = _Database(layout)
        self.pending_hashes: dict[str, tuple] = {}
        self.pending_passes: dict[str, str] = {}
        self.recent: dict[str, tuple] = {}

    def _stored_hash(self, key: str) -> tuple | None:
        row = self.recent.get(key) or self.pending_hashes.get(key)
        if row is None:
            found = self.store.one("select size, mtime_ns, ctime_ns, ino, sha256 from hashes where path = ?", key)
            row = tuple(found) if found is not None else None
        return row

    def sha256(self, path: Path) -> str:
        # os.path (fast) and the absolute path as given, links not resolved (the stamp is the target's)
        key = os.path.abspath(path)
        st = os.stat(key)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        row = self._stored_hash(key)
        if row is None or row[:4] != stamp:
            row = (*stamp, file_sha256(path))
            self.pending_hashes[key] = row
            self._maybe_flush()
        if len(self.recent) >= self.RECENT:
            self.recent.clear()
        self.recent[key] = row
        return row[4]

    def passed(self, key: str) -> str | None:
        """The extra value stored with a passed check, or None if it never passed."""
        if key in self.pending_passes:
            return self.pending_passes[key]
        found = self.store.one("select extra from passed where key = ?", key)
        return None if found is None else found[0]

    def record_pass(self, key: str, extra: str = "") -> None:
        self.pending_passes[key] = extra
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.pending_hashes) + len(self.pending_passes) >= self.FLUSH_EVERY:
            self.save()

    def save(self) -> None:
        """Write what this run added (kept for this run if the file refuses it)."""
        if self.store.write(self.pending_hashes, self.pending_passes):
            self.pending_hashes, self.pending_passes = {}, {}

    def close(self) -> None:
        self.save()
        self.store.close()


def key_of(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
