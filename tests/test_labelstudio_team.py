"""Several annotators, offline: every annotator's annotation of a task kept as a pass
(``labelstudio import --passes``), their agreement, adjudication into the draft with
the decision recorded; and the name matcher of ``labelstudio suggest``. The same
workflow against a real Label Studio server is in test_labelstudio_team_live.py."""
from __future__ import annotations

import copy
import json
import re

import pytest

from helpers import (annotation_path, apply_edits, export_draft, fails, load_json, load_set, ls_export, ok,
                     plan_edits, run_cli, snapshot)
from newscorpus.store.diff import diff_sets

A_USER, B_USER = 11, 12


def _draft_doc(root):
    return sorted(p.stem for p in (root / "annotations" / "draft").glob("*.json"))[0]


def _two_annotators(root, tmp_path):
    """An export where user A submitted the prediction as it was and user B made the
    edits of helpers.plan_edits; (document id, export file, B's expected diff)."""
    doc_id = _draft_doc(root)
    tasks = export_draft(root, doc_id)
    plan = plan_edits(load_set(annotation_path(root, "draft", doc_id)), tasks[0]["data"]["text"], root)
    first = ls_export(tasks, completed_by=A_USER)
    second = ls_export(tasks, [apply_edits(tasks[0]["predictions"][0]["result"], plan)], completed_by=B_USER,
                       updated_at="2026-11-25T11:00:00.000000Z")
    annotation_b = copy.deepcopy(second[0]["annotations"][0])
    annotation_b["id"] = 501
    first[0]["annotations"].append(annotation_b)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    return doc_id, path, plan


def _passes(root):
    folder = root / "annotations" / "passes"
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("annotator-"))


def test_import_passes_agreement_and_adjudication(gold, tmp_path):
    env = {"NEWSCORPUS_PSEUDONYM_KEY": "a team key for the tests"}
    doc_id, export, plan = _two_annotators(gold, tmp_path)
    draft_before = annotation_path(gold, "draft", doc_id).read_bytes()
    got = ok(run_cli("labelstudio", "import", "--passes", str(export), root=gold, env=env))
    names = _passes(gold)
    assert len(names) == 2 and all(re.fullmatch(r"annotator-[0-9a-f]{12}", n) for n in names)
    assert annotation_path(gold, "draft", doc_id).read_bytes() == draft_before  # the draft is left alone
    assert "agreement annotator-" in got.stdout and "span F1 exact" in got.stdout
    for name in names:
        assert f"pass {name}: 1 document(s)" in got.stdout
        text = (gold / "annotations" / "passes" / name / f"{doc_id}.json").read_text(encoding="utf-8")
        assert "@" not in text and "example.org" not in text
    listed = {p["name"]: p for p in load_json(gold / "annotations" / "passes.json")["passes"]}
    assert all(listed[n]["annotator"] == "human" and listed[n]["guidelines"] == "draft" for n in names)
    ok(run_cli("validate", root=gold, env=env))

    # which pass is B's: the one with B's edits, and its new annotations say Label Studio and the pass
    sets = {n: load_set(gold / "annotations" / "passes" / n / f"{doc_id}.json") for n in names}
    source = load_set(annotation_path(gold, "draft", doc_id))
    b_name = next(n for n in names if diff_sets({doc_id: source}, {doc_id: sets[n]}))
    a_name = next(n for n in names if n != b_name)
    assert diff_sets({doc_id: source}, {doc_id: sets[a_name]}) == []
    new = sets[b_name].mention_index()[plan["new_mention"]]
    assert new.provenance.annotator == b_name
    assert new.provenance.tool.startswith("Label Studio (") and f"pass {b_name}" in new.provenance.tool

    measured = ok(run_cli("agreement", a_name, b_name, "--json", root=gold))
    assert json.loads(measured.stdout)["documents"] == [doc_id]
    every = json.loads(ok(run_cli("agreement", "--passes", "--json", root=gold)).stdout)["pairs"]
    assert {(p["a"], p["b"]) for p in every} >= {(a_name, b_name)}

    ok(run_cli("adjudicate", "--take", b_name, "--document", doc_id, "--note", "B found the speaker",
               "--date", "2026-12-02T13:00:00Z", root=gold))
    assert diff_sets({doc_id: sets[b_name]}, {doc_id: load_set(annotation_path(gold, "draft", doc_id))}) == []
    record = load_json(gold / "annotations" / "adjudication" / f"{doc_id}.json")
    decision = record["decisions"][-1]
    assert decision["taken"] == b_name and {a_name, b_name} <= set(decision["passes"])
    assert decision["decided"] == "2026-12-02T13:00:00Z" and decision["note"] == "B found the speaker"
    ok(run_cli("validate", root=gold))
    # changing one's mind: the draft is what the last decision wrote, so it may be replaced
    ok(run_cli("adjudicate", "--take", a_name, "--document", doc_id, root=gold))
    assert len(load_json(gold / "annotations" / "adjudication" / f"{doc_id}.json")["decisions"]) == 2


