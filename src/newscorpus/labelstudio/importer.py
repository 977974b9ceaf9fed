"""The import of a Label Studio JSON export into the draft: every task checked, the
annotation to import chosen, each read (reader.py), validated, compared with the draft,
and written only when nothing is wrong."""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.names import ALL, FORMAT, FORMATS, TOOL, VIEWS
from newscorpus.labelstudio.reader import TaskReader, merge_views, read_task
from newscorpus.labelstudio.tasks import unpack_source
from newscorpus.model import LAYERS, AnnotationSet, Document, Entity, Event, Mention, Provenance, Quote, _idkey
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.labelstudio.people import annotator
from newscorpus.store.jsonio import iter_json_list, read_json, require_file
from newscorpus.store.transaction import Transaction
from newscorpus.store.paths import Layout


@dataclass
class ImportResult:
    """What an import read (the documents), against which exported versions, what it
    noted, the diff and the draft files written."""
    documents: list[str]
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


def _known_ids(layout: Layout, doc_id: str, source: AnnotationSet, register: dict) -> set[str]:
    """Every id this document has used in the source, the draft and the releases, and
    the high-water marks of the id register: new annotations never reuse one."""
    from newscorpus.store.idregister import mark_ids

    taken = set(source.by_id()) | mark_ids(register.get(doc_id) or {})
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
    from newscorpus.store.diff import content_tuple

    def key(item) -> tuple | None:
        return None if item is None else (type(item).__name__, content_tuple(item))

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


def enrich_problem(problem: Problem, shown_task: str, region_of: dict[str, str], data: dict) -> Problem:
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


@dataclass
class ImportRun:
    """One import under way: what it reads against and what it found so far."""
    layout: Layout
    shown: str
    inventory: Inventory
    docs_raw: Any  # the document records by id, read on demand (rules.engine.DocumentIndex)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sets: dict[str, AnnotationSet] = field(default_factory=dict)
    sources: dict[str, AnnotationSet] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    readers: dict[str, TaskReader] = field(default_factory=dict)
    priors: dict[str, tuple[AnnotationSet | None, bool]] = field(default_factory=dict)
    seen: dict[tuple[str, str], str] = field(default_factory=dict)  # (document, view) -> its task
    register: dict = field(default_factory=dict)  # the id register's documents (store.idregister)
    current: str | None = None  # the document whose view tasks are being read
    views: dict[str, AnnotationSet] = field(default_factory=dict)  # view -> the set it gave
    taken: set[str] = field(default_factory=set)  # the ids the current document ever used
    finished: set[str] = field(default_factory=set)  # documents whose tasks were all read
    done: list[str] = field(default_factory=list)  # the documents read so far
    changes: list[dict] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def fail_if_problems(self) -> None:
        if self.problems:
            raise CorpusError(self.problems)


def start_import(layout: Layout, tasks: Any, shown: str, dry_run: bool) -> tuple["ImportRun", Any]:
    """An import's state and its transaction (None for a dry run), after checking that
    ``tasks`` is a list of tasks: shared by the draft import and the passes import."""
    if not isinstance(tasks, (list, Iterator)):
        raise CorpusError(Problem(shown, "", "ls-format",
                                  "not a Label Studio JSON export: expected a list of tasks, found "
                                  f"{type(tasks).__name__}"))
    from newscorpus.store.idregister import read_register

    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    run = ImportRun(layout, shown, inventory, _document_index(layout), register=read_register(layout))
    txn = None if dry_run else Transaction(layout)
    return run, txn


def import_tasks(layout: Layout, tasks: Iterable[Any], shown: str, dry_run: bool = False,
                 force: bool = False, allow_deletions: bool = False) -> ImportResult:
    """Import Label Studio's JSON export (the tasks with their annotations) into the
    draft, one task at a time: each is read, validated and checked against the draft,
    then staged in a transaction and forgotten (memory does not grow with the export).
    The draft is written only when no task had a problem. A draft file that has changes
    of its own since the export (not from Label Studio) is only replaced with ``force``;
    an annotation that deletes most of a document only with ``allow_deletions``."""
    run, txn = start_import(layout, tasks, shown, dry_run)
    try:
        for i, task in enumerate(tasks):
            if task_doc(task) != run.current:
                _merge_views(run)
                _finish_task(run, txn, force, allow_deletions)
            _import_task(run, i, task)
        _merge_views(run)
        _finish_task(run, txn, force, allow_deletions)
        run.fail_if_problems()
        write_register(run, txn)
    except BaseException:
        if txn is not None:
            txn.abort()
        raise
    if txn is not None:
        txn.commit()
    run.changes.sort(key=lambda c: c["document"])  # stable: each document's order is kept
    return ImportResult(sorted(run.done), run.versions, run.notes, run.changes, sorted(run.written))


