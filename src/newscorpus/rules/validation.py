"""The validator: the JSON Schema first (with ``jsonschema``), then named semantic checks.

Every problem is reported, one per line: file, JSON pointer, check name, message and
the offending text. Each check is a row of ``newscorpus.rules.checks`` (scopes ``file``
and ``repository``), documented in docs/checks.md. ``check_annotation`` runs the
checks of one annotation file, each group in its own function below; ``check_document``
those of a document record; ``validate_repository`` everything.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass
from itertools import chain
from typing import Any, Iterable, Iterator

from jsonschema import Draft202012Validator

from newscorpus.errors import CorpusError, Problem
from newscorpus.rules.checks import registered
from newscorpus.rules.inventory import Inventory, load_inventory
from newscorpus.store.jsonio import dumps, read_json
from newscorpus.model import LAYERS, sha256_text
from newscorpus.store.cache import Cache
from newscorpus.store.paths import Layout, json_files
from newscorpus.store.passes import check_pass_index, pass_folders
from newscorpus.rules.engine import (DocumentIndex, Job, check_jobs_cached, record_key,
                                     record_passed, run_jobs, seed_extra)
from newscorpus.rules.schema import annotation_schema, document_schema

LABEL_FIELDS = {"type", "kind", "role", "realis", "polarity"}


def pointer(path: Iterable[Any]) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


def _short(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _cut(message: str) -> str:
    return message[:197] + "..." if len(message) > 200 else message


@lru_cache(maxsize=16)
def _validators(schema_text: str) -> tuple[Any, Any]:
    """``jsonschema``'s validator of a schema, and ``jsonschema-rs``'s compiled one (the
    fast path that only says yes or no) when it is installed."""
    schema = json.loads(schema_text)
    try:
        import jsonschema_rs
        fast = jsonschema_rs.validator_for(schema)
    except ImportError:  # pragma: no cover - a declared dependency
        fast = None
    return Draft202012Validator(schema), fast


def schema_problems(data: Any, schema: dict, shown: str) -> list[Problem]:
    """schema-<keyword> for each failing keyword; unknown-label for a label field.
    A valid instance is recognised by the compiled validator; only an invalid one is
    walked by ``jsonschema`` for its detailed messages."""
    validator, fast = _validators(json.dumps(schema, sort_keys=True))
    if fast is not None and fast.is_valid(data):
        return []
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        path = list(error.absolute_path)
        ptr, text = pointer(path), _short(error.instance)
        if error.validator == "enum" and path and str(path[-1]) in LABEL_FIELDS:
            problems.append(Problem(shown, ptr, "unknown-label", f"{path[-1]} is not in the label inventory", text))
            continue
        message = error.message
        if error.validator == "type":
            message = f"expected {error.validator_value}, found {type(error.instance).__name__}"
        problems.append(Problem(shown, ptr, registered(f"schema-{error.validator}"), _cut(message), text))
    return problems


def _items(data: dict, layer: str) -> list:
    """A layer's list of objects ([] if it is not a list: the schema reports that)."""
    items = data.get(layer)
    return items if isinstance(items, list) else []


def _bad_prefixes(problems: list[Problem]) -> set[str]:
    return {p.location for p in problems}


def _is_bad(ptr: str, bad: set[str]) -> bool:
    return any(b == ptr or b.startswith(ptr + "/") for b in bad)


def _span_problems(shown: str, ptr: str, span: dict, text: str) -> list[Problem]:
    start, end, got = span["start"], span["end"], span["text"]
    if start >= end:
        return [Problem(shown, ptr, "span-empty-or-inverted",
                        f"start {start} must be smaller than end {end}", got)]
    if end > len(text):
        return [Problem(shown, ptr, "offset-out-of-range",
                        f"span [{start}, {end}) ends past the end of the text (length {len(text)})", got)]
    problems = []
    actual = text[start:end]
    if actual != got:
        problems.append(Problem(shown, ptr + "/text", "span-text-mismatch",
                                f"text differs from text[{start}:{end}] = {actual!r}", got))
    if actual != actual.strip():
        problems.append(Problem(shown, ptr, "span-whitespace",
                                f"span [{start}, {end}) starts or ends with whitespace", actual))
    return problems


