"""The parsed lines of one ``.ann`` -> an annotation set (mentions and their entities,
events, quotes), with a named problem for each reference that does not hold."""
from __future__ import annotations

from newscorpus.errors import Problem
from newscorpus.exports.bratread import Parsed
from newscorpus.exports.names import COREF, CUE, CUE_REL, KIND, POLARITY, QUOTE, QUOTE_KIND, REALIS, SPEAKER, BratNames
from newscorpus.model import (AnnotationSet, Argument, Entity, Event, Mention, Provenance, Quote, Span, clusters,
                              _idkey)


class _Ids:
    """Ids from the notes; new ones (prefix + number above every id used) for the rest."""

    def __init__(self, p: Parsed):
        self.used = {str(d.get("id")) for d, _ in p.notes.values() if d.get("id")}
        self.used |= {str(d["entity_record"].get("id")) for d, _ in p.notes.values()
                      if isinstance(d.get("entity_record"), dict)}

    def new(self, prefix: str) -> str:
        numbers = [int(i[len(prefix):]) for i in self.used
                   if i.startswith(prefix) and i[len(prefix):].isdigit()]
        ident = f"{prefix}{max(numbers, default=0) + 1}"
        self.used.add(ident)
        return ident


def _provenance(p: Parsed, target: str, default: Provenance) -> Provenance:
    data = p.notes.get(target, ({}, 0))[0].get("provenance")
    return Provenance.from_dict(data) if isinstance(data, dict) and "annotator" in data else default


def _noted_id(p: Parsed, target: str, ids: _Ids, prefix: str) -> str:
    ident = p.notes.get(target, ({}, 0))[0].get("id")
    return ident if isinstance(ident, str) and ident else ids.new(prefix)


def _dangling(p: Parsed, line: int, ident: str, target: str, expected: str) -> None:
    p.problems.append(Problem(p.shown, p.at(line), "brat-dangling-reference",
                              f"{ident} refers to {target}, which is not {expected} in this file"))


def _attr(p: Parsed, target: str, name: str, what: str, line: int) -> str:
    value = p.attributes.get((target, name), (None, 0))[0]
    if value is None:
        p.problems.append(Problem(p.shown, p.at(line), "brat-missing-attribute",
                                  f"{what} {target} has no {name} attribute"))
        return ""
    return value


def build_set(p: Parsed, names: BratNames, doc_id: str, sha: str, version: str,
              default: Provenance) -> AnnotationSet:
    """The annotation set the lines describe (check ``p.problems`` before using it)."""
    ids = _Ids(p)
    mentions = _mentions(p, names, ids, default)
    entities, mentions = _entities(p, mentions, ids, default)
    events = _events(p, names, ids, default, mentions)
    quotes = _quotes(p, ids, default, mentions)
    _check_attributes(p)
    return AnnotationSet(doc_id, sha, version, entities, list(mentions.values()), events, quotes).sorted()


def _mentions(p: Parsed, names: BratNames, ids: _Ids, default: Provenance) -> dict[str, Mention]:
    out = {}
    for tid, (kind, start, end, line) in p.spans.items():
        if kind in names.mention_types:
            note = p.notes.get(tid, ({}, 0))[0]
            out[tid] = Mention(_noted_id(p, tid, ids, "m"), start, end, p.text[start:end],
                               names.mention_types[kind], _attr(p, tid, KIND, "mention", line),
                               str(note.get("entity") or ""), _provenance(p, tid, default))
    return out


def _clusters(p: Parsed, mentions: dict[str, Mention]) -> list[list[str]]:
    """The coreference clusters (union of the Coref equivalences and relations), each in
    text order, ordered by their first mention."""
    links = [(members, line) for members, line in p.equivalences]
    links += [([a, b], line) for _r, kind, a, b, line in p.relations if kind == COREF]
    pairs = []
    for members, line in links:
        for t in members:
            if t not in mentions:
                _dangling(p, line, COREF, t, "a mention")
        good = [t for t in members if t in mentions]
        pairs += [(t, good[0]) for t in good[1:]]
    ordered = sorted(mentions, key=lambda t: (mentions[t].start, -mentions[t].end, _idkey(mentions[t].id)))
    return clusters(ordered, pairs)


