"""Adjudication: one annotation pass of a document taken into the draft, with the
decision recorded (``newscorpus adjudicate --take NAME [--document ID ...]``).

The pass file (``annotations/passes/<NAME>/<document>.json``, validated) becomes the
draft file of the document, annotations and provenance as they are in the pass. The
decision is appended to ``annotations/adjudication/<document>.json``::

    {"format": "newscorpus-adjudication/1", "document_id": ..., "text_sha256": ...,
     "decisions": [{"decided": "2026-12-02T13:00:00Z", "taken": "annotator-1a2b3c4d5e6f",
                    "passes": [every pass that has the document], "pass_sha256": ...,
                    "draft_sha256": ..., "note": ...}]}

(``pass_sha256``: the pass file taken; ``draft_sha256``: the draft file written.) A draft
file is only replaced when it has no changes of its own: when it has the content of the
latest release, or is the file the last decision wrote; ``--force`` replaces it anyway.
The draft files and the records of all documents are written in one transaction.
``newscorpus validate`` checks the records (``adjudication-record``)."""
from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.model import LAYERS, AnnotationSet
from newscorpus.quality.passes import pass_folder, pass_names, passes_dir
from newscorpus.store import versions as _versions
from newscorpus.store.diff import diff_sets
from newscorpus.store.jsonio import dumps, read_json
from newscorpus.store.paths import Layout, child_path
from newscorpus.store.transaction import Transaction

FORMAT = "newscorpus-adjudication/1"


def record_dir(layout: Layout) -> Path:
    return layout.annotations / "adjudication"


def record_path(layout: Layout, doc_id: str) -> Path:
    return child_path(record_dir(layout), doc_id, ".json", layout.rel(record_dir(layout)), "a document id")


@dataclass
class Decision:
    """One document's adjudication: the pass taken, the passes it was chosen from, the
    diff of the draft it replaced against the pass, the record written."""
    document: str
    taken: str
    passes: list[str]
    changes: list[dict]
    record: Path


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now(date: str | None) -> str:
    if date is None:
        return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        _dt.datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise CorpusError(Problem("--date", "", "date-format", "expected YYYY-MM-DDTHH:MM:SSZ", date)) from None
    return date


DELETION_SHARE = 0.5  # taking a pass may remove at most this share of the draft's annotations


@dataclass(frozen=True)
class Options:
    """How to adjudicate: the note and time recorded, and what may be replaced."""
    note: str | None = None
    date: str | None = None
    force: bool = False  # replace a draft file with changes of its own
    allow_deletions: bool = False  # take a pass that removes most of the draft's annotations
    dry_run: bool = False


def adjudicate(layout: Layout, take: str, documents: list[str] | None = None,
               options: Options = Options()) -> list[Decision]:
    """Take the pass ``take`` of each document (default: every document it has) into the
    draft and record the decision; nothing is written if any document has a problem
    (all of them are reported)."""
    decided = _now(options.date)
    with corpus.session(layout, "adjudicate"):
        folder = _taken_folder(layout, take)
        doc_ids = sorted(set(documents)) if documents else sorted(p.stem for p in _versions.annotation_files(folder))
        _validate_pass(layout, folder, doc_ids)
        txn = None if options.dry_run else Transaction(layout)
        out, problems = [], []
        try:
            for doc_id in doc_ids:
                try:
                    out.append(_decide(layout, txn, take, doc_id, decided, options))
                except CorpusError as exc:
                    problems += exc.problems
            if problems:
                raise CorpusError(problems)
            if txn is not None:
                txn.commit()
        except BaseException:
            if txn is not None:
                txn.abort()
            raise
        return out


def _taken_folder(layout: Layout, take: str) -> Path:
    folder = pass_folder(layout, take)
    if folder is None:
        raise CorpusError(Problem(layout.rel(passes_dir(layout)), "", "adjudication-no-pass",
                                  f"no annotation pass of this name (passes: {', '.join(pass_names(layout)) or 'none'})",
                                  take))
    return folder