@dataclass
class _Context:
    """What the checks of one annotation file share: where it is shown, the document
    text its offsets refer to (None if unknown), the JSON pointers the schema already
    rejected, the ids by layer, the inventory."""

    shown: str
    text: str | None
    bad: set[str]
    kinds: dict[str, str]  # id -> layer
    objects: dict[str, dict]  # id -> object
    inventory: Inventory

    def ref(self, ptr: str, target: Any, layer: str, problems: list[Problem]) -> dict | None:
        """dangling-reference and reference-wrong-kind: the object ``target`` names in ``layer``."""
        if not isinstance(target, str):
            return None
        if target not in self.kinds:
            problems.append(Problem(self.shown, ptr, "dangling-reference",
                                    f"no object with this id (expected one in {layer})", target))
            return None
        if self.kinds[target] != layer:
            problems.append(Problem(self.shown, ptr, "reference-wrong-kind",
                                    f"refers to an object in {self.kinds[target]}, expected one in {layer}", target))
            return None
        return self.objects[target]

    def spans(self, ptr: str, span: dict) -> list[Problem]:
        return _span_problems(self.shown, ptr, span, self.text) if self.text is not None else []


def check_annotation(data: Any, shown: str, inventory: Inventory,
                     documents: dict[str, dict] | None, expected_version: str | None = None,
                     file_stem: str | None = None) -> list[Problem]:
    """All problems of one annotation file (already parsed), in the order: schema,
    document, version, ids, mentions, entities, events, quotes."""
    problems = schema_problems(data, annotation_schema(inventory), shown)
    if not isinstance(data, dict):
        return problems
    bad = _bad_prefixes(problems)
    text, found = check_document_reference(data, shown, documents, file_stem)
    problems += found
    problems += check_version_field(data, shown, expected_version)
    kinds, objects, found = check_ids(data, shown)
    problems += found
    ctx = _Context(shown, text, bad, kinds, objects, inventory)
    problems += check_mentions(data, ctx)
    problems += check_orphan_entities(data, shown)
    problems += check_personal_data(data, shown)
    problems += check_events(data, ctx)
    problems += check_quotes(data, ctx)
    return problems


def check_document_reference(data: dict, shown: str, documents: dict[str, dict] | None,
                             file_stem: str | None) -> tuple[str | None, list[Problem]]:
    """document-file-name, unknown-document, text-hash-mismatch; and the text the
    offsets refer to (None when it is not known)."""
    doc_id = data.get("document_id")
    if not isinstance(doc_id, str) or documents is None:
        return None, []
    problems = []
    if file_stem is not None and file_stem != doc_id:
        problems.append(Problem(shown, "/document_id", "document-file-name",
                                f"file name must be {doc_id}.json", doc_id))
    doc = documents.get(doc_id)
    if doc is None:
        problems.append(Problem(shown, "/document_id", "unknown-document",
                                "no document with this id in corpus/documents", doc_id))
        return None, problems
    text = doc["text"]
    if isinstance(data.get("text_sha256"), str) and data["text_sha256"] != sha256_text(text):
        problems.append(Problem(
            shown, "/text_sha256", "text-hash-mismatch",
            "the annotations were made on another text than the document's current text "
            f"(document sha256 {sha256_text(text)[:12]}...); re-anchor them before use",
            data["text_sha256"]))
        return None, problems  # offsets mean nothing on another text
    return text, problems


def check_version_field(data: dict, shown: str, expected_version: str | None) -> list[Problem]:
    """version-mismatch: the version field against the folder the file is in."""
    if expected_version is not None and isinstance(data.get("version"), str) \
            and data["version"] != expected_version:
        return [Problem(shown, "/version", "version-mismatch",
                        f"file in the {expected_version} folder says version {data['version']}",
                        data["version"])]
    return []


