"""Rows of each config, one document (and its annotation set) at a time."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from newscorpus.hf.features import bio_names
from newscorpus.model import AnnotationSet, Document, Mention
from newscorpus.rules.inventory import Inventory

# --- rows --------------------------------------------------------------------------------

def _ix(inventory: Inventory, layer: str) -> dict[str, int]:
    return {label: i for i, label in enumerate(inventory.labels(layer))}


def document_row(doc: Document, version: str) -> dict:
    meta = doc.metadata
    return {
        "id": doc.id, "text": doc.text, "text_sha256": doc.text_sha256, "language": doc.language,
        "annotation_version": version,
        "metadata": {k: meta.get(k) for k in ("title", "outlet", "author", "published", "url")}
        | {"notes": list(meta.get("notes", []))},
        "source": {k: doc.source.get(k) for k in ("seed_file", "seed_sha256", "note")},
        "license": {"text": doc.license.get("text"), "note": doc.license.get("note")},
        "paragraphs": [{"start": s, "end": e} for s, e in doc.paragraphs],
        "sentences": [{"start": s, "end": e} for s, e in doc.sentences],
    }


def entities_row(doc: Document, ann: AnnotationSet, inv: Inventory) -> dict:
    ann = ann.sorted()
    et, mk = _ix(inv, "entity_types"), _ix(inv, "mention_kinds")
    members: dict[str, list[str]] = {}
    for m in ann.mentions:
        members.setdefault(m.entity, []).append(m.id)
    return {
        "document_id": doc.id, "text": doc.text,
        "mentions": [{"id": m.id, "start": m.start, "end": m.end, "text": m.text, "type": et[m.type],
                      "kind": mk[m.kind], "entity_id": m.entity} for m in ann.mentions],
        "entities": [{"id": e.id, "type": et[e.type], "name": e.name, "mention_ids": members.get(e.id, [])}
                     for e in ann.entities],
    }


def events_row(doc: Document, ann: AnnotationSet, inv: Inventory) -> dict:
    ann = ann.sorted()
    vt, rl, pl, ro = (_ix(inv, x) for x in ("event_types", "realis", "polarity", "argument_roles"))
    mentions = ann.mention_index()
    rows = []
    for v in ann.events:
        args = []
        for a in v.arguments:
            m = mentions[a.mention]
            args.append({"role": ro[a.role], "mention_id": m.id, "entity_id": m.entity,
                         "start": m.start, "end": m.end, "text": m.text})
        rows.append({"id": v.id, "type": vt[v.type], "trigger": v.trigger.to_dict(),
                     "realis": rl[v.realis], "polarity": pl[v.polarity], "arguments": args})
    return {"document_id": doc.id, "text": doc.text, "events": rows}


def quotes_row(doc: Document, ann: AnnotationSet, inv: Inventory) -> dict:
    ann = ann.sorted()
    qk = _ix(inv, "quote_kinds")
    mentions, entities = ann.mention_index(), ann.entity_index()
    rows = []
    for q in ann.quotes:
        sp = mentions.get(q.speaker) if q.speaker else None
        rows.append({
            "id": q.id, "kind": qk[q.kind], "content": q.content.to_dict(),
            "cue": q.cue.to_dict() if q.cue else None,
            "speaker_mention_id": sp.id if sp else None,
            "speaker": {"start": sp.start, "end": sp.end, "text": sp.text} if sp else None,
            "speaker_entity_id": sp.entity if sp else None,
            "speaker_name": entities[sp.entity].name if sp else None,
        })
    return {"document_id": doc.id, "text": doc.text, "quotes": rows}


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def grapheme_boundaries(text: str) -> set[int]:
    """The offsets at which a user-perceived character (an extended grapheme cluster,
    ``\\X`` of the ``regex`` module) starts or ends."""
    import regex

    return {0, len(text)} | {m.end() for m in regex.finditer(r"\X", text)}


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token character spans by spaCy's rule-based English tokenizer (no model), made
    grapheme-cluster safe: tokens that split a user-perceived character (an emoji flag,
    a ZWJ sequence, a base and its combining marks, CRLF) are merged. A token is then
    split at each offset of ``cuts`` (mention boundaries, relative to ``text``) that
    falls inside it on a grapheme boundary."""
    bounds = grapheme_boundaries(text)
    edges = sorted(bounds)
    merged: list[list[int]] = []
    for t in _tokenizer()(text):
        a, b = t.idx, t.idx + len(t.text)
        if a not in bounds:  # widen to the clusters the token touches
            a = edges[bisect.bisect_right(edges, a) - 1]
        if b not in bounds:
            b = edges[bisect.bisect_left(edges, b)]
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    spans = [(a, b) for a, b in merged if text[a:b].strip()]
    inner = sorted(c for c in set(cuts) if c in bounds)
    return [piece for a, b in spans for piece in _cut(a, b, inner)]


