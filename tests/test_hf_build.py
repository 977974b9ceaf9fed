"""The Hugging Face build: built in a fresh process, read back with
``datasets.load_dataset`` offline, in a temporary HF_HOME (see conftest)."""
from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from helpers import (REPO, SEED, annotation_path, copy_repo, fails, latest_version, load_json, load_set, ok,
                     run_cli, snapshot, write_json)
from newscorpus.hf.features import CONFIGS, SHARD, SPLIT_ORDER, features_for
from newscorpus.hf.rows import decode_bio, select_ner_mentions
from newscorpus.rules.inventory import load_inventory


def load(path: Path, config: str, split: str = "train"):
    from datasets import load_dataset

    return load_dataset(str(path), config, split=split)


def all_rows(path: Path, config: str) -> list[dict]:
    """Every row of a config, over all its splits."""
    from datasets import load_dataset

    return [row for ds in load_dataset(str(path), config).values() for row in ds]


def expected_rows(root: Path) -> dict[str, dict[str, int]]:
    """config -> split -> rows, from the document records: one row per document in the
    documents, entities, events and quotes configs, one per sentence in ner."""
    docs = [load_json(p) for p in sorted((root / "corpus" / "documents").glob("*.json"))]
    out: dict[str, dict[str, int]] = {c: {} for c in CONFIGS}
    for split in SPLIT_ORDER:
        in_split = [d for d in docs if d["split"] == split]
        for config in CONFIGS if in_split else ():
            out[config][split] = sum(len(d["sentences"]) for d in in_split) if config == "ner" else len(in_split)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("hf") / "root")
    result = run_cli("build", root=root, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, root / "build" / "dataset", result.stdout


def test_build_prints_summary_and_a_load_line_that_works_as_printed(built):
    root, out, stdout = built
    expected = expected_rows(root)
    assert stdout.splitlines()[0] == f"built annotation version {latest_version(root)}"
    for config in CONFIGS:
        detail = ", ".join(f"{split} {n}" for split, n in expected[config].items())
        assert re.search(rf"^  {config}\s+{detail} row\(s\)$", stdout, re.M), stdout
    assert f"output: {out}" in stdout
    line = stdout.strip().splitlines()[-1]
    assert line.startswith("load it: ")
    command = shlex.split(line[len("load it: "):])
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"(\w+): Dataset\(\{.*?num_rows: (\d+)", result.stdout, re.S))
    assert {split: int(n) for split, n in printed.items()} == expected["entities"], result.stdout


def test_layout_is_what_push_to_hub_writes(built):
    root, out, _ = built
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    shards = [f"{config}/{SHARD.format(split=split)}" for config, splits in expected_rows(root).items()
              for split in splits]
    assert files == sorted(["CITATION.cff", "README.md", *shards])


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_the_declared_features(built, config):
    from datasets import load_dataset

    root, out, _ = built
    inventory = load_inventory(root / "annotations" / "releases" / latest_version(root) / "inventory.json")
    splits = load_dataset(str(out), config)
    for ds in splits.values():
        assert ds.features == features_for(config, inventory)
    assert {split: ds.num_rows for split, ds in splits.items()} == expected_rows(root)[config]


def test_every_span_in_every_config_matches_the_document_text(built):
    root, out, _ = built
    texts = {r["id"]: r["text"] for r in all_rows(out, "documents")}
    n = 0

    def check(doc, span):
        nonlocal n
        if span is None:
            return
        assert texts[doc][span["start"]:span["end"]] == span["text"], span
        n += 1

    for row in all_rows(out, "documents"):
        doc = texts[row["id"]]
        for p in row["paragraphs"] + row["sentences"]:
            assert doc[p["start"]:p["end"]].strip() == doc[p["start"]:p["end"]]
    for row in all_rows(out, "entities"):
        for m in row["mentions"]:
            check(row["document_id"], m)
    for row in all_rows(out, "events"):
        for v in row["events"]:
            check(row["document_id"], v["trigger"])
            for a in v["arguments"]:
                check(row["document_id"], a)
    for row in all_rows(out, "quotes"):
        for q in row["quotes"]:
            for key in ("content", "cue", "speaker"):
                check(row["document_id"], q[key])
    tokens = 0
    for row in all_rows(out, "ner"):
        for tok, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"]):
            check(row["document_id"], {"start": s, "end": e, "text": tok})
        check(row["document_id"], {"start": row["start"], "end": row["end"], "text": row["text"]})
        tokens += len(row["tokens"]) + 1
    # every span of the release was checked: its mentions, triggers, arguments, quotes
    sets = [load_set(p) for p in sorted(annotation_path(root, latest_version(root), SEED).parent.glob("*.json"))
            if p.name not in ("MANIFEST.json", "inventory.json")]
    spans = sum(len(a.mentions) + sum(1 + len(v.arguments) for v in a.events)
                + sum(1 + (q.cue is not None) + (q.speaker is not None) for q in a.quotes) for a in sets)
    assert n == spans + tokens and spans > 0


