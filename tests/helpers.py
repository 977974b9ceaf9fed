"""Helpers shared by the test modules: one copy of each. Fixtures that use them live in
conftest.py.

- the repository: ``REPO``, ``SEED``, ``copy_repo``, ``snapshot``, paths of annotation files
- the command line: ``run_cli``, ``ok``, ``fails``
- JSON files: ``load_json``, ``write_json``, ``load_set``
- the draft: ``require_valid_draft`` (fails the test loudly, never swaps in other data)
- Label Studio: what an annotator does to a task's result (``plan_edits``, ``apply_edits``
  and the edits they are made of) and ``change_set`` to compare diffs
"""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = ("seeds", "corpus", "schema", "annotations", "docs", "CITATION.cff")
SEED = "000_ac7a1151f6a5afe0"
LAYERS = ("entities", "mentions", "events", "quotes")


# --- the repository ------------------------------------------------------------------------

def copy_repo(target: Path) -> Path:
    """Copy the repository's data (not its code or build outputs) to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in DATA:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.exists():
            shutil.copy2(src, target / name)
    return target


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under ``path`` with its bytes and mode: to prove a failed
    command wrote nothing. ``.newscorpus/`` (the lock's local state) is left out."""
    out = {}
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).as_posix()
        if rel == ".newscorpus" or rel.startswith(".newscorpus/"):
            continue
        out[rel] = (p.read_bytes() if p.is_file() else b"", p.stat().st_mode)
    return out


def annotation_path(root: Path, version: str = "draft", doc_id: str = SEED) -> Path:
    """The annotation file of one document in the draft or in a release."""
    folder = root / "annotations" / ("draft" if version == "draft" else f"releases/{version}")
    return folder / f"{doc_id}.json"


def document_path(root: Path, doc_id: str = SEED) -> Path:
    return root / "corpus" / "documents" / f"{doc_id}.json"


def latest_version(root: Path) -> str:
    """The newest release named in annotations/releases.json."""
    return load_json(root / "annotations" / "releases.json")["releases"][-1]["version"]


def next_version(root: Path, part: str = "patch", step: int = 1) -> str:
    """A version above the newest release: its patch, minor or major part raised by
    ``step`` (tests that release must not assume which version is the latest)."""
    major, minor, patch = (int(x) for x in latest_version(root).split("."))
    if part == "major":
        return f"{major + step}.0.0"
    if part == "minor":
        return f"{major}.{minor + step}.0"
    return f"{major}.{minor}.{patch + step}"


# --- the command line ------------------------------------------------------------------------

def run_cli(*args: str, root: Path | None = None, env: dict | None = None, cwd: Path | None = None):
    """Run ``python -m newscorpus`` in a fresh process, as a user would."""
    cmd = [sys.executable, "-m", "newscorpus"]
    if root is not None:
        cmd += ["--root", str(root)]
    cmd += list(args)
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)


