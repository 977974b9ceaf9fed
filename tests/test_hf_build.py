"""The Hugging Face build: built in a fresh process, read back with
``datasets.load_dataset`` offline, in a temporary HF_HOME (see conftest)."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SEED, copy_repo, run_cli, snapshot
from newscorpus.hf.features import CONFIGS, features_for
from newscorpus.hf.rows import decode_bio, select_ner_mentions
from newscorpus.rules.inventory import load_inventory
from newscorpus.model import AnnotationSet


def load(path: Path, config: str, split: str = "train"):
    from datasets import load_dataset

    return load_dataset(str(path), config, split=split)


def latest(root: Path) -> str:
    return json.loads((root / "annotations" / "releases.json").read_text(encoding="utf-8"))["releases"][-1]["version"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("hf") / "root")
    result = run_cli("build", root=root, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, root / "build" / "dataset", result.stdout


def test_build_prints_summary_and_a_load_line_that_works_as_printed(built):
    root, out, stdout = built
    assert stdout.splitlines()[0] == f"built annotation version {latest(root)}"
    for config in CONFIGS:
        assert re.search(rf"^  {config}\s+train \d+ row\(s\)$", stdout, re.M)
    assert f"output: {out}" in stdout
    line = stdout.strip().splitlines()[-1]
    assert line.startswith("load it: ")
    command = shlex.split(line[len("load it: "):])
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "num_rows: 1" in result.stdout


def test_layout_is_what_push_to_hub_writes(built):
    _, out, _ = built
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["CITATION.cff", "README.md"] + [f"{c}/train-00000-of-00001.parquet" for c in sorted(CONFIGS)]


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_the_declared_features(built, config):
    root, out, _ = built
    inventory = load_inventory(root / "annotations" / "releases" / latest(root) / "inventory.json")
    ds = load(out, config)
    assert ds.features == features_for(config, inventory)
    assert ds.num_rows == (52 if config == "ner" else 1)


def test_every_span_in_every_config_matches_the_document_text(built):
    _, out, _ = built
    texts = {r["id"]: r["text"] for r in load(out, "documents")}
    n = 0

    def check(doc, span):
        nonlocal n
        if span is None:
            return
        assert texts[doc][span["start"]:span["end"]] == span["text"], span
        n += 1

    doc = texts[SEED]
    for row in load(out, "documents"):
        for p in row["paragraphs"] + row["sentences"]:
            assert doc[p["start"]:p["end"]].strip() == doc[p["start"]:p["end"]]
    for row in load(out, "entities"):
        for m in row["mentions"]:
            check(row["document_id"], m)
    for row in load(out, "events"):
        for v in row["events"]:
            check(row["document_id"], v["trigger"])
            for a in v["arguments"]:
                check(row["document_id"], a)
    for row in load(out, "quotes"):
        for q in row["quotes"]:
            for key in ("content", "cue", "speaker"):
                check(row["document_id"], q[key])
    for row in load(out, "ner"):
        for tok, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"]):
            check(row["document_id"], {"start": s, "end": e, "text": tok})
        check(row["document_id"], {"start": row["start"], "end": row["end"], "text": row["text"]})
    assert n > 2000


def test_ner_tags_decode_back_to_the_mentions_they_came_from(built):
    root, out, _ = built
    version = latest(root)
    ann = AnnotationSet.from_dict(json.loads(
        (root / "annotations" / "releases" / version / f"{SEED}.json").read_text(encoding="utf-8")))
    ds = load(out, "ner")
    names = ds.features["ner_tags"].feature.names
    decoded = set()
    for row in ds:
        decoded |= set(decode_bio(row["token_starts"], row["token_ends"], [names[t] for t in row["ner_tags"]]))
    kept, nested = select_ner_mentions(ann)
    expected = {(m.start, m.end, m.type) for m in kept}
    assert decoded <= expected
    missing = expected - decoded
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"{len(missing)} are dropped for token misalignment" in card or len(missing) == 0
    assert len(decoded) >= 0.95 * len(expected)
    assert f"In this\nversion {len(decoded)} name mentions are tagged, {len(nested)} nested names" in card


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
        assert data["version"] == latest(root)
    bad = load_citation(REPO / "CITATION.cff")
    del bad["authors"]
    assert [p.check for p in citation_problems(bad, REPO / "schema", "x")] == ["cff-required"]


def test_an_earlier_version_builds_its_own_rows_and_a_change_is_never_served_stale(tmp_path):
    root = copy_repo(tmp_path / "root")
    first = latest(root)
    out = root / "build" / "dataset"
    assert run_cli("build", root=root).returncode == 0
    probe = ("from datasets import load_dataset; import sys; "
             "d = load_dataset(sys.argv[1], 'quotes', split='train'); "
             "f = d.features['quotes'].feature['kind']; print(f.int2str(d[0]['quotes'][0]['kind']))")

    def read_kind():
        r = subprocess.run([sys.executable, "-c", probe, str(out)], capture_output=True, text=True,
                           env=dict(os.environ), timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    before = read_kind()
    draft = root / "annotations" / "draft" / f"{SEED}.json"
    data = json.loads(draft.read_text(encoding="utf-8"))
    first_quote = min(data["quotes"], key=lambda q: (q["content"]["start"], q["content"]["end"]))
    after = "scare" if before != "scare" else "direct"
    first_quote["kind"] = after
    draft.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
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
    draft = root / "annotations" / "draft" / f"{SEED}.json"
    data = json.loads(draft.read_text(encoding="utf-8"))
    data["mentions"][0]["text"] += "x"
    draft.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    before = snapshot(root)
    result = run_cli("build", root=root)
    assert result.returncode == 1
    assert "span-text-mismatch" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(root) == before
    assert not (root / "build").exists()


def test_publish_dry_run_lists_files_and_tag_and_never_shows_the_token(built):
    root, out, _ = built
    secret = "hf_secretTOKENvalue1234567890"
    result = run_cli("publish", str(out), "--repo-id", "example-org/newscorpus", "--dry-run", root=root,
                     env={"HF_TOKEN": secret})
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    assert "would upload 7 file(s) to dataset repository example-org/newscorpus" in result.stdout
    assert f"would tag the commit as v{latest(root)}" in result.stdout
    assert "  entities/train-00000-of-00001.parquet" in result.stdout


def test_publish_refuses_without_token_and_a_draft_build(built, tmp_path):
    root, out, _ = built
    result = run_cli("publish", str(out), "--repo-id", "example-org/newscorpus", root=root)
    assert result.returncode == 1 and "missing-token" in result.stderr
    assert run_cli("build", "--version", "draft", "--output", str(tmp_path / "d"), root=root).returncode == 0
    result = run_cli("publish", str(tmp_path / "d"), "--repo-id", "a/b", "--dry-run", root=root)
    assert result.returncode == 1 and "publish-draft" in result.stderr