def check_ids(data: dict, shown: str) -> tuple[dict[str, str], dict[str, dict], list[Problem]]:
    """duplicate-id; and the ids of the file, by layer (the first use of an id wins)."""
    kinds: dict[str, str] = {}
    objects: dict[str, dict] = {}
    problems = []
    for layer in ("entities", "mentions", "events", "quotes"):
        items = data.get(layer)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item["id"] in kinds:
                problems.append(Problem(shown, f"/{layer}/{i}/id", "duplicate-id",
                                        f"id already used by an object in {kinds[item['id']]}", item["id"]))
            else:
                kinds[item["id"]] = layer
                objects[item["id"]] = item
    return kinds, objects, problems


def check_mentions(data: dict, ctx: _Context) -> list[Problem]:
    """The spans of the mentions, their entity references, entity-type-mismatch."""
    problems: list[Problem] = []
    for i, m in enumerate(_items(data, "mentions")):
        ptr = f"/mentions/{i}"
        if _is_bad(ptr, ctx.bad) or not isinstance(m, dict):
            continue
        problems += ctx.spans(ptr, m)
        ent = ctx.ref(ptr + "/entity", m["entity"], "entities", problems)
        if ent is not None and ent.get("type") != m["type"] and not _is_bad(
                f"/entities/{data['entities'].index(ent)}", ctx.bad):
            problems.append(Problem(ctx.shown, ptr + "/type", "entity-type-mismatch",
                                    f"mention type {m['type']} differs from its entity's type {ent.get('type')}",
                                    m["text"]))
    return problems