def task_doc(task: Any) -> str | None:
    """The document a task is for, if it says (the views of a document are read together)."""
    data = task.get("data") if isinstance(task, dict) else None
    block = data.get("newscorpus") if isinstance(data, dict) else None
    doc_id = block.get("document_id") if isinstance(block, dict) else None
    return doc_id if isinstance(doc_id, str) else None


def _merge_views(run: ImportRun) -> None:
    """The sets the views of the current document gave, merged (reader.merge_views)."""
    doc_id, views = run.current, run.views
    run.current, run.views = None, {}
    if doc_id is None or not views or doc_id not in run.sources:
        return
    run.finished.add(doc_id)
    reader = run.readers[doc_id]
    run.sets[doc_id], notes = merge_views(run.sources[doc_id], views, reader.provenance, reader.where)
    run.notes += notes


def write_register(run: ImportRun, txn: Transaction | None) -> None:
    """The id register raised to every id the imported documents now use (in the
    import's transaction)."""
    from newscorpus.store.idregister import register_data, register_path

    if txn is None or not run.written:
        return
    txn.write_json(register_path(run.layout), register_data(run.register))


def _document_index(layout: Layout):
    from newscorpus.rules.engine import DocumentIndex

    return DocumentIndex({p.stem: str(p) for p in sorted(layout.documents.glob("*.json"))})


def _finish_task(run: ImportRun, txn: Transaction | None, force: bool, allow_deletions: bool) -> None:
    """Check the set the last task gave; stage it if nothing is wrong so far; forget it."""
    if not run.sets:
        run.sources.clear()
        run.readers.clear()
        run.priors.clear()
        return
    _validate(run)
    if not run.problems and not force:
        _check_draft_changes(run)
    if not run.problems and not allow_deletions:
        _check_deletions(run)
    if not run.problems:
        _stage(run, txn)
    run.sets.clear()
    run.sources.clear()
    run.readers.clear()
    run.priors.clear()


def _import_task(run: ImportRun, i: int, task: Any) -> None:
    """One task (one view of a document): checked, its annotation chosen and read; the
    set it gives is kept until the document's views are merged."""
    found = task_document(run, i, task)
    if found is None:
        return
    tptr, tid, where, doc, block, view = found
    source, annotations = task_source(run, tptr, where, task, block)
    if source is None or not same_source(run, tptr, where, doc, source):
        return
    chosen = _choose(run, where, annotations)
    if chosen is None:
        return
    aindex = annotations.index(chosen)
    reader = TaskReader(run.layout, run.inventory, run.shown, tptr, where, doc, source, chosen,
                        f"{tptr}/annotations/{aindex}", task_provenance(run.layout, task, tid, chosen), view)
    new = read_task(reader, run.taken, run.priors[doc.id][0])
    run.problems += reader.problems
    run.notes += reader.notes
    run.notes += anchored_notes(where, reader.anchored)
    if new is None:
        return
    run.views[view] = new
    first = run.readers.setdefault(doc.id, reader)
    if first is not reader:
        first.region_of.update(reader.region_of)
        first.where = first.where.replace(" (", f", {where.split(' (')[0]} (", 1)
        if view == "entities":  # a mention deleted there: the events and quotes it leaves get its annotator
            first.provenance = reader.provenance


