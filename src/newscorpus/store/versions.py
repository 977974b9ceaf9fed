"""The versioned annotation store.

``annotations/draft/`` holds the working draft that edits go into. A release copies the
draft into ``annotations/releases/<version>/`` together with a snapshot of the label
inventory it was made with and a ``MANIFEST.json`` of sha256 checksums; the manifest's
own checksum is recorded in ``annotations/releases.json``. Released files are never
written again: ``validate`` reports ``release-modified`` if one was edited.

Versions are semantic: major for an inventory or schema change, minor when
annotations are added, patch for corrections only."""
from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from packaging.version import InvalidVersion, Version

from newscorpus.errors import CorpusError, Problem
from newscorpus.store.jsonio import dumps, new_file_mode, read_json, write_json
from newscorpus.store.transaction import Transaction
from newscorpus.model import LAYERS, AnnotationSet
from newscorpus.store.diff import diff_sets, restamp
from newscorpus.store.cache import file_sha256
from newscorpus.store.paths import Layout, json_files

DRAFT = "draft"
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")  # used with fullmatch
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # used with fullmatch
MANIFEST = "MANIFEST.json"
INVENTORY_SNAPSHOT = "inventory.json"




def parse_version(text: str, shown: str = "version") -> Version:
    if not isinstance(text, str) or not SEMVER.fullmatch(text):
        raise CorpusError(Problem(shown, "", "version-format",
                                  "a release version is MAJOR.MINOR.PATCH (for example 1.0.0)", text))
    try:
        return Version(text)
    except InvalidVersion:  # pragma: no cover - the pattern is stricter
        raise CorpusError(Problem(shown, "", "version-format", "not a version", text)) from None


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    manifest_sha256: str

    @property
    def key(self) -> Version:
        return Version(self.version)


def read_index(layout: Layout) -> list[Release]:
    """The released versions, oldest first."""
    if not layout.release_index.exists():
        return []
    data = read_json(layout.release_index, layout.rel(layout.release_index))
    shown = layout.rel(layout.release_index)
    try:
        releases = [Release(r["version"], r["date"], r["manifest_sha256"]) for r in data["releases"]]
    except (KeyError, TypeError):
        raise CorpusError(Problem(shown, "/releases", "release-index",
                                  "each release needs version, date and manifest_sha256")) from None
    for n, r in enumerate(releases):
        if not isinstance(r.version, str) or not SEMVER.fullmatch(r.version):
            raise CorpusError(Problem(shown, f"/releases/{n}/version", "release-index",
                                      "not a release version (MAJOR.MINOR.PATCH)", str(r.version)))
    return sorted(releases, key=lambda r: Version(r.version))


def latest_release(layout: Layout) -> Release | None:
    releases = read_index(layout)
    return releases[-1] if releases else None


def version_dir(layout: Layout, version: str) -> Path:
    if version == DRAFT:
        return layout.draft
    return layout.releases / version


def resolve_version(layout: Layout, version: str | None) -> str:
    """``None`` or ``latest`` -> the latest release; ``draft``; or a released version."""
    if version in (None, "latest"):
        last = latest_release(layout)
        if last is None:
            raise CorpusError(Problem(layout.rel(layout.release_index), "", "no-release",
                                      "no release yet: create one with 'newscorpus release VERSION', "
                                      "or pass --version draft"))
        return last.version
    if version == DRAFT:
        return DRAFT
    parse_version(version)
    if version not in {r.version for r in read_index(layout)}:
        known = ", ".join(r.version for r in read_index(layout)) or "none"
        raise CorpusError(Problem(layout.rel(layout.release_index), "", "unknown-version",
                                  f"no such release (released: {known})", version))
    return version


def annotation_files(folder: Path) -> list[Path]:
    return list(iter_annotation_files(folder))


def iter_annotation_files(folder: Path) -> Iterator[Path]:
    """A folder's annotation files in document id order, one Path at a time."""
    return json_files(folder, (MANIFEST, INVENTORY_SNAPSHOT))