def check_orphan_entities(data: dict, shown: str) -> list[Problem]:
    """orphan-entity: an entity no mention refers to (mentions the schema rejected count)."""
    used = {m["entity"] for m in _items(data, "mentions")
            if isinstance(m, dict) and isinstance(m.get("entity"), str)}
    return [Problem(shown, f"/entities/{i}", "orphan-entity", "no mention refers to this entity", e.get("name"))
            for i, e in enumerate(_items(data, "entities"))
            if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"] not in used]


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def check_personal_data(data: dict, shown: str) -> list[Problem]:
    """personal-data: an e-mail address in an annotation's provenance (annotators are
    stored as pseudonyms)."""
    problems = []
    for layer in LAYERS:
        for i, item in enumerate(_items(data, layer)):
            prov = item.get("provenance") if isinstance(item, dict) else None
            for key, value in (prov.items() if isinstance(prov, dict) else ()):
                if isinstance(value, str) and EMAIL.search(value):
                    problems.append(Problem(shown, f"/{layer}/{i}/provenance/{key}", "personal-data",
                                            "an e-mail address in the provenance: annotators are "
                                            "recorded as pseudonyms", EMAIL.search(value).group()))
    return problems


def check_events(data: dict, ctx: _Context) -> list[Problem]:
    """The trigger spans, the argument references, role-not-allowed."""
    problems: list[Problem] = []
    for i, v in enumerate(_items(data, "events")):
        ptr = f"/events/{i}"
        if _is_bad(ptr, ctx.bad) or not isinstance(v, dict):
            continue
        problems += ctx.spans(ptr + "/trigger", v["trigger"])
        allowed = ctx.inventory.roles_for(v["type"])
        for j, arg in enumerate(v["arguments"]):
            aptr = f"{ptr}/arguments/{j}"
            ctx.ref(aptr + "/mention", arg["mention"], "mentions", problems)
            if arg["role"] not in allowed:
                problems.append(Problem(ctx.shown, aptr + "/role", "role-not-allowed",
                                        f"{v['type']} allows only the roles {', '.join(allowed)}", arg["role"]))
    return problems


def check_quotes(data: dict, ctx: _Context) -> list[Problem]:
    """The content and cue spans of the quotes, their speaker references."""
    problems: list[Problem] = []
    for i, q in enumerate(_items(data, "quotes")):
        ptr = f"/quotes/{i}"
        if _is_bad(ptr, ctx.bad) or not isinstance(q, dict):
            continue
        problems += ctx.spans(ptr + "/content", q["content"])
        if q.get("cue"):
            problems += ctx.spans(ptr + "/cue", q["cue"])
        if q.get("speaker") is not None:
            ctx.ref(ptr + "/speaker", q["speaker"], "mentions", problems)
    return problems


def check_document(data: Any, shown: str, inventory: Inventory, layout: Layout,
                   file_stem: str | None = None) -> list[Problem]:
    problems = schema_problems(data, document_schema(inventory), shown)
    if problems or not isinstance(data, dict):
        return problems
    text = data["text"]
    if file_stem is not None and file_stem != data["id"]:
        problems.append(Problem(shown, "/id", "document-file-name",
                                f"file name must be {data['id']}.json", data["id"]))
    if sha256_text(text) != data["text_sha256"]:
        problems.append(Problem(shown, "/text_sha256", "document-hash-mismatch",
                                f"sha256 of the text is {sha256_text(text)}", data["text_sha256"]))
    seed = layout.root / data["source"]["seed_file"]
    if not seed.is_file():
        problems.append(Problem(shown, "/source/seed_file", "seed-mismatch", "seed file not found",
                                data["source"]["seed_file"]))
    else:
        raw = seed.read_bytes()
        if hashlib.sha256(raw).hexdigest() != data["source"]["seed_sha256"]:
            problems.append(Problem(shown, "/source/seed_sha256", "seed-mismatch",
                                    "the seed file's sha256 differs from the recorded one",
                                    data["source"]["seed_file"]))
        elif raw.decode("utf-8") != text:
            problems.append(Problem(shown, "/text", "seed-mismatch",
                                    "the text differs from the seed file", data["source"]["seed_file"]))
    for layer in ("paragraphs", "sentences"):
        last_end = 0
        for i, span in enumerate(data[layer]):
            s, e = span["start"], span["end"]
            if not (last_end <= s < e <= len(text)) or text[s:e] != text[s:e].strip():
                problems.append(Problem(shown, f"/{layer}/{i}", "structure-span",
                                        "span out of order, out of range, empty or with outer whitespace",
                                        text[s:e][:60] if 0 <= s < e <= len(text) else None))
            last_end = max(last_end, e)
    return problems


def _load(path: Path, layout: Layout, problems: list[Problem]) -> Any:
    try:
        return read_json(path, layout.rel(path))
    except CorpusError as exc:
        problems.extend(exc.problems)
        return None


def check_generated_files(layout: Layout, inventory: Inventory) -> list[Problem]:
    from newscorpus.rules.guidelines import render_guidelines

    problems = []
    for path, schema in ((layout.annotation_schema, annotation_schema(inventory)),
                         (layout.document_schema, document_schema(inventory))):
        if not path.is_file() or path.read_text(encoding="utf-8") != dumps(schema):
            problems.append(Problem(layout.rel(path), "", "schema-out-of-date",
                                    "differs from the schema generated from schema/inventory.json; "
                                    "run 'newscorpus schema --write'"))
    if layout.guidelines.is_file():
        current = layout.guidelines.read_text(encoding="utf-8")
        if render_guidelines(current, inventory) != current:
            problems.append(Problem(layout.rel(layout.guidelines), "", "guidelines-out-of-date",
                                    "the generated label tables differ from schema/inventory.json; "
                                    "run 'newscorpus guidelines --write'"))
    return problems


def check_document_records(layout: Layout, inventory: Inventory, cache: Cache | None = None
                           ) -> tuple[DocumentIndex, list[Problem]]:
    """The problems of every document record in corpus/documents, and an index of the
    records that annotations can be checked against (an id and a text), by id. A
    record that passed before with the same content, seed and inventory is not read."""
    cache = cache or Cache(layout)
    problems: list[Problem] = []
    paths: dict[str, str] = {}
    for path in json_files(layout.documents):
        key = record_key(cache, path, layout.inventory)
        if record_passed(cache, layout, key):
            paths[path.stem] = str(path)  # a valid record is named after its id
            continue
        data = _load(path, layout, problems)
        if data is None:
            continue
        found = check_document(data, layout.rel(path), inventory, layout, path.stem)
        problems += found
        if not found:
            cache.record_pass(key, seed_extra(cache, layout, data))
        if isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("text"), str):
            paths[data["id"]] = str(path)
    return DocumentIndex(paths), problems