def ok(result):
    """The command succeeded, without a traceback."""
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def fails(result, check: str):
    """The command failed with exit status 1 and a problem line naming ``check`` on
    standard error (``file: location: check: message`` or ``check: message``), no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert any(f": {check}: " in line or line.startswith(f"{check}: ") for line in lines), result.stderr
    return result


# --- JSON files ------------------------------------------------------------------------------

def load_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_json(path: Path, data) -> Path:
    path = Path(path)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_set(path: Path):
    """An annotation file as an ``AnnotationSet``."""
    from newscorpus.model import AnnotationSet

    return AnnotationSet.from_dict(load_json(path))


# --- the draft ---------------------------------------------------------------------------------

def require_valid_draft(root: Path) -> Path:
    """Fail the test unless ``root`` has draft annotations that validate. Tests that
    need a valid draft use the draft as it is: an invalid draft is a failure to see,
    never a reason to test other annotations instead."""
    import pytest

    from newscorpus.rules.inventory import load_inventory
    from newscorpus.rules.validation import validate_folder
    from newscorpus.store.paths import Layout
    from newscorpus.store.versions import annotation_files

    layout = Layout(root)
    if not annotation_files(layout.draft):
        pytest.fail(f"the draft ({layout.draft}) has no annotation files", pytrace=False)
    inventory = load_inventory(layout.inventory)
    docs = {d["id"]: d for d in (load_json(p) for p in sorted(layout.documents.glob("*.json")))}
    problems = validate_folder(layout, layout.draft, inventory, docs, "draft")
    if problems:
        pytest.fail("the draft does not validate:\n" + "\n".join(p.format() for p in problems), pytrace=False)
    return root


# --- Label Studio: an annotator's edits ------------------------------------------------------

def change_set(changes: list[dict]) -> set[tuple]:
    """A diff as a set of (layer, id, change, fields)."""
    return {(c["layer"], c["id"], c["change"], tuple(c["fields"])) for c in changes}


def items_of(result: list[dict], rid: str) -> list[dict]:
    return [r for r in result if r.get("id") == rid]


def relations(result: list[dict], label: str | None = None) -> list[dict]:
    return [r for r in result if r.get("type") == "relation" and (label is None or r["labels"] == [label])]


def relabel(result: list[dict], rid: str, label: str) -> None:
    for item in items_of(result, rid):
        if item["type"] == "labels":
            item["value"]["labels"] = [label]


def move(result: list[dict], rid: str, start: int, end: int, text: str) -> None:
    for item in items_of(result, rid):
        item["value"].update(start=start, end=end, text=text)


def add_region(result: list[dict], rid: str, control: str, label: str, start: int, end: int, text: str,
               attributes: dict[str, str]) -> None:
    value = {"start": start, "end": end, "text": text}
    result.append({"id": rid, "from_name": control, "to_name": "text", "type": "labels", "origin": "manual",
                   "value": {**value, "labels": [label]}})
    for name, choice in attributes.items():
        result.append({"id": rid, "from_name": name, "to_name": "text", "type": "choices", "origin": "manual",
                       "value": {**value, "choices": [choice]}})


def add_relation(result: list[dict], a: str, b: str, label: str | None) -> None:
    result.append({"from_id": a, "to_id": b, "type": "relation", "direction": "right",
                   "labels": [label] if label else []})


def delete_region(result: list[dict], rid: str) -> None:
    result[:] = [r for r in result if r.get("id") != rid and rid not in (r.get("from_id"), r.get("to_id"))]


def max_id(root: Path, doc_id: str, prefix: str) -> int:
    """The highest number of an id with this prefix the document ever used."""
    paths = [annotation_path(root, "draft", doc_id),
             *sorted((root / "annotations" / "releases").glob(f"*/{doc_id}.json"))]
    best = 0
    for path in paths:
        if not path.exists():
            continue
        data = load_json(path)
        for layer in LAYERS:
            for item in data[layer]:
                m = re.fullmatch(rf"{prefix}(\d+)", item["id"])
                if m:
                    best = max(best, int(m.group(1)))
    return best


def plan_edits(source, text: str, root: Path) -> dict:
    """The five edits of an annotator, chosen so that each stays valid, and the exact
    diff they must give: (layer, id, change, fields)."""
    s = source.sorted()
    count: dict[str, int] = {}
    for m in s.mentions:
        count[m.entity] = count.get(m.entity, 0) + 1
    relabelled = next(m for m in s.mentions if count[m.entity] == 1)
    new_type = "ORG" if relabelled.type != "ORG" else "PER"
    moved = next(m for m in s.mentions if m.id != relabelled.id and m.kind == "nominal"
                 and m.text.lower().startswith("the ") and len(m.text) > 6)
    covered = [(m.start, m.end) for m in s.mentions]
    word = next(w for w in re.finditer(r"\b[A-Z][a-z]{3,}\b", text)
                if all(w.end() <= a or w.start() >= b for a, b in covered))
    quote = next(q for q in s.quotes if q.speaker is None)
    speaker = [m for m in s.mentions if m.end <= quote.content.start][-1]
    deleted = next((v for v in s.events if not v.arguments), s.events[0])
    new_mention = f"m{max_id(root, source.document_id, 'm') + 1}"
    new_entity = f"e{max_id(root, source.document_id, 'e') + 1}"
    return {
        "relabel": (relabelled.id, new_type), "move": (moved.id, moved.start + 4, moved.end, moved.text[4:]),
        "add": ("Xq7_b2LmZe", word.start(), word.end(), word.group()), "speaker": (quote.id, speaker.id),
        "delete": deleted.id,
        "expected": {
            ("mentions", relabelled.id, "changed", ("type",)),
            ("entities", relabelled.entity, "changed", ("type",)),
            ("mentions", moved.id, "changed", ("start", "text")),
            ("mentions", new_mention, "added", ()),
            ("entities", new_entity, "added", ()),
            ("quotes", quote.id, "changed", ("speaker",)),
            ("events", deleted.id, "removed", ()),
        },
        "new_mention": new_mention, "new_entity": new_entity,
    }


def apply_edits(result: list[dict], plan: dict) -> list[dict]:
    """A task's result with the planned edits made, as an annotator makes them."""
    from newscorpus.labelstudio import MENTION, MENTION_KIND

    result = copy.deepcopy(result)
    relabel(result, *plan["relabel"])
    move(result, *plan["move"])
    rid, start, end, text = plan["add"]
    add_region(result, rid, MENTION, "LOC", start, end, text, {MENTION_KIND: "name"})
    add_relation(result, *plan["speaker"], "speaker")
    delete_region(result, plan["delete"])
    return result


