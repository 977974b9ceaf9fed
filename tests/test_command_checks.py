"""Checks that commands report (scopes command, labelstudio and huggingface of
newscorpus.rules.checks) and that no other test triggers: each is reported by name,
with a message of its row, and nothing is written."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from helpers import next_version, snapshot
from newscorpus.cli import main as cli_main
from newscorpus.errors import CorpusError
from newscorpus.hf.citation import citation_problems, load_citation
from newscorpus.rules.checks import REGISTRY
from newscorpus.store.paths import Layout
from newscorpus.store.versions import create_release


def template_matches(message: str, check: str) -> bool:
    for template in REGISTRY[check].messages:
        pattern = ".*".join(re.escape(part) for part in re.split(r"\{[^{}]*\}", template))
        if re.fullmatch(pattern, message, re.DOTALL):
            return True
    return False


def fails_with(capsys, root, check: str, *args: str) -> list[str]:
    capsys.readouterr()
    before = snapshot(root)
    code = cli_main(["--root", str(root), *args])
    err = capsys.readouterr().err
    assert code == 1, err
    lines = [line for line in err.splitlines() if f": {check}: " in f": {line}"]
    assert lines, err
    assert snapshot(root) == before
    return lines


@pytest.mark.parametrize("check, args", [
    ("unknown-version", ["stats", "--version", "9.9.9"]),
    ("date-format", ["release", "1.1.0", "-m", "A release.", "--date", "2026-13-01"]),
    ("changelog-message", ["release", "1.1.0", "-m", "  "]),
])
def test_a_command_reports_its_named_check(capsys, root, check, args):
    fails_with(capsys, root, check, *args)


def test_draft_empty(capsys, root):
    for path in (root / "annotations" / "draft").glob("*.json"):
        path.unlink()
    (line,) = fails_with(capsys, root, "draft-empty", "release", "1.1.0", "-m", "Nothing.")
    assert template_matches(line.split(": draft-empty: ")[1], "draft-empty")


def test_release_exists(root):
    """Only reachable past validation by the store itself: an unlisted folder of that
    version is a release-unlisted problem for the release command."""
    version = next_version(root, "minor")
    (root / "annotations" / "releases" / version).mkdir()
    with pytest.raises(CorpusError) as exc:
        create_release(Layout(root), version, "A release.", "2026-12-01")
    assert {p.check for p in exc.value.problems} == {"release-exists"}


def test_seed_location(capsys, root, tmp_path):
    seed = tmp_path / "elsewhere.txt"
    seed.write_text("A text outside seeds/.\n", encoding="utf-8")
    fails_with(capsys, root, "seed-location", "add-document", str(seed))


def test_not_a_build(capsys, root, tmp_path):
    folder = tmp_path / "not-a-build"
    folder.mkdir()
    fails_with(capsys, root, "not-a-build", "publish", str(folder), "--repo-id", "owner/name", "--dry-run")


def test_ls_duplicate_document(capsys, root, tmp_path):
    export = tmp_path / "tasks.json"
    assert cli_main(["--root", str(root), "labelstudio", "export", "--version", "1.0.0",
                     "--output", str(export)]) == 0
    tasks = json.loads(export.read_text(encoding="utf-8"))
    twice = [{**task, "id": n, "annotations": []} for n, task in enumerate(tasks[:1] * 2, start=1)]
    export.write_text(json.dumps(twice), encoding="utf-8")
    (line,) = fails_with(capsys, root, "ls-duplicate-document", "labelstudio", "import", str(export))
    assert "task 2 (" in line and "(first: task 1)" in line


def test_cff_checks(root, tmp_path):
    cff = tmp_path / "CITATION.cff"
    cff.write_text("cff-version: 1.2.0\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(CorpusError) as exc:
        load_citation(cff, "CITATION.cff")
    assert [p.check for p in exc.value.problems] == ["cff-syntax"]
    shutil.copy(root / "CITATION.cff", cff)
    data = load_citation(cff)
    assert citation_problems(data, root / "schema", "CITATION.cff") == []
    del data["message"]
    data["title"] = 7
    checks = {p.check for p in citation_problems(data, root / "schema", "CITATION.cff")}
    assert checks == {"cff-required", "cff-type"}
