"""The export: one Label Studio task per document, its annotations as a prediction, and
the ``data.newscorpus`` block a lossless import needs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.config import VIEW_HELP
from newscorpus.labelstudio.names import (ALL, CONTENT, COREF_REL, CUE, CUE_REL, ENTITIES_VIEW, ENTITY, EVENT,
                                          EVENTS_VIEW, FORMAT, MENTION, MENTION_KIND, MODEL_VERSION,
                                          NEW_ENTITY, NEW_ENTITY_CHOICES, OBJECT, POLARITY, QUOTE, QUOTE_KIND,
                                          QUOTES_VIEW, REALIS, SPEAKER_REL, VIEW, VIEW_TITLES, VIEWS)
from newscorpus.model import LAYERS, AnnotationSet, Document, Span, _idkey
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.store.jsonio import read_json
from newscorpus.store.paths import Layout


def _pack_source(ann: AnnotationSet) -> dict:
    """The exported annotations, provenance deduplicated into a table (compact task data)."""
    data = ann.to_dict()
    table: list[dict] = []
    index: dict[tuple, int] = {}
    for layer in LAYERS:
        for item in data[layer]:
            key = tuple(sorted(item["provenance"].items()))
            if key not in index:
                index[key] = len(table)
                table.append(item["provenance"])
            item["provenance"] = index[key]
    data["provenance_table"] = table
    return data


def unpack_source(packed: dict) -> AnnotationSet:
    """The annotation set a task's packed source holds (``packed`` is not changed)."""
    table = packed["provenance_table"]
    if not isinstance(table, list):
        raise TypeError("provenance_table")
    data = {key: value for key, value in packed.items() if key != "provenance_table"}
    for layer in LAYERS:
        data[layer] = [{**item, "provenance": _provenance(table, item["provenance"])} for item in packed[layer]]
    return AnnotationSet.from_dict(data)


def _provenance(table: list, index) -> dict:
    # an index, not a bool (True would read as 1) nor a negative number (counted from the end)
    if type(index) is not int or index < 0:
        raise TypeError("provenance index")
    return table[index]


def _region(rid: str, control: str, kind: str, span: Span, values: list[str]) -> dict:
    key = "labels" if kind == "labels" else "choices"
    return {"id": rid, "from_name": control, "to_name": OBJECT, "type": kind,
            "value": {"start": span.start, "end": span.end, "text": span.text, key: values}}


def _relation(a: str, b: str, label: str) -> dict:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label]}


def cue_region_id(quote_id: str) -> str:
    # ':' cannot occur in annotation ids, so a cue region never collides with one
    return f"{quote_id}:cue"


def entity_choice(entity) -> str:
    """The value of an entity in the per-mention Entity choice: its id first (read back),
    then its name and type (for the annotator)."""
    return f"{entity.id}: {entity.name} ({entity.type})"


def entity_choices(ann: AnnotationSet) -> list[dict]:
    """The Entity choices of a document: its entities in id order, then 'new entity N'."""
    values = [entity_choice(e) for e in sorted(ann.entities, key=lambda e: _idkey(e.id))]
    values += [f"{NEW_ENTITY}{n}" for n in range(1, NEW_ENTITY_CHOICES + 1)]
    return [{"value": v} for v in values]


def _mention_regions(ann: AnnotationSet, with_entity: bool, pairs: list | None = None) -> list[dict]:
    """Each mention's label and kind regions (``pairs``: made already, shared by the views
    of a document), with its entity choice in the entities view."""
    pairs = pairs if pairs is not None else _mention_pairs(ann)
    if not with_entity:
        return [region for pair in pairs for region in pair]
    out = []
    names = ann.entity_index()
    for m, pair in zip(ann.mentions, pairs):
        out += pair
        if m.entity in names:
            span = Span(m.start, m.end, m.text)
            out.append(_region(m.id, ENTITY, "choices", span, [entity_choice(names[m.entity])]))
    return out