def test_adjudication_refuses_to_lose_draft_changes(gold, tmp_path):
    doc_id, export, _ = _two_annotators(gold, tmp_path)
    ok(run_cli("labelstudio", "import", "--passes", str(export), root=gold))
    name = _passes(gold)[0]
    path = annotation_path(gold, "draft", doc_id)
    data = load_json(path)
    data["mentions"][0]["type"] = "ORG" if data["mentions"][0]["type"] != "ORG" else "PER"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    before = snapshot(gold)
    fails(run_cli("adjudicate", "--take", name, root=gold), "adjudication-draft-changed")
    fails(run_cli("adjudicate", "--take", "annotator-000000000000", root=gold), "adjudication-no-pass")
    fails(run_cli("adjudicate", "--take", name, "--document", "no_such_document", root=gold),
          "adjudication-no-pass")
    fails(run_cli("agreement", name, root=gold), "agreement-sets")
    fails(run_cli("agreement", name, "annotator-000000000000", root=gold), "agreement-sets")
    fails(run_cli("agreement", "--passes", "--document", "no_such_document", root=gold), "unknown-document")
    assert snapshot(gold) == before
    ok(run_cli("adjudicate", "--take", name, "--force", root=gold))


def test_a_dry_run_writes_nothing(gold, tmp_path):
    _, export, _ = _two_annotators(gold, tmp_path)
    before = snapshot(gold)
    got = ok(run_cli("labelstudio", "import", "--passes", "--dry-run", str(export), root=gold))
    assert "nothing written" in got.stdout
    assert snapshot(gold) == before


# --- the name matcher ------------------------------------------------------------------------

def _matcher(names, types=None):
    import spacy

    from newscorpus.labelstudio.suggest import NameMatcher

    return NameMatcher(names, spacy.blank("en"), types or set(names.values()))


def test_the_longest_name_wins_and_words_are_never_split():
    m = _matcher({"Korea": "GPE", "South Korea": "GPE", "Japan": "GPE", "Korean Peninsula": "LOC"})
    text = "South Korea and Japanese, Japan-based firms; the Korean Peninsula; Koreas. Japan"
    found = m.find(text)
    assert [(t, label) for _, _, t, label in found] == [
        ("South Korea", "GPE"), ("Japan", "GPE"), ("Korean Peninsula", "LOC"), ("Japan", "GPE")]
    assert all(text[s:e] == t for s, e, t, _ in found)


def test_offsets_are_code_points():
    m = _matcher({"Seoul": "GPE"})
    text = "\U0001F600 in Seoul"
    assert m.find(text) == [(text.index("Seoul"), len(text), "Seoul", "GPE")]


def test_known_names_take_the_most_frequent_type():
    from newscorpus.labelstudio.suggest import known_names
    from newscorpus.model import AnnotationSet, Entity, Mention, Provenance

    p = Provenance("x")
    sets = [AnnotationSet("d1", "0" * 64, "1.0.0", [Entity("e1", "GPE", "Seoul", p), Entity("e2", "PER", "he", p)],
                          [Mention("m1", 0, 5, "Seoul", "GPE", "name", "e1", p),
                           Mention("m2", 6, 8, "he", "PER", "pronoun", "e2", p)]),
            AnnotationSet("d2", "0" * 64, "1.0.0", [Entity("e1", "ORG", "Seoul", p)],
                          [Mention("m1", 0, 5, "Seoul", "ORG", "name", "e1", p)])]
    assert known_names(iter(sets)) == {"Seoul": "GPE"}  # GPE twice (mention, entity name), ORG twice: tie by label


def test_an_unknown_spacy_pipeline_is_a_named_error(root, tmp_path):
    before = snapshot(root)
    fails(run_cli("labelstudio", "suggest", "--spacy-model", "xx_no_such_pipeline_sm",
                  "--output", str(tmp_path / "t.json"), root=root), "spacy-model-missing")
    assert snapshot(root) == before and not (tmp_path / "t.json").exists()