def load_sets(layout: Layout, version: str) -> dict[str, AnnotationSet]:
    """The annotation sets of a version (or ``draft``), keyed by document id.
    Validate first: this assumes well-formed files."""
    folder = version_dir(layout, version)
    if not folder.is_dir():
        raise CorpusError(Problem(layout.rel(folder), "", "file-missing", "no such annotation folder"))
    out = {}
    for path in annotation_files(folder):
        ann = AnnotationSet.from_dict(read_json(path, layout.rel(path)))
        out[ann.document_id] = ann
    return out


def iter_sets(layout: Layout, version: str) -> Iterator[AnnotationSet]:
    """The annotation sets of a version one file at a time, in file-name order
    (memory does not grow with the corpus). Validate first."""
    folder = version_dir(layout, version)
    if not folder.is_dir():
        raise CorpusError(Problem(layout.rel(folder), "", "file-missing", "no such annotation folder"))
    for path in iter_annotation_files(folder):
        yield AnnotationSet.from_dict(read_json(path, layout.rel(path)))


def load_sets_of(layout: Layout, version: str, ids: Iterable[str]) -> dict[str, AnnotationSet]:
    """The annotation sets of some documents in a version (those it has), by id: for
    comparing a pass with its gold without reading the whole version."""
    folder = version_dir(layout, version)
    out = {}
    for doc_id in sorted(set(ids)):
        path = folder / f"{doc_id}.json"
        if path.is_file():
            out[doc_id] = AnnotationSet.from_dict(read_json(path, layout.rel(path)))
    return out


def iter_raw(layout: Layout, version: str) -> Iterator[dict]:
    """``iter_sets`` as the files' JSON (no model objects: for counting). Validate first."""
    folder = version_dir(layout, version)
    if not folder.is_dir():
        raise CorpusError(Problem(layout.rel(folder), "", "file-missing", "no such annotation folder"))
    for path in iter_annotation_files(folder):
        yield read_json(path, layout.rel(path))


def iter_folder(folder: Path) -> Iterator[AnnotationSet]:
    """The annotation sets of any folder one at a time, in file name (document id) order."""
    for path in iter_annotation_files(folder):
        yield AnnotationSet.from_dict(read_json(path, str(path)))


def load_folder(folder: Path) -> dict[str, AnnotationSet]:
    out = {}
    for path in annotation_files(folder):
        ann = AnnotationSet.from_dict(read_json(path, str(path)))
        out[ann.document_id] = ann
    return out


def inventory_path(layout: Layout, version: str) -> Path:
    """The inventory an annotation version was made with: a release's own snapshot,
    or the current inventory for the draft."""
    if version == DRAFT:
        return layout.inventory
    return version_dir(layout, version) / INVENTORY_SNAPSHOT


def _stamp(draft: AnnotationSet, previous: AnnotationSet | None, version: str) -> AnnotationSet:
    """The draft's annotations stamped with the version that introduced and last changed
    them (unchanged ones keep their provenance)."""
    stamped = restamp(
        draft, previous,
        changed=lambda item, old: replace(item.provenance, changed_in=version,
                                          introduced_in=old.provenance.introduced_in or version),
        added=lambda item: replace(item.provenance, introduced_in=version, changed_in=version))
    return replace(stamped, version=version)


def write_draft(layout: Layout, sets: dict[str, AnnotationSet]) -> None:
    for doc_id, ann in sorted(sets.items()):
        write_json(layout.draft / f"{doc_id}.json", replace(ann, version=DRAFT).to_dict())


def init_draft(layout: Layout, from_version: str, force: bool = False) -> list[Path]:
    """Replace the draft with a copy of a release (or start an empty one per document)."""
    existing = annotation_files(layout.draft)
    if existing and not force:
        raise CorpusError(Problem(layout.rel(layout.draft), "", "draft-exists",
                                  "the draft already has files; pass --force to replace them"))
    if from_version == "empty":
        from newscorpus.store.documents import load_documents
        sets = {d.id: AnnotationSet(d.id, d.text_sha256, DRAFT) for d in load_documents(layout).values()}
    else:
        version = resolve_version(layout, from_version)
        sets = load_sets(layout, version)
    txn = Transaction(layout)
    for path in existing:
        if path.stem not in sets:
            txn.delete(path)
    _stage_draft(txn, layout, sets)
    txn.commit()
    return [layout.draft / f"{d}.json" for d in sorted(sets)]


