"""The ``bigbio_kb`` config: BigBIO's harmonized knowledge-base schema
(``bigbio/utils/schemas/kb.py``), one row per document. Its types and roles are plain
strings (the inventory's labels), not ``ClassLabel``s, as in BigBIO.

Mapping (every id is prefixed with the document id, so ids are unique in the dataset):
- ``passages``: the paragraphs (type ``paragraph``), id ``<doc>-p<k>``;
- ``entities``: the mentions (type: the entity type), id ``<doc>-<mention id>``; and, for
  each quote, its content (type ``QUOTE``, id ``<doc>-<quote id>``) and its cue (type
  ``QUOTE_CUE``, id ``<doc>-<quote id>-cue``); ``normalized`` is empty;
- ``coreferences``: one per entity that has mentions (singletons included), id
  ``<doc>-<entity id>``, ``entity_ids`` its mentions;
- ``events``: trigger span, type, arguments ``{role, ref_id}`` referring to mention entities;
- ``relations``: per quote, ``quote_speaker`` (arg1 the quote content, arg2 the speaker
  mention) when it has a speaker and ``quote_cue`` (arg1 the content, arg2 the cue) when it
  has a cue.
The schema holds no realis, polarity, mention kind, quote kind or entity name."""
from __future__ import annotations

from newscorpus.model import AnnotationSet, Document

QUOTE, QUOTE_CUE, QUOTE_SPEAKER, QUOTE_CUE_REL = "QUOTE", "QUOTE_CUE", "quote_speaker", "quote_cue"


def bigbio_kb_features():
    """The features of BigBIO's kb schema, as declared there (``List`` for its lists)."""
    from datasets import Features, List, Value

    s, i32 = Value("string"), Value("int32")
    spans = {"text": List(s), "offsets": List(List(i32))}
    norm = List({"db_name": s, "db_id": s})
    return Features({
        "id": s, "document_id": s,
        "passages": List({"id": s, "type": s, **spans}),
        "entities": List({"id": s, "type": s, **spans, "normalized": norm}),
        "events": List({"id": s, "type": s, "trigger": spans, "arguments": List({"role": s, "ref_id": s})}),
        "coreferences": List({"id": s, "entity_ids": List(s)}),
        "relations": List({"id": s, "type": s, "arg1_id": s, "arg2_id": s, "normalized": norm}),
    })


def _kb_entity(id_: str, type_: str, start: int, end: int, text: str) -> dict:
    return {"id": id_, "type": type_, "text": [text], "offsets": [[start, end]], "normalized": []}


def _quotes(doc: Document, ann: AnnotationSet) -> tuple[list[dict], list[dict]]:
    """The quotes as entities (content, cue) and relations (speaker, cue)."""
    entities, relations = [], []
    for q in ann.quotes:
        qid = f"{doc.id}-{q.id}"
        entities.append(_kb_entity(qid, QUOTE, q.content.start, q.content.end, q.content.text))
        if q.cue:
            entities.append(_kb_entity(f"{qid}-cue", QUOTE_CUE, q.cue.start, q.cue.end, q.cue.text))
            relations.append({"id": f"{qid}-r-cue", "type": QUOTE_CUE_REL, "arg1_id": qid,
                              "arg2_id": f"{qid}-cue", "normalized": []})
        if q.speaker:
            relations.append({"id": f"{qid}-r-speaker", "type": QUOTE_SPEAKER, "arg1_id": qid,
                              "arg2_id": f"{doc.id}-{q.speaker}", "normalized": []})
    return entities, relations


def bigbio_kb_row(doc: Document, ann: AnnotationSet, given=None) -> dict:
    """One document in BigBIO's kb schema (see the module's docstring for the mapping).
    ``given``: the document's ``rows.Shared``, whose annotations are already in order."""
    ann = given.ann if given is not None else ann.sorted()
    passages = [{"id": f"{doc.id}-p{k}", "type": "paragraph", "text": [doc.text[s:e]], "offsets": [[s, e]]}
                for k, (s, e) in enumerate(doc.paragraphs)]
    entities = [_kb_entity(f"{doc.id}-{m.id}", m.type, m.start, m.end, m.text) for m in ann.mentions]
    members: dict[str, list[str]] = {}
    for m in ann.mentions:
        members.setdefault(m.entity, []).append(f"{doc.id}-{m.id}")
    coreferences = [{"id": f"{doc.id}-{e.id}", "entity_ids": members[e.id]}
                    for e in ann.entities if e.id in members]
    events = [{"id": f"{doc.id}-{v.id}", "type": v.type,
               "trigger": {"text": [v.trigger.text], "offsets": [[v.trigger.start, v.trigger.end]]},
               "arguments": [{"role": a.role, "ref_id": f"{doc.id}-{a.mention}"} for a in v.arguments]}
              for v in ann.events]
    quote_entities, relations = _quotes(doc, ann)
    return {"id": doc.id, "document_id": doc.id, "passages": passages, "entities": entities + quote_entities,
            "events": events, "coreferences": coreferences, "relations": relations}