def validate_folder(layout: Layout, folder: Path, inventory: Inventory,
                    documents: DocumentIndex, expected_version: str | None,
                    cache: Cache | None = None, inventory_path: Path | None = None) -> list[Problem]:
    jobs = folder_jobs(layout, folder, inventory_path or layout.inventory, expected_version)
    if cache is None:
        return [p for found in run_jobs(check_annotation, jobs, documents) for p in found]
    return check_jobs_cached(check_annotation, layout, cache, jobs, documents)


def folder_jobs(layout: Layout, folder: Path, inventory_path: Path,
                expected_version: str | None) -> list[Job]:
    return list(iter_folder_jobs(layout, folder, inventory_path, expected_version))


def iter_folder_jobs(layout: Layout, folder: Path, inventory_path: Path,
                     expected_version: str | None) -> Iterator[Job]:
    """The jobs of a folder's annotation files, made one at a time."""
    from newscorpus.store.versions import iter_annotation_files

    shown_folder = layout.rel(folder)
    for path in iter_annotation_files(folder):
        # the folder's shown name plus the file's (a symbolic link: where it leads)
        shown = layout.rel(path) if os.path.islink(path) else f"{shown_folder}/{path.name}"
        yield Job(str(path), shown, str(inventory_path), expected_version, path.stem)


def validate_repository(layout: Layout, include_passes: bool = True) -> list[Problem]:
    """Every problem in the repository: inventory, generated files, documents, the
    draft, every release (against its own inventory snapshot), and the annotation
    passes kept for agreement."""
    cache = Cache(layout, prune=include_passes)  # every file looked up: the rest is stale
    try:
        problems = _validate_repository(layout, include_passes, cache)
        if not any(p.file == layout.rel(layout.inventory) for p in problems):
            cache.prune()  # (without an inventory, nothing was looked up)
    finally:
        cache.close()
    return sorted(set(problems), key=lambda p: (p.file, _ptr_key(p.location), p.check, p.message))


def _validate_repository(layout: Layout, include_passes: bool, cache: Cache) -> list[Problem]:
    try:
        inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    except CorpusError as exc:
        return exc.problems
    problems = check_generated_files(layout, inventory)
    documents, found = check_document_records(layout, inventory, cache)
    problems += found + check_id_register(layout, set(documents.paths))
    found, release_jobs = _check_releases(layout, cache)
    problems += found
    jobs = [iter_folder_jobs(layout, layout.draft, layout.inventory, "draft"), release_jobs]
    if include_passes:
        problems += _check_passes(layout)
        jobs += [iter_folder_jobs(layout, folder, layout.inventory, "draft") for folder in pass_folders(layout)]
    problems += check_adjudication_records(layout, documents)
    # every annotation file of the repository in one run (made as they are checked): spread over the cores
    return problems + check_jobs_cached(check_annotation, layout, cache, chain.from_iterable(jobs), documents)


ADJUDICATION_FORMAT = "newscorpus-adjudication/1"
_DECISION = {"decided": str, "taken": str, "passes": list, "pass_sha256": str, "draft_sha256": str}


def check_adjudication_records(layout: Layout, documents: DocumentIndex,
                               only: Iterable[str] | None = None) -> list[Problem]:
    """adjudication-record: the records of ``newscorpus adjudicate``
    (``annotations/adjudication/<document>.json``, all or ``only`` those documents')."""
    folder = layout.annotations / "adjudication"
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.json")) if only is None else [folder / f"{d}.json" for d in only]
    problems: list[Problem] = []
    for path in paths:
        if path.is_file():
            data = _load(path, layout, problems)
            if data is not None:
                problems += _record_problems(data, layout.rel(path), path.stem, documents)
    return problems


