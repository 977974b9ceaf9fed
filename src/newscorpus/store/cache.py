"""A local cache, outside version control (``.newscorpus/cache.sqlite``), that lets
``validate`` skip work it has done before:

- ``sha256``: the content hash of a file, recomputed only when the file's size, mtime,
  ctime or inode changed (the way git's index avoids rehashing);
- ``passed``: the keys of checks that passed. A key is a hash of everything the check
  read (file contents, inventory, checker version), so a changed input is a new key
  and is checked again; nothing is ever trusted because of a time alone.

A run over the whole repository (``validate``) prunes the cache afterwards: the keys and
hashes it did not look up (files since changed or deleted, an older checker's keys) are
deleted, so the cache does not grow with the history of the corpus, only with its size.
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
    """The cache's SQLite file (``db`` None if it cannot be opened or used), and the rows
    this run added, written in batches of ``batch``."""

    def __init__(self, layout: Layout, batch: int):
        self.db: sqlite3.Connection | None = None
        self.batch = batch
        self.hashes: dict[str, tuple] = {}  # added, not yet written
        self.passes: dict[str, str] = {}
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

    def added(self) -> None:
        if len(self.hashes) + len(self.passes) >= self.batch:
            self.write()

    def write(self) -> None:
        """Write the added rows (kept for this run if the file refuses them)."""
        if self.db is not None:
            try:
                with self.db:
                    self.db.executemany("insert or replace into hashes values (?, ?, ?, ?, ?, ?)",
                                        [(k, *row) for k, row in self.hashes.items()])
                    self.db.executemany("insert or replace into passed values (?, ?)", list(self.passes.items()))
            except sqlite3.Error:
                return
        self.hashes, self.passes = {}, {}  # (no file: computed again next time)

    def close(self) -> None:
        self.write()
        if self.db is not None:
            self.db.close()
            self.db = None


class _Usage:
    """The keys and paths a pruning run looked up, kept in temporary tables of the cache's
    connection (added in batches), and the pruning itself."""

    def __init__(self, store: _Database, on: bool, batch: int):
        self.store, self.on, self.batch = store, on, batch
        self.keys: list[tuple[str]] = []
        self.paths: list[tuple[str]] = []

    def add(self, found: list, value: str) -> None:
        if self.on:
            found.append((value,))
            if len(self.keys) + len(self.paths) >= self.batch:
                self.flush()

    def flush(self) -> None:
        db = self.store.db
        try:
            if db is not None:
                db.executescript("create temp table if not exists used_keys (key text primary key);"
                                 "create temp table if not exists used_paths (path text primary key);")
                db.executemany("insert or ignore into used_keys values (?)", self.keys)
                db.executemany("insert or ignore into used_paths values (?)", self.paths)
        except sqlite3.Error:
            self.on = False  # no pruning in this run
        self.keys, self.paths = [], []

    def prune(self) -> int:
        """Delete every key and hash not looked up; how many rows went."""
        self.flush()
        if not self.on or self.store.db is None:
            return 0
        try:
            with self.store.db as db:
                gone = db.execute("delete from passed where key not in (select key from used_keys)").rowcount
                return gone + db.execute("delete from hashes where path not in "
                                         "(select path from used_paths)").rowcount
        except sqlite3.Error:
            return 0


class Cache:
    """Content hashes and passed checks of one repository, looked up one key at a time
    (the tables are never read whole, so memory does not grow with the corpus). What a
    run adds is written in batches of ``FLUSH_EVERY`` and at ``close``."""

    FLUSH_EVERY = 2000  # new rows held before they are written
    RECENT = 4096       # hashes of this run kept in memory (the inventory's, the records')

    def __init__(self, layout: Layout, prune: bool = False):
        """``prune``: this run looks up every file of the repository (``prune()``)."""
        self.store = _Database(layout, self.FLUSH_EVERY)
        self.recent: dict[str, tuple] = {}
        self.usage = _Usage(self.store, prune, self.FLUSH_EVERY)

    def _stored_hash(self, key: str) -> tuple | None:
        row = self.recent.get(key) or self.store.hashes.get(key)
        if row is None:
            found = self.store.one("select size, mtime_ns, ctime_ns, ino, sha256 from hashes where path = ?", key)
            row = tuple(found) if found is not None else None
        return row

    def sha256(self, path: Path) -> str:
        # os.path (fast) and the absolute path as given, links not resolved (the stamp is the target's)
        key = os.path.abspath(path)
        self.usage.add(self.usage.paths, key)
        st = os.stat(key)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        row = self._stored_hash(key)
        if row is None or row[:4] != stamp:
            row = self.store.hashes[key] = (*stamp, file_sha256(path))
            self.store.added()
        if len(self.recent) >= self.RECENT:
            self.recent.clear()
        self.recent[key] = row
        return row[4]

    def passed(self, key: str) -> str | None:
        """The extra value stored with a passed check, or None if it never passed."""
        self.usage.add(self.usage.keys, key)
        if key in self.store.passes:
            return self.store.passes[key]
        found = self.store.one("select extra from passed where key = ?", key)
        return None if found is None else found[0]

    def record_pass(self, key: str, extra: str = "") -> None:
        self.usage.add(self.usage.keys, key)
        self.store.passes[key] = extra
        self.store.added()

    def prune(self) -> int:
        """After a run over the whole repository (``Cache(..., prune=True)``): delete the
        keys and hashes it did not look up. Returns how many rows went."""
        self.store.write()
        return self.usage.prune()

    def save(self) -> None:
        self.store.write()

    def close(self) -> None:
        self.store.close()


def key_of(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