def start_draft(layout: Layout, doc_ids: list[str] | None = None) -> list[Path]:
    """Start an empty draft annotation file for each named document (default: every
    document that has none yet); existing draft files are never touched."""
    from newscorpus.store.documents import iter_documents

    have = {p.stem for p in annotation_files(layout.draft)}
    docs = {d.id: d.text_sha256 for d in iter_documents(layout)}
    wanted = list(doc_ids) if doc_ids else sorted(set(docs) - have)
    problems = [Problem(layout.rel(layout.documents), "", "unknown-document",
                        "no such document in the corpus", d) for d in wanted if d not in docs]
    problems += [Problem(layout.rel(layout.draft / f"{d}.json"), "", "draft-exists",
                         "this document already has a draft annotation file", d)
                 for d in wanted if d in have]
    if problems:
        raise CorpusError(problems)
    txn = Transaction(layout)
    _stage_draft(txn, layout, {d: AnnotationSet(d, docs[d], DRAFT) for d in wanted})
    txn.commit()
    return [layout.draft / f"{d}.json" for d in wanted]


def label_sets(path: Path) -> dict:
    """What a model trained on a version depends on: every layer's labels in order (the
    ClassLabel ids) and each event type's roles. Definitions and examples are not in it:
    rewording them needs a minor release, changing this a major one."""
    data = read_json(path)
    out = {}
    for layer, items in sorted(data.items()) if isinstance(data, dict) else ():
        if isinstance(items, list):
            out[layer] = [(i.get("label"), tuple(i.get("roles", ()))) for i in items if isinstance(i, dict)]
    return out


def _bump_problems(layout: Layout, version: Version, last: Release | None, added: int) -> list[Problem]:
    """The version against the last release: higher; major for a changed inventory;
    at least minor when annotations (by document and id) were added."""
    shown = layout.rel(layout.release_index)
    if last is None:
        return []
    lv = Version(last.version)
    if version <= lv:
        return [Problem(shown, "/releases", "version-not-higher",
                        f"release {version} is not higher than the last release {lv}", str(version))]
    problems = []
    old_inventory = inventory_path(layout, last.version)
    text_changed = file_sha256(layout.inventory) != file_sha256(old_inventory)
    labels_changed = text_changed and label_sets(layout.inventory) != label_sets(old_inventory)
    if labels_changed and version.major == lv.major:
        problems.append(Problem(shown, "/releases", "version-bump",
                                f"the label inventory changed since {lv}: a major release is required",
                                str(version)))
    elif text_changed and (version.major, version.minor) == (lv.major, lv.minor):
        problems.append(Problem(shown, "/releases", "version-bump",
                                f"the inventory's definitions changed since {lv}: at least a minor "
                                "release is required", str(version)))
    if added and (version.major, version.minor) == (lv.major, lv.minor):
        problems.append(Problem(shown, "/releases", "version-bump",
                                f"{added} annotations were added since {lv}: a minor release is required",
                                str(version)))
    return problems


def check_release_args(version: str, message: str, date: str | None) -> tuple[Version, str]:
    """The release's version, message and date, checked before anything is read."""
    v = parse_version(version)
    date = date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    try:
        if not DATE.fullmatch(date):
            raise ValueError(date)
        _dt.date.fromisoformat(date)
    except ValueError:
        raise CorpusError(Problem("--date", "", "date-format", "expected YYYY-MM-DD", date)) from None
    if not message or not message.strip():
        raise CorpusError(Problem("--message", "", "changelog-message", "a release needs a changelog message"))
    return v, date


