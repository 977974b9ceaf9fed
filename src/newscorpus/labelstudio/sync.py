"""``push`` and ``pull`` against a running Label Studio server (through label_studio_sdk;
the token is read from the environment only)."""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.config import instructions_html, labeling_config, normal_xml
from newscorpus.labelstudio.importer import import_tasks, iter_export
from newscorpus.labelstudio.names import DEFAULT_PROJECT_TITLE, MODEL_VERSION, TOKEN_ENV
from newscorpus.labelstudio.passes import import_passes, measure
from newscorpus.labelstudio.tasks import Export, export_tasks
from newscorpus.rules.inventory import load_inventory
from newscorpus.store.jsonio import read_json, write_json
from newscorpus.store.paths import Layout

STATE_FILE = Path(".labelstudio") / "projects.json"
IMPORT_BATCH = 200  # tasks per import request of suggest


def _token() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise CorpusError(Problem("", "", "ls-no-token",
                                  f"set {TOKEN_ENV} to your Label Studio access token (Account & Settings "
                                  "in Label Studio); it is read from the environment only"))
    return token


def check_url(url: str) -> str:
    """``http(s)://host[:port][/path]``, without credentials, query or fragment; raises
    ``url-format`` otherwise."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        parts, port = None, None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.username or parts.password or parts.query or parts.fragment
            or any(c.isspace() for c in url) or (port is not None and not 0 < port < 65536)):
        raise CorpusError(Problem("--url", "", "url-format",
                                  "expected http://HOST[:PORT] or https://HOST[:PORT][/PATH], "
                                  "with no user, password, query or fragment", url))
    return url.rstrip("/")


def connect(url: str):
    """A label_studio_sdk client for ``url``; the token comes from the environment."""
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=check_url(url), api_key=_token(), timeout=120)


class _Api:
    """Calls into the SDK with errors turned into CorpusError (the token never shown)."""

    def __init__(self, url: str):
        self.url = check_url(url)
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


@corpus.locked("labelstudio push")
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
    project, created_project, config_updated, existing = _push_project(
        api, layout, title, project_id, (config, instructions_html(inventory)), export.version)
    to_create, replaced, unchanged, to_delete = _plan_push(api, project.id, export, existing, force)
    for task in to_delete:
        api(f"deleting task {task.id}", api.client.tasks.delete, id=str(task.id))
    if to_create:
        api("importing the tasks", api.client.projects.import_tasks, id=project.id, request=to_create,
            return_task_ids=True)
    _record_project(layout, api.url, project.title, project.id, export.version)
    created = sorted({t["data"]["document_id"] for t in to_create} - set(replaced))
    return PushResult(project.id, project.title, api.url, created_project, config_updated,
                      created, replaced, unchanged, export.version)


def _push_project(api: _Api, layout: Layout, title: str, project_id: int | None, interface: tuple[str, str],
                  version: str) -> tuple[Any, bool, bool, list]:
    """The project to push to, created or its labeling interface and instructions
    (shown before annotating) updated when needed: (project, created, interface
    updated, its tasks)."""
    config, instructions = interface
    project = _find_project(api, layout, title, project_id)
    created_project = config_updated = False
    description = (f"Generated by newscorpus from the corpus annotations (version {version}). "
                   "Pull the annotations back with 'newscorpus labelstudio pull'.")
    if project is None:
        project = api("creating the project", api.client.projects.create, title=title, label_config=config,
                      description=description, show_collab_predictions=True, model_version=MODEL_VERSION,
                      expert_instruction=instructions, show_instruction=True)
        created_project = True
        existing = []
    else:
        if normal_xml(project.label_config) != normal_xml(config) or project.expert_instruction != instructions:
            api("updating the labeling interface", api.client.projects.update, id=project.id,
                label_config=config, show_collab_predictions=True, model_version=MODEL_VERSION,
                expert_instruction=instructions, show_instruction=True)
            config_updated = True
        existing = _task_list(api, project.id)
    return project, created_project, config_updated, existing


def _plan_push(api: _Api, project_id: int, export: Export, existing: list,
               force: bool) -> tuple[list[dict], list[str], list[str], list]:
    """Which exported tasks to create, which documents' tasks they replace, which are
    unchanged, and which tasks of the project to delete first. A document's view tasks
    are replaced together (an import reads them together); tasks with annotations that
    differ from the export are a conflict unless ``force``."""
    by_doc: dict[str, list] = {}
    for task in existing:
        data = task.data or {}
        block = data.get("newscorpus") if isinstance(data, dict) else None
        if isinstance(block, dict) and block.get("document_id"):
            by_doc.setdefault(block["document_id"], []).append(task)
    new_by_doc: dict[str, list[dict]] = {}
    for task in export.tasks:
        new_by_doc.setdefault(task["data"]["document_id"], []).append(task)
    to_create, replaced, unchanged, conflicts, to_delete = [], [], [], [], []
    for doc_id, tasks in new_by_doc.items():
        olds = by_doc.get(doc_id, [])
        if olds and sorted(_fingerprint(t.data) for t in olds) == sorted(_fingerprint(t["data"]) for t in tasks):
            unchanged.append(doc_id)
            continue
        worked = [t for t in olds if (t.total_annotations or 0) + (t.cancelled_annotations or 0) > 0]
        if worked and not force:
            conflicts.append(Problem(api.url, f"project {project_id}, task {worked[0].id}", "ls-push-conflict",
                                     f"document {doc_id} has a task with annotations that differs from "
                                     f"the export of {export.version}; pull the annotations first, or "
                                     "pass --force to replace the task (its annotations are deleted)", doc_id))
            continue
        to_delete += olds
        to_create += tasks
        if olds:
            replaced.append(doc_id)
    if conflicts:
        raise CorpusError(conflicts)
    return to_create, replaced, unchanged, to_delete


@dataclass
class PullResult:
    project_id: int
    title: str
    url: str
    tasks: int
    imported: Any  # ImportResult, or PassesResult (with its agreement) with passes
    saved: Path | None


@corpus.locked("labelstudio pull")
def pull(layout: Layout, url: str, title: str = DEFAULT_PROJECT_TITLE, project_id: int | None = None,
         save: Path | None = None, dry_run: bool = False, force: bool = False,
         allow_deletions: bool = False, passes: bool = False) -> PullResult:
    """Fetch the project's JSON export (tasks with annotations) and import it into the
    draft, or with ``passes`` keep every annotator's annotation as a pass of its own
    (and measure the agreement between those passes). The export is streamed to a
    temporary file and read one task at a time."""
    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    api = _Api(url)
    project = _find_project(api, layout, title, project_id)
    if project is None:
        raise CorpusError(Problem(api.url, "", "ls-no-project",
                                  f"no project titled {title!r}; push first, or pass --project-id", title))
    shown = f"{api.url} project {project.id}"
    if normal_xml(project.label_config) != normal_xml(labeling_config(inventory)):
        raise CorpusError(Problem(shown, "", "ls-wrong-interface",
                                  f"project {project.id} ({project.title!r}) does not use the labeling "
                                  "interface generated from schema/inventory.json: another project, or "
                                  "the inventory changed since the push"))
    with _downloaded(api, layout, project.id, save) as path:
        tasks = _Counted(iter_export(path, shown))
        if passes:
            result = measure(layout, import_passes(layout, tasks, shown, dry_run=dry_run))
        else:
            result = import_tasks(layout, tasks, shown, dry_run=dry_run, force=force,
                                  allow_deletions=allow_deletions)
    return PullResult(project.id, project.title, api.url, tasks.count, result,
                      Path(save) if save is not None else None)


class _Counted:
    """An iterator that counts what it gave."""

    def __init__(self, items):
        self.items, self.count = iter(items), 0

    def __iter__(self):
        return self

    def __next__(self):
        item = next(self.items)
        self.count += 1
        return item


@contextmanager
def _downloaded(api: _Api, layout: Layout, project_id: int, save: Path | None):
    """The project's JSON export written chunk by chunk to a temporary file (also to
    ``save`` if given), removed afterwards."""
    import shutil
    import tempfile

    from newscorpus.store.lock import state_dir

    folder = state_dir(layout)
    folder.mkdir(exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="ls-export-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            def fetch() -> None:
                for chunk in api.client.projects.exports.download_sync(id=project_id, export_type="JSON",
                                                                       download_all_tasks=False):
                    handle.write(chunk)

            api("exporting the annotations", fetch)
        if save is not None:
            part = Path(f"{save}.part")
            shutil.copyfile(name, part)
            os.replace(part, save)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


@dataclass
class SuggestResult:
    project_id: int
    title: str
    url: str
    version: str
    model_version: str
    names: int
    created: list[str]  # documents whose task was created with the suggestions
    updated: list[str]  # documents whose existing task got the suggestions
    unchanged: list[str]  # documents whose task has these suggestions already


@corpus.locked("labelstudio suggest")
def push_suggestions(layout: Layout, url: str, title: str = DEFAULT_PROJECT_TITLE, project_id: int | None = None,
                     version: str | None = "latest", documents: list[str] | None = None,
                     spacy_model: str | None = None) -> SuggestResult:
    """The suggestions for the documents without annotations (``suggest.suggest_tasks``)
    sent to the project as predictions: a new task for a document that has none, else a
    prediction added to its task (replacing an older one of the same model_version)."""
    from newscorpus.labelstudio.suggest import suggest_tasks

    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    found = suggest_tasks(layout, version, documents, spacy_model)
    api = _Api(url)
    project, _, _, existing = _push_project(api, layout, title, project_id, labeling_config(inventory),
                                            found.version)
    by_doc = {}
    for task in existing:
        block = (task.data or {}).get("newscorpus") if isinstance(task.data, dict) else None
        if isinstance(block, dict) and block.get("document_id"):
            by_doc.setdefault(block["document_id"], task)
    created, updated, unchanged, batch = [], [], [], []
    for task in found.tasks:
        doc_id = task["data"]["document_id"]
        if doc_id not in by_doc:
            batch.append(task)
            created.append(doc_id)
            if len(batch) >= IMPORT_BATCH:
                api("importing the tasks", api.client.projects.import_tasks, id=project.id, request=batch)
                batch = []
        elif _add_prediction(api, by_doc[doc_id].id, task["predictions"][0]):
            updated.append(doc_id)
        else:
            unchanged.append(doc_id)
    if batch:
        api("importing the tasks", api.client.projects.import_tasks, id=project.id, request=batch)
    _record_project(layout, api.url, project.title, project.id, found.version)
    return SuggestResult(project.id, project.title, api.url, found.version, found.model_version, found.names,
                         created, updated, unchanged)


def _add_prediction(api: _Api, task_id: int, prediction: dict) -> bool:
    """Give the task this prediction, replacing others of its model_version; False when
    it has exactly this one already."""
    mine = [p for p in api("listing predictions", lambda: list(api.client.predictions.list(task=task_id)))
            if p.model_version == prediction["model_version"]]
    if len(mine) == 1 and json.dumps(mine[0].result, sort_keys=True) == json.dumps(prediction["result"],
                                                                                 sort_keys=True):
        return False
    for p in mine:
        api(f"deleting prediction {p.id}", api.client.predictions.delete, id=p.id)
    api("creating a prediction", api.client.predictions.create, task=task_id, result=prediction["result"],
        model_version=prediction["model_version"])
    return True
