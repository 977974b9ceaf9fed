"""brat standoff both ways: the round trip is lossless (ids and provenance included),
offsets are code points of the byte-identical .txt (emoji, CRLF), and a hand-edited
.ann with a problem is a named error with file and line, writing nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import annotation_path, fails, load_json, ok, run_cli, snapshot, write_json


def _docs(root: Path) -> dict[str, dict]:
    return {p.stem: load_json(p) for p in sorted((root / "corpus" / "documents").glob("*.json"))}


def _draft(root: Path) -> dict[str, dict]:
    return {p.stem: load_json(p) for p in sorted((root / "annotations" / "draft").glob("*.json"))}


def _same(got: dict[str, dict], want: dict[str, dict]) -> bool:
    """Equal, except that a document without annotations may come back as an empty file."""
    extra = [d for d in got if d not in want]
    return all(not any(got[d][layer] for layer in ("entities", "mentions", "events", "quotes"))
               for d in extra) and {d: v for d, v in got.items() if d in want} == want


def _round_trip(root: Path, tmp: Path) -> Path:
    out, back = tmp / "brat", tmp / "back"
    ok(run_cli("convert", "--to", "brat", "--version", "draft", "--output", str(out), root=root))
    ok(run_cli("convert", "--from", "brat", str(out), "--output", str(back), root=root))
    diff = ok(run_cli("diff", "draft", str(back), root=root))
    assert " 0 change(s)" in diff.stdout, diff.stdout
    return out


def _check_offsets(out: Path, docs: dict[str, dict]) -> None:
    """Every T line's offsets, read as code points of the .txt decoded as UTF-8 without
    newline translation (how brat's server reads it), give the line's text."""
    for doc_id, doc in docs.items():
        raw = (out / f"{doc_id}.txt").read_bytes()
        assert raw == doc["text"].encode("utf-8")
        text = raw.decode("utf-8")
        for line in (out / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines():
            m = re.fullmatch(r"T\d+\t\S+ (\d+) (\d+)\t(.*)", line)
            if m:
                s, e = int(m.group(1)), int(m.group(2))
                assert text[s:e].replace("\r", " ").replace("\n", " ") == m.group(3)


def test_gold_round_trip_is_lossless(gold, tmp_path):
    out = _round_trip(gold, tmp_path)
    back = {p.stem: load_json(p) for p in sorted((tmp_path / "back").glob("*.json"))}
    assert _same(back, _draft(gold))  # ids, entity records and provenance too, not only the diff
    _check_offsets(out, {d: doc for d, doc in _docs(gold).items() if d in back})
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    inventory = load_json(gold / "schema" / "inventory.json")
    for label in inventory["entity_types"]:
        assert f"\n{label['label']}\n" in conf
    assert (out / "visual.conf").is_file()


def _emoji_document(root: Path) -> str:
    """A document with emoji, CRLF line ends and nested mentions, with a hand-made
    annotation file in the draft."""
    text = "Kim 😀 of the U.S. Army said:\r\n\u201cThe Army 🚀 drill ends.\u201d\r\nKim left."
    (root / "seeds" / "emo.txt").write_bytes(text.encode("utf-8"))
    ok(run_cli("add-document", str(root / "seeds" / "emo.txt"), root=root))
    text = load_json(root / "corpus" / "documents" / "emo.json")["text"]
    prov = {"annotator": "tester", "tool": "hand", "created": None, "introduced_in": None, "changed_in": None}

    def span(s, nth=0):
        start = [m.start() for m in re.finditer(re.escape(s), text)][nth]
        return start, start + len(s), s
    mentions = []
    for mid, (s, nth, typ, kind, ent) in enumerate([
            ("Kim", 0, "PER", "name", "e1"), ("U.S. Army", 0, "ORG", "name", "e2"),
            ("U.S.", 0, "GPE", "name", "e3"), ("The Army", 0, "ORG", "nominal", "e2"),
            ("Kim", 1, "PER", "name", "e1")], 1):
        a, b, t = span(s, nth)
        mentions.append({"id": f"m{mid}", "start": a, "end": b, "text": t, "type": typ, "kind": kind,
                         "entity": ent, "provenance": prov})
    a, b, t = span("drill")
    qa, qb, qt = span("The Army 🚀 drill ends.")
    ca, cb, ct = span("said")
    data = {"schema_version": "1.0", "document_id": "emo",
            "text_sha256": load_json(root / "corpus" / "documents" / "emo.json")["text_sha256"],
            "version": "draft",
            "entities": [{"id": "e1", "type": "PER", "name": "Kim", "provenance": prov},
                         {"id": "e2", "type": "ORG", "name": "U.S. Army", "provenance": prov},
                         {"id": "e3", "type": "GPE", "name": "U.S.", "provenance": prov}],
            "mentions": mentions,
            "events": [{"id": "ev1", "type": "Military.Exercise", "trigger": {"start": a, "end": b, "text": t},
                        "arguments": [{"role": "participant", "mention": "m4"}],
                        "realis": "actual", "polarity": "positive", "provenance": prov}],
            "quotes": [{"id": "q1", "kind": "direct", "content": {"start": qa, "end": qb, "text": qt},
                        "cue": {"start": ca, "end": cb, "text": ct}, "speaker": "m1", "provenance": prov}]}
    write_json(annotation_path(root, "draft", "emo"), data)
    ok(run_cli("validate", root=root))
    return text


def test_emoji_crlf_and_nested_mentions_round_trip_into_the_draft(gold, tmp_path):
    text = _emoji_document(gold)
    before = _draft(gold)
    out = _round_trip(gold, tmp_path)
    _check_offsets(out, {"emo": {"text": text}})
    assert b"\r\n" in (out / "emo.txt").read_bytes()
    # back into the draft itself: a transaction under the lock, nothing changes
    result = ok(run_cli("convert", "--from", "brat", str(out), root=gold))
    assert "0 change(s)" in result.stdout
    assert _same(_draft(gold), before)
    ok(run_cli("validate", root=gold))


def test_a_span_drawn_in_brat_gets_a_new_id_and_the_import_provenance(gold, tmp_path):
    _emoji_document(gold)
    out = tmp_path / "brat"
    ok(run_cli("convert", "--to", "brat", "--version", "draft", "--output", str(out), root=gold))
    text = (out / "emo.txt").read_bytes().decode("utf-8")
    start = text.index("Kim left") + len("Kim left") - len("left")
    with open(out / "emo.ann", "a", encoding="utf-8") as f:
        f.write(f"T900\tLOC {start} {start + 4}\tleft\nA900\tMentionKind T900 nominal\n")
    ok(run_cli("convert", "--from", "brat", str(out), "--annotator", "ann7", root=gold))
    new = [m for m in load_json(annotation_path(gold, "draft", "emo"))["mentions"] if m["text"] == "left"]
    assert len(new) == 1 and new[0]["provenance"]["annotator"] == "ann7"
    ok(run_cli("validate", root=gold))


BAD = {
    "brat-unknown-type": lambda lines: [re.sub(r"^(T\d+)\t\S+", r"\1\tNOSUCHTYPE", lines[0])] + lines[1:],
    "brat-offset-mismatch": lambda lines: [re.sub(r"^(T\d+\t\S+) (\d+) (\d+)",
                                                  lambda m: f"{m.group(1)} {int(m.group(2)) + 1} {int(m.group(3)) + 1}",
                                                  lines[0])] + lines[1:],
    "brat-dangling-reference": lambda lines: lines + ["R999\tSpeaker Arg1:T99999 Arg2:T1"],
    "brat-format": lambda lines: lines[:1] + ["this is not a brat line"] + lines[1:],
    "brat-missing-attribute": lambda lines: [x for x in lines if not re.match(r"A\d+\tMentionKind T1 ", x)],
}


@pytest.mark.parametrize("check", sorted(BAD))
def test_a_bad_hand_edit_is_a_named_error_with_file_and_line(gold, tmp_path, check):
    out = tmp_path / "brat"
    ok(run_cli("convert", "--to", "brat", "--version", "draft", "--output", str(out), root=gold))
    ann = sorted(out.glob("*.ann"))[0]
    lines = ann.read_text(encoding="utf-8").splitlines()
    ann.write_text("\n".join(BAD[check](lines)) + "\n", encoding="utf-8")
    before = snapshot(gold / "annotations")
    result = fails(run_cli("convert", "--from", "brat", str(out), root=gold), check)
    assert any(ann.name in line and "line " in line for line in result.stderr.splitlines()), result.stderr
    assert snapshot(gold / "annotations") == before
    fails(run_cli("convert", "--from", "brat", str(out), "--output", str(tmp_path / "x"), root=gold), check)
    assert not (tmp_path / "x").exists()


def test_a_txt_that_differs_from_the_document_is_refused(gold, tmp_path):
    out = tmp_path / "brat"
    ok(run_cli("convert", "--to", "brat", "--version", "draft", "--output", str(out), root=gold))
    txt = sorted(out.glob("*.txt"))[0]
    txt.write_bytes(txt.read_bytes().replace(b"\r\n", b"\n") + b" ")
    fails(run_cli("convert", "--from", "brat", str(out), root=gold), "brat-text-mismatch")


@pytest.mark.parametrize("inside", ["seeds", "annotations/draft", "corpus/documents", "schema", "docs", "."])
def test_a_conversion_never_writes_into_the_repositorys_data(root, inside):
    before = snapshot(root)
    fails(run_cli("convert", "--to", "brat", "--version", "latest", "--output", str(root / inside),
                  root=root), "output-in-repository")
    assert snapshot(root) == before
