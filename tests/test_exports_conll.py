"""CoNLL-2012 coreference and CoNLL-2003 NER files: read back in the test, the words
line up with the document text and the clusters are the gold's mention clusters."""
from __future__ import annotations

import re
from pathlib import Path

from helpers import load_json, ok, run_cli


def _parse_2012(path: Path):
    """(doc id, words, clusters as {n: {(first word, last word)}}) of one file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    m = re.fullmatch(r"#begin document \((.+)\); part 000", lines[0])
    assert m and lines[-1] == "#end document"
    words, clusters, stacks = [], {}, {}
    for line in lines[1:-1]:
        if not line:
            continue
        cols = line.split("\t")
        assert len(cols) == 12 and cols[0] == m.group(1) and cols[4] == "-"
        i = len(words)
        words.append(cols[3])
        for part in ([] if cols[-1] == "-" else cols[-1].split("|")):
            n = int(part.strip("()"))
            if part.startswith("("):
                stacks.setdefault(n, []).append(i)
            if part.endswith(")"):
                clusters.setdefault(n, set()).add((stacks[n].pop(), i))
    assert all(not s for s in stacks.values())
    return m.group(1), words, clusters


def _align(text: str, words: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for w in words:
        start = text.index(w, pos)
        assert text[pos:start].strip() == ""  # nothing skipped but whitespace
        spans.append((start, start + len(w)))
        pos = start + len(w)
    return spans


def test_conll2012_clusters_are_the_gold_clusters(gold, tmp_path):
    out = tmp_path / "c12"
    ok(run_cli("convert", "--to", "conll2012", "--version", "draft", "--output", str(out), root=gold))
    files = sorted(out.glob("*.v4_gold_conll"))
    docs = sorted((gold / "corpus" / "documents").glob("*.json"))
    assert len(files) == len(docs)
    for path in files:
        doc_id, words, clusters = _parse_2012(path)
        text = load_json(gold / "corpus" / "documents" / f"{doc_id}.json")["text"]
        spans = _align(text, words)
        got = {frozenset((spans[a][0], spans[b][1]) for a, b in members) for members in clusters.values()}
        ann_path = gold / "annotations" / "draft" / f"{doc_id}.json"
        ann = load_json(ann_path) if ann_path.exists() else {"mentions": []}
        want = {}
        for m in ann["mentions"]:
            want.setdefault(m["entity"], set()).add((m["start"], m["end"]))
        assert got == {frozenset(v) for v in want.values()}


def test_conll2003_tags_are_bio_over_the_words(gold, tmp_path):
    out = tmp_path / "c03"
    ok(run_cli("convert", "--to", "conll2003", "--version", "draft", "--output", str(out), root=gold))
    types = {t["label"] for t in load_json(gold / "schema" / "inventory.json")["entity_types"]}
    for path in sorted(out.glob("*.conll")):
        text = load_json(gold / "corpus" / "documents" / f"{path.stem}.json")["text"]
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "-DOCSTART- -X- -X- O"
        rows = [line.split(" ") for line in lines[1:] if line]
        assert all(len(r) == 4 and r[1:3] == ["-", "-"] for r in rows)
        _align(text, [r[0] for r in rows])
        prev = "O"
        for r in rows:
            tag = r[3]
            assert tag == "O" or (tag[:2] in ("B-", "I-") and tag[2:] in types)
            if tag.startswith("I-"):
                assert prev[2:] == tag[2:]
            prev = tag
