"""Every error a command reports names its check, and malformed records give named
problems, never a traceback: stats, diff and agreement on a folder of annotation files
check the document records and the files first."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from helpers import SEED, run_cli
from newscorpus.errors import CorpusError, Problem
from newscorpus.rules.checks import REGISTRY
from newscorpus.rules.inventory import load_inventory
from newscorpus.rules.validation import check_annotation, check_document
from newscorpus.store.paths import Layout

FIXTURES = Path(__file__).parent / "fixtures"
VALID = json.loads((FIXTURES / "valid_minimal.json").read_text(encoding="utf-8"))


def problem_lines(stderr: str) -> list[list[str]]:
    return [line.split(": ") for line in stderr.splitlines()]


def assert_named_failure(result, check: str, file: str) -> None:
    """Exit 1, no traceback, and each line is 'file: location: check: message[: text]'."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = problem_lines(result.stderr)
    assert lines and all(len(parts) >= 4 and parts[2] in REGISTRY for parts in lines), result.stderr
    assert any(parts[0] == file and parts[2] == check for parts in lines), result.stderr


def folder_of(root: Path, data) -> str:
    folder = root / "folder"
    folder.mkdir(exist_ok=True)
    (folder / f"{SEED}.json").write_text(json.dumps(data), encoding="utf-8")
    return "folder"


def commands(folder: str) -> dict[str, list[str]]:
    return {"stats": ["stats", "--version", folder], "diff": ["diff", folder, "1.0.0"],
            "agreement": ["agreement", "1.0.0", folder]}


@pytest.mark.parametrize("command", ["stats", "diff", "agreement"])
@pytest.mark.parametrize("record, check", [
    ({"schema_version": "1.0", "text": "A record without an id."}, "schema-required"),
    ([1, 2, 3], "schema-type"),
], ids=["record-without-id", "record-not-an-object"])
def test_a_malformed_document_record_is_a_named_error(root, command, record, check):
    (root / "corpus" / "documents" / "zz_broken.json").write_text(json.dumps(record), encoding="utf-8")
    folder = folder_of(root, VALID)
    result = run_cli(*commands(folder)[command], root=root, cwd=root)
    assert_named_failure(result, check, "corpus/documents/zz_broken.json")


def _without(path: tuple, data: dict) -> dict:
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return data


@pytest.mark.parametrize("command, data, check, location", [
    ("stats", _without(("mentions", 0, "id"), VALID), "schema-required", "/mentions/0"),
    ("diff", _without(("entities", 0, "id"), VALID), "dangling-reference", "/mentions/0/entity"),
    ("agreement", {**VALID, "mentions": 5}, "schema-type", "/mentions"),
    ("stats", _without(("document_id",), VALID), "schema-required", "/"),
], ids=["mention-without-id", "entity-without-id", "mentions-not-a-list", "no-document-id"])
def test_a_malformed_annotation_file_in_a_folder_is_a_named_error(root, command, data, check, location):
    folder = folder_of(root, data)
    result = run_cli(*commands(folder)[command], root=root, cwd=root)
    assert_named_failure(result, check, f"folder/{SEED}.json")
    assert any(parts[1] == location and parts[2] == check for parts in problem_lines(result.stderr))


def test_a_malformed_record_in_the_repository_is_a_named_error_too(root):
    (root / "corpus" / "documents" / "zz_broken.json").write_text('{"text": "no id"}', encoding="utf-8")
    result = run_cli("stats", "--version", "draft", root=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "corpus/documents/zz_broken.json: /: schema-required: 'id' is a required property" in result.stdout \
        + result.stderr


def _mutations(data, path=()):
    """Every value of ``data`` deleted, or replaced by a value of another JSON type."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        here = path + (key,)
        yield here, None
        for other in (None, 7, "x", [], {}, [1], {"id": 3}):
            if type(other) is not type(value):
                yield here, other
        yield from _mutations(value, here)


def _apply(data, path, value):
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is None and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def test_no_malformed_annotation_file_crashes_the_checks():
    """Each field of a valid file deleted or given another type: named problems only."""
    from newscorpus.rules.checks import registered

    repo = Path(__file__).resolve().parents[1]
    inventory = load_inventory(repo / "schema" / "inventory.json")
    doc = json.loads((repo / "corpus" / "documents" / f"{SEED}.json").read_text(encoding="utf-8"))
    cases = 0
    for path, value in _mutations(VALID):
        data = _apply(VALID, path, value)
        problems = check_annotation(data, "f.json", inventory, {SEED: doc}, "draft", SEED)
        assert problems, (path, value)
        for p in problems:
            registered(p.check)
        cases += 1
    assert cases > 300


def test_no_malformed_document_record_crashes_the_checks():
    repo = Path(__file__).resolve().parents[1]
    inventory = load_inventory(repo / "schema" / "inventory.json")
    record = json.loads((repo / "corpus" / "documents" / f"{SEED}.json").read_text(encoding="utf-8"))
    record = {**record, "paragraphs": record["paragraphs"][:2], "sentences": record["sentences"][:2]}
    for path, value in _mutations(record):
        if path and path[0] == "text":
            continue  # the text is compared with the seed: any other text is a seed-mismatch
        problems = check_document(_apply(record, path, value), "d.json", inventory, Layout(repo), SEED)
        assert all(p.check in REGISTRY for p in problems)


def test_the_corpus_root_errors_are_named(tmp_path):
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("corpus-root: no corpus root found at or above the working directory")
    result = run_cli("validate", root=tmp_path)
    assert result.stderr == f"{tmp_path}: /: corpus-root: not a corpus root (no schema/inventory.json)\n"


def test_latest_before_the_first_release_is_named(root):
    shutil.rmtree(root / "annotations" / "releases")
    (root / "annotations" / "releases.json").unlink()
    result = run_cli("stats", root=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("annotations/releases.json: /: no-release: no release yet")


def test_a_corpus_error_needs_named_problems():
    with pytest.raises(TypeError):
        CorpusError("a message without a check")
    with pytest.raises(TypeError):
        CorpusError([])
    assert CorpusError(Problem("f", "", "file-missing", "no such file")).problems[0].check == "file-missing"
