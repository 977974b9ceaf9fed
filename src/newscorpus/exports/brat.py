"""Writing brat standoff: ``<id>.txt`` (the document text, byte for byte: UTF-8, line
ends as stored, CRLF included) and ``<id>.ann``, plus ``annotation.conf`` and
``visual.conf`` generated from the label inventory.

Offsets: brat's server reads the ``.txt`` as UTF-8 into a Python 3 ``str`` (without
newline translation) and counts offsets in that string, that is in Unicode code
points, as the corpus does; so the offsets of the ``.ann`` are the corpus offsets
unchanged (an emoji counts 1, CRLF counts 2).

Lines of an ``.ann``: ``T`` for mentions (type = entity type), event triggers (type =
event type), quote contents (``Quote``) and cues (``Cue``); ``E`` for events with their
role arguments (a repeated role is numbered, ``participant2``); ``R`` for the
``Speaker`` and ``Cue`` of quotes; ``*  Coref`` equivalences for the mentions of an
entity; ``A`` for mention kind, realis, polarity and quote kind; ``#  AnnotatorNotes``
with ``newscorpus {json}``: the corpus ids, the entity record and the provenance."""
from __future__ import annotations

import json
from pathlib import Path

from newscorpus.model import AnnotationSet, Document
from newscorpus.exports.names import (COREF, CUE, CUE_REL, KIND, NOTE_PREFIX, NOTES, POLARITY, QUOTE,
                                      QUOTE_KIND, REALIS, SPEAKER, BratNames)
from newscorpus.rules.inventory import Inventory

PALETTE = ("#7fa2ff", "#ffccaa", "#aaaaee", "#a4de9a", "#ffe599", "#e0b0ff", "#b4c8c8", "#f4a6a6",
           "#cccccc", "#8fcfd1", "#e3c4a8", "#c9e4a6")


def _note(data: dict) -> str:
    return NOTE_PREFIX + json.dumps(data, ensure_ascii=False, sort_keys=True)


