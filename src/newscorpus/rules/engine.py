"""Validation that scales: the same checks and messages as ``validation``, but

- a file is checked again only if something it was checked with changed: its content,
  the document record (and seed) it refers to, the inventory, or the checker's own
  code (``CHECKER``); a passing result is remembered in the local cache
  (``newscorpus.store.cache``), so an unchanged repository is validated from hashes,
  and a released file, which never changes, is checked once;
- the files that must be checked are spread over the machine's cores;
- document records are not held in memory: an annotation file's record is read when
  that file is checked.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from itertools import islice
from typing import Callable, Iterable, Iterator

from newscorpus.errors import CorpusError, Problem
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.store.cache import Cache, key_of
from newscorpus.store.jsonio import read_json
from newscorpus.store.paths import Layout

PARALLEL_FROM = 64  # files to check before a process pool pays for itself
CODE = ("model.py", "errors.py", "store/jsonio.py", "rules/checks.py", "rules/inventory.py",
        "rules/schema.py", "rules/validation.py", "rules/engine.py")


@lru_cache(maxsize=1)
def checker_version() -> str:
    """A hash of the checker's source code: new code, new keys."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in CODE:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Job:
    """One annotation file to check."""
    path: str
    shown: str
    inventory: str  # the inventory file it is checked against
    expected_version: str | None
    stem: str | None


class DocumentIndex:
    """The document records by id, read from disk when asked (never all at once)."""

    def __init__(self, paths: dict[str, str]):
        self.paths = paths
        self._last: tuple[str, dict | None] | None = None

    def get(self, doc_id: str) -> dict | None:
        if self._last is not None and self._last[0] == doc_id:
            return self._last[1]
        path = self.paths.get(doc_id)
        record = None
        if path is not None:
            try:
                record = read_json(Path(path))
            except CorpusError:
                record = None
            if not (isinstance(record, dict) and isinstance(record.get("text"), str)):
                record = None
        self._last = (doc_id, record)
        return record


_INDEX: DocumentIndex | None = None  # a worker process's document index


def _init_worker(paths: dict[str, str]) -> None:
    global _INDEX
    _INDEX = DocumentIndex(paths)


@lru_cache(maxsize=8)
def _inventory(path: str) -> Inventory:
    return load_inventory(Path(path))


def check_job(check: Callable, job: Job, index: DocumentIndex | None = None) -> list[Problem]:
    """``check`` (``validation.check_annotation``) on one file."""
    index = index or _INDEX
    try:
        data = read_json(Path(job.path), job.shown)
    except CorpusError as exc:
        return exc.problems
    return check(data, job.shown, _inventory(job.inventory), index, job.expected_version, job.stem)


def run_jobs(check: Callable, jobs: list[Job], index: DocumentIndex) -> list[list[Problem]]:
    """The problems of each job, in order; on several cores when there are many."""
    with JobRunner(check, index) as runner:
        return runner.run(jobs)


class JobRunner:
    """Runs lists of jobs, in this process or, once a list is long enough to pay for
    it, in one process pool kept for the next lists."""

    def __init__(self, check: Callable, index: DocumentIndex):
        self.check, self.index, self.pool = check, index, None

    def run(self, jobs: list[Job]) -> list[list[Problem]]:
        cores = os.cpu_count() or 1
        if self.pool is None and (cores < 2 or len(jobs) < 2 * PARALLEL_FROM):
            return [check_job(self.check, job, self.index) for job in jobs]
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=cores, initializer=_init_worker,
                                            initargs=(self.index.paths,))
        return list(self.pool.map(partial(check_job, self.check), jobs, chunksize=32))

    def __enter__(self) -> "JobRunner":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def annotation_key(cache: Cache, layout: Layout, job: Job) -> str | None:
    """The cache key of a job: every input it reads. None if an input is missing."""
    record = layout.documents / f"{job.stem}.json"
    if job.stem is None or not record.is_file():
        return None
    return key_of("annotation", checker_version(), cache.sha256(Path(job.inventory)),
                  cache.sha256(Path(job.path)), cache.sha256(record), str(job.expected_version),
                  job.stem)


CHUNK = 2048  # jobs looked up (and checked) at a time: memory does not grow with the corpus


def check_jobs_cached(check: Callable, layout: Layout, cache: Cache, jobs: Iterable[Job],
                      index: DocumentIndex) -> list[Problem]:
    """Check the jobs not known to pass; remember the ones that pass now. ``jobs`` is
    read ``CHUNK`` at a time."""
    problems: list[Problem] = []
    with JobRunner(check, index) as runner:
        for chunk in chunked(jobs, CHUNK):
            todo, keys = [], []
            for job in chunk:
                key = annotation_key(cache, layout, job)
                if key is None or cache.passed(key) is None:
                    todo.append(job)
                    keys.append(key)
            for key, found in zip(keys, runner.run(todo) if todo else []):
                if not found and key is not None:
                    cache.record_pass(key)
                problems += found
    return problems


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def record_key(cache: Cache, path: Path, inventory_path: Path) -> str:
    return key_of("record", checker_version(), cache.sha256(inventory_path), cache.sha256(path),
                  path.stem)


def record_passed(cache: Cache, layout: Layout, key: str) -> bool:
    """A record passed with this key, and its seed file is unchanged since."""
    extra = cache.passed(key)
    if extra is None:
        return False
    seed_rel, _, seed_sha = extra.partition("\0")
    seed = layout.root / seed_rel
    return seed.is_file() and cache.sha256(seed) == seed_sha


def seed_extra(cache: Cache, layout: Layout, record: dict) -> str:
    seed_rel = record["source"]["seed_file"]
    return f"{seed_rel}\0{cache.sha256(layout.root / seed_rel)}"
