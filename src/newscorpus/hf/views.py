"""Rows of the training views: ``event_extraction`` and ``mentions_nested`` (one row per
sentence), ``quote_attribution`` (one row per quote, with its paragraph context) and
``coreference`` (one row per document). Every row carries its tokens with their
code-point offsets into the document text; spans are token spans ``[start, end)``
(token indexes of the row, end exclusive) besides their character offsets. The tokens
are those of ``rows.sentence_tokens``: grapheme-cluster safe and cut at every annotated
span's boundary, so every annotation lies on token boundaries."""
from __future__ import annotations

from newscorpus.hf.rows import Shared, _ix, shared
from newscorpus.hf.tokens import TokenIndex
from newscorpus.model import AnnotationSet, Document

Spans = list[tuple[int, int]]


def token_span(spans: Spans, start: int, end: int) -> tuple[int, int] | None:
    """The token span ``[first, last + 1)`` covering exactly ``[start, end)``, or None
    when the characters do not fall on token boundaries of ``spans``."""
    return TokenIndex(spans).span(start, end)


def _sentence_head(doc: Document, index: int, sh: Shared) -> dict:
    s, e = doc.sentences[index]
    return {"id": f"{doc.id}-s{index:04d}", "document_id": doc.id, "sentence_index": index,
            "start": s, "end": e, "text": doc.text[s:e], **sh.tokens.fields(index)}


def _inside(start: int, end: int, s: int, e: int) -> bool:
    return s <= start and end <= e


def event_extraction_rows(doc: Document, ann: AnnotationSet, inv, given: Shared | None = None) -> list[dict]:
    """One row per sentence (ACE/MAVEN-like): the triggers in the sentence and the
    arguments of each that lie in the same sentence (``trigger_index`` into the row's
    triggers). Arguments outside their trigger's sentence are in the ``events`` config."""
    sh = shared(doc, ann, given)
    vt, rl, pl, ro = (_ix(inv, x) for x in ("event_types", "realis", "polarity", "argument_roles"))
    per_sentence = sh.by_sentence(sh.ann.events, lambda v: (v.trigger.start, v.trigger.end))
    rows = []
    for index, (s, e) in enumerate(doc.sentences):
        spans = sh.tokens.index(index)
        triggers, arguments = [], []
        for v in per_sentence[index]:
            ts = spans.span(v.trigger.start, v.trigger.end)
            if ts is None:
                continue
            triggers.append({"event_id": v.id, "start": ts[0], "end": ts[1], "char_start": v.trigger.start,
                             "char_end": v.trigger.end, "text": v.trigger.text, "type": vt[v.type],
                             "realis": rl[v.realis], "polarity": pl[v.polarity]})
            for a in v.arguments:
                m = sh.mentions[a.mention]
                ms = spans.span(m.start, m.end) if _inside(m.start, m.end, s, e) else None
                if ms is not None:
                    arguments.append({"trigger_index": len(triggers) - 1, "role": ro[a.role],
                                      "start": ms[0], "end": ms[1], "char_start": m.start, "char_end": m.end,
                                      "text": m.text, "mention_id": m.id, "entity_id": m.entity})
        rows.append(_sentence_head(doc, index, sh) | {"triggers": triggers, "arguments": arguments})
    return rows


def mentions_nested_rows(doc: Document, ann: AnnotationSet, inv, given: Shared | None = None) -> list[dict]:
    """One row per sentence: every mention inside it as a token span, nesting kept."""
    sh = shared(doc, ann, given)
    et, mk = _ix(inv, "entity_types"), _ix(inv, "mention_kinds")
    per_sentence = sh.by_sentence(sh.ann.mentions, lambda m: (m.start, m.end))
    rows = []
    for index in range(len(doc.sentences)):
        spans = sh.tokens.index(index)
        found = []
        for m in per_sentence[index]:
            ms = spans.span(m.start, m.end)
            if ms is not None:
                found.append({"mention_id": m.id, "start": ms[0], "end": ms[1], "char_start": m.start,
                              "char_end": m.end, "text": m.text, "type": et[m.type], "kind": mk[m.kind],
                              "entity_id": m.entity})
        found.sort(key=lambda x: (x["start"], -x["end"], x["mention_id"]))
        rows.append(_sentence_head(doc, index, sh) | {"mentions": found})
    return rows