def same_source(run: ImportRun, tptr: str, where: str, doc: Document, source: AnnotationSet) -> bool:
    """The first view task of a document sets the source, the draft and the ids taken;
    the next ones must have been exported from the same annotations (ls-view-mismatch)."""
    if run.current != doc.id:
        run.current, run.views = doc.id, {}
        run.sources[doc.id], run.versions[doc.id] = source, source.version
        run.priors[doc.id] = _draft_now(run.layout, doc.id, doc.text_sha256)
        run.taken = _known_ids(run.layout, doc.id, source, run.register)
        return True
    if source is not run.sources[doc.id] and source.to_dict() != run.sources[doc.id].to_dict():
        run.problems.append(Problem(run.shown, tptr + "/data/newscorpus/source", "ls-view-mismatch",
                                    f"{where}: the views of {doc.id} were exported from different annotations "
                                    f"({run.sources[doc.id].version} and {source.version}); push again "
                                    "(pull what was annotated first)", doc.id))
        return False
    return True


def task_document(run: ImportRun, i: int, task: Any) -> tuple[str, Any, str, Document, dict, str] | None:
    """A task exported by newscorpus for a document of the corpus, each view seen once,
    whose text did not change: (pointer, task id, where, document, data.newscorpus
    block, view)."""
    tptr = f"/{i}"
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        run.problems.append(Problem(run.shown, tptr, "ls-format",
                                    "not a Label Studio JSON export: each task needs a data object "
                                    "(export with the JSON format, not JSON-MIN or CSV)"))
        return None
    tid = task.get("id", i)
    data = task["data"]
    block = data.get("newscorpus")
    if not isinstance(block, dict) or block.get("format") not in FORMATS:
        run.problems.append(Problem(run.shown, tptr + "/data", "ls-wrong-interface",
                                    f"task {tid} was not exported by 'newscorpus labelstudio' (no "
                                    f"data.newscorpus block of format {FORMAT}): an export from another "
                                    "project or labeling interface?"))
        return None
    view = block.get("view") if block.get("format") == FORMAT else ALL
    doc_id = block.get("document_id")
    where = f"task {tid} ({doc_id}{'' if view == ALL else ', ' + str(view) + ' view'})"
    if view not in VIEWS + (ALL,):
        run.problems.append(Problem(run.shown, tptr + "/data/newscorpus/view", "ls-format",
                                    f"task {tid}: unknown view (expected one of {', '.join(VIEWS)})", str(view)))
        return None
    if run.docs_raw.get(doc_id) is None:
        run.problems.append(Problem(run.shown, tptr + "/data/newscorpus/document_id", "ls-unknown-document",
                                    f"task {tid}: no document with this id in corpus/documents", str(doc_id)))
        return None
    if not _first_of_view(run, tptr, tid, where, doc_id, view):
        return None
    doc = Document.from_dict(run.docs_raw.get(doc_id))
    if block.get("text_sha256") != doc.text_sha256 or data.get("text") != doc.text:
        run.problems.append(Problem(run.shown, tptr + "/data/newscorpus/text_sha256", "ls-text-changed",
                                    f"{where}: the document text changed since the task was exported "
                                    f"(corpus text sha256 {doc.text_sha256[:12]}..., task "
                                    f"{str(block.get('text_sha256'))[:12]}...); its offsets mean nothing "
                                    "on the new text: export and annotate again", doc_id))
        return None
    return tptr, tid, where, doc, block, view


def _first_of_view(run: ImportRun, tptr: str, tid: Any, where: str, doc_id: str, view: str) -> bool:
    """ls-duplicate-document: a second task for a document's view (a task of format /1
    is every view), or a task of a document whose tasks were not together."""
    clash = [v for v in (VIEWS + (ALL,) if view == ALL else (view, ALL)) if (doc_id, v) in run.seen]
    if clash:
        run.problems.append(Problem(run.shown, tptr, "ls-duplicate-document",
                                    f"{where}: the export has a second task for this document "
                                    f"(first: task {run.seen[(doc_id, clash[0])]})", doc_id))
        return False
    if doc_id in run.finished and run.current != doc_id:
        run.problems.append(Problem(run.shown, tptr, "ls-duplicate-document",
                                    f"{where}: the tasks of this document are not together in the export "
                                    "(push again to make them so)", doc_id))
        return False
    run.seen[(doc_id, view)] = str(tid)
    return True