def _mention_pairs(ann: AnnotationSet) -> list[tuple[dict, dict]]:
    out = []
    for m in ann.mentions:
        span = Span(m.start, m.end, m.text)
        out.append((_region(m.id, MENTION, "labels", span, [m.type]),
                    _region(m.id, MENTION_KIND, "choices", span, [m.kind])))
    return out


def _event_items(ann: AnnotationSet) -> list[dict]:
    out = []
    for v in ann.events:
        out.append(_region(v.id, EVENT, "labels", v.trigger, [v.type]))
        out.append(_region(v.id, REALIS, "choices", v.trigger, [v.realis]))
        out.append(_region(v.id, POLARITY, "choices", v.trigger, [v.polarity]))
    return out + [_relation(v.id, arg.mention, arg.role) for v in ann.events for arg in v.arguments]


def _quote_items(ann: AnnotationSet) -> list[dict]:
    out: list[dict] = []
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
    return out + relations


def _coref_chains(ann: AnnotationSet) -> list[dict]:
    by_entity: dict[str, list[str]] = {}
    for m in ann.mentions:
        by_entity.setdefault(m.entity, []).append(m.id)
    out = []
    for e in ann.entities:
        chain = by_entity.get(e.id, [])
        out += [_relation(a, b, COREF_REL) for a, b in zip(chain, chain[1:])]
    return out


def prediction_result(ann: AnnotationSet, view: str = ALL, shared: dict | None = None) -> list[dict]:
    """The annotations a view shows, as Label Studio result items (regions, per-region
    attributes, relations); region ids are the annotation ids. The entities view gives
    each mention its entity as a per-region choice (no relation arrows); the events view
    holds the triggers, the mentions and the argument relations; the quotes view the
    quotes, their cues, the mentions and the speaker and cue relations. ``ALL`` is the
    single task of format /1: every layer, coreference as relation chains."""
    ann, pairs = (shared["sorted"], shared["mention_pairs"]) if shared else (ann.sorted(), None)
    which = [{"id": VIEW, "from_name": VIEW, "to_name": OBJECT, "type": "choices", "value": {"choices": [view]}}]
    if view == ENTITIES_VIEW:
        return which + _mention_regions(ann, True, pairs)
    if view == EVENTS_VIEW:
        return which + _mention_regions(ann, False, pairs) + _event_items(ann)
    if view == QUOTES_VIEW:
        return which + _mention_regions(ann, False, pairs) + _quote_items(ann)
    items = _mention_regions(ann, False) + _event_items(ann)
    regions = [i for i in items if i["type"] != "relation"]
    arguments = [i for i in items if i["type"] == "relation"]
    quotes = _quote_items(ann)
    return (regions + [i for i in quotes if i["type"] != "relation"] + _coref_chains(ann) + arguments
            + [i for i in quotes if i["type"] == "relation"])


def build_task(doc: Document, ann: AnnotationSet, version: str, inventory: Inventory,
               view: str = ENTITIES_VIEW, shared: dict | None = None) -> dict:
    """The task of one view of a document. ``shared``: the parts every view of the
    document has in common (``shared_parts``), made once for all of them."""
    shared = shared or shared_parts(ann)
    return {
        "data": {
            "text": doc.text,
            "document_id": doc.id,
            "view": view,
            "view_title": f"{doc.id}: {VIEW_TITLES.get(view, 'every layer')}",
            "view_help": VIEW_HELP.get(view, "Every layer in one task (coreference as 'coref' relations)."),
            "entity_choices": shared["entity_choices"],
            "newscorpus": {
                "format": FORMAT,
                "document_id": doc.id,
                "view": view,
                "text_sha256": doc.text_sha256,
                "version": version,
                "inventory_sha256": inventory.sha256,
                "source": shared["source"],
            },
        },
        "predictions": [{"model_version": MODEL_VERSION, "result": prediction_result(ann, view, shared)}],
    }


