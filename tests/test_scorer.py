"""The official scorer (issue #14, item 4): gold against itself scores 1.0 everywhere;
hand-made predictions give the figures computed by hand below."""
from __future__ import annotations

import copy
import json
import shutil

from helpers import REPO, SEED, annotation_path, copy_repo, fails, latest_version, load_json, ok, run_cli, write_json
from newscorpus.model import AnnotationSet, Document, sha256_text
from newscorpus.quality.scorer import score

TEXT = "Alice met Bob. She said “hi” to him."
PROV = {"annotator": "test", "tool": "hand", "created": "2026-01-01T00:00:00Z",
        "introduced_in": "1.0.0", "changed_in": "1.0.0"}


def _span(text: str, start: int) -> dict:
    return {"start": start, "end": start + len(text), "text": text}


def _gold() -> dict:
    def m(i, text, start, typ, kind, ent):
        return {"id": i, **_span(text, start), "type": typ, "kind": kind, "entity": ent, "provenance": PROV}
    return {
        "schema_version": "1.0", "document_id": "d", "text_sha256": sha256_text(TEXT), "version": "1.0.0",
        "entities": [{"id": "e1", "type": "PER", "name": "Alice", "provenance": PROV},
                     {"id": "e2", "type": "PER", "name": "Bob", "provenance": PROV}],
        "mentions": [m("m1", "Alice", 0, "PER", "name", "e1"), m("m2", "Bob", 10, "PER", "name", "e2"),
                     m("m3", "She", 15, "PER", "pronoun", "e1"), m("m4", "him", 32, "PER", "pronoun", "e2")],
        "events": [{"id": "ev1", "type": "Military.Exercise", "trigger": _span("met", 6),
                    "arguments": [{"role": "participant", "mention": "m1"}, {"role": "participant", "mention": "m2"}],
                    "realis": "actual", "polarity": "positive", "provenance": PROV}],
        "quotes": [{"id": "q1", "kind": "direct", "content": _span("hi", 25), "cue": _span("said", 19),
                    "speaker": "m3", "provenance": PROV}],
    }


def _doc() -> Document:
    return Document("d", TEXT, sha256_text(TEXT), "en", {}, {}, {}, "train", ((0, len(TEXT)),),
                    ((0, 14), (15, len(TEXT))))


def test_hand_made_predictions_give_the_hand_computed_figures():
    gold = _gold()
    assert TEXT[32:35] == "him" and TEXT[25:27] == "hi" and TEXT[19:23] == "said"
    pred = copy.deepcopy(gold)
    pred["mentions"] = [x for x in pred["mentions"] if x["id"] != "m4"]  # a missed mention
    pred["mentions"][1]["type"] = "GPE"  # a wrong type (Bob)
    pred["entities"].append({"id": "e3", "type": "PER", "name": "She", "provenance": PROV})
    pred["mentions"][2]["entity"] = "e3"  # a split cluster: She apart from Alice
    pred["events"][0]["arguments"][1]["role"] = "instrument"  # a wrong role
    pred["quotes"][0]["speaker"] = "m2"  # a wrong speaker (Bob for She)
    r = score({"d": _doc()}, {"d": AnnotationSet.from_dict(gold)}, {"d": AnnotationSet.from_dict(pred)})
    ex = r["mentions"]["exact"]["micro"]
    # gold 4 mentions, predicted 3, matched exactly with type 2 (Alice, She)
    assert (ex["precision"], ex["recall"], ex["f1"]) == (round(2 / 3, 4), 0.5, round(4 / 7, 4))
    assert r["mentions"]["partial"]["micro"]["tp"] == 2
    # BIO over names: Alice PER right, Bob PER predicted GPE
    assert r["bio"]["micro"] == {"precision": 0.5, "recall": 0.5, "f1-score": 0.5}
    c = r["coreference"]
    # key {Alice, She} {Bob, him}; response {Alice} {She} {Bob}
    assert c["muc"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}  # no link kept
    assert c["b3"] == {"precision": 1.0, "recall": 0.375, "f1": round(2 * 0.375 / 1.375, 4)}  # R = (1 + 0.5) / 4
    # CEAF-e: phi(A,{Alice}) = phi(B,{Bob}) = 2/3; R = (4/3)/2, P = (4/3)/3
    assert c["ceafe"] == {"precision": round(4 / 9, 4), "recall": round(2 / 3, 4), "f1": round(16 / 30, 4)}
    assert c["average_f1"] == round((0 + round(2 * 0.375 / 1.375, 4) + round(16 / 30, 4)) / 3, 4)
    v = r["events"]
    assert v["triggers"]["classification"]["f1"] == 1.0
    assert v["arguments"]["identification"]["f1"] == 1.0
    assert v["arguments"]["classification"]["f1"] == 0.5 and v["arguments"]["coref_classification"]["f1"] == 0.5
    assert v["realis_accuracy"] == 1.0 and v["polarity_accuracy"] == 1.0
    q = r["quotes"]
    assert q["content_exact"]["f1"] == 1.0 and q["cue_accuracy"] == 1.0 and q["speaker_accuracy"] == 0.0


def _ones(result: dict) -> list:
    """Every figure of a result that is not 1.0 (counts left out)."""
    bad = []

    def walk(x, path):
        if isinstance(x, dict):
            for k, y in x.items():
                if k not in ("tp", "pred", "gold", "matched", "matched_triggers", "documents", "gold_version"):
                    walk(y, path + [k])
        elif isinstance(x, float) and x != 1.0:
            bad.append((path, x))
    walk(result, [])
    return bad


