"""Rows of each config, one document (and its annotation set) at a time. What the
configs of a document share (the annotations in canonical order, their indexes, the
tokens) is made once, in a ``Shared``, and passed to each row function."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from newscorpus.hf.features import bio_names
from newscorpus.hf.tokens import (DocumentTokens, grapheme_boundaries, span_boundaries,  # noqa: F401
                                  tokenize)
from newscorpus.model import AnnotationSet, Document, Entity, Mention
from newscorpus.rules.inventory import Inventory

# --- rows --------------------------------------------------------------------------------

def _ix(inventory: Inventory, layer: str) -> dict[str, int]:
    return {label: i for i, label in enumerate(inventory.labels(layer))}


class Shared:
    """One document's inputs to every config, each made once: the annotations in
    canonical order (``ann``), the mention and entity indexes, the tokens, and which
    sentence holds a character range."""

    def __init__(self, doc: Document, ann: AnnotationSet):
        self.doc, self.ann = doc, ann.sorted()
        self._sentence_ends = [e for _, e in doc.sentences]

    @cached_property
    def mentions(self) -> dict[str, Mention]:
        return self.ann.mention_index()

    @cached_property
    def entities(self) -> dict[str, Entity]:
        return self.ann.entity_index()

    @cached_property
    def tokens(self) -> DocumentTokens:
        return DocumentTokens(self.doc, self.ann)

    def sentence_of(self, start: int, end: int) -> tuple[int | None, bool]:
        """(index of the first sentence ``[start, end)`` overlaps, or None; whether the
        range lies inside that sentence). Stored sentences are in order, disjoint."""
        i = bisect.bisect_right(self._sentence_ends, start)
        if i == len(self._sentence_ends) or self.doc.sentences[i][0] >= end:
            return None, False
        s, e = self.doc.sentences[i]
        return i, s <= start and end <= e

    def by_sentence(self, items, span) -> list[list]:
        """``items`` (in their order) grouped by the sentence that holds ``span(item)``."""
        groups: list[list] = [[] for _ in self.doc.sentences]
        for item in items:
            index, inside = self.sentence_of(*span(item))
            if inside:
                groups[index].append(item)
        return groups


def shared(doc: Document, ann: AnnotationSet, given: Shared | None) -> Shared:
    return given if given is not None else Shared(doc, ann)


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


def entities_row(doc: Document, ann: AnnotationSet, inv: Inventory, given: Shared | None = None) -> dict:
    ann = shared(doc, ann, given).ann
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


def events_row(doc: Document, ann: AnnotationSet, inv: Inventory, given: Shared | None = None) -> dict:
    sh = shared(doc, ann, given)
    ann, mentions = sh.ann, sh.mentions
    vt, rl, pl, ro = (_ix(inv, x) for x in ("event_types", "realis", "polarity", "argument_roles"))
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


def quotes_row(doc: Document, ann: AnnotationSet, inv: Inventory, given: Shared | None = None) -> dict:
    sh = shared(doc, ann, given)
    ann, mentions, entities = sh.ann, sh.mentions, sh.entities
    qk = _ix(inv, "quote_kinds")
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


def sentence_tokens(doc: Document, ann: AnnotationSet) -> list[list[tuple[int, int]]]:
    """The tokens of each sentence (document offsets), cut at every annotated span's
    boundary that falls inside a token: the one tokenization every view shares."""
    return DocumentTokens(doc, ann).sentences


@dataclass
class NerReport:
    """How many name mentions the flattened BIO view tags, and why the others are not."""
    used: int = 0
    nested: int = 0  # dropped: inside a longer name
    misaligned: int = 0  # dropped: not on token boundaries
    crossing: int = 0  # dropped: crosses a sentence boundary

    def merge(self, other: "NerReport") -> None:
        self.used += other.used
        self.nested += other.nested
        self.misaligned += other.misaligned
        self.crossing += other.crossing


def select_ner_mentions(ann: AnnotationSet) -> tuple[list[Mention], list[Mention]]:
    """The flattening rule: name mentions only; of overlapping names the longest (then the
    earliest) is kept and the ones inside or crossing it are dropped."""
    names = sorted((m for m in ann.mentions if m.kind == "name"), key=lambda m: (-(m.end - m.start), m.start, m.id))
    kept, dropped = [], []
    starts: list[int] = []  # the kept names, disjoint: in start order, ends ascend too
    ends: list[int] = []
    for m in names:
        i = bisect.bisect_left(starts, m.end)  # kept[:i] start before m ends
        if i and ends[i - 1] > m.start:  # the latest of them ends after m starts
            dropped.append(m)
        else:
            starts.insert(i, m.start)
            ends.insert(i, m.end)
            kept.append(m)
    return sorted(kept, key=lambda m: m.start), sorted(dropped, key=lambda m: m.start)


def ner_rows(doc: Document, ann: AnnotationSet, inv: Inventory, report: NerReport,
             given: Shared | None = None) -> list[dict]:
    sh = shared(doc, ann, given)
    tags = {name: i for i, name in enumerate(bio_names(inv))}
    kept, nested = select_ner_mentions(sh.ann)
    report.nested += len(nested)
    tagged: list[list[tuple[int, int, str]]] = [[] for _ in doc.sentences]
    for m in kept:
        index, inside = sh.sentence_of(m.start, m.end)
        if index is None:  # in no sentence
            continue
        if not inside:
            report.crossing += 1
            continue
        span = sh.tokens.index(index).span(m.start, m.end)
        if span is None:
            report.misaligned += 1
            continue
        tagged[index].append((span[0], span[1], m.type))
        report.used += 1
    rows = []
    for index, (s, e) in enumerate(doc.sentences):
        labels = [0] * len(sh.tokens.sentences[index])
        for first, end, kind in tagged[index]:
            labels[first] = tags[f"B-{kind}"]
            labels[first + 1:end] = [tags[f"I-{kind}"]] * (end - first - 1)
        rows.append({
            "id": f"{doc.id}-s{index:04d}", "document_id": doc.id, "sentence_index": index,
            "start": s, "end": e, "text": doc.text[s:e], **sh.tokens.fields(index), "ner_tags": labels,
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
