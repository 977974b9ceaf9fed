"""The export: one Label Studio task per document, its annotations as a prediction, and
the ``data.newscorpus`` block a lossless import needs."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.names import (CONTENT, COREF_REL, CUE, CUE_REL, EVENT, FORMAT, MENTION,
                                          MENTION_KIND, MODEL_VERSION, OBJECT, POLARITY, QUOTE, QUOTE_KIND,
                                          REALIS, SPEAKER_REL)
from newscorpus.model import LAYERS, AnnotationSet, Document, Span
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.store.jsonio import read_json
from newscorpus.store.paths import Layout


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


def unpack_source(packed: dict) -> AnnotationSet:
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
    version, tasks = iter_tasks(layout, version, documents)
    return Export(version, list(tasks))


def iter_tasks(layout: Layout, version: str | None = "latest",
               documents: list[str] | None = None) -> tuple[str, Iterator[dict]]:
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
        jobs = [j for j in folder_jobs(layout, version_dir(layout, version), layout.inventory, version)
                if j.stem in set(wanted)]
        problems = check_jobs_cached(check_annotation, layout, cache, jobs, index)
    finally:
        cache.close()
    if problems:
        raise CorpusError(problems)
    files = {j.stem: j.path for j in jobs}
    return version, _tasks(index, files, wanted, version, inventory)


def _wanted(layout: Layout, known: list[str], documents: list[str] | None) -> list[str]:
    if not documents:
        return known
    unknown = [d for d in documents if d not in set(known)]
    if unknown:
        raise CorpusError([Problem(layout.rel(layout.documents), "", "unknown-document",
                                   "no document with this id in corpus/documents", d) for d in unknown])
    return sorted(set(documents))


def _tasks(index, files: dict[str, str], wanted: list[str], version: str,
           inventory: Inventory) -> Iterator[dict]:
    for doc_id in wanted:
        doc = Document.from_dict(index.get(doc_id))
        ann = (AnnotationSet.from_dict(read_json(Path(files[doc_id]))) if doc_id in files
               else AnnotationSet(doc_id, doc.text_sha256, version))
        yield build_task(doc, ann, version, inventory)


def write_tasks(layout: Layout, version: str | None, documents: list[str] | None,
                output: Path | None) -> tuple[int, str]:
    """Write the tasks as one JSON list, task by task, to ``output`` (atomically) or to
    standard output: (the number of tasks, the version)."""
    import sys

    from newscorpus.store.jsonio import atomic_write_chunks, list_chunks

    version, tasks = iter_tasks(layout, version, documents)
    count = 0

    def counted():
        nonlocal count
        for task in tasks:
            count += 1
            yield task

    if output is not None:
        atomic_write_chunks(output, list_chunks(counted()))
    else:
        for chunk in list_chunks(counted()):
            sys.stdout.write(chunk)
    return count, version
