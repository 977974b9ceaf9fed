"""The round trip against a real Label Studio server, which these tests start themselves
(session fixture) from the ``label-studio`` executable named by $LABEL_STUDIO_BIN, on
127.0.0.1 and a free port, with a temporary data folder, and stop at the end.

Without $LABEL_STUDIO_BIN the tests are skipped, unless CI is set: then they must run
(the default virtual environment of .ci/install-label-studio.sh is tried, and the tests
fail if no server can be had)."""
from __future__ import annotations

import json
import re
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import (annotation_path, apply_edits, change_set, fails, load_json, load_set, ok, plan_edits,
                     run_cli, snapshot)

pytestmark = pytest.mark.live

USER = "annotator@example.org"
START_TIMEOUT = 180
HOW_TO = ("install Label Studio in its own environment with `bash .ci/install-label-studio.sh`, then "
          "`export LABEL_STUDIO_BIN=<the path it prints>` and run the tests again")


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _binary() -> str:
    binary = os.environ.get("LABEL_STUDIO_BIN", "").strip()
    if not binary and _ci():
        venv = os.environ.get("NEWSCORPUS_LS_VENV") or str(Path.home() / ".cache/newscorpus/label-studio-venv")
        default = Path(venv) / "bin" / "label-studio"
        if default.is_file():
            binary = str(default)
        else:
            pytest.fail(f"CI is set, so the live Label Studio tests must run, but LABEL_STUDIO_BIN is not set "
                        f"and {default} does not exist: {HOW_TO}")
    if not binary:
        pytest.skip(f"live Label Studio tests skipped (LABEL_STUDIO_BIN is not set): {HOW_TO}")
    path = shutil.which(binary) or binary
    if not Path(path).is_file():
        pytest.fail(f"LABEL_STUDIO_BIN={binary} is not an executable file: {HOW_TO}")
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=3) as response:
            return response.status == 200 and b"UP" in response.read()
    except OSError:
        return False


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A fresh Label Studio on 127.0.0.1: yields (url, token); killed (process group) at the end."""
    binary = _binary()
    base = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    token = secrets.token_hex(20)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")}
    env.update(LABEL_STUDIO_BASE_DATA_DIR=str(base / "data"), LATEST_VERSION_CHECK="false",
               COLLECT_ANALYTICS="false", SENTRY_DSN="", FRONTEND_SENTRY_DSN="")
    log_path = base / "label-studio.log"
    log = open(log_path, "wb")
    started = time.monotonic()
    proc = subprocess.Popen(
        [binary, "start", "--no-browser", "--internal-host", "127.0.0.1", "-p", str(port),
         "--data-dir", str(base / "data"), "--username", USER, "--password", secrets.token_urlsafe(16),
         "--user-token", token, "--enable-legacy-api-token"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=base,
        start_new_session=True)
    try:
        while not _healthy(url):
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"Label Studio exited with status {proc.returncode} while starting:\n{tail}")
            if time.monotonic() - started > START_TIMEOUT:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"Label Studio did not answer {url}/health within {START_TIMEOUT} s:\n{tail}")
            time.sleep(0.5)
        print(f"\nLabel Studio up at {url} after {time.monotonic() - started:.1f} s")
        yield url, token
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()


def _client(url: str, token: str):
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=url, api_key=token)


def _doc_and_task(client, project_id: int, root: Path):
    doc_id = sorted(p.stem for p in (root / "annotations" / "draft").glob("*.json"))[0]
    tasks = list(client.tasks.list(project=project_id, fields="all"))
    assert len(tasks) == len(list((root / "corpus" / "documents").glob("*.json")))
    task = next(t for t in tasks if t.data["document_id"] == doc_id)
    return doc_id, task


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
    doc_id, task = _doc_and_task(client, project_id, gold)
    assert task.data["newscorpus"]["version"] == "draft"
    prediction = client.predictions.list(task=task.id)[0]
    before = load_json(annotation_path(gold, "draft", doc_id))
    plan = plan_edits(load_set(annotation_path(gold, "draft", doc_id)), task.data["text"], gold)
    # as an annotator: start from the prediction, change a label, move a boundary, add an
    # entity and a quote speaker, delete a span, submit
    result = apply_edits([dict(r) for r in prediction.result], plan)
    client.annotations.create(id=task.id, result=result, was_cancelled=False, lead_time=95.0,
                              parent_prediction=prediction.id)

    pulled = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, "--json",
                        root=gold, env=env))
    assert token not in pulled.stdout + pulled.stderr
    report = json.loads(pulled.stdout)
    assert change_set(report["changes"]) == plan["expected"]
    ok(run_cli("validate", root=gold))
    after = load_json(annotation_path(gold, "draft", doc_id))
    old = {i["id"]: i for layer in ("entities", "mentions", "events", "quotes") for i in before[layer]}
    changed = {c[1] for c in plan["expected"]}
    for layer in ("entities", "mentions", "events", "quotes"):
        for item in after[layer]:
            if item["id"] in changed:
                assert re.fullmatch(r"annotator-[0-9a-f]{12}", item["provenance"]["annotator"])
                assert item["provenance"]["tool"].startswith(f"Label Studio (project {project_id}, task {task.id}")
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
    assert "0 created, 0 replaced, 1 unchanged" in again.stdout

    # nothing annotated yet: a pull has nothing to import and leaves the draft alone
    draft = gold / "annotations" / "draft"
    before = snapshot(draft)
    empty = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, root=gold, env=env))
    assert "nothing to import" in empty.stdout
    assert snapshot(draft) == before

    client = _client(url, token)
    project_id = load_json(gold / ".labelstudio" / "projects.json")["projects"][-1]["id"]
    doc_id, task = _doc_and_task(client, project_id, gold)
    prediction = client.predictions.list(task=task.id)[0]
    result = [dict(r) for r in prediction.result]
    event = next(r for r in result if r["from_name"] == "realis")
    event["value"]["choices"] = ["generic" if event["value"]["choices"] != ["generic"] else "actual"]
    client.annotations.create(id=task.id, result=result, was_cancelled=False)
    pulled = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, "--json",
                        root=gold, env=env))
    assert change_set(json.loads(pulled.stdout)["changes"]) == {("events", event["id"], "changed", ("realis",))}

    # the draft changed, the task has an annotation: a push must not replace it silently
    conflict = run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
                       root=gold, env=env)
    fails(conflict, "ls-push-conflict")
    assert len(list(client.tasks.list(project=project_id))) == 1
    forced = ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft",
                        "--force", root=gold, env=env))
    assert "0 created, 1 replaced" in forced.stdout
    tasks = list(client.tasks.list(project=project_id, fields="all"))
    assert len(tasks) == 1 and tasks[0].data["newscorpus"]["source"]["events"] is not None

    missing = run_cli("labelstudio", "pull", "--url", url, "--project-title", "no such project",
                      root=gold, env=env)
    fails(missing, "ls-no-project")
    wrong = run_cli("labelstudio", "pull", "--url", url, "--project-title", title, root=gold,
                    env={"LABEL_STUDIO_API_KEY": "not-the-token-0123456789"})
    fails(wrong, "ls-api")
    assert "not-the-token" not in wrong.stdout + wrong.stderr