def coreference_row(doc: Document, ann: AnnotationSet, inv, given: Shared | None = None) -> dict:
    """One row per document: all tokens, sentence boundaries as token spans, and one
    cluster per entity (its mentions as token spans; ``singleton`` when it has one)."""
    sh = shared(doc, ann, given)
    et = _ix(inv, "entity_types")
    sentences, at = [], 0
    for sent in sh.tokens.sentences:
        sentences.append({"start": at, "end": at + len(sent)})
        at += len(sent)
    members: dict[str, list[dict]] = {}
    for m in sh.ann.mentions:
        ms = sh.tokens.flat_index.span(m.start, m.end)
        if ms is not None:
            members.setdefault(m.entity, []).append(
                {"mention_id": m.id, "start": ms[0], "end": ms[1], "char_start": m.start, "char_end": m.end,
                 "text": m.text})
    clusters = [{"entity_id": x.id, "type": et[x.type], "name": x.name, "singleton": len(members[x.id]) == 1,
                 "mentions": members[x.id]} for x in sh.ann.entities if x.id in members]
    return {"document_id": doc.id, **sh.tokens.flat_fields, "sentences": sentences, "clusters": clusters}


def _context(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The paragraphs that hold ``[start, end)``, from the first one's start to the last one's end."""
    paras = [p for p in doc.paragraphs if p[0] < end and start < p[1]] or [(start, end)]
    return paras[0][0], paras[-1][1]


def _quote_span(spans, start: int, end: int, text: str) -> dict:
    ts = spans.span(start, end)
    return {"start": ts[0] if ts else None, "end": ts[1] if ts else None,
            "char_start": start, "char_end": end, "text": text}


def quote_attribution_rows(doc: Document, ann: AnnotationSet, inv, given: Shared | None = None) -> list[dict]:
    """One row per quote: the paragraph(s) holding its content and cue as context, with
    their tokens; the content, cue and speaker spans; the speaker's entity, and whether
    the speaker mention is inside the context (``speaker_in_context``)."""
    sh = shared(doc, ann, given)
    qk, et = _ix(inv, "quote_kinds"), _ix(inv, "entity_types")
    rows = []
    for q in sh.ann.quotes:
        parts = [q.content] + ([q.cue] if q.cue else [])
        cs, ce = _context(doc, min(p.start for p in parts), max(p.end for p in parts))
        fields, index = sh.tokens.within(cs, ce)
        sp = sh.mentions.get(q.speaker) if q.speaker else None
        inside = sp is not None and _inside(sp.start, sp.end, cs, ce)
        ent = sh.entities[sp.entity] if sp else None
        rows.append({
            "id": f"{doc.id}-{q.id}", "document_id": doc.id, "quote_id": q.id, "kind": qk[q.kind],
            "context_start": cs, "context_end": ce, "context": doc.text[cs:ce], **fields,
            "content": _quote_span(index, q.content.start, q.content.end, q.content.text),
            "cue": _quote_span(index, q.cue.start, q.cue.end, q.cue.text) if q.cue else None,
            "speaker": (_quote_span(index, sp.start, sp.end, sp.text) if inside
                        else {"start": None, "end": None, "char_start": sp.start, "char_end": sp.end,
                              "text": sp.text}) if sp else None,
            "speaker_mention_id": sp.id if sp else None, "speaker_entity_id": ent.id if ent else None,
            "speaker_entity_type": et[ent.type] if ent else None, "speaker_name": ent.name if ent else None,
            "speaker_in_context": inside,
        })
    return rows
