"""A corpus that grows: a second (unannotated, then annotated) document through the main
commands; a build sharded into several files, read back with load_dataset, streaming
included; the card staying true past one document."""
from __future__ import annotations

import json
import re

import pytest

from helpers import SEED, fails, load_json, next_version, ok, run_cli

SECOND = "zz_test_second_article"
SECOND_TEXT = ("Officials met on Monday to discuss the drill. \u201cWe are ready,\u201d a "
               "spokesperson said.\nThe meeting ended without a statement.\n")


@pytest.fixture
def two_docs(root):
    (root / "seeds" / f"{SECOND}.txt").write_text(SECOND_TEXT, encoding="utf-8")
    ok(run_cli("add-document", f"{root}/seeds/{SECOND}.txt", root=root))
    return root


def test_a_second_document_goes_through_every_main_command(two_docs, tmp_path):
    root = two_docs
    ok(run_cli("validate", root=root))
    started = ok(run_cli("draft", "start", root=root))
    assert f"wrote annotations/draft/{SECOND}.json" in started.stdout.splitlines()
    fails(run_cli("draft", "start", SECOND, root=root), "draft-exists")
    ok(run_cli("validate", root=root))
    stats = json.loads(ok(run_cli("stats", "--version", "draft", "--json", root=root)).stdout)
    assert stats["totals"]["documents"] == len(list((root / "corpus" / "documents").glob("*.json")))
    ok(run_cli("diff", "latest", "draft", root=root))
    ok(run_cli("release", next_version(root, "minor"), "-m", "A second, unannotated article.", root=root))
    out = tmp_path / "build"
    ok(run_cli("build", "--output", str(out), root=root))
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "with a single article" not in card and "With one document" not in card
    for doc in (root / "corpus" / "documents").glob("*.json"):
        assert f"`{doc.stem}`" in card
    ok(run_cli("labelstudio", "export", "--output", str(tmp_path / "tasks.json"), root=root))
    tasks = load_json(tmp_path / "tasks.json")
    assert sorted((t["data"]["document_id"], t["data"]["view"]) for t in tasks) == sorted(
        (p.stem, view) for p in (root / "corpus" / "documents").glob("*.json")
        for view in ("entities", "events", "quotes"))


def test_a_build_in_many_shards_loads_and_streams(two_docs, tmp_path, monkeypatch):
    from datasets import load_dataset

    from newscorpus.hf import build as hf_build
    from newscorpus.hf import shards
    from newscorpus.store.paths import Layout

    monkeypatch.setattr(shards, "SHARD_BYTES", 1)  # a new shard after every record batch
    monkeypatch.setattr(shards, "BATCH_ROWS", {"ner": 5})
    ok(run_cli("draft", "start", root=two_docs))
    ok(run_cli("release", next_version(two_docs, "minor"), "-m", "x", root=two_docs))
    result = hf_build.build(Layout(two_docs), None, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out" / "ner").iterdir())
    n = result.rows["ner"]["train"]
    shards_train = [f for f in files if f.startswith("train-")]
    assert len(shards_train) == -(-n // 5) > 1
    assert all(re.fullmatch(rf"train-\d{{5}}-of-{len(shards_train):05d}\.parquet", f) for f in shards_train)
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "path: ner/train-*.parquet" in card
    loaded = load_dataset(str(tmp_path / "out"), "ner", split="train")
    assert loaded.num_rows == n
    assert [r["id"] for r in loaded] == sorted(r["id"] for r in loaded)  # shards in order
    streamed = load_dataset(str(tmp_path / "out"), "ner", split="train", streaming=True)
    assert [r["id"] for r in streamed] == [r["id"] for r in loaded]
    assert loaded.features["ner_tags"].feature.names[0] == "O"


def test_the_card_summarises_a_long_document_list(root, tmp_path):
    from newscorpus.hf.card import DOCUMENT_LIST_LIMIT

    lines = [json.dumps({"id": f"synthetic_{i:03d}", "text": f"Article {i}. It is short.\n"})
             for i in range(DOCUMENT_LIST_LIMIT + 1)]
    (tmp_path / "texts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok(run_cli("add-document", str(tmp_path / "texts.jsonl"), root=root))
    ok(run_cli("draft", "start", root=root))
    ok(run_cli("release", next_version(root, "minor"), "-m", "x", root=root))
    ok(run_cli("build", "--output", str(tmp_path / "out"), root=root))
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    total = len(list((root / "corpus" / "documents").glob("*.json")))
    assert f"- **Documents:** {total} (train: " in card
    assert "`synthetic_000`" not in card and f"`{SEED}`" not in card


def test_the_build_is_the_same_on_one_core_or_several(two_docs, tmp_path, monkeypatch):
    """The blocks of documents made by worker processes give the bytes one process gives
    (hf/blocks.py), and the block size changes nothing either."""
    from concurrent.futures import ProcessPoolExecutor

    from newscorpus.hf import blocks
    from newscorpus.hf import build as hf_build
    from newscorpus.store.paths import Layout

    ok(run_cli("draft", "start", root=two_docs))
    ok(run_cli("release", next_version(two_docs, "minor"), "-m", "x", root=two_docs))
    pools = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(blocks, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(blocks.os, "cpu_count", lambda: 2)
    outputs = {}
    for name, size, parallel_from in (("one", 1, 10**9), ("several", 1, 1), ("blocks of 2", 2, 10**9)):
        monkeypatch.setattr(blocks, "BLOCK_DOCUMENTS", size)
        monkeypatch.setattr(blocks, "PARALLEL_FROM", parallel_from)
        hf_build.build(Layout(two_docs), None, tmp_path / name)
        outputs[name] = {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                         for p in sorted((tmp_path / name).rglob("*")) if p.is_file()}
    assert pools == [2]  # only the second build used worker processes
    assert outputs["one"] == outputs["several"] == outputs["blocks of 2"]
    assert len([k for k in outputs["one"] if k.endswith(".parquet")]) > 1
