"""The versioned store end to end: release from the draft, diff two versions,
refuse bad releases, detect edited releases."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import FIXTURES, SEED, annotation_path, fails, load_json, ok, run_cli, snapshot, write_json


@pytest.fixture
def fresh(root) -> Path:
    """A corpus root with no release yet and the small valid fixture as the draft."""
    ann = root / "annotations"
    for sub in ("releases", "draft", "passes"):
        shutil.rmtree(ann / sub, ignore_errors=True)
    for name in ("releases.json", "CHANGELOG.md", "passes.json"):
        (ann / name).unlink(missing_ok=True)
    (ann / "draft").mkdir(parents=True)
    shutil.copy(FIXTURES / "valid_minimal.json", annotation_path(root))
    return root


def draft(root: Path) -> dict:
    return load_json(annotation_path(root))


def write_draft(root: Path, data: dict) -> None:
    write_json(annotation_path(root), data)


def test_release_then_diff_end_to_end(fresh):
    ok(run_cli("release", "1.0.0", "-m", "First release.", "--date", "2026-11-24", root=fresh))
    rel = fresh / "annotations" / "releases" / "1.0.0"
    assert sorted(p.name for p in rel.iterdir()) == ["000_ac7a1151f6a5afe0.json", "MANIFEST.json", "inventory.json"]
    released = load_json(rel / f"{SEED}.json")
    assert released["version"] == "1.0.0"
    assert {m["provenance"]["introduced_in"] for m in released["mentions"]} == {"1.0.0"}
    assert 'version: "1.0.0"' in (fresh / "CITATION.cff").read_text(encoding="utf-8")
    assert 'date-released: "2026-11-24"' in (fresh / "CITATION.cff").read_text(encoding="utf-8")
    assert "## 1.0.0 — 2026-11-24" in (fresh / "annotations" / "CHANGELOG.md").read_text(encoding="utf-8")
    ok(run_cli("validate", root=fresh))

    # edit the draft: one change, one addition, one removal
    data = draft(fresh)
    assert data["mentions"][0]["provenance"]["introduced_in"] == "1.0.0"
    data["quotes"][0]["kind"] = "direct"
    data["mentions"].append({"id": "m5", "start": 77, "end": 90, "text": "United States", "type": "GPE",
                             "kind": "name", "entity": "e5", "provenance": data["mentions"][0]["provenance"]
                             | {"introduced_in": None, "changed_in": None}})
    data["entities"].append({"id": "e5", "type": "GPE", "name": "United States",
                             "provenance": data["entities"][0]["provenance"]})
    data["mentions"] = [m for m in data["mentions"] if m["id"] != "m3"]
    write_draft(fresh, data)
    status = ok(run_cli("draft", "status", root=fresh)).stdout
    assert "changed  000_ac7a1151f6a5afe0 quotes/q1: kind: 'partial' -> 'direct'" in status

    before = snapshot(fresh)
    fails(run_cli("release", "1.0.1", "-m", "Patch.", root=fresh), "version-bump")
    fails(run_cli("release", "1.0.0", "-m", "Again.", root=fresh), "version-not-higher")
    fails(run_cli("release", "0.9.0", "-m", "Lower.", root=fresh), "version-not-higher")
    fails(run_cli("release", "v1.1", "-m", "Bad.", root=fresh), "version-format")
    assert snapshot(fresh) == before

    ok(run_cli("release", "1.1.0", "-m", "Added the United States.", "--date", "2026-11-25", root=fresh))
    result = json.loads(ok(run_cli("diff", "1.0.0", "1.1.0", "--json", root=fresh)).stdout)
    got = {(c["layer"], c["id"], c["change"], tuple(c["fields"])) for c in result["changes"]}
    assert got == {("quotes", "q1", "changed", ("kind",)),
                   ("mentions", "m5", "added", ()),
                   ("entities", "e5", "added", ()),
                   ("mentions", "m3", "removed", ())}
    text = ok(run_cli("diff", "1.0.0", "1.1.0", root=fresh)).stdout
    assert text.splitlines()[0] == "diff 1.0.0 -> 1.1.0: 4 change(s)"

    # 1.0.0 is still loadable exactly as released; provenance records the change
    old = load_json(annotation_path(fresh, "1.0.0"))
    assert old == released
    new = load_json(annotation_path(fresh, "1.1.0"))
    q1 = new["quotes"][0]["provenance"]
    assert (q1["introduced_in"], q1["changed_in"]) == ("1.0.0", "1.1.0")
    m1 = next(m for m in new["mentions"] if m["id"] == "m1")["provenance"]
    assert (m1["introduced_in"], m1["changed_in"]) == ("1.0.0", "1.0.0")
    stats = json.loads(ok(run_cli("stats", "--version", "1.0.0", "--json", root=fresh)).stdout)
    assert stats["totals"]["mentions"] == 4
    changelog = (fresh / "annotations" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.1.0") < changelog.index("## 1.0.0")
    ok(run_cli("validate", root=fresh))


def test_edited_release_is_detected(fresh):
    ok(run_cli("release", "1.0.0", "-m", "First.", "--date", "2026-11-24", root=fresh))
    path = annotation_path(fresh, "1.0.0")
    data = load_json(path)
    data["quotes"][0]["kind"] = "direct"  # still schema-valid: only the checksum tells
    write_json(path, data)
    before = snapshot(fresh)
    result = run_cli("validate", root=fresh)
    assert result.returncode == 1
    assert {line.split(": ")[2] for line in result.stdout.splitlines()} == {"release-modified"}
    assert "annotations/releases/1.0.0/000_ac7a1151f6a5afe0.json" in result.stdout
    fails(run_cli("release", "1.1.0", "-m", "x", root=fresh), "release-modified")
    assert snapshot(fresh) == before


def test_release_refuses_an_invalid_draft(fresh):
    data = draft(fresh)
    data["mentions"][0]["text"] = "South Korean"
    write_draft(fresh, data)
    before = snapshot(fresh)
    fails(run_cli("release", "1.0.0", "-m", "x", root=fresh), "span-text-mismatch")
    assert snapshot(fresh) == before
    assert not (fresh / "annotations" / "releases").exists() or not any((fresh / "annotations" / "releases").iterdir())


def test_draft_init_from_a_release(fresh):
    ok(run_cli("release", "1.0.0", "-m", "First.", "--date", "2026-11-24", root=fresh))
    write_draft(fresh, {"broken": True})
    fails(run_cli("draft", "init", "--from", "1.0.0", root=fresh), "draft-exists")
    ok(run_cli("draft", "init", "--from", "1.0.0", "--force", root=fresh))
    assert draft(fresh)["version"] == "draft"
    ok(run_cli("validate", root=fresh))


def test_every_command_has_help():
    top = ok(run_cli("--help")).stdout
    commands = ["add-document", "validate", "stats", "diff", "draft", "release", "schema", "guidelines",
                "agreement", "build", "publish", "labelstudio"]
    for name in commands:
        assert name in top
        assert ok(run_cli(name, "--help")).stdout.startswith("usage: newscorpus " + name)
    for sub in ("init", "status"):
        ok(run_cli("draft", sub, "--help"))