def _validate_pass(layout: Layout, folder: Path, doc_ids: list[str]) -> None:
    """The pass files to take exist and validate (as draft files); the records of
    those documents are readable."""
    from newscorpus.rules.validation import check_adjudication_records, check_document_records, validate_folder

    for d in doc_ids:
        child_path(folder, d, ".json", "--document", "a document id")  # id-format: no path out of the pass
    inventory = corpus.current_inventory(layout)
    docs, problems = check_document_records(layout, inventory)
    problems += [Problem(layout.rel(folder), "", "adjudication-no-pass",
                         "the pass has no annotation file for this document", d)
                 for d in doc_ids if not (folder / f"{d}.json").is_file()]
    problems += [p for p in validate_folder(layout, folder, inventory, docs, "draft")
                 if Path(p.file).stem in doc_ids]
    problems += check_adjudication_records(layout, docs, doc_ids)
    if problems:
        raise CorpusError(problems)


def _decide(layout: Layout, txn: Transaction | None, take: str, doc_id: str, decided: str,
            options: Options) -> Decision:
    """One document: the draft checked for changes of its own, the pass staged as the
    draft file, the decision appended to the record."""
    pass_path = pass_folder(layout, take) / f"{doc_id}.json"
    pass_text = pass_path.read_text(encoding="utf-8")
    taken = replace(AnnotationSet.from_dict(read_json(pass_path)), version=corpus.DRAFT)
    draft_path = layout.draft / f"{doc_id}.json"
    path = record_path(layout, doc_id)
    record = read_json(path) if path.is_file() else {"format": FORMAT, "document_id": doc_id,
                                                     "text_sha256": taken.text_sha256, "decisions": []}
    current = AnnotationSet.from_dict(read_json(draft_path)) if draft_path.is_file() else None
    if current is not None and not options.force:
        _check_draft(layout, draft_path, current, record)
    if current is not None and not options.allow_deletions:
        _check_deletions(layout, draft_path, current, taken)
    new_text = dumps(taken.to_dict())
    record["decisions"].append({
        "decided": decided, "taken": take,
        "passes": [n for n in pass_names(layout) if (passes_dir(layout) / n / f"{doc_id}.json").is_file()],
        "pass_sha256": _sha256(pass_text), "draft_sha256": _sha256(new_text), "note": options.note})
    if txn is not None:
        txn.write_text(draft_path, new_text)
        txn.write_json(path, record)
    changes = diff_sets({doc_id: current} if current is not None else {}, {doc_id: taken})
    return Decision(doc_id, take, record["decisions"][-1]["passes"], changes, path)


def _check_draft(layout: Layout, draft_path: Path, current: AnnotationSet, record: dict) -> None:
    """adjudication-draft-changed: the draft file has changes that neither the latest
    release nor the last adjudication made (they would be lost)."""
    decisions = record.get("decisions") or []
    if decisions and decisions[-1].get("draft_sha256") == _sha256(draft_path.read_text(encoding="utf-8")):
        return
    last = _versions.latest_release(layout)
    released = None
    if last is not None:
        path = _versions.version_dir(layout, last.version) / draft_path.name
        released = AnnotationSet.from_dict(read_json(path)) if path.is_file() else None
    doc_id = current.document_id
    changes = diff_sets({doc_id: released} if released is not None else {}, {doc_id: current})
    if changes:
        raise CorpusError(Problem(layout.rel(draft_path), "", "adjudication-draft-changed",
                                  f"the draft has {len(changes)} change(s) of its own since the latest "
                                  "release or the last adjudication, which taking a pass would lose: "
                                  "release them first, or pass --force", doc_id))


def _check_deletions(layout: Layout, draft_path: Path, current: AnnotationSet, taken: AnnotationSet) -> None:
    """adjudication-mass-deletion: a pass that removes all, or more than half, of the
    draft's annotations (an annotator who cleared the task) unless deletions are allowed."""
    before = {(layer, i.id) for layer in LAYERS for i in getattr(current, layer)}
    after = {(layer, i.id) for layer in LAYERS for i in getattr(taken, layer)}
    removed = len(before - after)
    if before and (not after or removed > DELETION_SHARE * len(before)):
        raise CorpusError(Problem(layout.rel(draft_path), "", "adjudication-mass-deletion",
                                  f"taking the pass removes {removed} of the {len(before)} annotations of the "
                                  "draft (more than half, or all); if this is meant, pass --allow-deletions",
                                  current.document_id))
