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

from helpers import (REPO, SEED, next_version, annotation_path, copy_repo, fails, latest_version, load_json, load_set, ok,
                     run_cli, snapshot, write_json)
from newscorpus.hf.features import CONFIGS, ROW_UNIT, SHARD, SPLIT_ORDER, features_for
from newscorpus.model import AnnotationSet
from newscorpus.quality.figure import BAR, FIGURE, PANELS
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
    release = annotation_path(root, latest_version(root), SEED).parent
    quotes = {d["id"]: len(load_json(release / f"{d['id']}.json")["quotes"])
              if (release / f"{d['id']}.json").exists() else 0 for d in docs}  # unannotated: none
    out: dict[str, dict[str, int]] = {c: {} for c in CONFIGS}
    for split in SPLIT_ORDER:
        in_split = [d for d in docs if d["split"] == split]
        for config in CONFIGS if in_split else ():
            if ROW_UNIT.get(config) == "sentence":
                out[config][split] = sum(len(d["sentences"]) for d in in_split)
            elif ROW_UNIT.get(config) == "quote":
                out[config][split] = sum(quotes[d["id"]] for d in in_split)
            else:
                out[config][split] = len(in_split)
            if not out[config][split]:
                del out[config][split]
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
    assert files == sorted(["CITATION.cff", "README.md", FIGURE, *shards])


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


def test_the_card_shows_a_label_distribution_figure_of_the_stats_counts(built):
    """The build's SVG parses as XML, its bars are the counts of ``newscorpus stats`` for
    entity (mention) types, event types and quote kinds, in inventory order, each bar's
    length in proportion to its count, and the card shows it. (Byte-identical rebuilds
    are checked with every file of the build above.)"""
    import xml.etree.ElementTree as ET

    root, out, _ = built
    svg = ET.parse(out / FIGURE).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{ns}svg"
    stats = json.loads(ok(run_cli("stats", "--version", latest_version(root), "--json", root=root)).stdout)
    bars: dict[str, dict[str, int]] = {}
    for g in (g for g in svg.iter(f"{ns}g") if g.get("class") == "bar"):
        label, n = g.get("data-label"), int(g.get("data-count"))
        bars.setdefault(g.get("data-layer"), {})[label] = n
        assert [t.text for t in g.findall(f"{ns}text")] == [label, str(n)]
        assert g.find(f"{ns}title").text == f"{label}: {n}"
        top = max(stats[g.get("data-layer")].values())
        assert int(g.find(f"{ns}rect").get("width")) == (round(BAR * n / top) if top else 0)
    assert [(k, list(v.items())) for k, v in bars.items()] == [(k, list(stats[k].items())) for k, _ in PANELS]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^!\[[^\]]+\]\({re.escape(FIGURE)}\)$", card, re.M)


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
    ok(run_cli("draft", "init", "--from", first, "--force", root=root))  # the draft may have moved on
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
    new = next_version(root, "minor")  # the inventory may have been reworded since: not a patch
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


# --- the training views (issue #14, item 3) -------------------------------------------------

def _release_sets(root: Path) -> list:
    release = annotation_path(root, latest_version(root), SEED).parent
    return [load_set(p) for p in sorted(release.glob("*.json")) if p.name not in ("MANIFEST.json", "inventory.json")]


def _decoded(row: dict, span: dict, texts: dict) -> tuple[int, int]:
    """The character offsets of a token span, checked against its own offsets and text."""
    a, b = row["token_starts"][span["start"]], row["token_ends"][span["end"] - 1]
    assert span["start"] < span["end"] and (a, b) == (span["char_start"], span["char_end"]), span
    assert texts[row["document_id"]][a:b] == span["text"]
    return a, b


def _sentence_of(root: Path) -> dict:
    docs = [load_json(p) for p in sorted((root / "corpus" / "documents").glob("*.json"))]
    return {d["id"]: [(s["start"], s["end"]) for s in d["sentences"]] for d in docs}


def _same_sentence(sentences, *spans) -> bool:
    return any(all(s <= a and b <= e for a, b in spans) for s, e in sentences)


def test_the_default_config_loads_without_a_name(built):
    from datasets import load_dataset

    from newscorpus.hf.features import DEFAULT_CONFIG

    root, out, _ = built
    meta = yaml.safe_load((out / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1])
    assert [c["config_name"] for c in meta["configs"] if c.get("default")] == [DEFAULT_CONFIG]
    ds = load_dataset(str(out), split="train")
    assert ds.features == load(out, DEFAULT_CONFIG).features


def test_event_extraction_decodes_to_the_triggers_and_arguments(built):
    root, out, _ = built
    texts = {r["id"]: r["text"] for r in all_rows(out, "documents")}
    feats = load(out, "event_extraction").features
    types, roles = feats["triggers"].feature["type"].names, feats["arguments"].feature["role"].names
    realis, polarity = feats["triggers"].feature["realis"].names, feats["triggers"].feature["polarity"].names
    got_t, got_a = set(), set()
    for row in all_rows(out, "event_extraction"):
        for t in row["triggers"]:
            got_t.add((row["document_id"], t["event_id"], *_decoded(row, t, texts), types[t["type"]],
                       realis[t["realis"]], polarity[t["polarity"]]))
        for a in row["arguments"]:
            trigger = row["triggers"][a["trigger_index"]]
            got_a.add((row["document_id"], trigger["event_id"], roles[a["role"]], a["mention_id"],
                       *_decoded(row, a, texts)))
    sentences = _sentence_of(root)
    want_t, want_a = set(), set()
    for ann in _release_sets(root):
        mentions = ann.mention_index()
        for v in ann.events:
            tr = (v.trigger.start, v.trigger.end)
            if not _same_sentence(sentences[ann.document_id], tr):
                continue
            want_t.add((ann.document_id, v.id, *tr, v.type, v.realis, v.polarity))
            for a in v.arguments:
                m = mentions[a.mention]
                if _same_sentence(sentences[ann.document_id], tr, (m.start, m.end)):
                    want_a.add((ann.document_id, v.id, a.role, m.id, m.start, m.end))
    assert got_t == want_t and got_a == want_a and want_t


