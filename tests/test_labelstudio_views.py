"""The views of a document in Label Studio without a server: one task per (document,
view), each view the authority for its layers, coreference as a per-mention Entity
choice, edits in every view merged back, the id register (ids are never given twice),
and the named errors of a view (``ls-view-scope``)."""
from __future__ import annotations

import copy
import json

import pytest

from helpers import (add_region, add_relation, annotation_path, change_set, delete_region, export_draft, fails,
                     load_json, load_set, ls_export, ok, relabel, run_cli, snapshot, write_json)
from newscorpus.labelstudio.names import ENTITY, MENTION, MENTION_KIND, VIEWS
from newscorpus.store.versions import annotation_files


@pytest.fixture
def gold_doc(gold) -> str:
    return sorted(p.stem for p in annotation_files(gold / "annotations" / "draft"))[0]


def _views(gold, doc_id: str) -> dict[str, dict]:
    return {t["data"]["view"]: t for t in export_draft(gold, doc_id, views=VIEWS)}


def _result(task: dict) -> list[dict]:
    return copy.deepcopy(task["predictions"][0]["result"])


def _import(gold, tasks: list[dict], results: list[list[dict]], *extra: str):
    path = write_json(gold / "ls-export.json", ls_export(tasks, results))
    return run_cli("labelstudio", "import", str(path), "--json", *extra, root=gold)


def _free_word(ann, text: str, after: int = 0):
    import re

    covered = [(m.start, m.end) for m in ann.mentions] + [(v.trigger.start, v.trigger.end) for v in ann.events]
    return next(w for w in re.finditer(r"\b[A-Z][a-z]{3,}\b", text)
                if w.start() >= after and all(w.end() <= a or w.start() >= b for a, b in covered))


def test_views_without_edits_give_back_the_draft_exactly(gold, gold_doc):
    before = snapshot(gold / "annotations" / "draft")
    views = _views(gold, gold_doc)
    tasks = [views[v] for v in VIEWS]
    result = ok(_import(gold, tasks, [_result(t) for t in tasks]))
    assert json.loads(result.stdout)["changes"] == []
    assert snapshot(gold / "annotations" / "draft") == before
    ok(run_cli("validate", root=gold))


def test_edits_in_each_view_come_back_merged(gold, gold_doc):
    ann = load_set(annotation_path(gold, "draft", gold_doc)).sorted()
    views = _views(gold, gold_doc)
    text = views["entities"]["data"]["text"]
    ents, evs, qs = (_result(views[v]) for v in VIEWS)
    # entities view: a mention moves to another entity, a new mention joins an existing
    # entity, an argument's mention is deleted
    count = {}
    for m in ann.mentions:
        count[m.entity] = count.get(m.entity, 0) + 1
    mover = next(m for m in ann.mentions if count[m.entity] > 2)
    target = next(e for e in ann.entities if e.type == mover.type and e.id != mover.entity)
    choice = next(c["value"] for c in views["entities"]["data"]["entity_choices"]
                  if c["value"].startswith(target.id + ":"))
    next(r for r in ents if r["id"] == mover.id and r["from_name"] == ENTITY)["value"]["choices"] = [choice]
    word = _free_word(ann, text)
    add_region(ents, "NewRegion01", MENTION, target.type, word.start(), word.end(), word.group(),
               {MENTION_KIND: "name", ENTITY: choice})
    argument = next(a.mention for v in ann.events for a in v.arguments
                    if count[next(m.entity for m in ann.mentions if m.id == a.mention)] > 1)
    delete_region(ents, argument)
    # events view: an event deleted; quotes view: a speaker added
    deleted = next(v for v in ann.events if all(a.mention != argument for a in v.arguments))
    delete_region(evs, deleted.id)
    quote = next(q for q in ann.quotes if q.speaker is None)
    speaker = [m for m in ann.mentions if m.end <= quote.content.start and m.id != argument][-1]
    add_relation(qs, quote.id, speaker.id, "speaker")
    tasks = [views[v] for v in VIEWS]
    result = ok(_import(gold, tasks, [ents, evs, qs]))
    changes = change_set(json.loads(result.stdout)["changes"])
    new_id = f"m{max(int(m.id[1:]) for m in ann.mentions) + 1}"
    losing = {v.id for v in ann.events if any(a.mention == argument for a in v.arguments)}
    expected = {("mentions", mover.id, "changed", ("entity",)), ("mentions", new_id, "added", ()),
                ("mentions", argument, "removed", ()), ("events", deleted.id, "removed", ()),
                ("quotes", quote.id, "changed", ("speaker",))}
    expected |= {("events", v, "changed", ("arguments",)) for v in losing}
    got = {c for c in changes if c[0] != "entities"}
    assert got == expected
    draft = load_set(annotation_path(gold, "draft", gold_doc))
    index = {m.id: m for m in draft.mentions}
    assert index[mover.id].entity == target.id and index[new_id].entity == target.id
    assert "loses its argument" in result.stderr + result.stdout
    ok(run_cli("validate", root=gold))