def task_source(run: ImportRun, tptr: str, where: str, task: dict,
                 block: dict) -> tuple[AnnotationSet | None, list]:
    """The exported source annotations of a task made with today's inventory, and the
    task's annotations list; (None, []) after a problem."""
    if block.get("inventory_sha256") != run.inventory.sha256:
        run.problems.append(Problem(run.shown, tptr + "/data/newscorpus/inventory_sha256", "ls-wrong-interface",
                                    f"{where}: exported with another label inventory (sha256 "
                                    f"{str(block.get('inventory_sha256'))[:12]}..., now "
                                    f"{run.inventory.sha256[:12]}...): push the tasks again"))
        return None, []
    last = getattr(run, "last_source", None)  # the views of a document carry the same source
    if last is not None and last[0] == block.get("document_id") and last[1] == block.get("source"):
        source = last[2]
    else:
        try:
            source = unpack_source(block["source"])
        except (KeyError, TypeError, IndexError, ValueError):
            run.problems.append(Problem(run.shown, tptr + "/data/newscorpus/source", "ls-format",
                                        f"{where}: the exported source annotations are missing or damaged"))
            return None, []
        run.last_source = (block.get("document_id"), block.get("source"), source)
    annotations = task.get("annotations")
    if not isinstance(annotations, list):
        run.problems.append(Problem(run.shown, tptr, "ls-format",
                                    f"{where}: no 'annotations' list (is this a Label Studio JSON export?)"))
        return None, []
    return source, annotations


def _choose(run: ImportRun, where: str, annotations: list) -> dict | None:
    """The annotation to import (choose_annotation), with a note when there is none or
    when others were ignored."""
    chosen, ignored, cancelled = choose_annotation(annotations)
    if chosen is None:
        run.notes.append(f"{where}: no annotation to import"
                         + (f" ({cancelled} cancelled)" if cancelled else "") + "; left as it is")
        return None
    if ignored or cancelled:
        def desc(a):
            return (f"annotation {a.get('id')} by {annotator(run.layout, a.get('completed_by'))} "
                    f"(updated {a.get('updated_at') or a.get('created_at')})")
        run.notes.append(f"{where}: {len(annotations)} annotations; imported the most recently updated "
                         f"non-cancelled one, {desc(chosen)}"
                         + (f"; ignored {', '.join(desc(a) for a in ignored)}" if ignored else "")
                         + (f"; {cancelled} cancelled" if cancelled else ""))
    return chosen


def task_provenance(layout: Layout, task: dict, tid: Any, chosen: dict) -> Provenance:
    """The provenance of what the annotation changed or added: its annotator and time,
    and the project, task and annotation it came from."""
    when = chosen.get("updated_at") or chosen.get("created_at")
    tool = TOOL + " (" + ", ".join(x for x in (
        f"project {task['project']}" if task.get("project") is not None else "",
        f"task {tid}", f"annotation {chosen.get('id')}") if x) + ")"
    return Provenance(annotator(layout, chosen.get("completed_by")), tool,
                      when if isinstance(when, str) else None, None, None)


def anchored_notes(where: str, anchored: list[tuple[str, int, int, int, int, str]]) -> list[str]:
    """One note per way of reading offsets that re-anchored regions."""
    kinds: dict[str, list[str]] = {}
    for rid, s0, e0, s1, e1, how in anchored:
        kinds.setdefault(how, []).append(f"{rid} [{s0},{e0})->[{s1},{e1})")
    return [f"{where}: re-anchored {len(items)} region(s) given as {how}: "
            + ", ".join(items[:5]) + (" ..." if len(items) > 5 else "") for how, items in kinds.items()]


def _validate(run: ImportRun) -> None:
    """The validator's checks on every imported set, pointed back at the regions."""
    from newscorpus.rules.validation import check_annotation

    for doc_id, ann in sorted(run.sets.items()):
        data = ann.to_dict()
        path = run.layout.draft / f"{doc_id}.json"
        found = check_annotation(data, run.layout.rel(path), run.inventory, run.docs_raw, "draft", doc_id)
        reader = run.readers[doc_id]
        run.problems += [enrich_problem(p, f"from Label Studio {reader.where}", reader.region_of, data) for p in found]


