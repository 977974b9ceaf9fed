"""The Label Studio round trip: a labeling interface generated from the label
inventories, one pre-annotated task per document, a lossless import of Label Studio's
JSON export into the draft, and ``push`` / ``pull`` against a running server.

How the corpus model maps onto Label Studio (see also docs/annotators.md):

=======================  ===========================================================
corpus                   Label Studio
=======================  ===========================================================
document text            ``<Text name="text" value="$text"/>``; task data also holds
                         ``document_id`` and the ``newscorpus`` block (below)
mention                  a region of ``<Labels name="mention">`` (label = entity
                         type), region id = mention id; its kind in the per-region
                         ``<Choices name="mention_kind">``
entity (coreference)     the mentions linked by ``coref`` relations; exported as a
                         chain in text order; ids and canonical names are kept
event                    a region of ``<Labels name="event">`` (label = event type),
                         region id = event id; ``<Choices name="realis">`` and
                         ``<Choices name="polarity">`` per region
event argument           a relation between the trigger and the mention, labelled
                         with the role
quote                    a ``content`` region of ``<Labels name="quote">``, region id
                         = quote id, ``<Choices name="quote_kind">`` per region
quote cue                a ``cue`` region of ``<Labels name="quote">`` linked to the
                         content by a ``cue`` relation (quotes sharing one cue share
                         one region)
quote speaker            a ``speaker`` relation between the content and a mention
=======================  ===========================================================

Relations are read without regard to their direction: the kinds of the two regions say
which end is which. A relation without a label is read as ``coref`` between two
mentions, ``speaker`` between a quote and a mention, ``cue`` between a quote and a cue.

The task data block ``data.newscorpus`` carries what a lossless import needs: the
format, document id, text sha256, the source version, the inventory's sha256 and the
exported annotations themselves (``source``: every annotation with its provenance,
entities with their ids and canonical names). An import compares what Label Studio
returns with that source: an annotation whose content did not change keeps its
provenance; a changed or new one gets the Label Studio annotator and time.

Several annotations on one task: the most recently updated annotation that was not
cancelled (skipped) wins; the others are reported and ignored. A task with no such
annotation has nothing to import.

Named checks of the import: the rows of ``newscorpus.rules.checks`` with scope
``labelstudio`` (docs/checks.md), and every annotation-file check of the validator,
which runs on the result before anything is written.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from newscorpus.errors import CorpusError, Problem
from newscorpus.rules.checks import registered
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.store.jsonio import read_json, write_json
from newscorpus.model import (LAYERS, AnnotationSet, Argument, Document, Entity, Event,
                              Mention, Provenance, Quote, Span, _idkey)
from newscorpus.store.paths import Layout

FORMAT = "newscorpus-labelstudio/1"
MODEL_VERSION = "newscorpus"
TOOL = "Label Studio"
DEFAULT_URL = "http://localhost:8080"
DEFAULT_PROJECT_TITLE = "newscorpus"
TOKEN_ENV = "LABEL_STUDIO_API_KEY"

OBJECT = "text"
MENTION = "mention"
EVENT = "event"
QUOTE = "quote"
MENTION_KIND = "mention_kind"
REALIS = "realis"
POLARITY = "polarity"
QUOTE_KIND = "quote_kind"
CONTENT = "content"
CUE = "cue"
SPEAKER_REL = "speaker"
CUE_REL = "cue"
COREF_REL = "coref"
LABEL_CONTROLS = (MENTION, EVENT, QUOTE)
CHOICE_CONTROLS = (MENTION_KIND, REALIS, POLARITY, QUOTE_KIND)
# which per-region attributes belong to which kind of region
ATTRIBUTES = {"mention": (MENTION_KIND,), "event": (REALIS, POLARITY), "content": (QUOTE_KIND,), "cue": ()}

# distinct colours, one per label of the three Labels controls (then reused)
PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
           "#9a6324", "#469990", "#808000", "#000075", "#a9a9a9", "#bfef45", "#dcbeff",
           "#800000", "#aaffc3", "#ffd8b1", "#fabed4", "#ffe119", "#008080", "#e6beff",
           "#6b8e23", "#b22222", "#1e90ff")

STATE_FILE = Path(".labelstudio") / "projects.json"


# --- labeling interface ------------------------------------------------------------------

def _choices_of(inventory: Inventory) -> dict[str, list[str]]:
    return {MENTION: inventory.labels("entity_types"), EVENT: inventory.labels("event_types"),
            QUOTE: [CONTENT, CUE], MENTION_KIND: inventory.labels("mention_kinds"),
            REALIS: inventory.labels("realis"), POLARITY: inventory.labels("polarity"),
            QUOTE_KIND: inventory.labels("quote_kinds")}


def relation_labels(inventory: Inventory) -> list[str]:
    return inventory.labels("argument_roles") + [SPEAKER_REL, CUE_REL, COREF_REL]


def _hint(label) -> str:
    return f"{label.name}: {label.definition}" if label.name else label.definition


def labeling_config(inventory: Inventory) -> str:
    """The Label Studio labeling config (XML), generated from the inventory."""
    roles = inventory.labels("argument_roles")
    clash = sorted({SPEAKER_REL, CUE_REL, COREF_REL} & set(roles))
    if clash:
        raise CorpusError(Problem("schema/inventory.json", "/argument_roles", "inventory",
                                  "these role names are reserved for Label Studio relations",
                                  ", ".join(clash)))
    root = ET.Element("View")
    root.append(ET.Comment(f" Generated by 'newscorpus labelstudio config' from schema/inventory.json "
                           f"(inventory {inventory.version}, sha256 {inventory.sha256[:12]}); "
                           "do not edit by hand "))
    ET.SubElement(root, "Header", value="$document_id", size="4")
    bar = ET.SubElement(root, "View", style="position: sticky; top: 0; z-index: 20; background: #ffffff; "
                                            "padding: 4px 0; border-bottom: 1px solid #dddddd")
    colors = iter(PALETTE * 4)

    def labels(name: str, title: str, items: Iterable[tuple[str, str]]) -> None:
        ET.SubElement(bar, "Header", value=title, size="6")
        node = ET.SubElement(bar, "Labels", name=name, toName=OBJECT, choice="single", showInline="true")
        for value, hint in items:
            ET.SubElement(node, "Label", value=value, hint=hint, background=next(colors))

    labels(MENTION, "Entity mentions (entity type)",
           [(item.label, _hint(item)) for item in inventory.entity_types])
    labels(EVENT, "Event triggers (event type)", [(item.label, _hint(item)) for item in inventory.event_types])
    labels(QUOTE, "Quotes", [(CONTENT, "Quote content: the reported speech (its kind below)"),
                             (CUE, "Quote cue: the speech verb or phrase; link it from the content "
                                   "with a 'cue' relation")])

    def choices(name: str, title: str, items, when: str, label_value: str | None = None) -> None:
        attrs = {"name": name, "toName": OBJECT, "perRegion": "true", "choice": "single",
                 "showInline": "true", "required": "true", "visibleWhen": "region-selected",
                 "whenTagName": when}
        if label_value:
            attrs["whenLabelValue"] = label_value
        view = ET.SubElement(bar, "View", visibleWhen="region-selected", whenTagName=when)
        if label_value:
            view.set("whenLabelValue", label_value)
        ET.SubElement(view, "Header", value=title, size="6")
        node = ET.SubElement(view, "Choices", attrs)
        for item in items:
            ET.SubElement(node, "Choice", value=item.label, hint=item.definition)

    choices(MENTION_KIND, "Mention kind", inventory.mention_kinds, MENTION)
    choices(REALIS, "Realis", inventory.realis, EVENT)
    choices(POLARITY, "Polarity", inventory.polarity, EVENT)
    choices(QUOTE_KIND, "Quote kind", inventory.quote_kinds, QUOTE, CONTENT)

    rels = ET.SubElement(root, "Relations", choice="single")
    rel_colors = iter(PALETTE * 2)
    for role in roles:
        ET.SubElement(rels, "Relation", value=role, background=next(rel_colors))
    for value in (SPEAKER_REL, CUE_REL, COREF_REL):
        ET.SubElement(rels, "Relation", value=value, background=next(rel_colors))
    ET.SubElement(root, "Text", name=OBJECT, value="$text")
    ET.indent(root, "  ")
    return ET.tostring(root, encoding="unicode") + "\n"


# --- export --------------------------------------------------------------------------------

def _documents_raw(layout: Layout) -> dict[str, dict]:
    docs = {}
    for path in sorted(layout.documents.glob("*.json")):
        data = read_json(path, layout.rel(path))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            docs[data["id"]] = data
    return docs


def _pack_source(ann: AnnotationSet) -> dict:
    """The exported annotations, provenance deduplicated into a table (compact task data)."""
    data = ann.to_dict()
    table: list[dict] = []
    index: dict[str, int] = {}
    for layer in LAYERS:
        for item in data[layer]:
            key = json.dumps(item["provenance"], sort_keys=True)
            if key not in index:
                index[key] = len(table)
                table.append(item["provenance"])
            item["provenance"] = index[key]
    data["provenance_table"] = table
    return data


def _unpack_source(packed: dict) -> AnnotationSet:
    data = json.loads(json.dumps(packed))
    table = data.pop("provenance_table")
    for layer in LAYERS:
        for item in data[layer]:
            item["provenance"] = table[item["provenance"]]
    return AnnotationSet.from_dict(data)


def _region(rid: str, control: str, kind: str, span: Span, values: list[str]) -> dict:
    key = "labels" if kind == "labels" else "choices"
    return {"id": rid, "from_name": control, "to_name": OBJECT, "type": kind,
            "value": {"start": span.start, "end": span.end, "text": span.text, key: values}}


def _relation(a: str, b: str, label: str) -> dict:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label]}


def cue_region_id(quote_id: str) -> str:
    # ':' cannot occur in annotation ids, so a cue region never collides with one
    return f"{quote_id}:cue"


def prediction_result(ann: AnnotationSet) -> list[dict]:
    """Every annotation of a set as Label Studio result items (regions, per-region
    attributes, relations); region ids are the annotation ids."""
    ann = ann.sorted()
    out: list[dict] = []
    for m in ann.mentions:
        span = Span(m.start, m.end, m.text)
        out.append(_region(m.id, MENTION, "labels", span, [m.type]))
        out.append(_region(m.id, MENTION_KIND, "choices", span, [m.kind]))
    for v in ann.events:
        out.append(_region(v.id, EVENT, "labels", v.trigger, [v.type]))
        out.append(_region(v.id, REALIS, "choices", v.trigger, [v.realis]))
        out.append(_region(v.id, POLARITY, "choices", v.trigger, [v.polarity]))
    cues: dict[tuple[int, int], str] = {}
    relations = []
    for q in ann.quotes:
        out.append(_region(q.id, QUOTE, "labels", q.content, [CONTENT]))
        out.append(_region(q.id, QUOTE_KIND, "choices", q.content, [q.kind]))
        if q.cue is not None:
            key = (q.cue.start, q.cue.end)
            if key not in cues:
                cues[key] = cue_region_id(q.id)
                out.append(_region(cues[key], QUOTE, "labels", q.cue, [CUE]))
            relations.append(_relation(q.id, cues[key], CUE_REL))
        if q.speaker is not None:
            relations.append(_relation(q.id, q.speaker, SPEAKER_REL))
    by_entity: dict[str, list[str]] = {}
    for m in ann.mentions:
        by_entity.setdefault(m.entity, []).append(m.id)
    for e in ann.entities:
        chain = by_entity.get(e.id, [])
        for a, b in zip(chain, chain[1:]):
            out.append(_relation(a, b, COREF_REL))
    for v in ann.events:
        for arg in v.arguments:
            out.append(_relation(v.id, arg.mention, arg.role))
    return out + relations


def build_task(doc: Document, ann: AnnotationSet, version: str, inventory: Inventory) -> dict:
    return {
        "data": {
            "text": doc.text,
            "document_id": doc.id,
            "newscorpus": {
                "format": FORMAT,
                "document_id": doc.id,
                "text_sha256": doc.text_sha256,
                "version": version,
                "inventory_sha256": inventory.sha256,
                "source": _pack_source(ann),
            },
        },
        "predictions": [{"model_version": MODEL_VERSION, "result": prediction_result(ann)}],
    }


@dataclass
class Export:
    version: str
    tasks: list[dict]


def export_tasks(layout: Layout, version: str | None = "latest",
                 documents: list[str] | None = None) -> Export:
    """One task per document of the corpus for an annotation version (a document
    without an annotation file in that version gets a task without pre-annotations)."""
    from newscorpus.rules.validation import check_annotation
    from newscorpus.store.versions import annotation_files, resolve_version, version_dir

    version = resolve_version(layout, version)
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    docs_raw = _documents_raw(layout)
    wanted = sorted(docs_raw)
    if documents:
        unknown = [d for d in documents if d not in docs_raw]
        if unknown:
            raise CorpusError([Problem(layout.rel(layout.documents), "", "unknown-document",
                                       "no document with this id in corpus/documents", d) for d in unknown])
        wanted = sorted(set(documents))
    # the files exported are validated (against the current inventory, which the
    # generated interface offers): nothing invalid reaches the annotators
    problems: list[Problem] = []
    sets: dict[str, AnnotationSet] = {}
    for path in annotation_files(version_dir(layout, version)):
        if documents and path.stem not in wanted:
            continue
        shown = layout.rel(path)
        data = read_json(path, shown)
        found = check_annotation(data, shown, inventory, docs_raw, version, path.stem)
        problems += found
        if not found:
            sets[path.stem] = AnnotationSet.from_dict(data)
    if problems:
        raise CorpusError(problems)
    tasks = []
    for doc_id in wanted:
        doc = Document.from_dict(docs_raw[doc_id])
        ann = sets.get(doc_id) or AnnotationSet(doc_id, doc.text_sha256, version)
        tasks.append(build_task(doc, ann, version, inventory))
    return Export(version, tasks)


# --- offsets at the boundary ---------------------------------------------------------------

class _Offsets:
    """Interpretations of Label Studio offsets on one document text."""

    def __init__(self, text: str):
        self.text = text
        self.astral = any(ord(c) > 0xFFFF for c in text)
        self.u16: dict[int, int] | None = None
        if self.astral:
            self.u16 = {}
            u = 0
            for i, ch in enumerate(text):
                self.u16[u] = i
                u += 2 if ord(ch) > 0xFFFF else 1
            self.u16[u] = len(text)
        # the text with every whitespace run collapsed to one space, and where each
        # collapsed character starts and ends in the real text
        self.c_start: list[int] = []
        self.c_end: list[int] = []
        collapsed = []
        for m in re.finditer(r"\s+|\S", text):
            collapsed.append(" " if m.group().isspace() else m.group())
            self.c_start.append(m.start())
            self.c_end.append(m.end())
        self.collapsed = "".join(collapsed)
        self.has_runs = len(self.collapsed) != len(text)
        self.cu16: dict[int, int] | None = None
        if self.astral and self.has_runs:
            self.cu16 = {}
            u = 0
            for i, ch in enumerate(self.collapsed):
                self.cu16[u] = i
                u += 2 if ord(ch) > 0xFFFF else 1
            self.cu16[u] = len(self.collapsed)

    def _from_collapsed(self, s: int, e: int) -> tuple[int, int] | None:
        if not 0 <= s < e <= len(self.collapsed):
            return None
        return self.c_start[s], self.c_end[e - 1]

    def candidates(self, start: int, end: int) -> list[tuple[int, int, str]]:
        out = []
        if self.u16 is not None and start in self.u16 and end in self.u16:
            out.append((self.u16[start], self.u16[end], "UTF-16 code unit offsets"))
        if self.has_runs:
            span = self._from_collapsed(start, end)
            if span:
                out.append((*span, "offsets in whitespace-collapsed text"))
            if self.cu16 is not None and start in self.cu16 and end in self.cu16:
                span = self._from_collapsed(self.cu16[start], self.cu16[end])
                if span:
                    out.append((*span, "UTF-16 offsets in whitespace-collapsed text"))
        return out


def _ws_pattern(value: str) -> re.Pattern:
    parts = re.split(r"(\s+)", value)
    body = "".join(r"\s+" if p and p.isspace() else re.escape(p) for p in parts)
    return re.compile(f"(?=({body}))")


def _matches(actual: str, value: str) -> bool:
    """True when ``actual`` equals ``value`` up to the length of whitespace runs."""
    return actual == value or re.sub(r"\s+", " ", actual) == re.sub(r"\s+", " ", value) \
        and (actual.strip() == actual) == (value.strip() == value)


NEAR = 64


def anchor(offsets: _Offsets, start: int, end: int, value: str) -> tuple[int, int, str | None]:
    """Where a region really is: ``(start, end, how)`` with ``how`` None when the
    offsets were right; raises ValueError(check, message) when it cannot be said
    unambiguously."""
    text = offsets.text
    if 0 <= start < end <= len(text) and text[start:end] == value:
        return start, end, None
    found: dict[tuple[int, int], str] = {}
    for s, e, how in offsets.candidates(start, end):
        if _matches(text[s:e], value):
            found.setdefault((s, e), how)
    if len(found) == 1:
        (s, e), how = next(iter(found.items()))
        return s, e, how
    if len(found) > 1:
        raise ValueError("ls-offset-ambiguous", "offsets fit the text in several readings: "
                         + ", ".join(f"[{s}, {e})" for s, e in sorted(found)))
    # search for the text itself near the offsets, whitespace runs matching any run
    centres = {start}
    for s, _, _ in offsets.candidates(start, end):
        centres.add(s)
    lo, hi = max(0, min(centres) - NEAR), max(centres) + NEAR
    hits = set()
    if value.strip():
        for m in _ws_pattern(value).finditer(text, lo):
            if m.start() > hi:
                break
            hits.add((m.start(1), m.end(1)))
    if len(hits) == 1:
        s, e = hits.pop()
        return s, e, "the text found near the offsets"
    actual = text[start:end] if 0 <= start < end <= len(text) else None
    if hits:
        raise ValueError("ls-offset-ambiguous",
                         f"value.text occurs {len(hits)} times near [{start}, {end}) "
                         f"({', '.join(f'[{s}, {e})' for s, e in sorted(hits))}); "
                         "cannot tell which one was meant")
    where = f"text[{start}:{end}] = {actual!r}" if actual is not None else \
        f"[{start}, {end}) is outside the text (length {len(text)})"
    raise ValueError("ls-offset-mismatch",
                     f"value.text does not match the document ({where}), neither as UTF-16 "
                     "offsets nor with collapsed whitespace, and is not found near the offsets")


# --- import ----------------------------------------------------------------------------------

@dataclass
class _Region:
    rid: str
    ptr: str
    control: str | None = None
    label: str | None = None
    start: int = 0
    end: int = 0
    text: str = ""
    attrs: dict[str, list[str]] = field(default_factory=dict)
    attr_ptrs: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        if self.control == MENTION:
            return "mention"
        if self.control == EVENT:
            return "event"
        if self.control == QUOTE:
            return "content" if self.label == CONTENT else "cue"
        return None


@dataclass
class ImportResult:
    sets: dict[str, AnnotationSet]
    sources: dict[str, AnnotationSet]
    source_versions: dict[str, str]
    notes: list[str]
    changes: list[dict]
    written: list[Path]

    @property
    def source_name(self) -> str:
        versions = sorted(set(self.source_versions.values()))
        return "exported " + (", ".join(versions) if versions else "(nothing)")


def _timestamp(value: Any) -> tuple:
    if isinstance(value, str):
        try:
            return (1, _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp(), value)
        except ValueError:
            return (0, 0.0, value)
    return (0, 0.0, "")


def _who(completed_by: Any, users: dict[int, str] | None) -> str:
    if isinstance(completed_by, dict):
        for key in ("email", "username"):
            if completed_by.get(key):
                return str(completed_by[key])
        if completed_by.get("id") is not None:
            completed_by = completed_by["id"]
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        if users and completed_by in users:
            return users[completed_by]
        return f"label-studio-user-{completed_by}"
    if isinstance(completed_by, str) and completed_by:
        return completed_by
    return "label-studio-unknown-user"


def choose_annotation(annotations: list) -> tuple[dict | None, list[dict], int]:
    """The policy for several annotations per task: the most recently updated
    (``updated_at``, else ``created_at``) annotation that was not cancelled wins.
    Returns (chosen, ignored, cancelled count)."""
    live = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    cancelled = sum(1 for a in annotations if isinstance(a, dict) and a.get("was_cancelled"))
    if not live:
        return None, [], cancelled
    key = (lambda a: (_timestamp(a.get("updated_at") or a.get("created_at")),
                      _timestamp(a.get("created_at")),
                      a.get("id") if isinstance(a.get("id"), int) else 0))
    ordered = sorted(live, key=key, reverse=True)
    return ordered[0], ordered[1:], cancelled


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _next_id(prefix: str, taken: set[str]) -> str:
    highest = 0
    for ident in taken:
        head, number, _ = _idkey(ident)
        if head == prefix and number > highest:
            highest = number
    ident = f"{prefix}{highest + 1}"
    taken.add(ident)
    return ident


def _known_ids(layout: Layout, doc_id: str, source: AnnotationSet) -> set[str]:
    """Every id this document has used in the source, the draft and the releases: new
    annotations never reuse one."""
    taken = set(source.by_id())
    paths = [layout.draft / f"{doc_id}.json"]
    if layout.releases.is_dir():
        paths += sorted(layout.releases.glob(f"*/{doc_id}.json"))
    for path in paths:
        try:
            data = read_json(path)
        except CorpusError:
            continue
        if isinstance(data, dict):
            for layer in LAYERS:
                for item in data.get(layer) or []:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        taken.add(item["id"])
    return taken


class _TaskReader:
    """Turns the chosen annotation of one task into an AnnotationSet."""

    def __init__(self, layout: Layout, inventory: Inventory, shown: str, tptr: str,
                 where: str, doc: Document, source: AnnotationSet, annotation: dict,
                 aptr: str, provenance: Provenance):
        self.layout, self.inventory, self.shown = layout, inventory, shown
        self.tptr, self.where, self.doc, self.source = tptr, where, doc, source
        self.annotation, self.aptr, self.provenance = annotation, aptr, provenance
        self.problems: list[Problem] = []
        self.anchored: list[tuple[str, int, int, int, int, str]] = []
        self.notes: list[str] = []
        self.region_of: dict[str, str] = {}  # annotation id -> Label Studio region id
        self.allowed = _choices_of(inventory)

    def problem(self, ptr: str, check: str, message: str, text: str | None = None) -> None:
        self.problems.append(Problem(self.shown, ptr, registered(check), f"{self.where}: {message}", text))

    # -- regions

    def read_regions(self) -> tuple[dict[str, _Region], list[tuple[str, dict]]]:
        result = self.annotation.get("result")
        rptr = f"{self.aptr}/result"
        if not isinstance(result, list):
            self.problem(rptr, "ls-format", "the annotation has no result list")
            return {}, []
        regions: dict[str, _Region] = {}
        relations = []
        for j, item in enumerate(result):
            ptr = f"{rptr}/{j}"
            if not isinstance(item, dict):
                self.problem(ptr, "ls-format", "a result item must be an object")
                continue
            if item.get("type") == "relation":
                relations.append((ptr, item))
                continue
            control, to_name, kind = item.get("from_name"), item.get("to_name"), item.get("type")
            if control not in LABEL_CONTROLS + CHOICE_CONTROLS or to_name != OBJECT:
                self.problem(ptr, "ls-wrong-interface",
                             f"result for control {control!r} on {to_name!r}: not a control of the "
                             "generated labeling interface (export from another project or interface?)")
                continue
            expected = "labels" if control in LABEL_CONTROLS else "choices"
            if kind != expected:
                self.problem(ptr, "ls-wrong-interface",
                             f"control {control!r} gives results of type {expected!r}, found {kind!r}")
                continue
            rid, value = item.get("id"), item.get("value")
            if not isinstance(rid, str) or not rid or not isinstance(value, dict):
                self.problem(ptr, "ls-format", "a region needs a string id and a value object")
                continue
            region = regions.setdefault(rid, _Region(rid, ptr))
            if expected == "labels":
                if region.control is not None:
                    self.problem(ptr, "ls-region-conflict",
                                 f"region {rid} is labelled twice ({region.control} and {control}); "
                                 "one region holds one annotation: draw a second region", rid)
                    continue
                labels = value.get("labels")
                if not isinstance(labels, list) or len(labels) != 1:
                    self.problem(ptr + "/value/labels", "ls-missing-label",
                                 f"region {rid} must have exactly one {control} label, found "
                                 f"{labels if isinstance(labels, list) else 'none'}", value.get("text"))
                    region.control = "?"
                    continue
                label = labels[0]
                if label not in self.allowed[control]:
                    self.problem(ptr + "/value/labels/0", "ls-unknown-label",
                                 f"region {rid}: label not in the {control} labels of the inventory "
                                 f"({', '.join(self.allowed[control])})", str(label))
                    region.control = "?"
                    continue
                start, end, text = value.get("start"), value.get("end"), value.get("text")
                if not (_is_int(start) and _is_int(end)) or not isinstance(text, str):
                    self.problem(ptr + "/value", "ls-format",
                                 f"region {rid} needs integer start and end and its text")
                    region.control = "?"
                    continue
                region.ptr, region.control, region.label = ptr, control, label
                region.start, region.end, region.text = start, end, text
            else:
                values = value.get("choices")
                if not isinstance(values, list):
                    self.problem(ptr + "/value", "ls-format", f"region {rid}: {control} has no choices list")
                    continue
                bad = [v for v in values if v not in self.allowed[control]]
                if bad:
                    self.problem(ptr + "/value/choices", "ls-unknown-label",
                                 f"region {rid}: {control} value not in the inventory "
                                 f"({', '.join(self.allowed[control])})", str(bad[0]))
                    continue
                region.attrs.setdefault(control, []).extend(values)
                region.attr_ptrs[control] = ptr
        for rid, region in regions.items():
            if region.control is None:
                self.problem(region.ptr, "ls-missing-label",
                             f"region {rid} has attributes ({', '.join(region.attrs)}) but no label", rid)
        return regions, relations

    def anchor_regions(self, regions: dict[str, _Region]) -> None:
        offsets = _Offsets(self.doc.text)
        for region in regions.values():
            if region.kind is None:
                continue
            try:
                s, e, how = anchor(offsets, region.start, region.end, region.text)
            except ValueError as exc:
                check, message = exc.args
                self.problem(region.ptr + "/value", check, f"region {region.rid} "
                             f"[{region.start}, {region.end}): {message}", region.text)
                region.control = "?"
                continue
            if how is not None:
                self.anchored.append((region.rid, region.start, region.end, s, e, how))
                region.start, region.end = s, e
            region.text = self.doc.text[region.start:region.end]

    def check_attributes(self, regions: dict[str, _Region]) -> None:
        for rid, region in regions.items():
            kind = region.kind
            if kind is None:
                continue
            wanted = ATTRIBUTES[kind]
            for control, values in region.attrs.items():
                if control not in wanted:
                    self.problem(region.attr_ptrs[control], "ls-missing-attribute",
                                 f"region {rid} is a {kind} region and takes no {control}", region.text)
            for control in wanted:
                values = region.attrs.get(control, [])
                if len(values) != 1:
                    self.problem(region.attr_ptrs.get(control, region.ptr), "ls-missing-attribute",
                                 f"{kind} region {rid} needs exactly one {control}, found "
                                 f"{', '.join(values) if values else 'none'}", region.text)

    # -- relations

    def read_relations(self, regions: dict[str, _Region], relations: list[tuple[str, dict]]):
        roles = set(self.inventory.labels("argument_roles"))
        known = set(relation_labels(self.inventory))
        coref: list[tuple[str, str]] = []
        args: dict[str, list[tuple[str, str]]] = {}
        speaker: dict[str, list[tuple[str, str]]] = {}
        cue: dict[str, list[tuple[str, str]]] = {}
        for ptr, rel in relations:
            a, b = rel.get("from_id"), rel.get("to_id")
            missing = [x for x in (a, b) if x not in regions]
            if missing:
                self.problem(ptr, "ls-dangling-relation",
                             f"relation {a!r} -> {b!r} refers to a region that is not in the annotation",
                             str(missing[0]))
                continue
            ra, rb = regions[a], regions[b]
            if ra.kind is None or rb.kind is None:
                continue  # already reported
            labels = rel.get("labels") or []
            if not isinstance(labels, list) or len(labels) > 1:
                self.problem(ptr + "/labels", "ls-relation-invalid",
                             f"relation {a} -> {b} has several labels; give it one", str(labels))
                continue
            label = labels[0] if labels else None
            if label is not None and label not in known:
                self.problem(ptr + "/labels/0", "ls-unknown-label",
                             f"relation {a} -> {b}: label not among the relations of the interface "
                             f"({', '.join(sorted(known))})", str(label))
                continue
            kinds = {ra.kind: ra, rb.kind: rb}
            pair = frozenset((ra.kind, rb.kind))
            desc = f"relation {a} ({ra.kind} {ra.text!r}) -> {b} ({rb.kind} {rb.text!r})"
            if pair == {"mention"} and label in (None, COREF_REL):
                coref.append((a, b))
            elif pair == {"event", "mention"} and label in roles:
                args.setdefault(kinds["event"].rid, []).append((label, kinds["mention"].rid))
            elif pair == {"event", "mention"} and label is None:
                self.problem(ptr, "ls-relation-invalid", f"{desc} needs a role label")
            elif pair == {"content", "mention"} and label in (None, SPEAKER_REL):
                speaker.setdefault(kinds["content"].rid, []).append((ptr, kinds["mention"].rid))
            elif pair == {"content", "cue"} and label in (None, CUE_REL):
                cue.setdefault(kinds["content"].rid, []).append((ptr, kinds["cue"].rid))
            else:
                self.problem(ptr, "ls-relation-invalid",
                             f"{desc}: a {label or 'unlabelled'} relation cannot link these regions "
                             "(roles link an event trigger and a mention, speaker a quote and a mention, "
                             "cue a quote and a cue, coref two mentions)", label)
        for name, table in (("speaker", speaker), ("cue", cue)):
            for qid, links in table.items():
                targets = sorted({t for _, t in links})
                if len(targets) > 1:
                    self.problem(links[1][0], "ls-relation-invalid",
                                 f"quote region {qid} has {len(targets)} {name} relations "
                                 f"({', '.join(targets)}); a quote has one {name}", regions[qid].text)
        linked_cues = {t for links in cue.values() for _, t in links}
        for rid, region in regions.items():
            if region.kind == "cue" and rid not in linked_cues:
                self.problem(region.ptr, "ls-orphan-cue",
                             f"cue region {rid} is linked to no quote: add a 'cue' relation from the "
                             "quote content, or delete the region", region.text)
        return coref, args, {q: links[0][1] for q, links in speaker.items()}, \
            {q: links[0][1] for q, links in cue.items()}

    # -- the annotation set

    def build(self, taken: set[str], prior: AnnotationSet | None = None) -> AnnotationSet | None:
        """``prior``: the current draft of the document. A region drawn in Label Studio
        that an earlier import already turned into an annotation (same layer, same span,
        an id the source does not have) keeps that annotation's id, so that pulling
        twice never renumbers anything."""
        regions, relations = self.read_regions()
        if self.problems:
            return None
        self.anchor_regions(regions)
        self.check_attributes(regions)
        coref, args, speakers, cues = self.read_relations(regions, relations)
        if self.problems:
            return None
        src = self.source
        src_ids = {layer: {i.id for i in getattr(src, layer)} for layer in LAYERS}

        # ids: a region keeps its id when it is an annotation of the same layer in the
        # source; any other region (drawn in Label Studio) gets the next free id
        ids: dict[str, str] = {}
        ordered = sorted(regions.values(), key=lambda r: (r.start, r.end, _idkey(r.rid)))
        for kind, layer, prefix in (("mention", "mentions", "m"), ("event", "events", "ev"),
                                    ("content", "quotes", "q")):
            for r in ordered:
                if r.kind == kind and r.rid in src_ids[layer]:
                    ids[r.rid] = r.rid
            earlier = {}
            for item in getattr(prior, layer) if prior is not None else ():
                span = item.trigger if layer == "events" else item.content if layer == "quotes" else item
                if item.id not in src_ids[layer] and (span.start, span.end) not in earlier:
                    earlier[(span.start, span.end)] = item.id
            for r in ordered:
                if r.kind == kind and r.rid not in ids:
                    reuse = earlier.pop((r.start, r.end), None)
                    ids[r.rid] = reuse if reuse is not None and reuse not in ids.values() \
                        else _next_id(prefix, taken)
        for rid, new in ids.items():
            self.region_of[new] = rid

        mentions = {ids[r.rid]: r for r in ordered if r.kind == "mention"}
        entity_of = self.entities(mentions, coref, taken, prior)
        if self.problems:
            return None
        prov = self.provenance
        new_mentions = [Mention(mid, r.start, r.end, r.text, r.label, r.attrs[MENTION_KIND][0],
                                entity_of[mid], prov) for mid, r in mentions.items()]
        src_events = {v.id: v for v in src.events}
        new_events = []
        for r in ordered:
            if r.kind != "event":
                continue
            vid = ids[r.rid]
            got = []
            for role, mrid in args.get(r.rid, []):
                arg = Argument(role, ids[mrid])
                if arg not in got:
                    got.append(arg)
            old = src_events.get(vid)
            if old is not None:  # keep the stored order of the arguments that remain
                got = [a for a in old.arguments if a in got] + [a for a in got if a not in old.arguments]
            new_events.append(Event(vid, r.label, Span(r.start, r.end, r.text), tuple(got),
                                    r.attrs[REALIS][0], r.attrs[POLARITY][0], prov))
        new_quotes = []
        for r in ordered:
            if r.kind != "content":
                continue
            cue_region = regions[cues[r.rid]] if r.rid in cues else None
            new_quotes.append(Quote(
                ids[r.rid], r.attrs[QUOTE_KIND][0], Span(r.start, r.end, r.text),
                Span(cue_region.start, cue_region.end, cue_region.text) if cue_region else None,
                ids[speakers[r.rid]] if r.rid in speakers else None, prov))
        entities = self.entity_list
        result = AnnotationSet(src.document_id, self.doc.text_sha256, "draft", entities, new_mentions,
                               new_events, new_quotes, src.schema_version)
        return _keep_provenance(result, src, self.provenance)

    def entities(self, mentions: dict[str, _Region], coref: list[tuple[str, str]],
                 taken: set[str], prior: AnnotationSet | None = None) -> dict[str, str]:
        """Coreference clusters -> entities, keeping entity ids stable."""
        parent = {m: m for m in mentions}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        rid_to_id = {r.rid: mid for mid, r in mentions.items()}
        for a, b in coref:
            ra, rb = find(rid_to_id[a]), find(rid_to_id[b])
            if ra != rb:
                parent[ra] = rb
        clusters: dict[str, list[str]] = {}
        for mid in sorted(mentions, key=lambda m: (mentions[m].start, mentions[m].end, _idkey(m))):
            clusters.setdefault(find(mid), []).append(mid)
        clusters_list = list(clusters.values())  # in text order of their first mention

        old_entity = {m.id: m.entity for m in self.source.mentions}
        old_entities = {e.id: e for e in self.source.entities}
        old_size = {}
        for m in self.source.mentions:
            old_size[m.entity] = old_size.get(m.entity, 0) + 1
        pairs = []
        for ci, members in enumerate(clusters_list):
            counts: dict[str, int] = {}
            for mid in members:
                if mid in old_entity:
                    counts[old_entity[mid]] = counts.get(old_entity[mid], 0) + 1
            for eid, n in counts.items():
                pairs.append((-n, ci, _idkey(eid), eid))
        assigned: dict[int, str] = {}
        used: set[str] = set()
        for _, ci, _, eid in sorted(pairs):
            if ci not in assigned and eid not in used:
                assigned[ci] = eid
                used.add(eid)
        # entities an earlier import of this task created (not in the source), by mention
        earlier_entity = {}
        if prior is not None:
            earlier_ids = {e.id for e in prior.entities} - set(old_entities)
            earlier_entity = {m.id: m.entity for m in prior.mentions if m.entity in earlier_ids}
        entity_of: dict[str, str] = {}
        entities = []
        for ci, members in enumerate(clusters_list):
            types = sorted({mentions[m].label for m in members})
            if len(types) > 1:
                detail = ", ".join(f"{self.region_of.get(m, m)} {mentions[m].label} {mentions[m].text!r}"
                                   for m in members)
                self.problem(mentions[members[0]].ptr, "ls-entity-type-conflict",
                             f"coreference links mentions of different types into one entity ({detail}); "
                             "give them one type or remove the coref relation", ", ".join(types))
                continue
            eid = assigned.get(ci)
            if eid is not None:
                old = old_entities[eid]
                entity = Entity(eid, types[0], old.name, self.provenance)
            else:
                names = [m for m in members if mentions[m].attrs[MENTION_KIND][0] == "name"]
                first = names[0] if names else members[0]
                again = sorted({earlier_entity[m] for m in members if m in earlier_entity} - used, key=_idkey)
                eid = again[0] if again else _next_id("e", taken)
                used.add(eid)
                name = prior.entity_index()[eid].name if again else mentions[first].text
                entity = Entity(eid, types[0], name, self.provenance)
                olds = sorted({old_entity[m] for m in members if m in old_entity}, key=_idkey)
                if olds:
                    self.notes.append(f"{self.where}: mentions {', '.join(m for m in members if m in old_entity)} "
                                      f"of entity {', '.join(olds)} now form the new entity {eid} "
                                      f"({entity.name!r}); link them with a coref relation if that is "
                                      "not intended")
            for m in members:
                entity_of[m] = eid
            entities.append(entity)
        for eid in sorted(set(old_entities) - used, key=_idkey):
            into = sorted({entity_of[m] for m in mentions if old_entity.get(m) == eid and m in entity_of},
                          key=_idkey)
            if into:
                self.notes.append(f"{self.where}: entity {eid} ({old_entities[eid].name!r}) was merged into "
                                  f"{', '.join(into)} by coreference")
        self.entity_list = entities
        return entity_of


def _keep_provenance(new: AnnotationSet, source: AnnotationSet, provenance: Provenance) -> AnnotationSet:
    """Unchanged annotations keep their provenance; changed ones keep the version that
    introduced them and get the Label Studio annotator and time; new ones get those."""
    from newscorpus.store.diff import change_status

    old_items = source.by_id()
    out = {}
    for layer in LAYERS:
        items = []
        for item in getattr(new, layer):
            old = old_items.get(item.id)
            status = change_status(old, item)
            if status == "same":
                items.append(replace(item, provenance=old.provenance))
            elif status == "changed":
                items.append(replace(item, provenance=replace(
                    provenance, introduced_in=old.provenance.introduced_in, changed_in=None)))
            else:
                items.append(replace(item, provenance=provenance))
        out[layer] = items
    return replace(new, **out)


def _draft_now(layout: Layout, doc_id: str, text_sha256: str) -> tuple[AnnotationSet | None, bool]:
    """The current draft of a document (None if there is none) and whether it could be read."""
    path = layout.draft / f"{doc_id}.json"
    if not path.exists():
        return None, True
    try:
        current = AnnotationSet.from_dict(read_json(path))
    except (CorpusError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None, False
    return (current if current.text_sha256 == text_sha256 else None), True


def unpulled_changes(source: AnnotationSet, current: AnnotationSet, new: AnnotationSet) -> list[str]:
    """Changes the draft has against the exported source that did not come from Label
    Studio and that the imported annotation does not have: what an import would lose."""
    from newscorpus.store.diff import content_key

    def key(item) -> str | None:
        return None if item is None else type(item).__name__ + json.dumps(content_key(item), sort_keys=True)

    layer_of = {Entity: "entities", Mention: "mentions", Event: "events", Quote: "quotes"}
    src, cur, got = source.by_id(), current.by_id(), new.by_id()
    lost = []
    for ident in sorted(set(src) | set(cur), key=_idkey):
        before, now = src.get(ident), cur.get(ident)
        if key(before) == key(now) or key(got.get(ident)) == key(now):
            continue
        if now is not None and (now.provenance.tool or "").startswith(TOOL):
            continue  # an earlier import from Label Studio: superseded by this one
        layer = layer_of[type(now if now is not None else before)]
        lost.append(f"{layer}/{ident} {'removed' if now is None else 'added' if before is None else 'changed'}")
    return lost


def _enrich(problem: Problem, shown_task: str, region_of: dict[str, str], data: dict) -> Problem:
    """Point a validator problem on the imported set back at the Label Studio region."""
    parts = problem.location.split("/")
    extra = ""
    if len(parts) >= 3 and parts[1] in LAYERS and parts[2].isdigit():
        items = data.get(parts[1]) or []
        index = int(parts[2])
        if index < len(items) and isinstance(items[index], dict):
            ident = items[index].get("id")
            region = region_of.get(ident) if parts[1] != "entities" else None
            if region == ident:
                extra = f" ({shown_task}, region {ident})"
            elif region:
                extra = f" ({shown_task}, {parts[1][:-1]} {ident}, drawn as region {region})"
            else:
                extra = f" ({shown_task}, {parts[1][:-1]} {ident})"
    if not extra:
        extra = f" ({shown_task})"
    return replace(problem, message=problem.message + extra)


def import_tasks(layout: Layout, tasks: Any, shown: str, dry_run: bool = False,
                 users: dict[int, str] | None = None, force: bool = False) -> ImportResult:
    """Import Label Studio's JSON export (the list of tasks with their annotations)
    into the draft. Everything is checked first; the draft is written (atomically,
    file by file) only when there is no problem. A draft file that has changes of its
    own since the export (not from Label Studio) is only replaced with ``force``."""
    from newscorpus.store.diff import diff_sets
    from newscorpus.rules.validation import check_annotation

    if not isinstance(tasks, list):
        raise CorpusError(Problem(shown, "", "ls-format",
                                  "not a Label Studio JSON export: expected a list of tasks, found "
                                  f"{type(tasks).__name__}"))
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    docs_raw = _documents_raw(layout)
    problems: list[Problem] = []
    notes: list[str] = []
    sets: dict[str, AnnotationSet] = {}
    sources: dict[str, AnnotationSet] = {}
    versions: dict[str, str] = {}
    readers: dict[str, _TaskReader] = {}
    priors: dict[str, tuple[AnnotationSet | None, bool]] = {}
    seen: dict[str, str] = {}

    for i, task in enumerate(tasks):
        tptr = f"/{i}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.append(Problem(shown, tptr, "ls-format",
                                    "not a Label Studio JSON export: each task needs a data object "
                                    "(export with the JSON format, not JSON-MIN or CSV)"))
            continue
        tid = task.get("id", i)
        data = task["data"]
        block = data.get("newscorpus")
        if not isinstance(block, dict) or block.get("format") != FORMAT:
            problems.append(Problem(shown, tptr + "/data", "ls-wrong-interface",
                                    f"task {tid} was not exported by 'newscorpus labelstudio' (no "
                                    f"data.newscorpus block of format {FORMAT}): an export from another "
                                    "project or labeling interface?"))
            continue
        doc_id = block.get("document_id")
        where = f"task {tid} ({doc_id})"
        if doc_id not in docs_raw:
            problems.append(Problem(shown, tptr + "/data/newscorpus/document_id", "ls-unknown-document",
                                    f"task {tid}: no document with this id in corpus/documents", str(doc_id)))
            continue
        if doc_id in seen:
            problems.append(Problem(shown, tptr, "ls-duplicate-document",
                                    f"{where}: the export has a second task for this document "
                                    f"(first: task {seen[doc_id]})", doc_id))
            continue
        seen[doc_id] = str(tid)
        doc = Document.from_dict(docs_raw[doc_id])
        if block.get("text_sha256") != doc.text_sha256 or data.get("text") != doc.text:
            problems.append(Problem(shown, tptr + "/data/newscorpus/text_sha256", "ls-text-changed",
                                    f"{where}: the document text changed since the task was exported "
                                    f"(corpus text sha256 {doc.text_sha256[:12]}..., task "
                                    f"{str(block.get('text_sha256'))[:12]}...); its offsets mean nothing "
                                    "on the new text: export and annotate again", doc_id))
            continue
        if block.get("inventory_sha256") != inventory.sha256:
            problems.append(Problem(shown, tptr + "/data/newscorpus/inventory_sha256", "ls-wrong-interface",
                                    f"{where}: exported with another label inventory (sha256 "
                                    f"{str(block.get('inventory_sha256'))[:12]}..., now "
                                    f"{inventory.sha256[:12]}...): push the tasks again"))
            continue
        try:
            source = _unpack_source(block["source"])
        except (KeyError, TypeError, IndexError, ValueError):
            problems.append(Problem(shown, tptr + "/data/newscorpus/source", "ls-format",
                                    f"{where}: the exported source annotations are missing or damaged"))
            continue
        annotations = task.get("annotations")
        if not isinstance(annotations, list):
            problems.append(Problem(shown, tptr, "ls-format",
                                    f"{where}: no 'annotations' list (is this a Label Studio JSON export?)"))
            continue
        chosen, ignored, cancelled = choose_annotation(annotations)
        if chosen is None:
            notes.append(f"{where}: no annotation to import"
                         + (f" ({cancelled} cancelled)" if cancelled else "") + "; left as it is")
            continue
        if ignored or cancelled:
            def desc(a):
                return (f"annotation {a.get('id')} by {_who(a.get('completed_by'), users)} "
                        f"(updated {a.get('updated_at') or a.get('created_at')})")
            notes.append(f"{where}: {len(annotations)} annotations; imported the most recently updated "
                         f"non-cancelled one, {desc(chosen)}"
                         + (f"; ignored {', '.join(desc(a) for a in ignored)}" if ignored else "")
                         + (f"; {cancelled} cancelled" if cancelled else ""))
        aindex = annotations.index(chosen)
        when = chosen.get("updated_at") or chosen.get("created_at")
        tool = TOOL + " (" + ", ".join(x for x in (
            f"project {task['project']}" if task.get("project") is not None else "",
            f"task {tid}", f"annotation {chosen.get('id')}") if x) + ")"
        provenance = Provenance(_who(chosen.get("completed_by"), users), tool,
                                when if isinstance(when, str) else None, None, None)
        reader = _TaskReader(layout, inventory, shown, tptr, where, doc, source, chosen,
                             f"{tptr}/annotations/{aindex}", provenance)
        prior, readable = _draft_now(layout, doc_id, doc.text_sha256)
        priors[doc_id] = (prior, readable)
        new = reader.build(_known_ids(layout, doc_id, source), prior)
        problems += reader.problems
        notes += reader.notes
        if reader.anchored:
            kinds: dict[str, list[str]] = {}
            for rid, s0, e0, s1, e1, how in reader.anchored:
                kinds.setdefault(how, []).append(f"{rid} [{s0},{e0})->[{s1},{e1})")
            for how, items in kinds.items():
                notes.append(f"{where}: re-anchored {len(items)} region(s) given as {how}: "
                             + ", ".join(items[:5]) + (" ..." if len(items) > 5 else ""))
        if new is None:
            continue
        sets[doc_id], sources[doc_id], versions[doc_id] = new, source, source.version
        readers[doc_id] = reader

    if problems:
        raise CorpusError(problems)
    for doc_id, ann in sorted(sets.items()):
        data = ann.to_dict()
        path = layout.draft / f"{doc_id}.json"
        found = check_annotation(data, layout.rel(path), inventory, docs_raw, "draft", doc_id)
        reader = readers[doc_id]
        problems += [_enrich(p, f"from Label Studio {reader.where}", reader.region_of, data) for p in found]
    if problems:
        raise CorpusError(problems)
    for doc_id, ann in sorted(sets.items()):
        prior, readable = priors[doc_id]
        shown_draft = layout.rel(layout.draft / f"{doc_id}.json")
        where = readers[doc_id].where
        hint = ("keep them (release them, or push the draft and annotate from there), or pass --force "
                "to replace the draft file with what Label Studio has")
        if force:
            continue
        if not readable:
            problems.append(Problem(shown_draft, "", "ls-draft-changed",
                                    f"{where}: the draft file cannot be read, so its own changes cannot be "
                                    f"checked; {hint}"))
        elif prior is not None:
            lost = unpulled_changes(sources[doc_id], prior, ann)
            if lost:
                problems.append(Problem(shown_draft, "", "ls-draft-changed",
                                        f"{where}: the draft has {len(lost)} change(s) against the exported "
                                        f"{sources[doc_id].version} that are not in Label Studio and would be "
                                        f"lost ({', '.join(lost[:6])}{', ...' if len(lost) > 6 else ''}); "
                                        + hint))
    if problems:
        raise CorpusError(problems)

    old = {d: replace(s, version="draft") for d, s in sources.items()}
    changes = diff_sets(old, sets)
    written = []
    if not dry_run:
        for doc_id, ann in sorted(sets.items()):
            path = layout.draft / f"{doc_id}.json"
            write_json(path, ann.to_dict())
            written.append(path)
    return ImportResult(sets, sources, versions, notes, changes, written)


def _read_export(path: Path, shown: str) -> Any:
    """read_json, with a file cut inside a string (a download that stopped half way)
    reported as json-truncated too, not as a syntax error."""
    try:
        return read_json(path, shown)
    except CorpusError as exc:
        if len(exc.problems) == 1 and exc.problems[0].check == "json-syntax" \
                and exc.problems[0].message.startswith("Unterminated string"):
            text = Path(path).read_bytes().decode("utf-8")
            try:
                json.loads(text)
            except json.JSONDecodeError as err:
                if not re.search(r'(?<!\\)(?:\\\\)*"', text[err.pos + 1:]):
                    p = exc.problems[0]
                    raise CorpusError(replace(p, check="json-truncated",
                                              message=f"file ends before the JSON is complete ({err.msg})")) \
                        from None
        raise


def import_file(layout: Layout, path: Path, dry_run: bool = False, force: bool = False) -> ImportResult:
    path = Path(path)
    shown = layout.rel(path)
    return import_tasks(layout, _read_export(path, shown), shown, dry_run, force=force)


# --- live sync ------------------------------------------------------------------------------

def _token() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise CorpusError(Problem("", "", "ls-no-token",
                                  f"set {TOKEN_ENV} to your Label Studio access token (Account & Settings "
                                  "in Label Studio); it is read from the environment only"))
    return token


def connect(url: str):
    """A label_studio_sdk client for ``url``; the token comes from the environment."""
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=url.rstrip("/"), api_key=_token(), timeout=120)


class _Api:
    """Calls into the SDK with errors turned into CorpusError (the token never shown)."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.client = connect(self.url)

    def __call__(self, what: str, func, *args, missing_ok: bool = False, **kwargs):
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        try:
            return func(*args, **kwargs)
        except ApiError as exc:
            if missing_ok and exc.status_code == 404:
                return None
            body = exc.body if isinstance(exc.body, str) else json.dumps(exc.body, ensure_ascii=False)
            if len(body) > 400:
                body = body[:397] + "..."
            hint = " (check LABEL_STUDIO_API_KEY)" if exc.status_code in (401, 403) else ""
            raise CorpusError(Problem(self.url, "", "ls-api",
                                      f"{what} failed: HTTP {exc.status_code}{hint}", body)) from None
        except (httpx.HTTPError, OSError) as exc:
            raise CorpusError(Problem(self.url, "", "ls-connection",
                                      f"{what}: cannot reach Label Studio ({type(exc).__name__}: {exc}); "
                                      "is it running? (label-studio start)")) from None


