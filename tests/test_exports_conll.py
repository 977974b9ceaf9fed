"""CoNLL-2012 coreference and CoNLL-2003 NER files: read back in the test, the words
line up with the document text and the clusters are the gold's mention clusters; read by
a standard scorer (scorch, the CoNLL-2011/2012 shared tasks' scorer reimplemented in
Python, test extras), the gold scores 100 against itself and a copy with coreference
errors scores what ``newscorpus evaluate`` says."""
from __future__ import annotations

import itertools
import json
import re
import shutil
from collections import Counter
from pathlib import Path

from helpers import load_json, ok, run_cli, write_json


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


# --- scored by a standard coreference scorer ---------------------------------------------

def _scorch_clusters(folder: Path) -> list[set]:
    """Every entity of every ``*.v4_gold_conll`` file in ``folder`` as read by scorch's
    CoNLL-2012 reader (a mention is (document, sentence, first word, last word)); the
    documents' clusters together, so a score over them is the micro-average over
    documents (as the reference scorer's and ``newscorpus evaluate``'s)."""
    from scorch.conll import parse_file

    clusters = []
    for path in sorted(folder.glob("*.v4_gold_conll")):
        with path.open(encoding="utf-8") as handle:
            for name, entities in parse_file(line.strip() for line in handle):
                clusters += [{(name, *m) for m in mentions} for mentions in entities.values()]
    return clusters


def _scorch_scores(key: list[set], response: list[set]) -> dict:
    from scorch import scores

    out = {}
    for name, metric in (("muc", scores.muc), ("b3", scores.b_cubed), ("ceafe", scores.ceaf_e)):
        r, p, f = metric(key, response)
        out[name] = {"precision": p, "recall": r, "f1": f}
    return out


def _with_coreference_errors(data: dict) -> dict:
    """A copy with coreference errors only (every mention span kept, so the CoNLL tokens
    are the same): a mention of the largest entity split off into a new entity, and the
    two smallest other entities of one type merged, where there are two."""
    sizes = Counter(m["entity"] for m in data["mentions"])
    largest = sizes.most_common(1)[0][0]
    ids = {e["id"] for e in data["entities"]}
    new_id = next(f"e{i}" for i in itertools.count(1) if f"e{i}" not in ids)
    template = next(e for e in data["entities"] if e["id"] == largest)
    data["entities"].append({**template, "id": new_id})
    next(m for m in data["mentions"] if m["entity"] == largest)["entity"] = new_id
    by_type = {}
    for e in sorted(data["entities"], key=lambda e: sizes[e["id"]]):
        if e["id"] not in (largest, new_id) and sizes[e["id"]]:
            by_type.setdefault(e["type"], []).append(e["id"])
    pair = next((ids[:2] for ids in by_type.values() if len(ids) >= 2), None)
    if pair:
        for m in data["mentions"]:
            m["entity"] = pair[0] if m["entity"] == pair[1] else m["entity"]
        data["entities"] = [e for e in data["entities"] if e["id"] != pair[1]]
    return data


def test_a_standard_scorer_reads_the_conll2012_files_and_agrees_with_evaluate(gold, tmp_path):
    ok(run_cli("convert", "--to", "conll2012", "--version", "draft", "--output", str(tmp_path / "key"),
               root=gold))
    key = _scorch_clusters(tmp_path / "key")
    assert any(len(c) > 1 for c in key)  # MUC counts links: the gold has some
    for name, s in _scorch_scores(key, key).items():
        assert (s["precision"], s["recall"], s["f1"]) == (1.0, 1.0, 1.0), name
    draft = gold / "annotations" / "draft"
    files = sorted(p for p in draft.glob("*.json") if load_json(p)["mentions"])
    (tmp_path / "gold").mkdir()
    for path in files:
        shutil.copy2(path, tmp_path / "gold" / path.name)
    target = max(files, key=lambda p: max(Counter(m["entity"] for m in load_json(p)["mentions"]).values()))
    write_json(target, _with_coreference_errors(load_json(target)))
    (tmp_path / "pred").mkdir()
    for path in files:
        shutil.copy2(path, tmp_path / "pred" / path.name)
    ok(run_cli("convert", "--to", "conll2012", "--version", "draft", "--output", str(tmp_path / "response"),
               root=gold))
    theirs = _scorch_scores(key, _scorch_clusters(tmp_path / "response"))
    result = json.loads(ok(run_cli("evaluate", str(tmp_path / "gold"), str(tmp_path / "pred"), "--json",
                                   root=gold)).stdout)
    ours = result["coreference"]
    for name in ("muc", "b3", "ceafe"):
        assert theirs[name]["f1"] < 1.0, name
        for figure in ("precision", "recall", "f1"):
            assert abs(ours[name][figure] - theirs[name][figure]) <= 1e-4, (name, figure, ours, theirs)
    assert abs(ours["average_f1"] - sum(theirs[n]["f1"] for n in theirs) / 3) <= 2e-4