def _check_draft_changes(run: ImportRun) -> None:
    """A draft file with changes of its own since the export, which the import would
    lose, or that cannot be read, is a problem (``--force`` skips this check)."""
    hint = ("keep them (release them, or push the draft and annotate from there), or pass --force "
            "to replace the draft file with what Label Studio has")
    for doc_id, ann in sorted(run.sets.items()):
        prior, readable = run.priors[doc_id]
        shown_draft = run.layout.rel(run.layout.draft / f"{doc_id}.json")
        where = run.readers[doc_id].where
        if not readable:
            run.problems.append(Problem(shown_draft, "", "ls-draft-changed",
                                        f"{where}: the draft file cannot be read, so its own changes cannot be "
                                        f"checked; {hint}"))
        elif prior is not None:
            lost = unpulled_changes(run.sources[doc_id], prior, ann)
            if lost:
                run.problems.append(Problem(shown_draft, "", "ls-draft-changed",
                                            f"{where}: the draft has {len(lost)} change(s) against the exported "
                                            f"{run.sources[doc_id].version} that are not in Label Studio and "
                                            f"would be lost ({', '.join(lost[:6])}"
                                            f"{', ...' if len(lost) > 6 else ''}); " + hint))


DELETION_SHARE = 0.5  # an import may remove at most this share of a document's annotations


def _check_deletions(run: ImportRun) -> None:
    """ls-mass-deletion: an annotation that removes all of a document's annotations, or
    more than half of them (an annotator who cleared the task, an empty annotation by
    a second annotator), unless the import allows deletions."""
    for doc_id, new in sorted(run.sets.items()):
        before = {(layer, i.id) for layer in LAYERS for i in getattr(run.sources[doc_id], layer)}
        after = {(layer, i.id) for layer in LAYERS for i in getattr(new, layer)}
        removed = len(before - after)
        if before and (not after or removed > DELETION_SHARE * len(before)):
            run.problems.append(Problem(
                run.shown, "", "ls-mass-deletion",
                f"{run.readers[doc_id].where}: the annotation removes {removed} of the "
                f"{len(before)} annotations of {doc_id} (more than half, or all); nothing is "
                "written; if this is meant, import again with --allow-deletions", doc_id))


def _stage(run: ImportRun, txn: Transaction | None) -> None:
    """The diff of the task's set against the exported version, and its draft file
    staged (not in a dry run)."""
    from newscorpus.store.diff import diff_sets
    from newscorpus.store.idregister import updated

    for doc_id, ann in sorted(run.sets.items()):
        run.done.append(doc_id)
        run.changes += diff_sets({doc_id: replace(run.sources[doc_id], version="draft")}, {doc_id: ann})
        run.register = updated(run.register, doc_id, set(ann.by_id()) | run.taken)
        if txn is not None:
            path = run.layout.draft / f"{doc_id}.json"
            txn.write_json(path, ann.to_dict())
            run.written.append(path)


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


def iter_export(path: Path, shown: str) -> Iterator[Any]:
    """The tasks of an export file one at a time, for an export that is a JSON list;
    anything else, or a damaged file, gets ``_read_export``'s named errors."""
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip()
    if not head.startswith(b"["):
        tasks = _read_export(path, shown)  # not a list: the named error (or a list after all)
        yield from tasks if isinstance(tasks, list) else _not_a_list(shown, tasks)
        return
    try:
        yield from iter_json_list(path)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        _read_export(path, shown)  # raises the named error with line and column
        raise


def _not_a_list(shown: str, tasks: Any) -> Iterator[Any]:
    raise CorpusError(Problem(shown, "", "ls-format",
                              "not a Label Studio JSON export: expected a list of tasks, found "
                              f"{type(tasks).__name__}"))
    yield  # pragma: no cover - a generator that only raises


def import_file(layout: Layout, path: Path, dry_run: bool = False, force: bool = False,
                allow_deletions: bool = False) -> ImportResult:
    path = Path(path)
    shown = layout.rel(path)
    require_file(path, shown)
    with corpus.session(layout, "labelstudio import"):
        return import_tasks(layout, iter_export(path, shown), shown, dry_run, force=force,
                            allow_deletions=allow_deletions)
