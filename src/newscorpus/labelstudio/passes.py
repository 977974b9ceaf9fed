"""Every annotator's annotations of a document kept as an annotation pass of its own
(``labelstudio pull --passes`` / ``import --passes``): ``annotations/passes/<pseudonym>/
<document>.json``, one folder per Label Studio user, named by the user's pseudonym
(``people.py``), never by an e-mail address or user name. The draft is not touched:
``newscorpus agreement`` measures the passes and ``newscorpus adjudicate`` takes one of
them into the draft.

A document has one task per view (``names.VIEWS``). Each annotation is read exactly as
the single-annotation import reads one (``reader.read_task`` with the task's view: the
same checks, view scope, re-anchoring and id rules), and one annotator's sets of a
document's view tasks are merged as the import merges them (``reader.merge_views``): a
view the annotator did not annotate keeps what was pushed for it (a note says so); an
annotator with no annotation of any view task of a document has no pass of it.

Ids: what was left as pushed keeps its id; the ids new in any pass of a document are
drawn from one pool (the draft's, the releases' and the id register's ids), so two
passes never give one id to different annotations, and pulling again keeps the ids a
pass has (same span). The id register is raised to cover the passes' ids in the same
transaction: those numbers are reserved, so an import into the draft meanwhile never
hands one of them out, and whichever pass ``adjudicate`` takes later collides with
nothing.

Each pass is validated as an annotation file before anything is written. What the
annotator changed or added carries the provenance ``annotator-<hex>`` and the tool
``Label Studio (project P, task T, annotation A; pass annotator-<hex>)``; what the
annotator left as it was pushed keeps its provenance. When one user has several
annotations of a task, the most recently updated one that was not cancelled is theirs
(the others are noted). The tasks are read one at a time (a document's view tasks
together) and written in one transaction."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from newscorpus.errors import CorpusError
from newscorpus import corpus
from newscorpus.labelstudio.importer import (ImportRun, anchored_notes, choose_annotation, enrich_problem,
                                             iter_export, same_source, start_import, task_doc, task_document,
                                             task_provenance, task_source, write_register)
from newscorpus.labelstudio.names import ENTITIES_VIEW, VIEW_LAYERS, VIEWS
from newscorpus.labelstudio.people import annotator
from newscorpus.labelstudio.reader import TaskReader, merge_views, read_task
from newscorpus.model import AnnotationSet, Document
from newscorpus.store.jsonio import read_json, require_file
from newscorpus.store.paths import Layout, child_path
from newscorpus.store.transaction import Transaction


def passes_dir(layout: Layout) -> Path:
    return layout.annotations / "passes"


def pass_file(layout: Layout, name: str, doc_id: str) -> Path:
    """``annotations/passes/<name>/<doc_id>.json``, both names checked (id-format)."""
    folder = child_path(passes_dir(layout), name, "", layout.rel(passes_dir(layout)), "a pass name")
    return child_path(folder, doc_id, ".json", layout.rel(folder), "a document id")


@dataclass
class PassesResult:
    """What a pull into passes read: the documents, the passes written for each
    annotator (pseudonym -> documents), the notes and the files written."""
    documents: list[str]
    passes: dict[str, list[str]]
    notes: list[str]
    written: list[Path]
    agreement: list[dict] | None = None  # every pair of these passes, on these documents (``measure``)


def measure(layout: Layout, result: PassesResult) -> PassesResult:
    """The agreement of every pair of the passes written, over the documents read."""
    from newscorpus.quality.passes import pairwise_agreement

    if result.written and len(result.passes) > 1:
        result.agreement = pairwise_agreement(layout, list(result.passes), result.documents)
    return result


def import_passes(layout: Layout, tasks: Iterable[Any], shown: str, dry_run: bool = False) -> PassesResult:
    """Every annotator's annotations of every document's view tasks, read, merged into
    one pass per annotator and document, validated and staged, one document at a time;
    written (in one transaction, with the id register raised to cover the passes' ids)
    only when no task had a problem."""
    run, txn = start_import(layout, tasks, shown, dry_run)
    got: dict[str, list[str]] = {}
    pending: dict[str, dict[str, tuple[AnnotationSet, TaskReader]]] = {}
    try:
        for i, task in enumerate(tasks):
            if task_doc(task) != run.current:
                _finish_document(run, txn, pending, got)
            _task_passes(run, i, task, pending)
        _finish_document(run, txn, pending, got)
        run.fail_if_problems()
        if txn is not None and got:
            _stage_index(run, txn, sorted(got))
            write_register(run, txn)
    except BaseException:
        if txn is not None:
            txn.abort()
        raise
    if txn is not None:
        txn.commit()
    documents = sorted({d for docs in got.values() for d in docs})
    return PassesResult(documents, {k: sorted(v) for k, v in sorted(got.items())}, run.notes,
                        sorted(run.written))


def _task_passes(run: ImportRun, i: int, task: Any,
                 pending: dict[str, dict[str, tuple[AnnotationSet, TaskReader]]]) -> None:
    """One view task: each annotator's non-cancelled annotation of it read (against the
    view) and kept in ``pending`` (pseudonym -> view -> (set, reader)) until the
    document's view tasks are merged. The ids new in any pass of the document are drawn
    from one set (``run.taken``: the draft's, the releases' and the id register's, which
    earlier pulls of passes raised), so no two passes give one id to different
    annotations, and the draft never gives one of them to anything else."""
    found = task_document(run, i, task)
    if found is None:
        return
    tptr, tid, where, doc, block, view = found
    source, annotations = task_source(run, tptr, where, task, block)
    if source is None or not same_source(run, tptr, where, doc, source):
        return
    for name, aindex in _by_annotator(run, where, annotations):
        chosen = annotations[aindex]
        prov = task_provenance(run.layout, task, tid, chosen)  # tool: "Label Studio (..., annotation A)"
        prov = replace(prov, tool=prov.tool[:-1] + f"; pass {name})")
        reader = TaskReader(run.layout, run.inventory, run.shown, tptr, f"{where}, pass {name}", doc, source,
                            chosen, f"{tptr}/annotations/{aindex}", prov, view)
        new = read_task(reader, run.taken, _pass_now(run.layout, name, doc))
        run.problems += reader.problems
        run.notes += reader.notes + anchored_notes(reader.where, reader.anchored)
        if new is not None:
            pending.setdefault(name, {})[view] = (new, reader)


def _finish_document(run: ImportRun, txn: Transaction | None,
                     pending: dict[str, dict[str, tuple[AnnotationSet, TaskReader]]],
                     got: dict[str, list[str]]) -> None:
    """The current document's passes: each annotator's view sets merged
    (``reader.merge_views``; a view the annotator did not annotate keeps what was pushed
    for it, and a note says so), validated and staged; the register raised to cover
    the ids of every pass staged."""
    from newscorpus.store.idregister import updated

    doc_id = run.current
    views_seen = {v for v in VIEWS if (doc_id, v) in run.seen}
    source = run.sources.get(doc_id) if doc_id is not None else None
    run.current = None
    if doc_id is not None:
        run.finished.add(doc_id)
    for name, views in sorted(pending.items()):
        if source is None:
            break
        reader = (views.get(ENTITIES_VIEW) or next(iter(views.values())))[1]
        for _, other in views.values():
            if other is not reader:
                reader.region_of.update(other.region_of)
        where = f"{doc_id}, pass {name}"
        merged, notes = merge_views(source, {v: ann for v, (ann, _) in views.items()}, reader.provenance, where)
        run.notes += notes
        for view in sorted(views_seen - set(views), key=VIEWS.index):
            run.notes.append(f"{doc_id}: {name} did not annotate the {view} view; the pass keeps its "
                             f"{' and '.join(VIEW_LAYERS[view])} as pushed ({source.version})")
        run.versions.setdefault(name, reader.source.version)
        if _stage_pass(run, txn, name, merged, reader, got):
            run.register = updated(run.register, doc_id, merged.by_id())
    pending.clear()
    run.sources.clear()
    run.priors.clear()


def _by_annotator(run: ImportRun, where: str, annotations: list) -> list[tuple[str, int]]:
    """(pseudonym, index of the annotation that is the pass) per annotator, by pseudonym."""
    groups: dict[str, list[int]] = {}
    for k, a in enumerate(annotations):
        if isinstance(a, dict):
            groups.setdefault(annotator(run.layout, a.get("completed_by")), []).append(k)
    out = []
    for name, indexes in sorted(groups.items()):
        chosen, ignored, cancelled = choose_annotation([annotations[k] for k in indexes])
        if chosen is None:
            run.notes.append(f"{where}: {name} has only cancelled annotations; no pass")
            continue
        if ignored:
            run.notes.append(f"{where}: {name} has {len(indexes)} annotations; the most recently updated "
                             f"one (annotation {chosen.get('id')}) is the pass, ignored "
                             + ", ".join(f"annotation {a.get('id')}" for a in ignored))
        out.append((name, next(k for k in indexes if annotations[k] is chosen)))
    if not out:
        run.notes.append(f"{where}: no annotation; no pass takes anything from this task")
    return out


def _pass_now(layout: Layout, name: str, doc: Document) -> AnnotationSet | None:
    """The pass this annotator already has for the document (its ids are kept), if any."""
    path = pass_file(layout, name, doc.id)
    if not path.is_file():
        return None
    try:
        prior = AnnotationSet.from_dict(read_json(path))
    except (CorpusError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None
    return prior if prior.text_sha256 == doc.text_sha256 else None


def _stage_pass(run: ImportRun, txn: Transaction | None, name: str, ann: AnnotationSet, reader: TaskReader,
                got: dict[str, list[str]]) -> bool:
    """Validate one pass as an annotation file; stage it when nothing is wrong so far
    (True when staged)."""
    from newscorpus.rules.validation import check_annotation

    path = pass_file(run.layout, name, ann.document_id)
    data = ann.to_dict()
    found = check_annotation(data, run.layout.rel(path), run.inventory, run.docs_raw, "draft", ann.document_id)
    run.problems += [enrich_problem(p, f"from Label Studio {reader.where}", reader.region_of, data) for p in found]
    if run.problems:
        return False
    got.setdefault(name, []).append(ann.document_id)
    if txn is not None:
        txn.write_json(path, data)
        run.written.append(path)
    return True


def import_passes_file(layout: Layout, path: Path, dry_run: bool = False) -> PassesResult:
    """``labelstudio import --passes``: a JSON export file, every annotator's annotation
    kept as a pass."""
    path = Path(path)
    shown = layout.rel(path)
    require_file(path, shown)
    with corpus.session(layout, "labelstudio import"):
        return measure(layout, import_passes(layout, iter_export(path, shown), shown, dry_run))


def _stage_index(run: ImportRun, txn: Transaction, names: list[str]) -> None:
    """Each new pass listed in ``annotations/passes.json`` (made by a person, from the
    guidelines of the version its tasks were pushed from); listed passes are left as
    they are."""
    from newscorpus.store.passes import pass_index_path, read_pass_index

    listed = read_pass_index(run.layout)  # pass-index if the index is malformed
    new = [n for n in names if n not in listed]
    if not new:
        return
    path = pass_index_path(run.layout)
    data = read_json(path) if path.is_file() else {"passes": []}
    for name in new:
        version = run.versions[name]
        data["passes"].append({
            "name": name, "guidelines": version, "annotator": "human",
            "description": f"Label Studio annotations by {name} (a pseudonym), kept as a pass with "
                          f"'newscorpus labelstudio pull --passes'; tasks pushed from {version}."})
    txn.write_json(path, data)
    run.written.append(path)