def _record_problems(data: Any, shown: str, stem: str, documents: DocumentIndex) -> list[Problem]:
    if not isinstance(data, dict) or data.get("format") != ADJUDICATION_FORMAT:
        return [Problem(shown, "/format", "adjudication-record",
                        f"not an adjudication record (format {ADJUDICATION_FORMAT})")]
    doc_id = data.get("document_id")
    record = documents.get(doc_id) if isinstance(doc_id, str) else None
    if doc_id != stem or record is None:
        return [Problem(shown, "/document_id", "adjudication-record",
                        "the record must name its file's document, a document of the corpus", str(doc_id))]
    if data.get("text_sha256") != sha256_text(record["text"]):
        return [Problem(shown, "/text_sha256", "adjudication-record",
                        "the document text changed since the adjudication", str(data.get("text_sha256")))]
    decisions = data.get("decisions")
    if not isinstance(decisions, list) or not decisions:
        return [Problem(shown, "/decisions", "adjudication-record",
                        "the record needs a non-empty list of decisions")]
    problems: list[Problem] = []
    for i, d in enumerate(decisions):
        wrong = [k for k, t in _DECISION.items() if not isinstance(d, dict) or not isinstance(d.get(k), t)]
        if wrong or not (d.get("note") is None or isinstance(d.get("note"), str)):
            problems.append(Problem(shown, f"/decisions/{i}", "adjudication-record",
                                    "a decision needs decided, taken, passes, pass_sha256, draft_sha256 and an "
                                    "optional note", ", ".join(wrong) or "note"))
        elif any(EMAIL.search(str(x)) for x in [d.get("note") or "", d["taken"], *d["passes"]]):
            problems.append(Problem(shown, f"/decisions/{i}", "adjudication-record",
                                    "an e-mail address in a decision: annotators are recorded as pseudonyms"))
    return problems


def _check_passes(layout: Layout) -> list[Problem]:
    from newscorpus.store.versions import read_index

    try:
        released = {r.version for r in read_index(layout)}
    except CorpusError:
        released = None         # reported by the release checks: nothing to check against
    return check_pass_index(layout, released)


def check_id_register(layout: Layout, documents: set[str]) -> list[Problem]:
    """id-register: annotations/ids.json, when there is one, is well formed and names
    documents of the corpus (store.idregister)."""
    from newscorpus.store.idregister import register_path, register_problems

    path = register_path(layout)
    if not path.exists():
        return []
    shown = layout.rel(path)
    try:
        data = read_json(path, shown)
    except CorpusError as exc:
        return exc.problems
    return register_problems(data, shown, documents)


def _check_releases(layout: Layout, cache: Cache) -> tuple[list[Problem], Iterator[Job]]:
    """The index and checksums of every release; the jobs that check their files (made
    when read)."""
    from newscorpus.store.versions import INVENTORY_SNAPSHOT, read_index, verify_release, version_dir

    problems: list[Problem] = []
    jobs: list[Iterator[Job]] = []
    try:
        releases = read_index(layout)
    except CorpusError as exc:
        problems += exc.problems
        releases = []
    listed = {r.version for r in releases}
    if layout.releases.is_dir():
        for folder in sorted(layout.releases.iterdir()):
            if folder.is_dir() and not folder.name.startswith(".") and folder.name not in listed:
                problems.append(Problem(layout.rel(folder), "", "release-unlisted",
                                        f"release folder not listed in {layout.rel(layout.release_index)}",
                                        folder.name))
    for release in releases:
        folder = version_dir(layout, release.version)
        if not folder.is_dir():
            problems.append(Problem(layout.rel(folder), "", "release-modified",
                                    "a released version's folder is missing", release.version))
            continue
        problems += verify_release(layout, release, cache.sha256)
        snapshot = folder / INVENTORY_SNAPSHOT
        try:
            load_inventory(snapshot, layout.rel(snapshot))
        except CorpusError as exc:
            problems += exc.problems
            continue
        jobs.append(iter_folder_jobs(layout, folder, snapshot, release.version))
    return problems, chain.from_iterable(jobs)


def _ptr_key(ptr: str) -> tuple:
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in ptr.split("/"))


def validate_file(layout: Layout, path: Path) -> list[Problem]:
    """Validate one annotation file (anywhere) against the current inventory and corpus."""
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    documents, _ = check_document_records(layout, inventory, Cache(layout))  # a record's own problems: validate
    problems: list[Problem] = []
    data = _load(Path(path), layout, problems)
    if data is not None:
        problems += check_annotation(data, layout.rel(Path(path)), inventory, documents, None, None)
    return problems