def _one_line(text: str) -> str:
    """A span's text on the .ann line: line breaks and tabs shown as spaces (as brat does)."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


class _Lines:
    def __init__(self):
        self.lines: list[str] = []
        self.n = {"T": 0, "E": 0, "R": 0, "A": 0, "#": 0}

    def add(self, prefix: str, body: str) -> str:
        self.n[prefix] += 1
        ident = f"{prefix}{self.n[prefix]}"
        self.lines.append(f"{ident}\t{body}")
        return ident

    def span(self, kind: str, start: int, end: int, text: str) -> str:
        return self.add("T", f"{kind} {start} {end}\t{_one_line(text)}")

    def note(self, target: str, data: dict) -> None:
        self.add("#", f"{NOTES} {target}\t{_note(data)}")


def ann_text(ann: AnnotationSet, names: BratNames) -> str:
    """The .ann of one annotation set."""
    ann = ann.sorted()
    out = _Lines()
    tids = _mentions(out, ann, names)
    _events(out, ann, names, tids)
    _quotes(out, ann, tids)
    return "".join(line + "\n" for line in out.lines)


def _mentions(out: _Lines, ann: AnnotationSet, names: BratNames) -> dict[str, str]:
    entities = ann.entity_index()
    tids: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for m in ann.mentions:
        tid = out.span(names.mention(m.type), m.start, m.end, m.text)
        tids[m.id] = tid
        out.add("A", f"{KIND} {tid} {m.kind}")
        note = {"id": m.id, "entity": m.entity, "provenance": m.provenance.to_dict()}
        if m.entity not in members and m.entity in entities:
            note["entity_record"] = entities[m.entity].to_dict()
        members.setdefault(m.entity, []).append(tid)
        out.note(tid, note)
    for tids_of in members.values():
        if len(tids_of) > 1:
            out.lines.append(f"*\t{COREF} " + " ".join(tids_of))
    return tids


def _events(out: _Lines, ann: AnnotationSet, names: BratNames, tids: dict[str, str]) -> None:
    for ev in ann.events:
        kind = names.event(ev.type)
        trigger = out.span(kind, ev.trigger.start, ev.trigger.end, ev.trigger.text)
        seen: dict[str, int] = {}
        args = []
        for a in ev.arguments:
            seen[a.role] = seen.get(a.role, 0) + 1
            number = "" if seen[a.role] == 1 else str(seen[a.role])
            args.append(f" {a.role}{number}:{tids[a.mention]}")
        eid = out.add("E", f"{kind}:{trigger}" + "".join(args))
        out.add("A", f"{REALIS} {eid} {ev.realis}")
        out.add("A", f"{POLARITY} {eid} {ev.polarity}")
        out.note(eid, {"id": ev.id, "provenance": ev.provenance.to_dict()})


def _quotes(out: _Lines, ann: AnnotationSet, tids: dict[str, str]) -> None:
    cues: dict[tuple[int, int], str] = {}
    for q in ann.quotes:
        qid = out.span(QUOTE, q.content.start, q.content.end, q.content.text)
        out.add("A", f"{QUOTE_KIND} {qid} {q.kind}")
        if q.cue is not None:
            key = (q.cue.start, q.cue.end)
            if key not in cues:
                cues[key] = out.span(CUE, q.cue.start, q.cue.end, q.cue.text)
            out.add("R", f"{CUE_REL} Arg1:{qid} Arg2:{cues[key]}")
        if q.speaker is not None:
            out.add("R", f"{SPEAKER} Arg1:{qid} Arg2:{tids[q.speaker]}")
        out.note(qid, {"id": q.id, "provenance": q.provenance.to_dict()})


def annotation_conf(inventory: Inventory) -> str:
    """brat's annotation.conf: every type, role, relation and attribute from the inventory."""
    names = BratNames.of(inventory)
    mentions = "|".join(names.mention(x) for x in inventory.labels("entity_types"))
    events = [names.event(x) for x in inventory.labels("event_types")]
    lines = ["# generated by newscorpus from schema/inventory.json: do not edit", "[entities]"]
    lines += [names.mention(x) for x in inventory.labels("entity_types")] + [QUOTE, CUE]
    lines += ["", "[relations]", f"{SPEAKER}\tArg1:{QUOTE}, Arg2:{mentions}",
              f"{CUE_REL}\tArg1:{QUOTE}, Arg2:{CUE}",
              f"{COREF}\tArg1:{mentions}, Arg2:{mentions}, <REL-TYPE>:symmetric-transitive",
              "", "[events]"]
    for ev in inventory.event_types:
        roles = ", ".join(f"{r}*:{mentions}" for r in ev.roles)
        lines.append(f"{names.event(ev.label)}\t{roles}" if roles else names.event(ev.label))
    values = names.attribute_values()
    lines += ["", "[attributes]", f"{KIND}\tArg:{mentions}, Value:{'|'.join(values[KIND])}",
              f"{REALIS}\tArg:{'|'.join(events)}, Value:{'|'.join(values[REALIS])}",
              f"{POLARITY}\tArg:{'|'.join(events)}, Value:{'|'.join(values[POLARITY])}",
              f"{QUOTE_KIND}\tArg:{QUOTE}, Value:{'|'.join(values[QUOTE_KIND])}"]
    return "\n".join(lines) + "\n"


def visual_conf(inventory: Inventory) -> str:
    """brat's visual.conf: a label and a colour per type."""
    names = BratNames.of(inventory)
    items = [(names.mention(x.label), x.name or x.label, "") for x in inventory.entity_types]
    items += [(names.event(x.label), x.name or x.label, "") for x in inventory.event_types]
    items += [(QUOTE, "Quote", ""), (CUE, "Cue", "")]
    lines = ["# generated by newscorpus from schema/inventory.json: do not edit", "[labels]"]
    lines += [f"{b} | {shown} | {b}" for b, shown, _ in items]
    lines += ["", "[drawing]", "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
              "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5"]
    lines += [f"{b}\tbgColor:{PALETTE[i % len(PALETTE)]}" for i, (b, _, _) in enumerate(items)]
    return "\n".join(lines) + "\n"


def write_document(folder: Path, doc: Document, ann: AnnotationSet, names: BratNames) -> list[Path]:
    """``<id>.txt`` byte-identical to the text (no newline translation) and ``<id>.ann``."""
    txt, annp = folder / f"{doc.id}.txt", folder / f"{doc.id}.ann"
    txt.write_bytes(doc.text.encode("utf-8"))
    annp.write_bytes(ann_text(ann, names).encode("utf-8"))
    return [txt, annp]

