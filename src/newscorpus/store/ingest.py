"""Bulk ingestion: many seeds in one run, from seed files, folders of seed files, or a
JSON Lines file of texts (one object per line: ``id``, ``text``, and optionally
``language`` and ``metadata``). A JSONL text is stored as ``seeds/<id>.txt``, byte for
byte as given, in the same transaction as its document record."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from newscorpus.errors import CorpusError, Problem
from newscorpus.model import Document
from newscorpus.store.documents import (SeedText, documents_from_texts, make_documents,
                                        stage_records)
from newscorpus.store.jsonio import require_file
from newscorpus.store.paths import Layout, child_path
from newscorpus.store.transaction import Transaction

METADATA_KEYS = ("title", "outlet", "author", "published", "url", "notes")


def expand_seeds(layout: Layout, paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(seed files, JSONL files): folders give their ``*.txt`` files, sorted."""
    seeds, jsonl = [], []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(path.glob("*.txt"))
            if not found:
                raise CorpusError(Problem(layout.rel(path), "", "not-a-file",
                                          "a folder with no seed files (*.txt) in it"))
            seeds += found
        elif path.suffix == ".jsonl":
            jsonl.append(path)
        else:
            seeds.append(path)
    return seeds, jsonl


def _jsonl_row(layout: Layout, shown: str, n: int, line: str, language: str) -> SeedText:
    where = f"line {n}"
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CorpusError(Problem(shown, where, "json-syntax", str(exc), line[:40])) from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "id" not in row:
        raise CorpusError(Problem(shown, where, "jsonl-row",
                                  "each line is an object with a string 'id' and 'text'", line[:40]))
    seed = child_path(layout.seeds, row["id"], ".txt", shown, "a document id", where)
    meta = row.get("metadata")
    if meta is not None and (not isinstance(meta, dict) or set(meta) - set(METADATA_KEYS)):
        raise CorpusError(Problem(shown, f"{where}/metadata", "jsonl-row",
                                  f"metadata keys are {', '.join(METADATA_KEYS)}", str(meta)[:40]))
    if not row["text"].strip():
        raise CorpusError(Problem(shown, where, "seed-empty", "the text is empty", row["id"]))
    raw = row["text"].encode("utf-8")
    if seed.exists() and seed.read_bytes() != raw:
        raise CorpusError(Problem(layout.rel(seed), "", "seed-exists",
                                  "a different seed file of that name exists", row["id"]))
    return SeedText(seed, row["id"], row["text"], raw, row.get("language", language), meta)


def read_jsonl(layout: Layout, path: Path, language: str) -> list[SeedText]:
    shown = layout.rel(path)
    require_file(path, shown)
    items = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if line.strip():
                items.append(_jsonl_row(layout, shown, n, line, language))
    return items


def add_many(layout: Layout, paths: list[Path], language: str = "en",
             doc_id: str | None = None, replace: bool = False,
             check: Callable[[Document], list[Problem]] | None = None) -> list[Path]:
    """Add every seed named by ``paths`` in one transaction: all of them, or none.
    ``check`` (the caller's rules) vets each record before anything is written."""
    seeds, jsonl = expand_seeds(layout, paths)
    if doc_id is not None and (len(seeds) != 1 or jsonl):
        raise CorpusError(Problem("--id", "", "id-format",
                                  "--id names one document: give exactly one seed file", doc_id))
    docs = make_documents(layout, [(s, doc_id) for s in seeds], language)
    texts = [item for path in jsonl for item in read_jsonl(layout, Path(path), language)]
    docs += documents_from_texts(layout, texts)
    problems = [p for doc in docs for p in (check(doc) if check else [])]
    if problems:
        raise CorpusError(problems)
    txn = Transaction(layout)
    try:
        written = stage_records(layout, docs, replace, txn)
        for item in texts:
            txn.write_bytes(item.seed, item.raw)
    except BaseException:
        txn.abort()
        raise
    txn.commit()
    return written
