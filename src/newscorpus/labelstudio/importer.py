"""The import of a Label Studio JSON export into the draft: every task checked, the
annotation to import chosen, each read (reader.py), validated, compared with the draft,
and written only when nothing is wrong."""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.names import FORMAT, TOOL
from newscorpus.labelstudio.reader import TaskReader, read_task
from newscorpus.labelstudio.tasks import documents_raw, unpack_source
from newscorpus.model import LAYERS, AnnotationSet, Document, Entity, Event, Mention, Provenance, Quote, _idkey
from newscorpus.rules.inventory import load_inventory
from newscorpus.store.jsonio import read_json, write_json
from newscorpus.store.paths import Layout

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
    docs_raw = documents_raw(layout)
    problems: list[Problem] = []
    notes: list[str] = []
    sets: dict[str, AnnotationSet] = {}
    sources: dict[str, AnnotationSet] = {}
    versions: dict[str, str] = {}
    readers: dict[str, TaskReader] = {}
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
            source = unpack_source(block["source"])
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
        reader = TaskReader(layout, inventory, shown, tptr, where, doc, source, chosen,
                             f"{tptr}/annotations/{aindex}", provenance)
        prior, readable = _draft_now(layout, doc_id, doc.text_sha256)
        priors[doc_id] = (prior, readable)
        new = read_task(reader, _known_ids(layout, doc_id, source), prior)
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