# --- Label Studio exports ----------------------------------------------------------------------

ANNOTATOR_ID = 3
UPDATED = "2026-11-25T10:15:00.123456Z"


def export_draft(root: Path, *documents: str, views: tuple[str, ...] = ("all",)) -> list[dict]:
    """The tasks ``labelstudio export --version draft`` gives (through the library), by
    default as one task per document with every layer (the view ``all``, which reads
    coreference from relations); ``views=newscorpus.labelstudio.names.VIEWS`` gives the
    tasks ``push`` sends, one per view."""
    from newscorpus.labelstudio import export_tasks
    from newscorpus.store.paths import Layout

    return export_tasks(Layout(root), "draft", list(documents) or None, views).tasks


def ls_export(tasks: list[dict], results: list[list[dict]] | None = None, completed_by=ANNOTATOR_ID,
              updated_at: str = UPDATED) -> list[dict]:
    """What Label Studio's JSON export gives after an annotator submitted each task,
    starting from the prediction (``results`` replaces the result per task)."""
    out = []
    for i, task in enumerate(tasks):
        result = copy.deepcopy(results[i] if results else task["predictions"][0]["result"])
        out.append({
            "id": 40 + i, "project": 7, "data": copy.deepcopy(task["data"]),
            "annotations": [{
                "id": 500 + i, "completed_by": completed_by, "result": result, "was_cancelled": False,
                "ground_truth": False, "created_at": "2026-11-25T09:00:00.000000Z", "updated_at": updated_at,
                "lead_time": 12.5, "prediction": {}, "result_count": len(result), "task": 40 + i, "project": 7}],
            "predictions": [1], "drafts": [], "meta": {}, "created_at": "2026-11-24T00:00:00Z",
            "updated_at": updated_at, "inner_id": i + 1, "total_annotations": 1, "cancelled_annotations": 0,
            "total_predictions": 1})
    return out


def need_browser_part(what: str, missing: bool) -> None:
    """Skip a browser test when ``what`` is missing; with CI set, fail instead (.ci/run
    must install it)."""
    import pytest

    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing and CI is set: .ci/run must install it")
    pytest.skip(f"{what} is missing (apt-get install -y chromium; pip install -e '.[test]')")