def _state_path(layout: Layout) -> Path:
    return layout.root / STATE_FILE


def _read_state(layout: Layout) -> list[dict]:
    path = _state_path(layout)
    if not path.exists():
        return []
    data = read_json(path, layout.rel(path))
    return [p for p in (data.get("projects") if isinstance(data, dict) else None) or [] if isinstance(p, dict)]


def _record_project(layout: Layout, url: str, title: str, project_id: int, version: str) -> None:
    entries = [p for p in _read_state(layout)
               if not (p.get("url") == url and (p.get("title") == title or p.get("id") == project_id))]
    entries.append({"url": url, "title": title, "id": project_id, "version": version,
                    "pushed": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()})
    write_json(_state_path(layout), {"projects": sorted(entries, key=lambda p: (p["url"], p["title"]))})


def _find_project(api: _Api, layout: Layout, title: str, project_id: int | None):
    """The project: by id, else by the recorded id for (url, title), else by title."""
    if project_id is not None:
        return api(f"reading project {project_id}", api.client.projects.get, id=project_id)
    for entry in _read_state(layout):
        if entry.get("url") == api.url and entry.get("title") == title and isinstance(entry.get("id"), int):
            project = api(f"reading project {entry['id']}", api.client.projects.get, id=entry["id"],
                          missing_ok=True)
            if project is not None and project.title == title:
                return project
            break
    found = [p for p in api("listing projects", lambda: list(api.client.projects.list())) if p.title == title]
    if len(found) > 1:
        raise CorpusError(Problem(api.url, "", "ls-project-ambiguous",
                                  f"{len(found)} projects are titled {title!r} (ids "
                                  f"{', '.join(str(p.id) for p in found)}); pass --project-id", title))
    return found[0] if found else None