def shared_parts(ann: AnnotationSet) -> dict:
    """What the tasks of a document's views share, made once: the entity choices, the
    packed source annotations, the sorted set and its mention regions (the same objects
    in each task; a task is only serialized, never changed in place)."""
    ordered = ann.sorted()
    return {"entity_choices": entity_choices(ann), "source": _pack_source(ann), "sorted": ordered,
            "mention_pairs": _mention_pairs(ordered)}


@dataclass
class Export:
    version: str
    tasks: list[dict]


def export_tasks(layout: Layout, version: str | None = "latest",
                 documents: list[str] | None = None, views: tuple[str, ...] = VIEWS) -> Export:
    """The tasks of every document of the corpus for an annotation version, one per view
    (a document without an annotation file in that version gets tasks without
    pre-annotations)."""
    version, tasks = iter_tasks(layout, version, documents, views)
    return Export(version, list(tasks))


def iter_tasks(layout: Layout, version: str | None = "latest", documents: list[str] | None = None,
               views: tuple[str, ...] = VIEWS) -> tuple[str, Iterator[dict]]:
    """``export_tasks`` one task at a time: the files are checked first (from the
    validation cache where nothing changed), then each task is built when asked for,
    so memory does not grow with the corpus."""
    from newscorpus.rules.engine import check_jobs_cached
    from newscorpus.rules.validation import check_annotation, check_document_records, folder_jobs
    from newscorpus.store.cache import Cache
    from newscorpus.store.versions import resolve_version, version_dir

    version = resolve_version(layout, version)
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    cache = Cache(layout)
    try:
        index, _ = check_document_records(layout, inventory, cache)
        wanted = _wanted(layout, sorted(index.paths), documents)
        # the files exported are validated (against the current inventory, which the
        # generated interface offers): nothing invalid reaches the annotators
        chosen = set(wanted)
        jobs = [j for j in folder_jobs(layout, version_dir(layout, version), layout.inventory, version)
                if j.stem in chosen]
        problems = check_jobs_cached(check_annotation, layout, cache, jobs, index)
    finally:
        cache.close()
    if problems:
        raise CorpusError(problems)
    files = {j.stem: j.path for j in jobs}
    return version, _tasks(index, files, wanted, version, inventory, views)


def _wanted(layout: Layout, known: list[str], documents: list[str] | None) -> list[str]:
    if not documents:
        return known
    unknown = [d for d in documents if d not in set(known)]
    if unknown:
        raise CorpusError([Problem(layout.rel(layout.documents), "", "unknown-document",
                                   "no document with this id in corpus/documents", d) for d in unknown])
    return sorted(set(documents))


def _tasks(index, files: dict[str, str], wanted: list[str], version: str,
           inventory: Inventory, views: tuple[str, ...]) -> Iterator[dict]:
    for doc_id in wanted:
        doc = Document.from_dict(index.get(doc_id))
        ann = (AnnotationSet.from_dict(read_json(Path(files[doc_id]))) if doc_id in files
               else AnnotationSet(doc_id, doc.text_sha256, version))
        shared = shared_parts(ann)
        for view in views:
            yield build_task(doc, ann, version, inventory, view, shared)


def write_tasks(layout: Layout, version: str | None, documents: list[str] | None,
                output: Path | None) -> tuple[int, str]:
    """Write the tasks as one JSON list, task by task, to ``output`` (atomically) or to
    standard output: (the number of tasks, the version)."""
    import sys

    from newscorpus.store.jsonio import atomic_write_bytes_chunks, compact_list_chunks as list_chunks

    version, tasks = iter_tasks(layout, version, documents)
    count = 0

    def counted():
        nonlocal count
        for task in tasks:
            count += 1
            yield task

    if output is not None:
        atomic_write_bytes_chunks(output, list_chunks(counted()))
    else:
        sys.stdout.flush()
        for chunk in list_chunks(counted()):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    return count, version