def test_ner_tags_decode_back_to_the_mentions_they_came_from(built):
    root, out, _ = built
    release = annotation_path(root, latest_version(root), SEED).parent
    sets = [load_set(p) for p in sorted(release.glob("*.json")) if p.name not in ("MANIFEST.json", "inventory.json")]
    names = load(out, "ner").features["ner_tags"].feature.names
    decoded = set()
    for row in all_rows(out, "ner"):
        tags = [names[t] for t in row["ner_tags"]]
        decoded |= {(row["document_id"], *m) for m in decode_bio(row["token_starts"], row["token_ends"], tags)}
    expected, nested = set(), 0
    for ann in sets:
        kept, dropped = select_ner_mentions(ann)
        expected |= {(ann.document_id, m.start, m.end, m.type) for m in kept}
        nested += len(dropped)
    assert decoded <= expected
    missing = expected - decoded
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"{len(missing)} are dropped for token misalignment" in card or len(missing) == 0
    assert len(decoded) >= 0.95 * len(expected)
    assert f"In this\nversion {len(decoded)} name mentions are tagged, {nested} nested names" in card


def test_building_twice_gives_byte_identical_files(built, tmp_path):
    root, out, _ = built
    result = run_cli("build", "--output", str(tmp_path / "again"), root=root)
    assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path / "again") == snapshot(out)


