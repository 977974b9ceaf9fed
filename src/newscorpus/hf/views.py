"""Rows of the training views: ``event_extraction`` and ``mentions_nested`` (one row per
sentence), ``quote_attribution`` (one row per quote, with its paragraph context) and
``coreference`` (one row per document). Every row carries its tokens with their
code-point offsets into the document text; spans are token spans ``[start, end)``
(token indexes of the row, end exclusive) besides their character offsets. The tokens
are those of ``rows.sentence_tokens``: grapheme-cluster safe and cut at every annotated
span's boundary, so every annotation lies on token boundaries."""
from __future__ import annotations

from newscorpus.hf.rows import _ix, sentence_tokens
from newscorpus.model import AnnotationSet, Document

Spans = list[tuple[int, int]]


def token_span(spans: Spans, start: int, end: int) -> tuple[int, int] | None:
    """The token span ``[first, last + 1)`` covering exactly ``[start, end)``, or None
    when the characters do not fall on token boundaries of ``spans``."""
    first = next((i for i, (a, _) in enumerate(spans) if a == start), None)
    last = next((i for i, (_, b) in enumerate(spans) if b == end), None)
    if first is None or last is None or last < first:
        return None
    return first, last + 1


def _token_fields(doc: Document, spans: Spans) -> dict:
    return {"tokens": [doc.text[a:b] for a, b in spans],
            "token_starts": [a for a, _ in spans], "token_ends": [b for _, b in spans]}


def _sentence_head(doc: Document, index: int, spans: Spans) -> dict:
    s, e = doc.sentences[index]
    return {"id": f"{doc.id}-s{index:04d}", "document_id": doc.id, "sentence_index": index,
            "start": s, "end": e, "text": doc.text[s:e]} | _token_fields(doc, spans)


def _inside(start: int, end: int, s: int, e: int) -> bool:
    return s <= start and end <= e


def event_extraction_rows(doc: Document, ann: AnnotationSet, inv) -> list[dict]:
    """One row per sentence (ACE/MAVEN-like): the triggers in the sentence and the
    arguments of each that lie in the same sentence (``trigger_index`` into the row's
    triggers). Arguments outside their trigger's sentence are in the ``events`` config."""
    ann = ann.sorted()
    vt, rl, pl, ro = (_ix(inv, x) for x in ("event_types", "realis", "polarity", "argument_roles"))
    mentions = ann.mention_index()
    rows = []
    for index, spans in enumerate(sentence_tokens(doc, ann)):
        s, e = doc.sentences[index]
        triggers, arguments = [], []
        for v in ann.events:
            ts = token_span(spans, v.trigger.start, v.trigger.end)
            if not _inside(v.trigger.start, v.trigger.end, s, e) or ts is None:
                continue
            triggers.append({"event_id": v.id, "start": ts[0], "end": ts[1], "char_start": v.trigger.start,
                             "char_end": v.trigger.end, "text": v.trigger.text, "type": vt[v.type],
                             "realis": rl[v.realis], "polarity": pl[v.polarity]})
            for a in v.arguments:
                m = mentions[a.mention]
                ms = token_span(spans, m.start, m.end) if _inside(m.start, m.end, s, e) else None
                if ms is not None:
                    arguments.append({"trigger_index": len(triggers) - 1, "role": ro[a.role],
                                      "start": ms[0], "end": ms[1], "char_start": m.start, "char_end": m.end,
                                      "text": m.text, "mention_id": m.id, "entity_id": m.entity})
        rows.append(_sentence_head(doc, index, spans) | {"triggers": triggers, "arguments": arguments})
    return rows


def mentions_nested_rows(doc: Document, ann: AnnotationSet, inv) -> list[dict]:
    """One row per sentence: every mention inside it as a token span, nesting kept."""
    ann = ann.sorted()
    et, mk = _ix(inv, "entity_types"), _ix(inv, "mention_kinds")
    rows = []
    for index, spans in enumerate(sentence_tokens(doc, ann)):
        s, e = doc.sentences[index]
        found = []
        for m in ann.mentions:
            ms = token_span(spans, m.start, m.end) if _inside(m.start, m.end, s, e) else None
            if ms is not None:
                found.append({"mention_id": m.id, "start": ms[0], "end": ms[1], "char_start": m.start,
                              "char_end": m.end, "text": m.text, "type": et[m.type], "kind": mk[m.kind],
                              "entity_id": m.entity})
        found.sort(key=lambda x: (x["start"], -x["end"], x["mention_id"]))
        rows.append(_sentence_head(doc, index, spans) | {"mentions": found})
    return rows


