"""Validation that remembers what passed: an unchanged repository is not checked again,
and any change to what a file was checked with (the file, its document record or seed,
the inventory) is checked again, so the cache can never hide a problem."""
from __future__ import annotations

import json

import pytest

from helpers import SEED, annotation_path, fails, ok, run_cli


def _never(*args, **kwargs):
    raise AssertionError("a file was checked again although nothing changed")


def test_an_unchanged_repository_is_validated_from_the_cache(root, monkeypatch):
    from newscorpus.rules import engine, validation
    from newscorpus.store.paths import Layout

    assert validation.validate_repository(Layout(root)) == []
    monkeypatch.setattr(engine, "check_job", _never)
    monkeypatch.setattr(validation, "check_document", _never)
    assert validation.validate_repository(Layout(root)) == []


@pytest.mark.parametrize("change, check", [
    ("draft-span", "span-text-mismatch"),
    ("seed", "seed-mismatch"),
    ("released-file", "release-modified"),
    ("record-text", "document-hash-mismatch"),
])
def test_every_change_is_checked_again(root, change, check):
    ok(run_cli("validate", root=root))  # fills the cache
    if change == "draft-span":
        path = annotation_path(root)
        data = json.loads(path.read_text(encoding="utf-8"))
        data["mentions"][0]["text"] += "x"
        path.write_text(json.dumps(data), encoding="utf-8")
    elif change == "seed":
        with open(root / "seeds" / f"{SEED}.txt", "ab") as handle:
            handle.write(b" ")
    elif change == "released-file":
        path = annotation_path(root, "1.0.0")
        path.write_text(path.read_text(encoding="utf-8").replace('"', '"', 1) + "\n", encoding="utf-8")
    else:
        path = root / "corpus" / "documents" / f"{SEED}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["text"] = data["text"].replace("a", "A", 1)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = run_cli("validate", root=root)
    assert result.returncode == 1 and f": {check}: " in result.stdout, result.stdout + result.stderr


def test_deleting_the_cache_is_safe(root):
    import shutil

    ok(run_cli("validate", root=root))
    shutil.rmtree(root / ".newscorpus")
    ok(run_cli("validate", root=root))


def test_many_files_are_checked_on_several_processes_with_the_same_result(root, monkeypatch):
    """The process pool gives the same problems as checking in one process."""
    from newscorpus.rules import engine, validation
    from newscorpus.store.paths import Layout

    path = annotation_path(root)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["mentions"][0]["text"] += "x"
    path.write_text(json.dumps(data), encoding="utf-8")
    passes = root / "annotations" / "passes"
    for n in range(3):
        (passes / f"copy-{n}").mkdir(parents=True, exist_ok=True)
        (passes / f"copy-{n}" / path.name).write_text(json.dumps(data), encoding="utf-8")
    serial = validation.validate_repository(Layout(root), include_passes=True)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    import shutil
    shutil.rmtree(root / ".newscorpus")
    parallel = validation.validate_repository(Layout(root), include_passes=True)
    assert parallel == serial and any(p.check == "span-text-mismatch" for p in serial)


def test_the_cache_keeps_only_what_the_repository_still_holds(root, monkeypatch):
    """A whole-repository validation prunes the keys and hashes it did not look up: after
    an edit and a second validation the cache is no larger than after the first, the
    edited file's old key is gone, and the next run is still served from the cache."""
    import sqlite3

    from newscorpus.rules import engine, validation
    from newscorpus.store.cache import Cache
    from newscorpus.store.paths import Layout

    def rows() -> tuple[set, set]:
        db = sqlite3.connect(root / ".newscorpus" / "cache.sqlite")
        try:
            return ({k for (k,) in db.execute("select key from passed")},
                    {p for (p,) in db.execute("select path from hashes")})
        finally:
            db.close()

    monkeypatch.setattr(Cache, "FLUSH_EVERY", 3)  # the used keys are marked in several batches
    layout = Layout(root)
    assert validation.validate_repository(layout) == []
    keys, paths = rows()
    db = sqlite3.connect(root / ".newscorpus" / "cache.sqlite")
    with db:  # the hash of a file deleted since
        db.execute("insert into hashes values (?, 1, 1, 1, 1, ?)", (str(root / "gone.json"), "0" * 64))
    db.close()
    path = annotation_path(root)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["name"] += " (edited)"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert validation.validate_repository(layout) == []
    after_keys, after_paths = rows()
    assert len(after_keys) == len(keys) and after_keys != keys  # the old key went, the new one came
    assert after_paths == paths
    monkeypatch.setattr(engine, "check_job", _never)
    monkeypatch.setattr(validation, "check_document", _never)
    assert validation.validate_repository(layout) == []