def test_card_yaml_parses_and_every_config_it_names_loads(built):
    _, out, _ = built
    text = (out / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    names = [c["config_name"] for c in meta["configs"]]
    assert sorted(names) == sorted(CONFIGS)
    assert sorted(i["config_name"] for i in meta["dataset_info"]) == sorted(CONFIGS)
    for name in names:
        assert load(out, name).num_rows > 0
    for key in ("pretty_name", "license", "language", "task_categories", "task_ids", "size_categories",
                "annotations_creators"):
        assert meta[key]
    assert meta["annotations_creators"] == ["machine-generated"]
    for heading in ("## Dataset description", "## Uses", "## Dataset structure", "### Labels",
                    "## Dataset creation", "### Annotation process", "### Agreement between the independent passes",
                    "## Bias, risks and limitations", "## Versions and changelog", "## Licence", "## Citation"):
        assert heading in text
    for config in CONFIGS:
        assert f'load_dataset("path/to/this/folder", "{config}", split="train")' in text
    assert "@misc{newscorpus_" in text


def test_citation_is_valid_cff_and_in_step_with_the_release(built):
    from newscorpus.hf.citation import citation_problems, load_citation

    root, out, _ = built
    for path in (REPO / "CITATION.cff", out / "CITATION.cff"):
        data = load_citation(path)
        assert citation_problems(data, REPO / "schema", str(path)) == []
        assert data["version"] == latest_version(root)
    bad = load_citation(REPO / "CITATION.cff")
    del bad["authors"]
    assert [p.check for p in citation_problems(bad, REPO / "schema", "x")] == ["cff-required"]


def test_an_earlier_version_builds_its_own_rows_and_a_change_is_never_served_stale(tmp_path):
    root = copy_repo(tmp_path / "root")
    first = latest_version(root)
    out = root / "build" / "dataset"
    assert run_cli("build", root=root).returncode == 0
    split = load_json(root / "corpus" / "documents" / f"{SEED}.json")["split"]
    probe = ("from datasets import load_dataset; import sys; "
             "d = load_dataset(sys.argv[1], 'quotes', split=sys.argv[2]); "
             "row = next(r for r in d if r['document_id'] == sys.argv[3]); "
             "f = d.features['quotes'].feature['kind']; print(f.int2str(row['quotes'][0]['kind']))")

    def read_kind():
        r = subprocess.run([sys.executable, "-c", probe, str(out), split, SEED], capture_output=True, text=True,
                           env=dict(os.environ), timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    before = read_kind()
    draft = annotation_path(root)
    data = load_json(draft)
    first_quote = min(data["quotes"], key=lambda q: (q["content"]["start"], q["content"]["end"]))
    after = "scare" if before != "scare" else "direct"
    first_quote["kind"] = after
    write_json(draft, data)
    major, minor, patch = map(int, first.split("."))
    new = f"{major}.{minor}.{patch + 1}"
    r = run_cli("release", new, "-m", "Correct a quote kind.", "--date", "2026-12-01", root=root)
    assert r.returncode == 0, r.stderr
    assert run_cli("build", root=root).returncode == 0
    assert read_kind() == after  # a fresh process sees the rebuilt data
    assert run_cli("build", "--version", first, root=root).returncode == 0
    assert read_kind() == before  # the earlier version gives that version's rows
    meta = yaml.safe_load((out / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1])
    assert meta["annotation_version"] == first
    assert yaml.safe_load((out / "CITATION.cff").read_text(encoding="utf-8"))["version"] == first


def test_build_refuses_an_invalid_corpus_and_leaves_no_output(tmp_path):
    root = copy_repo(tmp_path / "root")
    draft = annotation_path(root)
    data = load_json(draft)
    data["mentions"][0]["text"] += "x"
    write_json(draft, data)
    before = snapshot(root)
    fails(run_cli("build", root=root), "span-text-mismatch")
    assert snapshot(root) == before
    assert not (root / "build").exists()


def test_publish_dry_run_lists_files_and_tag(built):
    root, out, _ = built
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    result = ok(run_cli("publish", str(out), "--repo-id", "example-org/newscorpus", "--dry-run", root=root))
    assert f"would upload {len(files)} file(s) to dataset repository example-org/newscorpus" in result.stdout
    assert [line[2:] for line in result.stdout.splitlines() if line.startswith("  ")] == files
    assert f"would tag the commit as v{latest_version(root)}" in result.stdout


def test_publish_refuses_without_token_and_a_draft_build(built, tmp_path):
    root, out, _ = built
    result = run_cli("publish", str(out), "--repo-id", "example-org/newscorpus", root=root)
    assert result.returncode == 1 and "missing-token" in result.stderr
    assert run_cli("build", "--version", "draft", "--output", str(tmp_path / "d"), root=root).returncode == 0
    result = run_cli("publish", str(tmp_path / "d"), "--repo-id", "a/b", "--dry-run", root=root)
    assert result.returncode == 1 and "publish-draft" in result.stderr


# --- publishing for real: the token is read and sent, and never shown -------------------------

SECRET = "hf_newscorpusTestSecret0123456789abcdefXYZ"


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hub_rejecting_the_token():
    """A local server standing in for the Hub: it answers every request with HTTP 401 and
    an error message that quotes the Authorization header it received (as a careless
    server might). Yields (endpoint, the Authorization headers received)."""
    received: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self):
            auth = self.headers.get("Authorization", "")
            received.append(auth)
            body = json.dumps({"error": f"Invalid credentials in Authorization header: {auth}"}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_HEAD = answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def publish_for_real(root: Path, out: Path, endpoint: str, offline: str = "0"):
    """``newscorpus publish`` without --dry-run, with $HF_TOKEN set, against ``endpoint``."""
    return run_cli("publish", str(out), "--repo-id", "example-org/newscorpus", root=root,
                   env={"HF_TOKEN": SECRET, "HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": offline})


@pytest.mark.parametrize("offline", ["0", "1"], ids=["unreachable-endpoint", "offline-mode"])
def test_publish_that_cannot_reach_the_hub_is_a_named_error_and_never_shows_the_token(built, offline):
    root, out, _ = built
    endpoint = f"http://127.0.0.1:{closed_port()}"
    before = snapshot(out)
    result = publish_for_real(root, out, endpoint, offline)
    fails(result, "hub-connection")  # past the token check: the token was read
    assert "missing-token" not in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert result.stdout == ""  # nothing claims an upload
    assert "could not create the repository example-org/newscorpus" in result.stderr
    if offline == "0":
        assert f"{endpoint}: " in result.stderr  # the endpoint it tried is named
    assert snapshot(out) == before


def test_publish_rejected_by_the_hub_is_a_named_error_and_never_shows_the_token(built, hub_rejecting_the_token):
    root, out, _ = built
    endpoint, received = hub_rejecting_the_token
    result = publish_for_real(root, out, endpoint)
    assert any(SECRET in auth for auth in received), received  # the token was read and sent
    fails(result, "hub-api")
    assert "HTTP 401" in result.stderr and "check that HF_TOKEN has write access" in result.stderr
    assert "Invalid credentials in Authorization header" in result.stderr  # the Hub's message is shown ...
    assert SECRET not in result.stdout + result.stderr  # ... without the token it quoted
    assert result.stdout == ""