def _cut(a: int, b: int, cuts: list[int]) -> list[tuple[int, int]]:
    points = [a] + [c for c in cuts if a < c < b] + [b]
    return [(x, y) for x, y in zip(points, points[1:])]


def span_boundaries(ann: AnnotationSet) -> set[int]:
    """Every start and end of an annotated span: mentions, triggers, quote contents, cues."""
    spans = [(m.start, m.end) for m in ann.mentions] + [(v.trigger.start, v.trigger.end) for v in ann.events]
    for q in ann.quotes:
        spans += [(q.content.start, q.content.end)] + ([(q.cue.start, q.cue.end)] if q.cue else [])
    return {x for span in spans for x in span}


def sentence_tokens(doc: Document, ann: AnnotationSet) -> list[list[tuple[int, int]]]:
    """The tokens of each sentence (document offsets), cut at every annotated span's
    boundary that falls inside a token: the one tokenization every view shares."""
    cuts = span_boundaries(ann)
    out = []
    for s, e in doc.sentences:
        inner = [c - s for c in cuts if s < c < e]
        out.append([(s + a, s + b) for a, b in tokenize(doc.text[s:e], inner)])
    return out


@dataclass
class NerReport:
    """How many name mentions the flattened BIO view tags, and why the others are not."""
    used: int = 0
    nested: int = 0  # dropped: inside a longer name
    misaligned: int = 0  # dropped: not on token boundaries
    crossing: int = 0  # dropped: crosses a sentence boundary


def select_ner_mentions(ann: AnnotationSet) -> tuple[list[Mention], list[Mention]]:
    """The flattening rule: name mentions only; of overlapping names the longest (then the
    earliest) is kept and the ones inside or crossing it are dropped."""
    names = sorted((m for m in ann.mentions if m.kind == "name"), key=lambda m: (-(m.end - m.start), m.start, m.id))
    kept, dropped = [], []
    for m in names:
        if any(m.start < k.end and k.start < m.end for k in kept):
            dropped.append(m)
        else:
            kept.append(m)
    return sorted(kept, key=lambda m: m.start), sorted(dropped, key=lambda m: m.start)


def ner_rows(doc: Document, ann: AnnotationSet, inv: Inventory, report: NerReport) -> list[dict]:
    tags = {name: i for i, name in enumerate(bio_names(inv))}
    kept, nested = select_ner_mentions(ann)
    report.nested += len(nested)
    rows = []
    placed: set[str] = set()
    for index, ((s, e), spans) in enumerate(zip(doc.sentences, sentence_tokens(doc, ann))):
        sent = doc.text[s:e]
        labels = ["O"] * len(spans)
        starts = {a: i for i, (a, _) in enumerate(spans)}
        ends = {b: i for i, (_, b) in enumerate(spans)}
        for m in kept:
            if m.end <= s or m.start >= e:
                continue
            if m.start < s or m.end > e:
                if m.id not in placed:
                    report.crossing += 1
                    placed.add(m.id)
                continue
            if m.start not in starts or m.end not in ends:
                report.misaligned += 1
                placed.add(m.id)
                continue
            first, last = starts[m.start], ends[m.end]
            labels[first] = f"B-{m.type}"
            for k in range(first + 1, last + 1):
                labels[k] = f"I-{m.type}"
            report.used += 1
            placed.add(m.id)
        rows.append({
            "id": f"{doc.id}-s{index:04d}", "document_id": doc.id, "sentence_index": index,
            "start": s, "end": e, "text": sent,
            "tokens": [doc.text[a:b] for a, b in spans],
            "token_starts": [a for a, _ in spans], "token_ends": [b for _, b in spans],
            "ner_tags": [tags[x] for x in labels],
        })
    return rows


def decode_bio(tokens_starts: list[int], token_ends: list[int], tag_names: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of each BIO chunk: the inverse of the tagging above."""
    out, cur = [], None
    for a, b, tag in zip(tokens_starts, token_ends, tag_names):
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != tag[2:])):
            if cur:
                out.append(tuple(cur))
            cur = [a, b, tag[2:]]
        elif tag.startswith("I-"):
            cur[1] = b
        else:
            if cur:
                out.append(tuple(cur))
            cur = None
    if cur:
        out.append(tuple(cur))
    return out
