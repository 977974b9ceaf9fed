"""The seed and the document record derived from it."""
from __future__ import annotations

import hashlib
import json

from conftest import REPO, SEED, run_cli, snapshot

SEED_SHA256 = "1eccba64090ea6b0abdb41c6ce05950e8a76a82e820300c8a09798381721ae6a"


def test_seed_is_byte_identical_to_the_shared_seed():
    data = (REPO / "seeds" / f"{SEED}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256
    shared = REPO.parent / "shared" / "seeds" / f"{SEED}.txt"
    if shared.exists():
        assert shared.read_bytes() == data
    text = data.decode("utf-8")
    assert len(text) == 9255 and text.count("\n") == 20


def test_document_record_is_the_seed_exactly():
    doc = json.loads((REPO / "corpus" / "documents" / f"{SEED}.json").read_text(encoding="utf-8"))
    text = (REPO / "seeds" / f"{SEED}.txt").read_bytes().decode("utf-8")
    assert doc["text"] == text
    assert doc["text_sha256"] == SEED_SHA256
    assert doc["source"]["seed_sha256"] == SEED_SHA256
    assert doc["language"] == "en"
    for field in ("outlet", "author", "published", "title", "url"):
        assert doc["metadata"][field] is None
    assert doc["metadata"]["notes"]
    assert doc["license"]["text"] is None and doc["license"]["note"]
    assert len(doc["paragraphs"]) == 21
    paragraphs = [text[p["start"]:p["end"]] for p in doc["paragraphs"]]
    assert paragraphs == text.split("\n")
    sentences = [(s["start"], s["end"]) for s in doc["sentences"]]
    assert len(sentences) == 52
    for s, e in sentences:
        assert text[s:e] == text[s:e].strip()
        assert any(ps <= s and e <= pe for ps, pe in ((p["start"], p["end"]) for p in doc["paragraphs"]))
    assert text[sentences[0][0]:sentences[0][1]].endswith("Sunday, November 3.")


def test_add_document_is_reproducible_and_one_command(root):
    target = root / "corpus" / "documents" / f"{SEED}.json"
    original = target.read_bytes()
    target.unlink()
    result = run_cli("add-document", f"seeds/{SEED}.txt", root=root, cwd=root)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == original


def test_add_document_refuses_to_overwrite(root):
    before = snapshot(root)
    result = run_cli("add-document", f"seeds/{SEED}.txt", root=root, cwd=root)
    assert result.returncode == 1
    assert "document-exists" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_a_second_article_is_one_command(root):
    (root / "seeds" / "001_example.txt").write_text("Second article.\nIt has two paragraphs. And three sentences.",
                                                    encoding="utf-8")
    result = run_cli("add-document", "seeds/001_example.txt", root=root, cwd=root)
    assert result.returncode == 0, result.stderr
    doc = json.loads((root / "corpus" / "documents" / "001_example.json").read_text(encoding="utf-8"))
    assert len(doc["paragraphs"]) == 2 and len(doc["sentences"]) == 3
    assert doc["split"] in ("train", "validation", "test")
    assert run_cli("validate", root=root).returncode == 0
