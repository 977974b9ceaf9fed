"""Imports never destroy silently: an emptied or mostly deleted task is refused unless
deletions are allowed; an import killed at any step leaves the draft as before or as
after; an import and a release started together never lose either; a malformed
server URL is a named error."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest

from helpers import next_version, annotation_path, export_draft, fails, ls_export, ok, run_cli, snapshot, write_json
from newscorpus.labelstudio import POLARITY
from newscorpus.store.transaction import FAULT_STEPS


def _doc(root) -> str:
    return sorted(p.stem for p in (root / "annotations" / "draft").glob("*.json"))[0]


def _flipped(root, tmp_path, n: int = 0):
    """An export of the draft in which the annotator flipped the polarity of the n-th
    event: (the export file, the event's region id, the new polarity)."""
    task = export_draft(root, _doc(root))[0]
    result = copy.deepcopy(task["predictions"][0]["result"])
    choices = [r for r in result if r.get("from_name") == POLARITY]
    item = choices[n]
    value = "negative" if item["value"]["choices"] == ["positive"] else "positive"
    item["value"]["choices"] = [value]
    return write_json(tmp_path / f"export{n}.json", ls_export([task], [result])), item["id"], value


def _export(root, tmp_path, keep: float) -> tuple:
    """An export of the draft in which the annotator kept only a share of the regions."""
    task = export_draft(root, _doc(root))[0]
    result = copy.deepcopy(task["predictions"][0]["result"])
    regions = [r for r in result if r.get("type") != "relation"]
    kept_ids = {r["id"] for r in regions[: int(len(regions) * keep)]}
    kept = [r for r in result if (r.get("id") in kept_ids and r.get("type") != "relation")
            or (r.get("type") == "relation" and {r["from_id"], r["to_id"]} <= kept_ids)]
    return write_json(tmp_path / "export.json", ls_export([task], [kept]))


@pytest.mark.parametrize("keep", [0.0, 0.3])
def test_an_import_that_removes_all_or_most_annotations_is_refused(gold, tmp_path, keep):
    path = _export(gold, tmp_path, keep)
    before = snapshot(gold / "annotations")
    out = fails(run_cli("labelstudio", "import", str(path), root=gold), "ls-mass-deletion")
    assert "--allow-deletions" in out.stderr
    assert snapshot(gold / "annotations") == before
    ok(run_cli("labelstudio", "import", str(path), "--allow-deletions", root=gold))
    after = json.loads(annotation_path(gold, "draft", _doc(gold)).read_text(encoding="utf-8"))
    assert (sum(len(after[layer]) for layer in ("mentions", "events", "quotes")) == 0) == (keep == 0.0)


def test_an_import_that_removes_a_few_annotations_is_accepted(gold, tmp_path):
    ok(run_cli("labelstudio", "import", str(_export(gold, tmp_path, 0.9)), root=gold))


@pytest.mark.parametrize("step", FAULT_STEPS)
def test_an_import_killed_at_every_step_leaves_the_draft_before_or_after(gold, tmp_path, step):
    path, _, _ = _flipped(gold, tmp_path)
    before = snapshot(gold / "annotations")
    cmd = [sys.executable, "-m", "newscorpus", "--root", str(gold), "labelstudio", "import", str(path)]
    killed = subprocess.run(cmd, capture_output=True, text=True,
                            env={**os.environ, "NEWSCORPUS_FAULT_AT": step})
    assert killed.returncode == -9, killed.stderr
    ok(run_cli("validate", root=gold))  # completes or rolls back the killed import
    assert not (gold / ".newscorpus" / "txn").exists()
    now = snapshot(gold / "annotations")
    if step == "staged":
        assert now == before
    else:
        assert now != before
        ok(run_cli("labelstudio", "import", str(path), root=gold))  # the same import again:
        assert snapshot(gold / "annotations") == now  # it had been applied completely


def test_a_release_beside_an_import_loses_neither(gold, tmp_path):
    doc = _doc(gold)
    for attempt in range(3):
        path, rid, value = _flipped(gold, tmp_path, attempt)
        version = next_version(gold, "minor")
        base = [sys.executable, "-m", "newscorpus", "--root", str(gold)]
        procs = [subprocess.Popen(base + ["labelstudio", "import", str(path), "--force"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
                 subprocess.Popen(base + ["release", version, "-m", "x", "--date", "2026-12-02"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
        outs = [p.communicate() for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        ok(run_cli("validate", root=gold))
        draft = json.loads(annotation_path(gold, "draft", doc).read_text(encoding="utf-8"))
        event = next(v for v in draft["events"] if v["id"] == rid)
        assert event["polarity"] == value  # the import's change is kept, whatever ran first
        index = json.loads((gold / "annotations" / "releases.json").read_text())["releases"]
        assert index[-1]["version"] == version


@pytest.mark.parametrize("url", ["localhost:8080", "http://", "ftp://host", "http://host:99999",
                                 "http://user:pw@host", "http://a b"])
def test_a_malformed_url_is_a_named_error(root, url):
    before = snapshot(root)
    fails(run_cli("labelstudio", "pull", "--url", url, root=root,
                  env={"LABEL_STUDIO_API_KEY": "not-a-real-token"}), "url-format")
    assert snapshot(root) == before