def _task_list(api: _Api, project_id: int) -> list:
    return api("listing tasks", lambda: list(api.client.tasks.list(project=project_id, fields="all")))


def _fingerprint(task_data: dict) -> str:
    block = task_data.get("newscorpus") or {}
    return hashlib.sha256(json.dumps([task_data.get("text"), block], sort_keys=True,
                                     ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class PushResult:
    project_id: int
    title: str
    url: str
    created_project: bool
    config_updated: bool
    created: list[str]
    replaced: list[str]
    unchanged: list[str]
    version: str


def push(layout: Layout, url: str, title: str = DEFAULT_PROJECT_TITLE, project_id: int | None = None,
         version: str | None = "latest", documents: list[str] | None = None,
         force: bool = False) -> PushResult:
    """Create or update the project with the generated interface and import one task per
    document with its annotations as predictions. A task that annotators already worked
    on is only replaced with ``force``."""
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    config = labeling_config(inventory)
    export = export_tasks(layout, version, documents)
    api = _Api(url)
    project = _find_project(api, layout, title, project_id)
    created_project = config_updated = False
    description = (f"Generated by newscorpus from the corpus annotations (version {export.version}). "
                   "Pull the annotations back with 'newscorpus labelstudio pull'.")
    if project is None:
        project = api("creating the project", api.client.projects.create, title=title, label_config=config,
                      description=description, show_collab_predictions=True, model_version=MODEL_VERSION)
        created_project = True
        existing = []
    else:
        if _normal_xml(project.label_config) != _normal_xml(config):
            api("updating the labeling interface", api.client.projects.update, id=project.id,
                label_config=config, show_collab_predictions=True, model_version=MODEL_VERSION)
            config_updated = True
        existing = _task_list(api, project.id)
    by_doc: dict[str, Any] = {}
    for task in existing:
        data = task.data or {}
        block = data.get("newscorpus") if isinstance(data, dict) else None
        if isinstance(block, dict) and block.get("document_id"):
            by_doc.setdefault(block["document_id"], []).append(task)
    to_create, replaced, unchanged, conflicts, to_delete = [], [], [], [], []
    for task in export.tasks:
        doc_id = task["data"]["document_id"]
        olds = by_doc.get(doc_id, [])
        if not olds:
            to_create.append(task)
            continue
        if len(olds) == 1 and _fingerprint(olds[0].data) == _fingerprint(task["data"]):
            unchanged.append(doc_id)
            continue
        worked = [t for t in olds if (t.total_annotations or 0) + (t.cancelled_annotations or 0) > 0]
        if worked and not force:
            conflicts.append(Problem(api.url, f"project {project.id}, task {worked[0].id}", "ls-push-conflict",
                                     f"document {doc_id} has a task with annotations that differs from "
                                     f"the export of {export.version}; pull the annotations first, or "
                                     "pass --force to replace the task (its annotations are deleted)", doc_id))
            continue
        to_delete += olds
        to_create.append(task)
        replaced.append(doc_id)
    if conflicts:
        raise CorpusError(conflicts)
    for task in to_delete:
        api(f"deleting task {task.id}", api.client.tasks.delete, id=str(task.id))
    if to_create:
        api("importing the tasks", api.client.projects.import_tasks, id=project.id, request=to_create,
            return_task_ids=True)
    _record_project(layout, api.url, project.title, project.id, export.version)
    created = [t["data"]["document_id"] for t in to_create if t["data"]["document_id"] not in replaced]
    return PushResult(project.id, project.title, api.url, created_project, config_updated,
                      created, replaced, unchanged, export.version)


@dataclass
class PullResult:
    project_id: int
    title: str
    url: str
    tasks: int
    imported: ImportResult
    saved: Path | None


def _users(api: _Api) -> dict[int, str]:
    try:
        users = api("listing users", api.client.users.list)
    except CorpusError:
        return {}
    return {u.id: (u.email or u.username or f"label-studio-user-{u.id}") for u in users}


def pull(layout: Layout, url: str, title: str = DEFAULT_PROJECT_TITLE, project_id: int | None = None,
         save: Path | None = None, dry_run: bool = False, force: bool = False) -> PullResult:
    """Fetch the project's JSON export (tasks with annotations) and import it into the draft."""
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    api = _Api(url)
    project = _find_project(api, layout, title, project_id)
    if project is None:
        raise CorpusError(Problem(api.url, "", "ls-no-project",
                                  f"no project titled {title!r}; push first, or pass --project-id", title))
    shown = f"{api.url} project {project.id}"
    if _normal_xml(project.label_config) != _normal_xml(labeling_config(inventory)):
        raise CorpusError(Problem(shown, "", "ls-wrong-interface",
                                  f"project {project.id} ({project.title!r}) does not use the labeling "
                                  "interface generated from schema/inventory.json: another project, or "
                                  "the inventory changed since the push"))
    raw = b"".join(api("exporting the annotations", lambda: list(api.client.projects.exports.download_sync(
        id=project.id, export_type="JSON", download_all_tasks=False))))
    saved = None
    if save is not None:
        from newscorpus.store.jsonio import atomic_write_text
        save = Path(save)
        atomic_write_text(save, raw.decode("utf-8"))
        saved = save
    try:
        tasks = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(Problem(shown, "", "ls-format", f"the export is not JSON ({exc})")) from None
    result = import_tasks(layout, tasks, shown, dry_run=dry_run, users=_users(api), force=force)
    return PullResult(project.id, project.title, api.url, len(tasks) if isinstance(tasks, list) else 0,
                      result, saved)


def _normal_xml(config: str | None) -> str:
    if not config:
        return ""
    try:
        root = ET.fromstring(config)
    except ET.ParseError:
        return config

    def norm(node) -> list:
        if not isinstance(node.tag, str):
            return []
        return [node.tag, sorted(node.attrib.items()), [norm(c) for c in node if isinstance(c.tag, str)]]

    return json.dumps(norm(root))
