"""The seeds and the document records derived from them."""
from __future__ import annotations

import hashlib

from helpers import REPO, SEED, document_path, fails, load_json, ok, run_cli, snapshot

SEED_SHA256 = "1eccba64090ea6b0abdb41c6ce05950e8a76a82e820300c8a09798381721ae6a"


def test_every_seed_has_a_document_record_with_its_sha256():
    """Never skipped: each seed file is the text of a document record whose checksums are
    the file's. (Seed names are <number>_<hex>, but the hex part is not a prefix of the
    sha256 of the bytes, e.g. 000_ac7a1151f6a5afe0.txt has sha256 1eccba64...: the name
    carries no checksum to check.)"""
    seeds = sorted(p for p in (REPO / "seeds").iterdir() if p.is_file())
    assert seeds, "seeds/ is empty"
    records = [load_json(p) for p in sorted((REPO / "corpus" / "documents").glob("*.json"))]
    for seed in seeds:
        data = seed.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        docs = [d for d in records if d["source"]["seed_file"] == f"seeds/{seed.name}"]
        assert len(docs) == 1, f"{seed.name}: {len(docs)} document records name it as their seed"
        (doc,) = docs
        assert doc["source"]["seed_sha256"] == sha, seed.name
        assert doc["text_sha256"] == sha, seed.name
        assert doc["text"].encode("utf-8") == data, seed.name


def test_seeds_are_byte_identical_to_the_shared_seeds():
    """Every seed the project was given (../shared/seeds, when it is there) is in seeds/,
    byte for byte; the checks of the known seed run in any case."""
    data = (REPO / "seeds" / f"{SEED}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256
    text = data.decode("utf-8")
    assert len(text) == 9255 and text.count("\n") == 20
    shared = REPO.parent / "shared" / "seeds"
    for given in sorted(shared.iterdir()) if shared.is_dir() else ():
        if given.is_file():
            ours = REPO / "seeds" / given.name
            assert ours.is_file(), f"{given.name} is in {shared} but not in seeds/"
            assert ours.read_bytes() == given.read_bytes(), given.name


def test_document_record_is_the_seed_exactly():
    doc = load_json(document_path(REPO))
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
    target = document_path(root)
    original = target.read_bytes()
    target.unlink()
    ok(run_cli("add-document", f"seeds/{SEED}.txt", root=root, cwd=root))
    assert target.read_bytes() == original


def test_add_document_refuses_to_overwrite(root):
    before = snapshot(root)
    fails(run_cli("add-document", f"seeds/{SEED}.txt", root=root, cwd=root), "document-exists")
    assert snapshot(root) == before


def test_a_second_article_is_one_command(root):
    (root / "seeds" / "001_example.txt").write_text("Second article.\nIt has two paragraphs. And three sentences.",
                                                    encoding="utf-8")
    ok(run_cli("add-document", "seeds/001_example.txt", root=root, cwd=root))
    doc = load_json(document_path(root, "001_example"))
    assert len(doc["paragraphs"]) == 2 and len(doc["sentences"]) == 3
    assert doc["split"] in ("train", "validation", "test")
    ok(run_cli("validate", root=root))
