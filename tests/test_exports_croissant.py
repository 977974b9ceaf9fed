"""Croissant metadata of a Parquet build: mlcroissant loads it without errors, every
record set yields records, the hashes are those of the shards, the documents and ner
record sets hold the corpus's documents and sentences, and the Responsible-AI agreement
figures are the ones `newscorpus agreement` computes."""
from __future__ import annotations

import hashlib
import json

import pytest

from helpers import latest_version, load_json, ok, run_cli

mlc = pytest.importorskip("mlcroissant", reason="mlcroissant is in the test extras: pip install -e '.[test]'")


@pytest.fixture
def described(gold, tmp_path):
    build = tmp_path / "dataset"
    ok(run_cli("build", "--version", latest_version(gold), "--output", str(build), root=gold))
    ok(run_cli("convert", "--to", "croissant", str(build), root=gold))
    return gold, build, build / "croissant.json"


def test_mlcroissant_loads_the_metadata_and_reads_every_record_set(described):
    gold, build, path = described
    ds = mlc.Dataset(jsonld=path)
    assert not ds.metadata.ctx.issues.errors
    names = {rs.name: rs for rs in ds.metadata.record_sets}
    assert {"documents", "entities", "ner"} <= set(names)
    assert set(names) == {p.name for p in build.iterdir() if any(p.glob("*.parquet"))}
    for rs in names.values():
        assert list(ds.records(record_set=rs.uuid)), rs.name
    records = list(ds.records(record_set=names["documents"].uuid))
    records_by_id = {r["documents/id"].decode(): r for r in records}
    records_dir = gold / "corpus" / "documents"
    assert sorted(records_by_id) == sorted(p.stem for p in records_dir.glob("*.json"))
    for doc_id, r in records_by_id.items():
        record = load_json(records_dir / f"{doc_id}.json")
        assert r["documents/text"].decode() == record["text"]
        assert r["documents/split"].decode() == record["split"]
    version = latest_version(gold)
    for r in ds.records(record_set=names["entities"].uuid):
        doc_id = r["entities/document_id"].decode()
        path = gold / "annotations" / "releases" / version / f"{doc_id}.json"
        ann = load_json(path) if path.exists() else {"mentions": []}  # unannotated: no mentions
        got = sorted((m["entities/mentions/start"], m["entities/mentions/end"], m["entities/mentions/text"].decode())
                     for m in r["entities/mentions"])
        assert got == sorted((m["start"], m["end"], m["text"]) for m in ann["mentions"])
    n_sentences = sum(len(load_json(p)["sentences"]) for p in records_dir.glob("*.json"))
    assert len(list(ds.records(record_set=names["ner"].uuid))) == n_sentences


def test_files_hashes_and_responsible_ai_fields(described):
    gold, build, path = described
    data = json.loads(path.read_text(encoding="utf-8"))
    shards = sorted(p.relative_to(build).as_posix() for p in build.glob("*/*.parquet"))
    objects = {f["contentUrl"]: f for f in data["distribution"] if f["@type"] == "cr:FileObject"}
    assert sorted(objects) == shards
    for rel, f in objects.items():
        assert f["sha256"] == hashlib.sha256((build / rel).read_bytes()).hexdigest()
    inventory = load_json(gold / "annotations" / "releases" / latest_version(gold) / "inventory.json")
    entities = next(rs for rs in data["recordSet"] if rs["name"] == "entities")
    mention_type = next(sub for f in entities["field"] if f["name"] == "mentions" for sub in f["subField"]
                        if sub["name"] == "type")
    assert mention_type["description"] == "ClassLabel ids: " + ", ".join(
        f"{i}={t['label']}" for i, t in enumerate(inventory["entity_types"]))
    cff = __import__("yaml").safe_load((build / "CITATION.cff").read_text(encoding="utf-8"))
    assert data["version"] == str(cff["version"]) and cff["license"] in data["license"]
    for key in ("rai:dataCollection", "rai:dataAnnotationProtocol", "rai:annotationsPerItem",
                "rai:machineAnnotationTools", "rai:dataAnnotationAnalysis", "rai:dataLimitations",
                "rai:personalSensitiveInformation"):
        assert data[key], key
    passes = gold / "annotations" / "passes"
    result = run_cli("agreement", str(passes / "pass-a"), str(passes / "pass-b"), "--json", root=gold)
    ok(result)
    figures = json.loads(result.stdout)
    assert f"mention span F1 (exact) {figures['mentions']['exact']['f1']:.3f}" in data["rai:dataAnnotationAnalysis"]
    assert f"argument F1 {figures['events']['arguments']['f1']:.3f}" in data["rai:dataAnnotationAnalysis"]
    assert "LLM" in data["rai:dataAnnotationProtocol"]
