"""The library's front door: each command of the command line is one call here (or
one call into a product wing that reads the corpus through these functions).

This module composes the two lower wings: ``store`` (the repository on disk) and
``rules`` (inventory, schemas, checks). The check-then-write sequences live here, so
the store never needs the rules: ``release`` validates the repository, then asks the
store to write the release."""
from __future__ import annotations

import functools
from contextlib import contextmanager
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Callable, Iterator

from newscorpus.errors import CorpusError, Problem
from newscorpus.model import AnnotationSet, Document
from newscorpus.rules.guidelines import render_guidelines
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.rules.schema import annotation_schema, check_metaschema, document_schema
from newscorpus.rules.validation import (check_document_records, schema_problems, validate_file,
                                         validate_folder, validate_repository)
from newscorpus.store import documents as _documents
from newscorpus.store import versions as _versions
from newscorpus.store.diff import diff_raw
from newscorpus.store.jsonio import atomic_write_text, dumps, read_json, write_json
from newscorpus.store.ingest import add_many
from newscorpus.store.lock import repository_lock
from newscorpus.store.paths import Layout, json_files
from newscorpus.store.transaction import recover

DRAFT = _versions.DRAFT


# --- one command at a time ------------------------------------------------------------

@contextmanager
def session(layout: Layout, command: str) -> Iterator[str | None]:
    """Hold the repository lock for a whole command, after completing or rolling back
    whatever an interrupted command left; yields a note on that recovery, or None. A
    session inside another one (a library call within a command) does neither again."""
    with repository_lock(layout, command) as taken:
        yield recover(layout) if taken else None


def locked(command: str) -> Callable:
    """Decorate a function whose first argument is the layout: it runs in a session."""
    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(layout: Layout, *args, **kwargs):
            with session(layout, command):
                return func(layout, *args, **kwargs)
        return run
    return wrap


# --- reading, checked -------------------------------------------------------------------

def validate(layout: Layout, files: list[Path] | None = None) -> list[Problem]:
    """Every problem of the repository, or of the given annotation files."""
    if files:
        return [p for f in files for p in validate_file(layout, Path(f))]
    return validate_repository(layout)


def require_valid(layout: Layout) -> None:
    """Raise the repository's problems, if it has any."""
    problems = validate_repository(layout)
    if problems:
        raise CorpusError(problems)


def current_inventory(layout: Layout) -> Inventory:
    return load_inventory(layout.inventory, layout.rel(layout.inventory))


def is_folder_name(name: str) -> bool:
    """A version argument that names a folder of annotation files rather than a version."""
    return name not in ("draft", "latest") and Path(name).is_dir()


def load_version(layout: Layout, name: str) -> tuple[str, dict[str, AnnotationSet]]:
    """A version name (release, 'latest', 'draft') or a folder of annotation files,
    validated, as (resolved name, annotation sets by document id)."""
    resolved, sets = iter_version(layout, name)
    return resolved, {ann.document_id: ann for ann in sets}


def iter_version(layout: Layout, name: str, checked: bool = False
                 ) -> tuple[str, Iterator[AnnotationSet]]:
    """``load_version`` one annotation set at a time, in document id order (memory
    does not grow with the corpus). ``checked``: the repository was validated already."""
    if is_folder_name(name):
        # the folder's files, and the document records they are checked against
        inventory = current_inventory(layout)
        docs, problems = check_document_records(layout, inventory)
        problems += validate_folder(layout, Path(name), inventory, docs, None)
        if problems:
            raise CorpusError(problems)
        return name, _versions.iter_folder(Path(name))
    version = _versions.resolve_version(layout, name)
    if not checked:
        require_valid(layout)
    return version, _versions.iter_sets(layout, version)


def iter_version_raw(layout: Layout, name: str, checked: bool = False) -> tuple[str, Iterator[dict]]:
    """``iter_version`` as the validated files' JSON, one at a time (for counting and
    comparing). ``checked``: the repository was validated already."""
    if is_folder_name(name):
        folder, sets = iter_version(layout, name)
        return folder, (ann.to_dict() for ann in sets)
    version = _versions.resolve_version(layout, name)
    if not checked:
        require_valid(layout)
    return version, _versions.iter_raw(layout, version)


def inventory_of(layout: Layout, name: str, resolved: str) -> Inventory:
    """The inventory a version was made with (the current one for a folder)."""
    if is_folder_name(name):
        return load_inventory(layout.inventory)
    return load_inventory(_versions.inventory_path(layout, resolved))


def load_checked(layout: Layout, version: str | None
                 ) -> tuple[str, dict[str, Document], dict[str, AnnotationSet], Inventory]:
    """Validate the repository, then read one version: (version, documents,
    annotation sets, the version's inventory)."""
    require_valid(layout)
    version = _versions.resolve_version(layout, version)
    docs = _documents.load_documents(layout)
    sets = _versions.load_sets(layout, version)
    inventory = load_inventory(_versions.inventory_path(layout, version))
    missing = sorted(set(sets) - set(docs))
    if missing:
        folder = layout.rel(_versions.version_dir(layout, version))
        raise CorpusError([Problem(folder, "", "unknown-document", "no document with this id in corpus/documents",
                                   doc_id) for doc_id in missing])
    return version, docs, sets, inventory