def _entities(p: Parsed, mentions: dict[str, Mention], ids: _Ids, default: Provenance
              ) -> tuple[list[Entity], dict[str, Mention]]:
    records = {d["entity_record"]["id"]: d["entity_record"] for d, _ in p.notes.values()
               if isinstance(d.get("entity_record"), dict) and d["entity_record"].get("id")}
    taken: set[str] = set()
    entities = []
    for group in _clusters(p, mentions):
        noted = [mentions[t].entity for t in group if mentions[t].entity and mentions[t].entity not in taken]
        eid = noted[0] if noted else ids.new("e")
        taken.add(eid)
        first = mentions[group[0]]
        record = records.get(eid, {})
        names_ = [mentions[t].text for t in group if mentions[t].kind == "name"]
        prov = record.get("provenance")
        entities.append(Entity(eid, first.type, record.get("name") or (names_ or [first.text])[0],
                               Provenance.from_dict(prov) if isinstance(prov, dict) and "annotator" in prov
                               else default))
        for t in group:
            mentions[t] = Mention(**{**mentions[t].__dict__, "entity": eid})
    return entities, mentions


def _events(p: Parsed, names: BratNames, ids: _Ids, default: Provenance,
            mentions: dict[str, Mention]) -> list[Event]:
    out, triggers = [], set()
    for eid, (kind, trigger, args, line) in p.events.items():
        span = p.spans.get(trigger)
        if span is None or span[0] not in names.event_types:
            _dangling(p, line, eid, trigger, "an event trigger")
            continue
        triggers.add(trigger)
        arguments = []
        for role, target in args:
            if target not in mentions:
                _dangling(p, line, eid, target, "a mention")
            else:
                arguments.append(Argument(role, mentions[target].id))
        _k, start, end, _l = span
        out.append(Event(_noted_id(p, eid, ids, "ev"), names.event_types[kind],
                         Span(start, end, p.text[start:end]), tuple(arguments),
                         _attr(p, eid, REALIS, "event", line), _attr(p, eid, POLARITY, "event", line),
                         _provenance(p, eid, default)))
    for tid, (kind, _s, _e, line) in p.spans.items():
        if kind in names.event_types and tid not in triggers:
            p.problems.append(Problem(p.shown, p.at(line), "brat-dangling-reference",
                                      f"{tid} ({kind}) belongs to no {'event (E line)'}"))
    return out


def _quote_links(p: Parsed, mentions: dict[str, Mention]) -> dict[str, dict[str, str]]:
    links: dict[str, dict[str, str]] = {}
    for rid, kind, a1, a2, line in p.relations:
        if kind == COREF:
            continue
        expected = (CUE, "a cue") if kind == CUE_REL else (None, "a mention")
        if p.spans.get(a1, ("",))[0] != QUOTE:
            _dangling(p, line, rid, a1, "a quote")
        elif (expected[0] and p.spans.get(a2, ("",))[0] != expected[0]) or \
                (not expected[0] and a2 not in mentions):
            _dangling(p, line, rid, a2, expected[1])
        elif kind in links.get(a1, {}):
            p.problems.append(Problem(p.shown, p.at(line), "brat-format",
                                      f"{rid}: quote {a1} has a second {kind} relation"))
        else:
            links.setdefault(a1, {})[kind] = a2
    return links


def _quotes(p: Parsed, ids: _Ids, default: Provenance, mentions: dict[str, Mention]) -> list[Quote]:
    links = _quote_links(p, mentions)
    cues_used = {x.get(CUE_REL) for x in links.values()}
    out = []
    for tid, (kind, start, end, line) in p.spans.items():
        if kind == CUE and tid not in cues_used:
            p.problems.append(Problem(p.shown, p.at(line), "brat-dangling-reference",
                                      f"{tid} ({kind}) belongs to no {'quote (Cue relation)'}"))
        if kind != QUOTE:
            continue
        link = links.get(tid, {})
        cue = p.spans.get(link[CUE_REL]) if CUE_REL in link else None
        out.append(Quote(_noted_id(p, tid, ids, "q"), _attr(p, tid, QUOTE_KIND, "quote", line),
                         Span(start, end, p.text[start:end]),
                         Span(cue[1], cue[2], p.text[cue[1]:cue[2]]) if cue else None,
                         mentions[link[SPEAKER]].id if SPEAKER in link else None,
                         _provenance(p, tid, default)))
    return out


def _check_attributes(p: Parsed) -> None:
    """An attribute on an annotation that does not take it."""
    takes = {KIND: "a mention", REALIS: "an event", POLARITY: "an event", QUOTE_KIND: "a quote"}
    for (target, name), (_value, line) in p.attributes.items():
        kind = p.spans.get(target, ("",))[0]
        ok = (target.startswith("E") and target in p.events) if name in (REALIS, POLARITY) else \
            (kind == QUOTE) if name == QUOTE_KIND else (target in p.spans and kind not in (QUOTE, CUE)
                                                        and not target.startswith("E"))
        if not ok:
            _dangling(p, line, name, target, takes[name])
