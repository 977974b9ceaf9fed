"""Bulk ingestion: seed files, folders and JSON Lines files in one locked, all-or-nothing
run; every record valid, sentences split in one batch."""
from __future__ import annotations

import json

from helpers import run_cli, snapshot


def _batch(root, n=3):
    folder = root / "seeds" / "batch"
    folder.mkdir()
    for i in range(n):
        (folder / f"b{i}.txt").write_text(f"Article {i} starts here. It has a second sentence.\n"
                                          f"A second paragraph {i}.\n", encoding="utf-8")
    return folder


def test_a_folder_and_a_jsonl_file_are_added_in_one_run(root, tmp_path):
    folder = _batch(root)
    jsonl = tmp_path / "texts.jsonl"
    rows = [{"id": "j1", "text": "A text from JSONL. Two sentences.\n", "metadata": {"title": "J"}},
            {"id": "j2", "text": "Another text.\n", "language": "de"}]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli("add-document", str(folder), str(jsonl), root=root)
    assert result.returncode == 0, result.stderr
    written = [line.split()[-1] for line in result.stdout.splitlines()]
    assert written == [f"corpus/documents/{i}.json" for i in ("b0", "b1", "b2", "j1", "j2")]
    for row in rows:  # each JSONL text is stored as a seed, byte for byte
        assert (root / "seeds" / f"{row['id']}.txt").read_bytes() == row["text"].encode("utf-8")
    j1 = json.loads((root / "corpus" / "documents" / "j1.json").read_text(encoding="utf-8"))
    assert j1["metadata"]["title"] == "J" and len(j1["sentences"]) == 2
    j2 = json.loads((root / "corpus" / "documents" / "j2.json").read_text(encoding="utf-8"))
    assert j2["language"] == "de"
    assert run_cli("validate", root=root).returncode == 0


def test_one_bad_seed_in_a_batch_writes_nothing(root, tmp_path):
    folder = _batch(root)
    (folder / "zz bad name.txt").write_text("Text.\n", encoding="utf-8")
    before = snapshot(root)
    result = run_cli("add-document", str(folder), root=root)
    assert result.returncode == 1 and "id-format" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_a_bad_jsonl_row_is_named_with_its_line(root, tmp_path):
    jsonl = tmp_path / "texts.jsonl"
    jsonl.write_text('{"id": "ok", "text": "Fine.\\n"}\n{"id": "x", "text": "Y", "metadata": {"isbn": 1}}\n',
                     encoding="utf-8")
    before = snapshot(root)
    result = run_cli("add-document", str(jsonl), root=root)
    assert result.returncode == 1
    assert "texts.jsonl: line 2/metadata: jsonl-row" in result.stderr, result.stderr
    assert snapshot(root) == before