def stream_checked(layout: Layout, version: str | None
                   ) -> tuple[str, Inventory, Iterator[tuple[Document, AnnotationSet]]]:
    """Validate the repository, then read one version document by document:
    (version, the version's inventory, an iterator of (document, annotation set) in id
    order; a document without annotations gets an empty set). Memory does not grow
    with the corpus: one document and its annotations are held at a time."""
    version, inventory, paths = stream_checked_paths(layout, version)
    return version, inventory, (read_pair(layout, version, d, a) for d, a in paths)


def stream_checked_paths(layout: Layout, version: str | None
                         ) -> tuple[str, Inventory, Iterator[tuple[Path, Path | None]]]:
    """``stream_checked`` as the files to read, (document record, annotation file or
    None), for readers that share the work out (``read_pair`` reads one)."""
    require_valid(layout)
    version = _versions.resolve_version(layout, version)
    inventory = load_inventory(_versions.inventory_path(layout, version))
    return version, inventory, _path_pairs(layout, version)


def _path_pairs(layout: Layout, version: str) -> Iterator[tuple[Path, Path | None]]:
    records = json_files(layout.documents)  # a valid record is named after its id
    files = _versions.iter_annotation_files(_versions.version_dir(layout, version))
    stem = attrgetter("stem")
    for doc_id, record, ann in _versions.side_by_side(records, files, key_a=stem, key_b=stem):
        if record is None:
            raise CorpusError(Problem(layout.rel(_versions.version_dir(layout, version)), "",
                                      "unknown-document",
                                      "annotations for a document not in the corpus", doc_id))
        yield record, ann


def read_pair(layout: Layout, version: str, record: Path, ann: Path | None
              ) -> tuple[Document, AnnotationSet]:
    """A document and its annotation set (an empty one when ``ann`` is None)."""
    doc = Document.from_dict(read_json(record, layout.rel(record)))
    if ann is None:
        return doc, AnnotationSet(doc.id, doc.text_sha256, version)
    return doc, AnnotationSet.from_dict(read_json(ann, layout.rel(ann)))


def diff(layout: Layout, old: str, new: str) -> tuple[str, str, list[dict]]:
    """Per-annotation differences between two versions or folders (the repository is
    validated once; the two versions are read side by side, a document at a time)."""
    if not (is_folder_name(old) and is_folder_name(new)):
        require_valid(layout)
    old_name, a = iter_version_raw(layout, old, checked=True)
    new_name, b = iter_version_raw(layout, new, checked=True)
    changes: list[dict] = []
    by_id = itemgetter("document_id")
    for doc_id, x, y in _versions.side_by_side(a, b, key_a=by_id, key_b=by_id):
        changes += diff_raw(doc_id, x, y)
    return old_name, new_name, changes


# --- writing, after checking ----------------------------------------------------------

def add_document(layout: Layout, seed: Path, language: str = "en",
                 doc_id: str | None = None, replace: bool = False) -> Path:
    return add_documents(layout, [seed], language, doc_id, replace)[0]


def add_documents(layout: Layout, paths: list[Path], language: str = "en",
                  doc_id: str | None = None, replace: bool = False) -> list[Path]:
    """Seed files, folders of them, or JSONL files of texts, added in one transaction;
    every record is checked against the document schema before anything is written."""
    schema = document_schema(current_inventory(layout))

    def check(doc: Document) -> list[Problem]:
        return schema_problems(doc.to_dict(), schema,
                               layout.rel(layout.documents / f"{doc.id}.json"))

    with session(layout, "add-document"):
        return add_many(layout, paths, language, doc_id, replace, check)


def init_draft(layout: Layout, source: str, force: bool = False) -> list[Path]:
    with session(layout, "init-draft"):
        return _versions.init_draft(layout, source, force)


def start_draft(layout: Layout, doc_ids: list[str] | None = None) -> list[Path]:
    """Empty draft annotation files for new documents (the others are left alone)."""
    with session(layout, "draft start"):
        return _versions.start_draft(layout, doc_ids)


def release(layout: Layout, version: str, message: str, date: str | None = None) -> Path:
    """Check the arguments, validate the repository, then freeze the draft."""
    _versions.check_release_args(version, message, date)
    with session(layout, "release"):
        require_valid(layout)
        return _versions.create_release(layout, version, message, date)


def generated_schemas(layout: Layout) -> dict[Path, dict]:
    inventory = current_inventory(layout)
    schemas = {layout.annotation_schema: annotation_schema(inventory),
               layout.document_schema: document_schema(inventory)}
    for schema in schemas.values():
        check_metaschema(schema)
    return schemas


def stale_schemas(layout: Layout, write: bool = False) -> list[Path]:
    """The schema files that differ from what the inventory gives (rewritten if asked)."""
    stale = []
    for path, schema in generated_schemas(layout).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != dumps(schema):
            stale.append(path)
            if write:
                write_json(path, schema)
    return stale


def guidelines_stale(layout: Layout, write: bool = False) -> bool:
    """Whether the generated tables of the guidelines are stale (rewritten if asked)."""
    current = layout.guidelines.read_text(encoding="utf-8")
    new = render_guidelines(current, current_inventory(layout))
    if write and new != current:
        atomic_write_text(layout.guidelines, new)
    return new != current