def test_gold_against_itself_scores_one_everywhere_and_bad_predictions_are_named_errors(tmp_path):
    root = copy_repo(tmp_path / "root")
    version = latest_version(root)
    preds = tmp_path / "preds"
    preds.mkdir()
    for path in annotation_path(root, version, SEED).parent.glob("*.json"):
        if path.name not in ("MANIFEST.json", "inventory.json"):
            shutil.copy2(path, preds / path.name)
    result = json.loads(ok(run_cli("evaluate", version, str(preds), "--json", root=root)).stdout)
    assert _ones(result) == [] and result["mentions"]["exact"]["micro"]["tp"] > 0
    assert "coreference average F1 1.0000" in ok(run_cli("evaluate", version, str(preds), root=root)).stdout
    first = sorted(preds.glob("*.json"))[0]
    data = load_json(first)
    bad = copy.deepcopy(data)
    bad["mentions"][0]["type"] = "NOT_A_TYPE"
    write_json(first, bad)
    fails(run_cli("evaluate", version, str(preds), root=root), "unknown-label")
    bad = copy.deepcopy(data)
    bad["mentions"][0]["end"] = 10**7
    write_json(first, bad)
    fails(run_cli("evaluate", version, str(preds), root=root), "offset-out-of-range")
    write_json(first, data)
    other = copy.deepcopy(data)
    other["document_id"] = "no_such_document"
    write_json(preds / "no_such_document.json", other)
    fails(run_cli("evaluate", version, str(preds), root=root), "unknown-document")


def test_the_gold_may_be_a_folder_of_annotation_files_validated_like_the_predictions(tmp_path):
    root = copy_repo(tmp_path / "root")
    gold = tmp_path / "gold"
    gold.mkdir()
    release = annotation_path(root, latest_version(root), SEED).parent
    data = load_json(release / f"{SEED}.json")
    data["mentions"] = [m for m in data["mentions"] if m["kind"] == "name"]
    kept = {m["entity"] for m in data["mentions"]}
    data["entities"] = [e for e in data["entities"] if e["id"] in kept]
    data["events"], data["quotes"] = [], []
    write_json(gold / f"{SEED}.json", data)
    result = json.loads(ok(run_cli("evaluate", str(gold), str(gold), "--json", root=root)).stdout)
    assert result["gold"] == str(gold) and result["mentions"]["exact"]["micro"]["f1"] == 1.0
    assert result["mentions"]["exact"]["micro"]["gold"] == len(data["mentions"])
    data["mentions"][0]["type"] = "NOT_A_TYPE"
    write_json(gold / f"{SEED}.json", data)
    fails(run_cli("evaluate", str(gold), str(tmp_path), root=root), "unknown-label")


def test_coreference_figures_agree_with_a_kept_implementation_on_random_partitions():
    """``coreference_scores`` against scorch (the CoNLL-2012 scorer reimplemented after
    Pradhan et al. 2014, test extras) on random partitions of the gold's mentions over
    two documents, with mentions missed and mentions added. scorch is given all
    documents' clusters together (mention keys carry the document), which is the
    micro-average over documents that ``coreference_scores`` and the reference scorer
    compute. The one case they define differently is left out: when neither side has
    a link (all clusters singletons) MUC has nothing to find; this scorer gives 1.0,
    scorch 0.0."""
    import random

    from scorch import scores as scorch

    from newscorpus.quality.scorer import clusters_of, coreference_scores

    release = annotation_path(REPO, latest_version(REPO), SEED).parent
    data = load_json(release / f"{SEED}.json")
    rng = random.Random(14)
    compared = 0
    for _ in range(40):
        gold, pred = {}, {}
        for doc in ("d1", "d2"):
            g = copy.deepcopy(data)
            g["document_id"] = doc
            p = copy.deepcopy(g)
            ids = [e["id"] for e in p["entities"]] + [f"x{i}" for i in range(rng.randint(0, 5))]
            p["entities"] += [{**p["entities"][0], "id": i} for i in ids if i.startswith("x")]
            for m in p["mentions"]:
                m["entity"] = rng.choice(ids) if rng.random() < 0.3 else m["entity"]
            p["mentions"] = [m for m in p["mentions"] if rng.random() > 0.1]
            p["mentions"] += [{**m, "start": m["start"] + 1} for m in g["mentions"] if rng.random() < 0.05]
            gold[doc], pred[doc] = AnnotationSet.from_dict(g), AnnotationSet.from_dict(p)
        ours = coreference_scores(gold, pred)
        key = [{(d, m) for m in c} for d in gold for c in clusters_of(gold[d])]
        response = [{(d, m) for m in c} for d in pred for c in clusters_of(pred[d])]
        for name, metric in (("muc", scorch.muc), ("b3", scorch.b_cubed), ("ceafe", scorch.ceaf_e)):
            if name == "muc" and all(len(c) == 1 for c in key + response):
                continue
            r, p, f = metric(key, response)
            assert abs(ours[name]["recall"] - r) <= 1e-4 and abs(ours[name]["precision"] - p) <= 1e-4, name
            assert abs(ours[name]["f1"] - f) <= 1e-4, name
            compared += 1
    assert compared >= 100