def test_mentions_nested_and_coreference_decode_to_every_mention(built):
    root, out, _ = built
    texts = {r["id"]: r["text"] for r in all_rows(out, "documents")}
    sets = _release_sets(root)
    sentences = _sentence_of(root)
    nested = {(row["document_id"], m["mention_id"], *_decoded(row, m, texts), m["entity_id"])
              for row in all_rows(out, "mentions_nested") for m in row["mentions"]}
    want = {(a.document_id, m.id, m.start, m.end, m.entity) for a in sets for m in a.mentions
            if _same_sentence(sentences[a.document_id], (m.start, m.end))}
    assert nested == want and want
    clusters, singletons = set(), {}
    for row in all_rows(out, "coreference"):
        spans = [(s["start"], s["end"]) for s in row["sentences"]]
        assert spans[0][0] == 0 and spans[-1][1] == len(row["tokens"])
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
        for c in row["clusters"]:
            singletons[(row["document_id"], c["entity_id"])] = c["singleton"]
            clusters |= {(row["document_id"], m["mention_id"], *_decoded(row, m, texts), c["entity_id"])
                         for m in c["mentions"]}
    assert clusters == {(a.document_id, m.id, m.start, m.end, m.entity) for a in sets for m in a.mentions}
    sizes = {}
    for a in sets:
        for m in a.mentions:
            sizes[(a.document_id, m.entity)] = sizes.get((a.document_id, m.entity), 0) + 1
    assert singletons == {key: n == 1 for key, n in sizes.items()}


def test_quote_attribution_decodes_to_the_quotes(built):
    root, out, _ = built
    texts = {r["id"]: r["text"] for r in all_rows(out, "documents")}
    got = {}
    for row in all_rows(out, "quote_attribution"):
        text = texts[row["document_id"]]
        assert text[row["context_start"]:row["context_end"]] == row["context"]
        content = _decoded(row, row["content"], texts)
        cue = _decoded(row, row["cue"], texts) if row["cue"] else None
        speaker = None
        if row["speaker"]:
            sp = row["speaker"]
            speaker = (sp["char_start"], sp["char_end"])
            inside = row["context_start"] <= speaker[0] and speaker[1] <= row["context_end"]
            assert row["speaker_in_context"] == inside
            if inside:
                assert _decoded(row, sp, texts) == speaker
        got[(row["document_id"], row["quote_id"])] = (content, cue, speaker, row["speaker_entity_id"])
    want = {}
    for ann in _release_sets(root):
        mentions = ann.mention_index()
        for q in ann.quotes:
            sp = mentions[q.speaker] if q.speaker else None
            want[(ann.document_id, q.id)] = ((q.content.start, q.content.end),
                                             (q.cue.start, q.cue.end) if q.cue else None,
                                             (sp.start, sp.end) if sp else None, sp.entity if sp else None)
    assert got == want


def test_bigbio_kb_offsets_decode_to_the_text_and_every_id_resolves(built):
    """BigBIO's kb schema: plain string types, offsets that decode to the document text,
    ids unique, every ref_id, arg id and coreference member a known entity, and the
    release's mentions, events, entities and quotes all present."""
    from datasets import List, Value

    root, out, _ = built
    texts = {r["id"]: r["text"] for r in all_rows(out, "documents")}
    ds = load(out, "bigbio_kb")
    assert ds.features["entities"].feature["type"] == Value("string")
    assert ds.features["entities"].feature["offsets"] == List(List(Value("int32")))
    sets = {a.document_id: a for a in _release_sets(root)}
    ids: list[str] = []
    for row in ds:
        text = texts[row["document_id"]]
        # a document without annotations in the release is an empty set
        ann = sets.get(row["document_id"]) or AnnotationSet(row["document_id"], "", "")
        spans = row["passages"] + row["entities"] + [v["trigger"] for v in row["events"]]
        for x in spans:
            assert [text[s:e] for s, e in x["offsets"]] == x["text"], x
        entity_ids = {x["id"] for x in row["entities"]}
        ids += [x["id"] for key in ("passages", "entities", "events", "coreferences", "relations") for x in row[key]]
        assert all(a["ref_id"] in entity_ids for v in row["events"] for a in v["arguments"])
        assert all({r["arg1_id"], r["arg2_id"]} <= entity_ids for r in row["relations"])
        assert all(set(c["entity_ids"]) <= entity_ids for c in row["coreferences"])
        assert len([x for x in row["entities"] if x["type"] not in ("QUOTE", "QUOTE_CUE")]) == len(ann.mentions)
        assert len([x for x in row["entities"] if x["type"] == "QUOTE"]) == len(ann.quotes)
        assert sorted(v["type"] for v in row["events"]) == sorted(v.type for v in ann.events)
        assert len(row["coreferences"]) == len({m.entity for m in ann.mentions})
        assert len([r for r in row["relations"] if r["type"] == "quote_speaker"]) == \
            sum(q.speaker is not None for q in ann.quotes)
        paragraphs = load_json(root / "corpus" / "documents" / f"{row['document_id']}.json")["paragraphs"]
        assert [p["offsets"] for p in row["passages"]] == [[[p["start"], p["end"]]] for p in paragraphs]
    assert ids and len(ids) == len(set(ids))
