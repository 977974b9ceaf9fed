"""Several annotators and suggestions against a real Label Studio server (the server of
test_labelstudio_live.py's session fixture): two Label Studio users, each with a token
of their own, annotate the same task through the API; ``pull --passes`` brings both
back as passes and prints their agreement; ``adjudicate`` takes one into the draft with
the decision recorded. ``suggest`` sends the names the corpus knows in a new article as
predictions."""
from __future__ import annotations

import http.cookiejar
import json
import secrets
import urllib.parse
import urllib.request

import pytest

from helpers import (annotation_path, apply_edits, change_set, load_json, load_set, ok, plan_edits, run_cli,
                     snapshot)
from newscorpus.store.diff import diff_sets
from test_labelstudio_live import _client, label_studio  # noqa: F401  (the session's server)
from test_labelstudio_team import new_article  # noqa: F401

pytestmark = pytest.mark.live

KEY = "the team's shared pseudonym key, for the tests"


def _sign_up(url: str) -> str:
    """A second Label Studio user, made as a person makes one (the sign-up form of the
    open-source edition, which puts the user in the organization), and its API token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/user/signup/", timeout=60).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"email": f"second-{secrets.token_hex(4)}@example.org",
                                   "password": secrets.token_urlsafe(16), "csrfmiddlewaretoken": csrf})
    request = urllib.request.Request(f"{url}/user/signup/", data=form.encode(),
                                     headers={"Referer": f"{url}/user/signup/"})
    opener.open(request, timeout=60).read()
    with opener.open(f"{url}/api/current-user/token", timeout=60) as response:
        return json.loads(response.read())["token"]


def _task(client, project_id: int, doc_id: str):
    return next(t for t in client.tasks.list(project=project_id, fields="all") if t.data["document_id"] == doc_id)


def test_two_annotators_pull_as_passes_agreement_and_adjudication(label_studio, gold, monkeypatch):  # noqa: F811
    from newscorpus.labelstudio.people import pseudonym
    from newscorpus.store.paths import Layout

    url, token = label_studio
    monkeypatch.setenv("NEWSCORPUS_PSEUDONYM_KEY", KEY)
    env = {"LABEL_STUDIO_API_KEY": token, "NEWSCORPUS_PSEUDONYM_KEY": KEY}
    title = "newscorpus two annotators"
    ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft", root=gold,
               env=env))
    project_id = next(p["id"] for p in load_json(gold / ".labelstudio" / "projects.json")["projects"]
                      if p["title"] == title)
    first, second = _client(url, token), _client(url, _sign_up(url))
    ids = [c.users.whoami().id for c in (first, second)]
    assert ids[0] != ids[1]
    doc_id = sorted(p.stem for p in (gold / "annotations" / "draft").glob("*.json"))[0]
    task = _task(first, project_id, doc_id)
    prediction = first.predictions.list(task=task.id)[0]
    draft_before = load_set(annotation_path(gold, "draft", doc_id))
    plan = plan_edits(draft_before, task.data["text"], gold)
    # the first annotator accepts the prediction, the second makes five edits
    first.annotations.create(id=task.id, result=[dict(r) for r in prediction.result], was_cancelled=False)
    second.annotations.create(id=task.id, result=apply_edits([dict(r) for r in prediction.result], plan),
                              was_cancelled=False)

    pulled = ok(run_cli("labelstudio", "pull", "--passes", "--url", url, "--project-title", title,
                        root=gold, env=env))
    names = [pseudonym(Layout(gold), i) for i in ids]
    passes = [gold / "annotations" / "passes" / n / f"{doc_id}.json" for n in names]
    assert all(p.is_file() for p in passes)
    assert f"agreement {min(names)} vs {max(names)} (1 document(s))" in pulled.stdout
    assert "span F1 exact" in pulled.stdout and token not in pulled.stdout + pulled.stderr
    for path in passes:
        assert "@" not in path.read_text(encoding="utf-8")
    assert diff_sets({doc_id: draft_before}, {doc_id: load_set(annotation_path(gold, "draft", doc_id))}) == []
    assert diff_sets({doc_id: draft_before}, {doc_id: load_set(passes[0])}) == []
    assert change_set(diff_sets({doc_id: draft_before}, {doc_id: load_set(passes[1])})) == plan["expected"]

    ok(run_cli("adjudicate", "--take", names[1], "--document", doc_id, "--note", "the second pass has the speaker",
               root=gold))
    after = load_set(annotation_path(gold, "draft", doc_id))
    assert change_set(diff_sets({doc_id: draft_before}, {doc_id: after})) == plan["expected"]
    decision = load_json(gold / "annotations" / "adjudication" / f"{doc_id}.json")["decisions"][-1]
    assert decision["taken"] == names[1] and set(names) <= set(decision["passes"])
    ok(run_cli("validate", root=gold))


def test_suggestions_reach_label_studio_as_predictions(label_studio, root, new_article):  # noqa: F811
    url, token = label_studio
    env = {"LABEL_STUDIO_API_KEY": token}
    doc_id, text, must, (ws, we) = new_article
    title = "newscorpus suggestions"
    ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, root=root, env=env))
    before = snapshot(root)
    got = ok(run_cli("labelstudio", "suggest", "--url", url, "--project-title", title, root=root, env=env))
    assert "0 created" in got.stdout and "0 unchanged" in got.stdout  # push made every task already
    release = load_json(root / "annotations" / "releases.json")["releases"][-1]["version"]
    client = _client(url, token)
    project_id = next(p["id"] for p in load_json(root / ".labelstudio" / "projects.json")["projects"]
                      if p["title"] == title)
    task = _task(client, project_id, doc_id)
    mine = [p for p in client.predictions.list(task=task.id) if p.model_version == f"newscorpus-names-{release}"]
    assert len(mine) == 1
    regions = [r for r in mine[0].result if r["from_name"] == "mention"]
    assert all(name in [r["value"]["text"] for r in regions] for name in must)
    for r in regions:
        assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
        assert r["value"]["end"] <= ws or r["value"]["start"] >= we
    # a document with annotations gets none; sending again changes nothing
    for other in (p.stem for p in (root / "annotations" / "draft").glob("*.json")):
        assert not [p for p in client.predictions.list(task=_task(client, project_id, other).id)
                    if p.model_version.startswith("newscorpus-names-")]
    again = ok(run_cli("labelstudio", "suggest", "--url", url, "--project-title", title, "--document", doc_id,
                       root=root, env=env))
    assert "0 created, 0 given the suggestions, 1 unchanged" in again.stdout
    after = snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith(".labelstudio")} == \
        {k: v for k, v in before.items() if not k.startswith(".labelstudio")}