def create_release(layout: Layout, version: str, message: str, date: str | None = None) -> Path:
    """Freeze the draft as a release, in one transaction: the release folder, the index,
    the changelog, CITATION.cff and the restamped draft. The draft and the previous
    release are read side by side, one document at a time (memory does not grow with
    the corpus). The caller validates the repository first (``corpus.release``)."""
    v, date = check_release_args(version, message, date)
    last = latest_release(layout)
    target = version_dir(layout, version)
    txn = Transaction(layout)
    try:
        tally = _stage_documents(txn, layout, txn.new_folder(target), version, last)
        if not tally.documents:
            raise CorpusError(Problem(layout.rel(layout.draft), "", "draft-empty",
                                      "the draft has no annotation files"))
        problems = _bump_problems(layout, v, last, tally.added)
        if target.exists():
            problems.append(Problem(layout.rel(target), "", "release-exists",
                                    "this release already exists", version))
        if problems:
            raise CorpusError(problems)
        _stage_release_files(txn, layout, tally, version, date, message.strip(), last)
    except BaseException:
        txn.abort()
        raise
    txn.commit()
    return target


@dataclass
class _Tally:
    """What staging a release's documents found: the release folder, its files'
    checksums, the documents, the annotations added and the changes by layer."""
    folder: Path
    files: dict[str, str]
    documents: int = 0
    added: int = 0
    summary: dict[str, dict[str, int]] | None = None


def side_by_side(a: Iterable, b: Iterable, key_a: Callable = lambda x: x.document_id,
                 key_b: Callable = lambda y: y.document_id) -> Iterator[tuple[str, Any, Any]]:
    """Two streams ordered by document id, merged: (document id, item of ``a`` or None,
    item of ``b`` or None), one document at a time."""
    a, b = iter(a), iter(b)
    x, y = next(a, None), next(b, None)
    while x is not None or y is not None:
        if y is None or (x is not None and key_a(x) < key_b(y)):
            yield key_a(x), x, None
            x = next(a, None)
        elif x is None or key_b(y) < key_a(x):
            yield key_b(y), None, y
            y = next(b, None)
        else:
            yield key_a(x), x, y
            x, y = next(a, None), next(b, None)


def _stage_documents(txn: Transaction, layout: Layout, folder: Path, version: str,
                     last: Release | None) -> _Tally:
    """Stamp and stage each draft file (release folder and draft), one at a time."""
    tally = _Tally(folder, {}, summary={layer: {"added": 0, "removed": 0, "changed": 0}
                                        for layer in LAYERS})
    previous_sets = iter_sets(layout, last.version) if last else ()
    for doc_id, previous, draft in side_by_side(previous_sets, iter_sets(layout, DRAFT)):
        stamped = _stamp(draft, previous, version) if draft is not None else None
        for change in diff_sets({doc_id: previous} if previous else {},
                                {doc_id: stamped} if stamped else {}):
            tally.summary[change["layer"]][change["change"]] += 1
            tally.added += change["change"] == "added"
        if stamped is None:
            continue
        tally.documents += 1
        path = folder / f"{doc_id}.json"
        data = stamped.to_dict()
        _write_new(path, dumps(data))
        tally.files[path.name] = file_sha256(path)
        txn.write_json(layout.draft / f"{doc_id}.json", {**data, "version": DRAFT})
    return tally


def _stage_release_files(txn: Transaction, layout: Layout, tally: _Tally, version: str,
                         date: str, message: str, last: Release | None) -> None:
    """The inventory snapshot and manifest, the index, the changelog, CITATION.cff."""
    shutil.copyfile(layout.inventory, tally.folder / INVENTORY_SNAPSHOT)
    os.chmod(tally.folder / INVENTORY_SNAPSHOT, new_file_mode())
    tally.files[INVENTORY_SNAPSHOT] = file_sha256(tally.folder / INVENTORY_SNAPSHOT)
    manifest = {"version": version, "date": date, "message": message,
                "previous": last.version if last else None,
                "files": dict(sorted(tally.files.items()))}
    _write_new(tally.folder / MANIFEST, dumps(manifest))
    releases = read_index(layout) + [Release(version, date, file_sha256(tally.folder / MANIFEST))]
    txn.write_json(layout.release_index, {"releases": [
        {"version": r.version, "date": r.date, "manifest_sha256": r.manifest_sha256}
        for r in releases]})
    txn.write_text(layout.changelog, _changelog_text(layout, version, date, message,
                                                     tally.summary, last))
    if layout.citation.exists():
        txn.write_text(layout.citation, _citation_text(layout, version, date))