@pytest.fixture
def new_article(root):
    """A new article (added with add-document) made of names the latest release knows,
    one of them also inside a longer word: (document id, text, names that must match,
    span of the longer word)."""
    from newscorpus import corpus
    from newscorpus.labelstudio.suggest import known_names
    from newscorpus.store.paths import Layout

    names = known_names(corpus.iter_version(Layout(root), "latest")[1])
    single = [n for n in names if re.fullmatch(r"[A-Z][a-z]{2,}", n)]
    multi = [n for n in names if " " in n and not any(n in o and n != o for o in names)]
    assert single and multi, "the latest release needs a one-word and a several-word name"
    word = single[0] + "ville"
    text = f"Reporters met {multi[0]} on Monday.\nThe {word} district is far from {single[0]}.\n"
    seed = root / "seeds" / "zz_suggest.txt"
    seed.write_text(text, encoding="utf-8")
    ok(run_cli("add-document", str(seed), root=root))
    start = text.index(word)
    return "zz_suggest", text, [multi[0], single[0]], (start, start + len(word))


def test_suggest_writes_predictions_of_known_names(root, new_article, tmp_path):
    doc_id, text, must, (ws, we) = new_article
    before = snapshot(root)
    out = tmp_path / "tasks.json"
    ok(run_cli("labelstudio", "suggest", "--output", str(out), root=root))
    assert snapshot(root) == before  # nothing written into the repository
    tasks = {t["data"]["document_id"]: t for t in load_json(out)}
    assert doc_id in tasks
    release = load_json(root / "annotations" / "releases.json")["releases"][-1]["version"]
    prediction = tasks[doc_id]["predictions"][0]
    assert prediction["model_version"] == f"newscorpus-names-{release}"
    regions = [r for r in prediction["result"] if r.get("from_name") == "mention"]
    found = [r["value"]["text"] for r in regions]
    assert all(name in found for name in must)
    for r in regions:
        s, e = r["value"]["start"], r["value"]["end"]
        assert text[s:e] == r["value"]["text"]
        assert e <= ws or s >= we  # nothing inside the longer word
    annotated = [p.stem for p in (root / "annotations" / "draft").glob("*.json")]
    assert not set(annotated) & set(tasks)  # documents with annotations get no suggestions


def test_a_saved_spacy_pipeline_adds_its_entities(root, tmp_path):
    """--spacy-model with the folder of a saved pipeline (here an entity ruler): its
    entities are proposed too, labels mapped onto the inventory, named in model_version."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Zorblax Quint"},
                                              {"label": "CARDINAL", "pattern": "seven"}])
    nlp.meta["name"], nlp.meta["version"] = "ruler_test", "0.1.0"
    nlp.to_disk(tmp_path / "pipeline")
    seed = root / "seeds" / "zz_model.txt"
    text = "Zorblax Quint counted seven ships.\n"
    seed.write_text(text, encoding="utf-8")
    ok(run_cli("add-document", str(seed), root=root))
    out = tmp_path / "tasks.json"
    ok(run_cli("labelstudio", "suggest", "--document", "zz_model", "--spacy-model", str(tmp_path / "pipeline"),
               "--output", str(out), root=root))
    [task] = load_json(out)
    prediction = task["predictions"][0]
    assert prediction["model_version"].endswith("+spacy-ruler_test-0.1.0")
    regions = [(r["value"]["start"], r["value"]["end"], r["value"]["text"], r["value"]["labels"])
               for r in prediction["result"] if r.get("from_name") == "mention"]
    assert regions == [(0, 13, "Zorblax Quint", ["PER"])]  # CARDINAL is not an entity type of the inventory


def test_adjudicate_takes_no_path_out_of_the_pass(gold):
    before = snapshot(gold)
    fails(run_cli("adjudicate", "--take", "pass-a", "--document", "../../draft/x", root=gold), "id-format")
    assert snapshot(gold) == before


def test_adjudication_refuses_a_pass_that_clears_the_document(gold, tmp_path):
    """An annotator who submitted an empty annotation has an empty pass; taking it would
    remove everything: refused unless deletions are allowed."""
    doc_id = _draft_doc(gold)
    tasks = export_draft(gold, doc_id)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(ls_export(tasks, [[]], completed_by=A_USER)), encoding="utf-8")
    ok(run_cli("labelstudio", "import", "--passes", str(export), root=gold))
    [name] = _passes(gold)
    before = snapshot(gold)
    fails(run_cli("adjudicate", "--take", name, root=gold), "adjudication-mass-deletion")
    assert snapshot(gold) == before
    ok(run_cli("adjudicate", "--take", name, "--allow-deletions", root=gold))
    assert load_set(annotation_path(gold, "draft", doc_id)).mentions == []
