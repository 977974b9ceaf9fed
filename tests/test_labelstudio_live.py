"""The round trip against a real Label Studio server, which these tests start themselves
(session fixture ``label_studio`` in conftest.py) from the ``label-studio`` executable
named by $LABEL_STUDIO_BIN, on 127.0.0.1 and a free port, with a temporary data folder,
and stop at the end.

Without $LABEL_STUDIO_BIN the tests are skipped, unless CI is set: then they must run
(the default virtual environment of .ci/install-label-studio.sh is tried, and the tests
fail if no server can be had)."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from conftest import USER
from helpers import (add_region, add_relation, annotation_path, change_set, delete_region,
                     fails, load_json, load_set, move, ok, plan_edits, relabel, run_cli, snapshot)

from newscorpus.labelstudio.names import MENTION, MENTION_KIND, VIEWS

pytestmark = pytest.mark.live

def _client(url: str, token: str):
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=url, api_key=token)


def _doc_and_tasks(client, project_id: int, root: Path):
    """The first annotated document and its tasks by view (one task per document and view)."""
    doc_id = sorted(p.stem for p in (root / "annotations" / "draft").glob("*.json"))[0]
    tasks = list(client.tasks.list(project=project_id, fields="all"))
    docs = sorted(p.stem for p in (root / "corpus" / "documents").glob("*.json"))
    assert sorted((t.data["document_id"], t.data["view"]) for t in tasks) == [(d, v) for d in docs for v in VIEWS]
    return doc_id, {t.data["view"]: t for t in tasks if t.data["document_id"] == doc_id}


def test_push_annotate_in_label_studio_pull(label_studio, gold):
    url, token = label_studio
    env = {"LABEL_STUDIO_API_KEY": token}
    title = "newscorpus live round trip"
    pushed = ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
                        root=gold, env=env))
    assert "1 created" in pushed.stdout or "created" in pushed.stdout
    state_text = (gold / ".labelstudio" / "projects.json").read_text(encoding="utf-8")
    assert token not in pushed.stdout + pushed.stderr + state_text
    project_id = json.loads(state_text)["projects"][0]["id"]

    client = _client(url, token)
    project = client.projects.get(id=project_id)
    assert project.title == title
    assert project.show_instruction and "Mention kind" in project.expert_instruction
    doc_id, tasks = _doc_and_tasks(client, project_id, gold)
    assert {t.data["newscorpus"]["version"] for t in tasks.values()} == {"draft"}
    before = load_json(annotation_path(gold, "draft", doc_id))
    plan = plan_edits(load_set(annotation_path(gold, "draft", doc_id)), tasks["entities"].data["text"], gold)
    # as an annotator: start from each view's prediction; in the entities view change a
    # label, move a boundary, add a mention (a new entity); in the quotes view add a
    # speaker; in the events view delete a trigger; submit each
    results = {}
    for view, task in tasks.items():
        prediction = client.predictions.list(task=task.id)[0]
        results[view] = (prediction.id, copy.deepcopy([dict(r) for r in prediction.result]))
    ents, evs, qs = (results[v][1] for v in VIEWS)
    relabel(ents, *plan["relabel"])
    move(ents, *plan["move"])
    rid, start, end, text = plan["add"]
    add_region(ents, rid, MENTION, "LOC", start, end, text, {MENTION_KIND: "name"})
    add_relation(qs, *plan["speaker"], "speaker")
    delete_region(evs, plan["delete"])
    for view, task in tasks.items():
        client.annotations.create(id=task.id, result=results[view][1], was_cancelled=False, lead_time=95.0,
                                  parent_prediction=results[view][0])

    pulled = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, "--json",
                        root=gold, env=env))
    assert token not in pulled.stdout + pulled.stderr
    report = json.loads(pulled.stdout)
    assert change_set(report["changes"]) == plan["expected"]
    ok(run_cli("validate", root=gold))
    after = load_json(annotation_path(gold, "draft", doc_id))
    old = {i["id"]: i for layer in ("entities", "mentions", "events", "quotes") for i in before[layer]}
    changed = {c[1] for c in plan["expected"]}
    task_ids = "|".join(str(t.id) for t in tasks.values())
    for layer in ("entities", "mentions", "events", "quotes"):
        for item in after[layer]:
            if item["id"] in changed:
                assert re.fullmatch(r"annotator-[0-9a-f]{12}", item["provenance"]["annotator"])
                assert re.match(rf"Label Studio \(project {project_id}, task ({task_ids}),", item["provenance"]["tool"])
            else:
                assert item["provenance"] == old[item["id"]]["provenance"]
    # the annotator's login is an e-mail address: it is written nowhere in the repository
    for path in gold.rglob("*"):
        if path.is_file() and ".newscorpus" not in path.parts:
            assert USER.encode() not in path.read_bytes(), path
    text = ok(run_cli("labelstudio", "pull", "--url", url, "--project-id", str(project_id), "--dry-run",
                      root=gold, env=env))
    assert f"diff exported draft -> pull (dry run): {len(plan['expected'])} change(s)" in text.stdout


def test_push_updates_only_what_changed_and_never_drops_annotations(label_studio, gold):
    url, token = label_studio
    env = {"LABEL_STUDIO_API_KEY": token}
    title = "newscorpus live push update"
    ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
               root=gold, env=env))
    again = ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
                       root=gold, env=env))
    documents = len(list((gold / "corpus" / "documents").glob("*.json")))
    assert f"0 created, 0 replaced, {documents} unchanged" in again.stdout

    # nothing annotated yet: a pull has nothing to import and leaves the draft alone
    draft = gold / "annotations" / "draft"
    before = snapshot(draft)
    empty = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, root=gold, env=env))
    assert "nothing to import" in empty.stdout
    assert snapshot(draft) == before

    client = _client(url, token)
    project_id = load_json(gold / ".labelstudio" / "projects.json")["projects"][-1]["id"]
    doc_id, tasks = _doc_and_tasks(client, project_id, gold)
    task = tasks["events"]
    prediction = client.predictions.list(task=task.id)[0]
    result = [dict(r) for r in prediction.result]
    event = next(r for r in result if r.get("from_name") == "realis")
    event["value"]["choices"] = ["generic" if event["value"]["choices"] != ["generic"] else "actual"]
    client.annotations.create(id=task.id, result=result, was_cancelled=False)
    pulled = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, "--json",
                        root=gold, env=env))
    assert change_set(json.loads(pulled.stdout)["changes"]) == {("events", event["id"], "changed", ("realis",))}

    # the draft changed, the task has an annotation: a push must not replace it silently
    conflict = run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
                       root=gold, env=env)
    fails(conflict, "ls-push-conflict")
    assert len(list(client.tasks.list(project=project_id))) == documents * len(VIEWS)
    forced = ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
                        "--force", root=gold, env=env))
    assert "0 created, 1 replaced" in forced.stdout
    tasks = list(client.tasks.list(project=project_id, fields="all"))
    assert len(tasks) == documents * len(VIEWS)
    assert all(t.data["newscorpus"]["source"]["events"] is not None for t in tasks)

    missing = run_cli("labelstudio", "pull", "--url", url, "--project-title", "no such project",
                      root=gold, env=env)
    fails(missing, "ls-no-project")
    wrong = run_cli("labelstudio", "pull", "--url", url, "--project-title", title, root=gold,
                    env={"LABEL_STUDIO_API_KEY": "not-the-token-0123456789"})
    fails(wrong, "ls-api")
    assert "not-the-token" not in wrong.stdout + wrong.stderr
