"""Reading brat standoff back: one ``.ann`` (with its ``.txt``) -> an annotation set.

Every problem is named and points at the file and line; the caller writes nothing
unless there are none. Ids and provenance come from the ``newscorpus`` notes where the
file has them; annotations drawn in brat get new ids and the provenance of the import.
Coreference is read from the ``* Coref`` equivalences (and ``Coref`` relations): they
decide the clusters; a cluster keeps the entity id (and record) its mentions' notes name."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from newscorpus.errors import Problem
from newscorpus.exports.names import (COREF, CUE, CUE_REL, KIND, NOTE_PREFIX, NOTES, POLARITY, QUOTE,
                                      QUOTE_KIND, REALIS, SPEAKER, BratNames)

LINE_FORMS = {
    "T": re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)"),
    "E": re.compile(r"(E\d+)\t(\S+):(T\d+)((?: \S+:[TE]\d+)*) ?"),
    "R": re.compile(r"(R\d+)\t(\S+) Arg1:([TE]\d+) Arg2:([TE]\d+) ?"),
    "*": re.compile(r"\*\t(\S+)((?: T\d+)+) ?"),
    "A": re.compile(r"([AM]\d+)\t(\S+) ([TER]\d+)(?: (\S+))? ?"),
    "#": re.compile(r"(#\d*)\t(\S+) ([TERA*]\d+)\t(.*)"),
}


@dataclass
class Parsed:
    """The lines of one .ann, by kind, each with its line number."""
    shown: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    spans: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)  # tid -> type, start, end, line
    events: dict[str, tuple[str, str, list[tuple[str, str]], int]] = field(default_factory=dict)
    relations: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # id, type, arg1, arg2, line
    equivalences: list[tuple[list[str], int]] = field(default_factory=list)
    attributes: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    notes: dict[str, tuple[dict, int]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, line: int) -> str:
        return f"line {line}"


def parse_ann(content: str, text: str, shown: str, names: BratNames) -> Parsed:
    out = Parsed(shown, text)
    for n, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        match = LINE_FORMS.get(line[0])
        m = match.fullmatch(line) if match else None
        if m is None:
            out.problems.append(Problem(shown, out.at(n), "brat-format",
                                        "not a brat standoff line: T, E, R, A, * or # lines as brat writes them",
                                        line[:80]))
            continue
        ident = m.group(1)
        if line[0] in "TERAM":
            if ident in out.lines:
                out.problems.append(Problem(shown, out.at(n), "brat-format",
                                            f"id {ident} is defined twice (first on line {out.lines[ident]})"))
                continue
            out.lines[ident] = n
        _READERS[line[0]](out, m, n, names)
    return out


def _span(out: Parsed, m: re.Match, n: int, names: BratNames) -> None:
    tid, kind, offsets, shown_text = m.groups()
    if ";" in offsets:
        out.problems.append(Problem(out.shown, out.at(n), "brat-format",
                                    "discontinuous spans (several fragments) cannot be read into the corpus"))
        return
    if kind not in names.mention_types and kind not in names.event_types and kind not in (QUOTE, CUE):
        out.problems.append(Problem(out.shown, out.at(n), "brat-unknown-type",
                                    f"type {kind} is not in annotation.conf (generated from the inventory)"))
        return
    start, end = (int(x) for x in offsets.split())
    if not 0 <= start < end <= len(out.text):
        out.problems.append(Problem(out.shown, out.at(n), "brat-offset-mismatch",
                                    f"offsets [{start}, {end}) fall outside the text (length {len(out.text)})"))
        return
    actual = out.text[start:end]
    flat = actual.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if shown_text != flat:
        out.problems.append(Problem(out.shown, out.at(n), "brat-offset-mismatch",
                                    f"text {shown_text!r} differs from the text at [{start}, {end}) "
                                    f"of the .txt: {actual!r}"))
        return
    out.spans[tid] = (kind, start, end, n)


def _event(out: Parsed, m: re.Match, n: int, names: BratNames) -> None:
    eid, kind, trigger, rest = m.groups()
    if kind not in names.event_types:
        out.problems.append(Problem(out.shown, out.at(n), "brat-unknown-type",
                                    f"type {kind} is not in annotation.conf (generated from the inventory)"))
        return
    args = []
    for part in rest.split():
        role, target = part.rsplit(":", 1)
        base = role.rstrip("0123456789")
        if base not in names.roles:
            out.problems.append(Problem(out.shown, out.at(n), "brat-unknown-type",
                                        f"role {role} is not in annotation.conf (generated from the inventory)"))
            continue
        args.append((names.roles[base], target))
    out.events[eid] = (kind, trigger, args, n)


def _relation(out: Parsed, m: re.Match, n: int, names: BratNames) -> None:
    rid, kind, a1, a2 = m.groups()
    if kind not in (SPEAKER, CUE_REL, COREF):
        out.problems.append(Problem(out.shown, out.at(n), "brat-unknown-type",
                                    f"relation {kind} is not in annotation.conf (generated from the inventory)"))
        return
    out.relations.append((rid, kind, a1, a2, n))


def _equivalence(out: Parsed, m: re.Match, n: int, names: BratNames) -> None:
    kind, members = m.groups()
    if kind != COREF:
        out.problems.append(Problem(out.shown, out.at(n), "brat-unknown-type",
                                    f"relation {kind} is not in annotation.conf (generated from the inventory)"))
        return
    out.equivalences.append((members.split(), n))


def _attribute(out: Parsed, m: re.Match, n: int, names: BratNames) -> None:
    _aid, name, target, value = m.groups()
    allowed = names.attribute_values()
    if name not in allowed or value not in allowed[name]:
        out.problems.append(Problem(out.shown, out.at(n), "brat-unknown-type",
                                    f"attribute {name} {value} is not in annotation.conf "
                                    "(generated from the inventory)"))
        return
    out.attributes[(target, name)] = (value, n)


def _note(out: Parsed, m: re.Match, n: int, names: BratNames) -> None:
    _nid, kind, target, text = m.groups()
    if kind != NOTES or not text.startswith(NOTE_PREFIX):
        return  # other comments are the annotators' own: kept out of the corpus
    try:
        data = json.loads(text[len(NOTE_PREFIX):])
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        out.problems.append(Problem(out.shown, out.at(n), "brat-format",
                                    f"the note is not newscorpus JSON ({exc})"))
        return
    out.notes[target] = (data, n)


_READERS = {"T": _span, "E": _event, "R": _relation, "*": _equivalence, "A": _attribute, "#": _note}