def _write_new(path: Path, content: str) -> None:
    path.write_text(content, encoding="utf-8", newline="\n")
    os.chmod(path, new_file_mode())


def _stage_draft(txn: Transaction, layout: Layout, sets: dict[str, AnnotationSet]) -> None:
    for doc_id, ann in sorted(sets.items()):
        txn.write_json(layout.draft / f"{doc_id}.json", replace(ann, version=DRAFT).to_dict())


def _changelog_text(layout: Layout, version: str, date: str, message: str,
                    summary: dict, last: Release | None) -> str:
    """CHANGELOG.md with the release's entry added on top."""
    head = "# Changelog of the annotations\n\nEach entry is one release, newest first, written by `newscorpus release`.\n"
    old = layout.changelog.read_text(encoding="utf-8") if layout.changelog.exists() else head
    if not old.startswith("# "):
        old = head + "\n" + old
    title, _, rest = old.partition("\n")
    lines = [f"## {version} — {date}", "", message, ""]
    against = f"against {last.version}" if last else "first release"
    lines.append(f"Changes ({against}):")
    lines.append("")
    for layer in LAYERS:
        counts = summary.get(layer, {})
        lines.append(f"- {layer}: {counts.get('added', 0)} added, {counts.get('removed', 0)} removed, "
                     f"{counts.get('changed', 0)} changed")
    entry = "\n".join(lines) + "\n"
    body = rest.lstrip("\n")
    # keep the intro paragraph on top, entries below it
    intro, sep, entries = body.partition("\n## ")
    if sep:
        new = f"{title}\n\n{intro.rstrip()}\n\n{entry}\n## {entries}"
    else:
        new = f"{title}\n\n{body.rstrip()}\n\n{entry}"
    return new


def _citation_text(layout: Layout, version: str, date: str) -> str:
    """CITATION.cff with its version and date-released in step with the release."""
    text = layout.citation.read_text(encoding="utf-8")
    text, n1 = re.subn(r"(?m)^version: .*$", f'version: "{version}"', text)
    text, n2 = re.subn(r"(?m)^date-released: .*$", f'date-released: "{date}"', text)
    if not n1:
        text = text.rstrip("\n") + f'\nversion: "{version}"\n'
    if not n2:
        text = text.rstrip("\n") + f'\ndate-released: "{date}"\n'
    return text


def verify_release(layout: Layout, release: Release,
                   file_sha256: Callable[[Path], str] = file_sha256) -> list[Problem]:
    """Checksums of a released folder against its manifest and the index (``file_sha256``:
    how a file's hash is had, for example from the validation cache)."""
    folder = version_dir(layout, release.version)
    shown_index = layout.rel(layout.release_index)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [Problem(layout.rel(manifest_path), "", "release-modified",
                        "the release's manifest is missing", release.version)]
    problems = []
    if file_sha256(manifest_path) != release.manifest_sha256:
        problems.append(Problem(layout.rel(manifest_path), "", "release-modified",
                                f"manifest checksum differs from the one recorded in {shown_index}",
                                release.version))
    manifest = read_json(manifest_path, layout.rel(manifest_path))
    listed = manifest.get("files", {}) if isinstance(manifest, dict) else {}
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST}
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(Problem(layout.rel(path), "", "release-modified",
                                    "a released file is missing", name))
        elif file_sha256(path) != digest:
            problems.append(Problem(layout.rel(path), "", "release-modified",
                                    f"released file was edited after release {release.version} "
                                    "(checksum differs from MANIFEST.json); released files are never "
                                    "edited: make corrections in the draft and release a new version",
                                    name))
    for name in sorted(present - set(listed)):
        problems.append(Problem(layout.rel(folder / name), "", "release-modified",
                                "file added to a released version", name))
    return problems