def coreference_row(doc: Document, ann: AnnotationSet, inv) -> dict:
    """One row per document: all tokens, sentence boundaries as token spans, and one
    cluster per entity (its mentions as token spans; ``singleton`` when it has one)."""
    ann = ann.sorted()
    et = _ix(inv, "entity_types")
    per_sentence = sentence_tokens(doc, ann)
    spans = [t for sent in per_sentence for t in sent]
    sentences, at = [], 0
    for sent in per_sentence:
        sentences.append({"start": at, "end": at + len(sent)})
        at += len(sent)
    members: dict[str, list[dict]] = {}
    for m in ann.mentions:
        ms = token_span(spans, m.start, m.end)
        if ms is not None:
            members.setdefault(m.entity, []).append(
                {"mention_id": m.id, "start": ms[0], "end": ms[1], "char_start": m.start, "char_end": m.end,
                 "text": m.text})
    clusters = [{"entity_id": x.id, "type": et[x.type], "name": x.name, "singleton": len(members[x.id]) == 1,
                 "mentions": members[x.id]} for x in ann.entities if x.id in members]
    return {"document_id": doc.id, **_token_fields(doc, spans), "sentences": sentences, "clusters": clusters}


def _context(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The paragraphs that hold ``[start, end)``, from the first one's start to the last one's end."""
    paras = [p for p in doc.paragraphs if p[0] < end and start < p[1]] or [(start, end)]
    return paras[0][0], paras[-1][1]


def _quote_span(spans: Spans, start: int, end: int, text: str) -> dict:
    ts = token_span(spans, start, end)
    return {"start": ts[0] if ts else None, "end": ts[1] if ts else None,
            "char_start": start, "char_end": end, "text": text}


def quote_attribution_rows(doc: Document, ann: AnnotationSet, inv) -> list[dict]:
    """One row per quote: the paragraph(s) holding its content and cue as context, with
    their tokens; the content, cue and speaker spans; the speaker's entity, and whether
    the speaker mention is inside the context (``speaker_in_context``)."""
    ann = ann.sorted()
    qk, et = _ix(inv, "quote_kinds"), _ix(inv, "entity_types")
    mentions, entities = ann.mention_index(), ann.entity_index()
    tokens = [t for sent in sentence_tokens(doc, ann) for t in sent]
    rows = []
    for q in ann.quotes:
        parts = [q.content] + ([q.cue] if q.cue else [])
        cs, ce = _context(doc, min(p.start for p in parts), max(p.end for p in parts))
        spans = [(a, b) for a, b in tokens if cs <= a and b <= ce]
        sp = mentions.get(q.speaker) if q.speaker else None
        inside = sp is not None and _inside(sp.start, sp.end, cs, ce)
        ent = entities[sp.entity] if sp else None
        rows.append({
            "id": f"{doc.id}-{q.id}", "document_id": doc.id, "quote_id": q.id, "kind": qk[q.kind],
            "context_start": cs, "context_end": ce, "context": doc.text[cs:ce], **_token_fields(doc, spans),
            "content": _quote_span(spans, q.content.start, q.content.end, q.content.text),
            "cue": _quote_span(spans, q.cue.start, q.cue.end, q.cue.text) if q.cue else None,
            "speaker": (_quote_span(spans, sp.start, sp.end, sp.text) if inside
                        else {"start": None, "end": None, "char_start": sp.start, "char_end": sp.end,
                              "text": sp.text}) if sp else None,
            "speaker_mention_id": sp.id if sp else None, "speaker_entity_id": ent.id if ent else None,
            "speaker_entity_type": et[ent.type] if ent else None, "speaker_name": ent.name if ent else None,
            "speaker_in_context": inside,
        })
    return rows