def test_an_id_is_never_given_twice_even_after_its_holder_was_deleted(gold, gold_doc):
    ann = load_set(annotation_path(gold, "draft", gold_doc)).sorted()
    views = _views(gold, gold_doc)
    text = views["entities"]["data"]["text"]
    top_m = max(int(m.id[1:]) for m in ann.mentions)
    top_e = max(int(e.id[1:]) for e in ann.entities)

    def add_new(word) -> tuple[str, str]:
        ents = _result(views["entities"])
        add_region(ents, "Fresh", MENTION, "LOC", word.start(), word.end(), word.group(),
                   {MENTION_KIND: "name", ENTITY: "new entity 1"})
        changes = json.loads(ok(_import(gold, [views["entities"]], [ents])).stdout)["changes"]
        return ({c["id"] for c in changes if c["layer"] == "mentions"}.pop(),
                {c["id"] for c in changes if c["layer"] == "entities"}.pop())

    first = _free_word(ann, text)
    assert add_new(first) == (f"m{top_m + 1}", f"e{top_e + 1}")
    register = load_json(gold / "annotations" / "ids.json")
    assert register["documents"][gold_doc]["m"] == top_m + 1 and register["documents"][gold_doc]["e"] == top_e + 1
    # the new mention and its entity are removed from the draft by hand (merged away)
    path = annotation_path(gold, "draft", gold_doc)
    data = load_json(path)
    data["mentions"] = [m for m in data["mentions"] if m["id"] != f"m{top_m + 1}"]
    data["entities"] = [e for e in data["entities"] if e["id"] != f"e{top_e + 1}"]
    write_json(path, data)
    ok(run_cli("validate", root=gold))
    second = _free_word(ann, text, first.end())
    assert add_new(second) == (f"m{top_m + 2}", f"e{top_e + 2}")


def test_a_region_outside_its_view_is_a_named_error_and_nothing_is_written(gold, gold_doc):
    views = _views(gold, gold_doc)
    ann = load_set(annotation_path(gold, "draft", gold_doc))
    before = snapshot(gold / "annotations")
    evs = _result(views["events"])
    delete_region(evs, ann.mentions[0].id)
    ents = _result(views["entities"])
    add_region(ents, "Ev1", "event", ann.events[0].type, ann.mentions[0].start, ann.mentions[0].end,
               ann.mentions[0].text, {"realis": "actual", "polarity": "positive"})
    result = _import(gold, [views["entities"], views["events"]], [ents, evs])
    fails(result, "ls-view-scope")
    assert "event region Ev1 in the entities view" in result.stderr
    assert f"mention {ann.mentions[0].id} was deleted in the events view" in result.stderr
    assert snapshot(gold / "annotations") == before


def test_a_damaged_id_register_stops_the_import(gold, gold_doc):
    views = _views(gold, gold_doc)
    write_json(gold / "annotations" / "ids.json", {"format": "newscorpus-ids/1", "documents": {gold_doc: {"m": "x"}}})
    before = snapshot(gold / "annotations")
    fails(_import(gold, [views["entities"]], [_result(views["entities"])]), "id-register")
    assert snapshot(gold / "annotations") == before


def test_the_instructions_say_what_every_label_means_and_what_a_new_region_needs(root):
    import html

    from newscorpus.labelstudio.config import instructions_html
    from newscorpus.rules.inventory import LAYERS, load_inventory

    inventory = load_inventory(root / "schema" / "inventory.json")
    text = instructions_html(inventory)
    for layer in LAYERS:
        for item in getattr(inventory, layer):
            assert f"<b>{html.escape(item.label)}</b>" in text and html.escape(item.definition) in text
    for needed in ("Mention kind", "Realis", "Polarity", "Quote kind", "never given twice"):
        assert needed in text
    # one source of truth: a definition changed in the inventory is the one shown
    raw = json.loads((root / "schema" / "inventory.json").read_text(encoding="utf-8"))
    raw["mention_kinds"][0]["definition"] = "A changed definition, to see it shown."
    (root / "schema" / "inventory.json").write_text(json.dumps(raw), encoding="utf-8")
    assert "A changed definition, to see it shown." in instructions_html(load_inventory(root / "schema" / "inventory.json"))


def test_views_pushed_from_different_annotations_are_refused(gold, gold_doc):
    views = _views(gold, gold_doc)
    events = copy.deepcopy(views["events"])
    events["data"]["newscorpus"]["source"]["events"] = events["data"]["newscorpus"]["source"]["events"][1:]
    before = snapshot(gold / "annotations")
    result = _import(gold, [views["entities"], events], [_result(views["entities"]), _result(events)])
    fails(result, "ls-view-mismatch")
    assert snapshot(gold / "annotations") == before
