"""The Label Studio round trip without a server: the generated labeling interface, the
export of pre-annotated tasks, the lossless import of Label Studio's JSON export, offsets
at the boundary (UTF-16, collapsed whitespace) and every kind of bad input.

A Label Studio JSON export is simulated as Label Studio 1.23 writes it: the task with
its ``data`` and an ``annotations`` list whose result starts from the prediction."""
from __future__ import annotations

import copy
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface

from helpers import (UPDATED, add_region, add_relation, annotation_path, apply_edits,
                     change_set, document_path, export_draft, fails, ls_export, items_of, latest_version, load_json, load_set, ok, plan_edits, relabel,
                     relations, run_cli, snapshot, write_json)
from newscorpus.rules.inventory import load_inventory
from newscorpus.labelstudio.names import VIEWS
from newscorpus.labelstudio import (CONTENT, CUE, EVENT, MENTION, MENTION_KIND, POLARITY, QUOTE,
                                    QUOTE_KIND, REALIS, export_tasks, labeling_config)
from newscorpus.store.diff import diff_sets
from newscorpus.store.paths import Layout
from newscorpus.store.versions import annotation_files, load_sets

FIXTURES = Path(__file__).parent / "fixtures" / "labelstudio"
EMOJI_DOC = "900_emoji_spaces"


# --- helpers of this module (the shared ones are in helpers.py) ------------------------------

def draft_files(root: Path) -> dict[str, bytes]:
    return snapshot(root / "annotations" / "draft")


def canonical(path: Path) -> dict:
    """An annotation file's content in canonical form, without its version field."""
    data = load_set(path).to_dict()
    data.pop("version")
    return data


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture
def gold_doc(gold) -> str:
    return sorted(p.stem for p in annotation_files(gold / "annotations" / "draft"))[0]


# --- 1. the labeling interface -----------------------------------------------------------

def test_config_parses_with_label_interface_and_holds_every_inventory_label(root):
    inventory = load_inventory(root / "schema" / "inventory.json")
    result = ok(run_cli("labelstudio", "config", root=root))
    config = result.stdout
    assert config == labeling_config(inventory)
    li = LabelInterface(config)
    li.validate()
    assert li.is_valid
    labels = {c.name: list(c.labels) for c in li.controls}
    assert labels[MENTION] == inventory.labels("entity_types")
    assert labels[EVENT] == inventory.labels("event_types")
    assert labels[QUOTE] == [CONTENT, CUE]
    assert labels[MENTION_KIND] == inventory.labels("mention_kinds")
    assert labels[REALIS] == inventory.labels("realis")
    assert labels[POLARITY] == inventory.labels("polarity")
    assert labels[QUOTE_KIND] == inventory.labels("quote_kinds")
    for name in (MENTION_KIND, REALIS, POLARITY, QUOTE_KIND):
        assert li.get_control(name).attr["perRegion"] == "true"
    assert {c.to_name[0] for c in li.controls} == {"text"}
    relation_values = [r.get("value") for r in ET.fromstring(config).iter("Relation")]
    assert relation_values == inventory.labels("argument_roles") + ["speaker", "cue"]
    assert "do not edit by hand" in config


def test_every_command_has_help(root):
    for args in (("labelstudio",), ("labelstudio", "config"), ("labelstudio", "export"),
                 ("labelstudio", "import"), ("labelstudio", "push"), ("labelstudio", "pull")):
        result = ok(run_cli(*args, "--help", root=root))
        assert "usage:" in result.stdout


# --- 2. export ------------------------------------------------------------------------------

def test_export_gives_a_task_per_view_each_with_only_its_layer(gold, gold_doc):
    out = gold / "tasks.json"
    ok(run_cli("labelstudio", "export", "--version", "draft", "--output", str(out), root=gold))
    tasks = load_json(out)
    docs = sorted(p.stem for p in (gold / "corpus" / "documents").glob("*.json"))
    assert [(t["data"]["document_id"], t["data"]["view"]) for t in tasks] == [(d, v) for d in docs for v in VIEWS]
    ann = load_set(annotation_path(gold, "draft", gold_doc))
    by_view = {t["data"]["view"]: t for t in tasks if t["data"]["document_id"] == gold_doc}
    li = LabelInterface(labeling_config(load_inventory(gold / "schema" / "inventory.json")))
    roles = set(load_inventory(gold / "schema" / "inventory.json").labels("argument_roles"))
    for view, task in by_view.items():
        block = task["data"]["newscorpus"]
        assert block["document_id"] == gold_doc and block["version"] == "draft" and block["view"] == view
        assert task["data"]["text"] == load_json(document_path(gold, gold_doc))["text"]
        result = task["predictions"][0]["result"]
        assert [r["value"]["choices"] for r in result if r.get("from_name") == "view"] == [[view]]
        for r in result:
            if r["type"] != "relation" and r.get("from_name") != "view":
                assert task["data"]["text"][r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
        assert li.validate_prediction(task["predictions"][0], return_errors=True) == []
        assert relations(result, "coref") == []  # coreference is never drawn as arrows
        regions = {r["id"] for r in result if r["type"] != "relation" and r.get("from_name") != "view"}
        assert {m.id for m in ann.mentions} <= regions  # mentions are in every view
        n_args = sum(1 for r in relations(result) if r["labels"][0] in roles)
        assert n_args == (sum(len(v.arguments) for v in ann.events) if view == "events" else 0)
        assert bool({v.id for v in ann.events} & regions) == (view == "events")
        assert bool({q.id for q in ann.quotes} & regions) == (view == "quotes")
    quotes = by_view["quotes"]["predictions"][0]["result"]
    assert len(relations(quotes, "speaker")) == sum(1 for q in ann.quotes if q.speaker)
    assert len(relations(quotes, "cue")) == sum(1 for q in ann.quotes if q.cue)
    entity = {r["id"]: r["value"]["choices"][0] for r in by_view["entities"]["predictions"][0]["result"]
              if r["from_name"] == "entity"}
    assert {m.id: m.entity for m in ann.mentions} == {mid: v.split(":")[0] for mid, v in entity.items()}
    choices = [c["value"] for c in by_view["entities"]["data"]["entity_choices"]]
    assert len(choices) == len(ann.entities) + 5 and set(entity.values()) <= set(choices)


# --- 3. import: lossless round trip, edits, provenance, policy ------------------------------------

@pytest.mark.parametrize("version", ["draft", "latest"])
def test_export_then_import_without_edits_reproduces_the_version_exactly(gold, version):
    layout = Layout(gold)
    if version != "draft":  # the draft may have moved on: start it from the exported version
        ok(run_cli("draft", "init", "--from", version, "--force", root=gold))
    export = export_tasks(layout, version)
    source_dir = layout.draft if export.version == "draft" else layout.releases / export.version
    expected = {p.stem: canonical(p) for p in annotation_files(source_dir)}
    path = write_json(gold / "ls-export.json", ls_export(export.tasks))
    result = ok(run_cli("labelstudio", "import", str(path), root=gold))
    assert f"diff exported {export.version} -> draft: 0 change(s)" in result.stdout
    got = {p.stem: canonical(p) for p in annotation_files(layout.draft)}
    # a document without annotations in the version comes back as an empty set
    empty = {d: g for d, g in got.items() if d not in expected}
    assert all(not any(g[layer] for layer in ("entities", "mentions", "events", "quotes"))
               for g in empty.values())
    assert {d: g for d, g in got.items() if d in expected} == expected  # provenance included
    assert ok(run_cli("validate", root=gold))


def text_changes(stdout: str, header: str) -> set[tuple]:
    """The changes of a diff printed as text (``format_text``): the header line must be
    ``header`` with the count of change lines; each line gives (change, document, layer, id)."""
    lines = stdout.strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("diff "))
    body = [line for line in lines[start + 1:] if re.match(r"(added|removed|changed) ", line)]
    assert lines[start] == f"{header}: {len(body)} change(s)", stdout
    found = {tuple(re.match(r"(\w+) +(\S+) (\w+)/(\S+?):", line).groups()) for line in body}
    assert len(found) == len(body), stdout
    return found


def heads(doc_id: str, changes: set[tuple]) -> set[tuple]:
    """(change, document, layer, id) of a change set, as ``text_changes`` reads them."""
    return {(change, doc_id, layer, ident) for layer, ident, change, _ in changes}


def test_edits_come_back_as_exactly_those_changes_with_label_studio_provenance(gold, gold_doc):
    layout = Layout(gold)
    task = export_draft(gold, gold_doc)[0]
    before = load_json(annotation_path(gold, "draft", gold_doc))
    source = load_set(annotation_path(gold, "draft", gold_doc))
    plan = plan_edits(source, task["data"]["text"], gold)
    expected = plan["expected"]
    latest = latest_version(gold)
    pending = change_set(diff_sets(load_sets(layout, latest), load_sets(layout, "draft")))  # before the import
    kept = shutil.copytree(layout.draft, gold / "draft-before-import")
    result = apply_edits(task["predictions"][0]["result"], plan)
    path = write_json(gold / "ls-export.json", ls_export([task], [result]))
    dry = ok(run_cli("labelstudio", "import", str(path), "--dry-run", root=gold))
    assert text_changes(dry.stdout, "diff exported draft -> import (dry run)") == heads(gold_doc, expected)
    assert snapshot(layout.draft) == snapshot(kept)  # a dry run writes nothing
    out = ok(run_cli("labelstudio", "import", str(path), "--json", root=gold))
    report = json.loads(out.stdout)
    assert change_set(report["changes"]) == plan["expected"]
    after = load_json(annotation_path(gold, "draft", gold_doc))
    old = {i["id"]: i for layer in ("entities", "mentions", "events", "quotes") for i in before[layer]}
    changed = {c[1] for c in plan["expected"]}
    for layer in ("entities", "mentions", "events", "quotes"):
        for item in after[layer]:
            prov = item["provenance"]
            if item["id"] in changed:
                assert re.fullmatch(r"annotator-[0-9a-f]{12}", prov["annotator"])
                assert prov["tool"] == "Label Studio (project 7, task 40, annotation 500)"
                assert prov["created"] == UPDATED
                if item["id"] in old:
                    assert prov["introduced_in"] == old[item["id"]]["provenance"]["introduced_in"]
            else:
                assert prov == old[item["id"]]["provenance"]
    new_entity = next(e for e in after["entities"] if e["id"] == plan["new_entity"])
    assert new_entity["name"] == plan["add"][3] and new_entity["type"] == "LOC"
    ok(run_cli("validate", root=gold))
    # the draft now differs from what was exported by exactly the planned changes ...
    since_export = ok(run_cli("diff", str(kept), "draft", root=gold))
    assert text_changes(since_export.stdout, f"diff {kept} -> draft") == heads(gold_doc, expected)
    # ... and from the latest release by what was pending before (the library's diff)
    # with the planned changes on top
    touched = {(layer, ident) for layer, ident, _, _ in expected}
    untouched_pending = {c for c in pending if (c[0], c[1]) not in touched}
    fresh = {c for c in expected if not any((p[0], p[1]) == (c[0], c[1]) for p in pending)}
    status = ok(run_cli("diff", "latest", "draft", "--json", root=gold))
    since_release = change_set(json.loads(status.stdout)["changes"])
    assert untouched_pending | fresh <= since_release
    assert {c for c in since_release if (c[0], c[1]) not in touched} == untouched_pending
    text = ok(run_cli("diff", "latest", "draft", root=gold)).stdout
    assert text_changes(text, f"diff {latest} -> draft") == heads(gold_doc, since_release)


def test_an_annotators_e_mail_address_is_never_written(gold, gold_doc):
    """The export names the annotator by e-mail address; the draft gets a pseudonym, the
    same for the same user id, and no e-mail address anywhere."""
    task = export_draft(gold, gold_doc)[0]
    result = copy.deepcopy(task["predictions"][0]["result"])
    rid = next(r["id"] for r in result if r["from_name"] == REALIS)
    for item in items_of(result, rid):
        if item["from_name"] == POLARITY:
            item["value"]["choices"] = ["negative" if item["value"]["choices"] == ["positive"] else "positive"]
    user = {"id": 9, "email": "annotator@example.org", "first_name": "Ann", "last_name": "Otator"}
    path = write_json(gold / "ls-export.json", ls_export([task], [result], completed_by=user))
    report = json.loads(ok(run_cli("labelstudio", "import", str(path), "--json", root=gold)).stdout)
    assert change_set(report["changes"]) == {("events", rid, "changed", ("polarity",))}
    after = load_json(annotation_path(gold, "draft", gold_doc))
    event = next(v for v in after["events"] if v["id"] == rid)
    who = event["provenance"]["annotator"]
    assert re.fullmatch(r"annotator-[0-9a-f]{12}", who)
    from newscorpus.labelstudio.people import annotator
    from newscorpus.store.paths import Layout
    assert annotator(Layout(gold), 9) == who  # keyed on the user id: stable
    for path in (gold / "annotations").rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "example.org" not in text and "Otator" not in text, path
    ok(run_cli("validate", root=gold))


def test_several_annotations_the_most_recently_updated_non_cancelled_one_wins(gold, gold_doc):
    task = export_draft(gold, gold_doc)[0]
    exported = ls_export([task])
    edited = copy.deepcopy(task["predictions"][0]["result"])
    quote = next(r for r in edited if r["from_name"] == QUOTE_KIND)
    quote["value"]["choices"] = ["scare" if quote["value"]["choices"] != ["scare"] else "direct"]
    base = exported[0]["annotations"][0]
    exported[0]["annotations"] = [
        {**base, "id": 601, "result": edited, "updated_at": "2026-11-25T08:00:00Z"},       # older, edited
        {**base, "id": 602, "updated_at": "2026-11-25T11:00:00Z"},                         # newest: wins
        {**base, "id": 603, "result": [], "was_cancelled": True, "updated_at": "2026-11-25T12:00:00Z"},
    ]
    before = draft_files(gold)
    path = write_json(gold / "ls-export.json", exported)
    result = ok(run_cli("labelstudio", "import", str(path), root=gold))
    assert "0 change(s)" in result.stdout
    assert "annotation 602" in result.stderr and "ignored annotation 601" in result.stderr
    assert "1 cancelled" in result.stderr
    assert draft_files(gold) == before

    exported[0]["annotations"] = [{**base, "id": 603, "result": [], "was_cancelled": True}]
    result = ok(run_cli("labelstudio", "import", str(write_json(path, exported)), root=gold))
    assert "no annotation to import" in result.stderr
    assert draft_files(gold) == before


def test_pulling_again_keeps_the_ids_given_to_new_regions(gold, gold_doc):
    task = export_draft(gold, gold_doc)[0]
    source = load_set(annotation_path(gold, "draft", gold_doc))
    plan = plan_edits(source, task["data"]["text"], gold)
    result = apply_edits(task["predictions"][0]["result"], plan)
    path = write_json(gold / "ls-export.json", ls_export([task], [result]))
    first = json.loads(ok(run_cli("labelstudio", "import", str(path), "--json", root=gold)).stdout)
    assert change_set(first["changes"]) == plan["expected"]
    draft = annotation_path(gold, "draft", gold_doc)
    after_first = draft.read_bytes()
    # the same annotation again: nothing renumbered, nothing changes
    ok(run_cli("labelstudio", "import", str(path), root=gold))
    assert draft.read_bytes() == after_first
    # the annotator goes on: the region drawn before (still with its Label Studio id) is
    # relabelled; it keeps the id the first import gave it
    result2 = copy.deepcopy(result)
    relabel(result2, plan["add"][0], "ORG")
    path2 = write_json(gold / "ls-export-2.json", ls_export([task], [result2], updated_at="2026-11-26T09:00:00Z"))
    second = json.loads(ok(run_cli("labelstudio", "import", str(path2), "--json", root=gold)).stdout)
    expected = {c for c in plan["expected"] if c[1] not in (plan["new_mention"], plan["new_entity"])}
    assert change_set(second["changes"]) == expected | {("mentions", plan["new_mention"], "added", ()),
                                                        ("entities", plan["new_entity"], "added", ())}
    after = load_set(draft)
    assert after.mention_index()[plan["new_mention"]].type == "ORG"
    assert after.entity_index()[plan["new_entity"]].type == "ORG"


def test_draft_edits_made_after_the_export_are_never_overwritten_silently(gold, gold_doc):
    task = export_draft(gold, gold_doc)[0]
    draft = annotation_path(gold, "draft", gold_doc)
    data = load_json(draft)
    quote = data["quotes"][0]
    quote["kind"] = "scare" if quote["kind"] != "scare" else "direct"  # an edit by hand in the draft
    write_json(draft, data)
    before = draft_files(gold)
    path = write_json(gold / "ls-export.json", ls_export([task]))
    out = run_cli("labelstudio", "import", str(path), root=gold)
    fails(out, "ls-draft-changed")
    assert f"quotes/{quote['id']} changed" in out.stderr and "--force" in out.stderr
    assert draft_files(gold) == before
    forced = ok(run_cli("labelstudio", "import", str(path), "--force", root=gold))
    assert "0 change(s)" in forced.stdout
    assert load_json(draft)["quotes"][0]["kind"] != quote["kind"]


def test_coreference_clusters_keep_entity_ids(gold, gold_doc):
    task = export_draft(gold, gold_doc)[0]
    source = load_set(annotation_path(gold, "draft", gold_doc)).sorted()
    by_entity: dict[str, list] = {}
    for m in source.mentions:
        by_entity.setdefault(m.entity, []).append(m)
    result = copy.deepcopy(task["predictions"][0]["result"])
    # split: cut the chain of a 3+ mention entity after its first mention
    big = next(ms for ms in by_entity.values() if len(ms) >= 3)
    cut = next(r for r in relations(result, "coref") if r["from_id"] == big[0].id)
    result.remove(cut)
    # merge: link two single-mention entities of the same type
    singles: dict[str, list] = {}
    for ms in by_entity.values():
        if len(ms) == 1 and ms[0].id != big[0].id:
            singles.setdefault(ms[0].type, []).append(ms[0])
    pair = next(v for v in singles.values() if len(v) >= 2)[:2]
    add_relation(result, pair[1].id, pair[0].id, None)  # unlabelled between mentions: coref
    # a new mention linked to an existing entity keeps that entity
    target = big[-1]
    gap = re.search(r"\b[a-z]{5,}\b", task["data"]["text"][target.end:])
    start = target.end + gap.start()
    add_region(result, "newRegion01", MENTION, target.type, start, start + len(gap.group()), gap.group(),
               {MENTION_KIND: "nominal"})
    add_relation(result, target.id, "newRegion01", "coref")
    path = write_json(gold / "ls-export.json", ls_export([task], [result]))
    out = ok(run_cli("labelstudio", "import", str(path), "--json", root=gold))
    changes = change_set(json.loads(out.stdout)["changes"])
    after = load_set(annotation_path(gold, "draft", gold_doc))
    ents = after.entity_index()
    mentions = after.mention_index()
    new_entity = mentions[big[0].id].entity
    assert new_entity != big[0].entity and new_entity not in {e.id for e in source.entities}
    assert ents[new_entity].name == big[0].text
    assert all(mentions[m.id].entity == big[0].entity for m in big[1:])
    keeper = pair[0].entity if _idkey_num(pair[0].entity) < _idkey_num(pair[1].entity) else pair[1].entity
    gone = pair[1].entity if keeper == pair[0].entity else pair[0].entity
    assert mentions[pair[0].id].entity == mentions[pair[1].id].entity == keeper
    added = next(m for m in after.mentions if m.start == start)
    assert added.entity == big[0].entity
    moved_to_keeper = next(m for m in pair if m.entity == gone)
    assert changes == {
        ("mentions", big[0].id, "changed", ("entity",)),
        ("entities", new_entity, "added", ()),
        ("entities", gone, "removed", ()),
        ("mentions", moved_to_keeper.id, "changed", ("entity",)),
        ("mentions", added.id, "added", ()),
    }
    ok(run_cli("validate", root=gold))


def _idkey_num(ident: str) -> int:
    return int(re.sub(r"\D", "", ident))


# --- 4. offsets at the boundary ---------------------------------------------------------------

EMOJI_TEXT = ("North Korea 🚀 launched a missile on Sunday.  Japan  condemned the launch 🇯🇵 at once.\n"
              "\n"
              "Analysts said the test  was “a 😀 warning”, according to Lee Sung-woo.\n")


def _span(text: str, needle: str, after: int = 0) -> dict:
    start = text.index(needle, after)
    return {"start": start, "end": start + len(needle), "text": needle}


def _emoji_annotations(doc: dict) -> dict:
    t = doc["text"]
    prov = {"annotator": "test", "tool": "hand-written fixture", "created": "2026-11-24T00:00:00Z",
            "introduced_in": None, "changed_in": None}
    mentions = [("m1", "North Korea", "GPE", "name", "e1"), ("m2", "a missile", "WEA", "nominal", "e2"),
                ("m3", "Sunday", "TIME", "name", "e3"), ("m4", "Japan", "GPE", "name", "e4"),
                ("m5", "Analysts", "PER", "nominal", "e5"), ("m6", "Lee Sung-woo", "PER", "name", "e6")]
    return {
        "schema_version": "1.0", "document_id": doc["id"], "text_sha256": doc["text_sha256"], "version": "draft",
        "entities": [{"id": e, "type": ty, "name": s, "provenance": prov} for _, s, ty, _, e in mentions],
        "mentions": [{"id": i, **_span(t, s), "type": ty, "kind": k, "entity": e, "provenance": prov}
                     for i, s, ty, k, e in mentions],
        "events": [
            {"id": "ev1", "type": "Military.WeaponTest", "trigger": _span(t, "launched"),
             "arguments": [{"role": "agent", "mention": "m1"}, {"role": "instrument", "mention": "m2"},
                           {"role": "time", "mention": "m3"}],
             "realis": "actual", "polarity": "positive", "provenance": prov},
            {"id": "ev2", "type": "Contact.Condemnation", "trigger": _span(t, "condemned"),
             "arguments": [{"role": "agent", "mention": "m4"}], "realis": "actual", "polarity": "positive",
             "provenance": prov},
            {"id": "ev3", "type": "Military.WeaponTest", "trigger": _span(t, "launch", t.index("the launch")),
             "arguments": [], "realis": "actual", "polarity": "positive", "provenance": prov}],
        "quotes": [
            {"id": "q1", "kind": "indirect", "content": _span(t, "the test  was “a 😀 warning”"),
             "cue": _span(t, "said"), "speaker": "m5", "provenance": prov},
            {"id": "q2", "kind": "partial", "content": _span(t, "a 😀 warning"),
             "cue": _span(t, "according to"), "speaker": "m6", "provenance": prov}],
    }


@pytest.fixture
def emoji_root(root) -> Path:
    seed = root / "seeds" / f"{EMOJI_DOC}.txt"
    seed.write_bytes(EMOJI_TEXT.encode("utf-8"))
    ok(run_cli("add-document", str(seed), root=root))
    doc = load_json(document_path(root, EMOJI_DOC))
    assert doc["text"] == EMOJI_TEXT
    draft = annotation_path(root, "draft", EMOJI_DOC)
    draft.parent.mkdir(parents=True, exist_ok=True)
    write_json(draft, _emoji_annotations(doc))
    ok(run_cli("validate", str(draft), root=root))
    return root


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _collapse(text: str, index: int) -> int:
    return len(re.sub(r"\s+", " ", text[:index]))


def test_utf16_offsets_are_converted_back_to_code_points(emoji_root):
    task = export_draft(emoji_root, EMOJI_DOC)[0]
    text = task["data"]["text"]
    result = copy.deepcopy(task["predictions"][0]["result"])
    shifted = 0
    for r in result:
        if r["type"] != "relation":
            v = r["value"]
            new = (_utf16(text, v["start"]), _utf16(text, v["end"]))
            shifted += new != (v["start"], v["end"])
            v["start"], v["end"] = new
    assert shifted > 10
    original = canonical(annotation_path(emoji_root, "draft", EMOJI_DOC))
    path = write_json(emoji_root / "ls-export.json", ls_export([task], [result]))
    out = ok(run_cli("labelstudio", "import", str(path), root=emoji_root))
    assert "0 change(s)" in out.stdout
    assert "UTF-16 code unit offsets" in out.stderr
    assert canonical(annotation_path(emoji_root, "draft", EMOJI_DOC)) == original


@pytest.mark.parametrize("utf16", [False, True], ids=["code-points", "utf16"])
def test_whitespace_collapsed_by_label_studio_is_re_anchored(emoji_root, utf16):
    task = export_draft(emoji_root, EMOJI_DOC)[0]
    text = task["data"]["text"]
    collapsed = re.sub(r"\s+", " ", text)
    result = copy.deepcopy(task["predictions"][0]["result"])
    for r in result:
        if r["type"] != "relation":
            v = r["value"]
            start, end = _collapse(text, v["start"]), _collapse(text, v["end"])
            v["text"] = re.sub(r"\s+", " ", v["text"])
            assert collapsed[start:end] == v["text"]
            if utf16:
                start, end = _utf16(collapsed, start), _utf16(collapsed, end)
            v["start"], v["end"] = start, end
    original = canonical(annotation_path(emoji_root, "draft", EMOJI_DOC))
    path = write_json(emoji_root / "ls-export.json", ls_export([task], [result]))
    out = ok(run_cli("labelstudio", "import", str(path), root=emoji_root))
    assert "0 change(s)" in out.stdout and "re-anchored" in out.stderr
    assert canonical(annotation_path(emoji_root, "draft", EMOJI_DOC)) == original


def test_a_region_that_cannot_be_re_anchored_is_rejected_naming_task_region_and_texts(emoji_root):
    task = export_draft(emoji_root, EMOJI_DOC)[0]
    result = copy.deepcopy(task["predictions"][0]["result"])
    for item in items_of(result, "m4"):
        item["value"]["text"] = "China"
    before = draft_files(emoji_root)
    path = write_json(emoji_root / "ls-export.json", ls_export([task], [result]))
    out = run_cli("labelstudio", "import", str(path), root=emoji_root)
    fails(out, "ls-offset-mismatch")
    line = next(x for x in out.stderr.splitlines() if "ls-offset-mismatch" in x)
    assert "task 40" in line and "region m4" in line and "'China'" in line and "'Japan'" in line
    assert draft_files(emoji_root) == before


def test_a_region_whose_text_occurs_nearby_is_not_moved_there(emoji_root):
    """Offsets that miss the region's text by a few characters are an error naming the
    task, the region, the offsets and both texts; the region is never moved silently."""
    task = export_draft(emoji_root, EMOJI_DOC)[0]
    text = task["data"]["text"]
    result = copy.deepcopy(task["predictions"][0]["result"])
    start = text.index("launched") + 3  # 'launch' (ev3) is three characters before
    for item in items_of(result, "ev3"):
        item["value"].update(start=start, end=start + 6)
    path = write_json(emoji_root / "ls-export.json", ls_export([task], [result]))
    before = draft_files(emoji_root)
    out = fails(run_cli("labelstudio", "import", str(path), root=emoji_root), "ls-offset-mismatch")
    line = next(x for x in out.stderr.splitlines() if "ls-offset-mismatch" in x)
    assert "region ev3" in line and f"[{start}, {start + 6})" in line
    assert "'launch'" in line and repr(text[start:start + 6]) in line
    assert draft_files(emoji_root) == before


# --- 6. bad input: a clear, named error, exit 1, the draft unchanged ---------------------------

def _first(result, control, label=None):
    return next(r for r in result if r.get("from_name") == control
                and (label is None or r["value"].get("labels") == [label]))


def _single_cue(result):
    counts: dict[str, int] = {}
    for r in relations(result, "cue"):
        counts[r["to_id"]] = counts.get(r["to_id"], 0) + 1
    return next(r for r in relations(result, "cue") if counts[r["to_id"]] == 1)


def bad_foreign_control(tasks, result, gold):
    result.append({"id": "zz1", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 5, "text": tasks[0]["data"]["text"][:5], "labels": ["PER"]}})


def bad_label(tasks, result, gold):
    _first(result, MENTION)["value"]["labels"] = ["CITY"]


def bad_choice(tasks, result, gold):
    _first(result, REALIS)["value"]["choices"] = ["maybe"]


def bad_relation_label(tasks, result, gold):
    relations(result, "speaker")[0]["labels"] = ["said-by"]


def bad_dangling(tasks, result, gold):
    add_relation(result, _first(result, EVENT)["id"], "deleted-region", "agent")


def bad_document(tasks, result, gold):
    tasks[0]["data"]["newscorpus"]["document_id"] = "999_not_in_the_corpus"


def bad_text_changed(tasks, result, gold):
    doc_id = tasks[0]["data"]["document_id"]
    doc = load_json(document_path(gold, doc_id))
    seed = gold / doc["source"]["seed_file"]
    seed.write_text(seed.read_text(encoding="utf-8").replace("drill", "drills", 1), encoding="utf-8")
    ok(run_cli("add-document", str(seed), "--id", doc_id, "--replace", root=gold))


def bad_relation_kinds(tasks, result, gold):
    add_relation(result, _first(result, QUOTE, CONTENT)["id"], _first(result, EVENT)["id"], "speaker")


def bad_orphan_cue(tasks, result, gold):
    result.remove(_single_cue(result))


def bad_type_conflict(tasks, result, gold):
    per = _first(result, MENTION, "PER")["id"]
    gpe = _first(result, MENTION, "GPE")["id"]
    add_relation(result, per, gpe, "coref")


def bad_missing_attribute(tasks, result, gold):
    kind = _first(result, MENTION_KIND)
    result.remove(kind)


def bad_two_labels(tasks, result, gold):
    _first(result, EVENT)["value"]["labels"] = ["Military.Exercise", "Conflict.Attack"]


def bad_region_conflict(tasks, result, gold):
    m = _first(result, MENTION)
    result.append({**copy.deepcopy(m), "from_name": EVENT, "value": {**m["value"], "labels": ["Conflict.Attack"]}})


def bad_whitespace(tasks, result, gold):
    text = tasks[0]["data"]["text"]
    m = next(r for r in result if r.get("from_name") == MENTION and text[r["value"]["start"] - 1] == " ")
    for item in items_of(result, m["id"]):
        s = item["value"]["start"] - 1
        item["value"].update(start=s, text=text[s:item["value"]["end"]])


def bad_role(tasks, result, gold):
    inventory = load_inventory(gold / "schema" / "inventory.json")
    event = next(r for r in result if r.get("from_name") == EVENT
                 and "target" not in inventory.roles_for(r["value"]["labels"][0]))
    add_relation(result, event["id"], _first(result, MENTION)["id"], "target")


BAD = {
    "foreign-control": (bad_foreign_control, "ls-wrong-interface"),
    "unknown-label": (bad_label, "ls-unknown-label"),
    "unknown-choice": (bad_choice, "ls-unknown-label"),
    "unknown-relation-label": (bad_relation_label, "ls-unknown-label"),
    "dangling-relation": (bad_dangling, "ls-dangling-relation"),
    "unknown-document": (bad_document, "ls-unknown-document"),
    "text-changed": (bad_text_changed, "ls-text-changed"),
    "relation-between-wrong-regions": (bad_relation_kinds, "ls-relation-invalid"),
    "orphan-cue": (bad_orphan_cue, "ls-orphan-cue"),
    "entity-type-conflict": (bad_type_conflict, "ls-entity-type-conflict"),
    "missing-mention-kind": (bad_missing_attribute, "ls-missing-attribute"),
    "two-labels": (bad_two_labels, "ls-missing-label"),
    "region-in-two-layers": (bad_region_conflict, "ls-region-conflict"),
    "span-with-outer-whitespace": (bad_whitespace, "span-whitespace"),
    "role-not-allowed": (bad_role, "role-not-allowed"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_a_named_error_and_leaves_the_draft_unchanged(gold, gold_doc, case):
    mutate, check = BAD[case]
    tasks = export_draft(gold, gold_doc)
    result = copy.deepcopy(tasks[0]["predictions"][0]["result"])
    mutate(tasks, result, gold)
    path = write_json(gold / "ls-export.json", ls_export(tasks, [result]))
    before = draft_files(gold)
    out = run_cli("labelstudio", "import", str(path), root=gold)
    fails(out, check)
    assert draft_files(gold) == before


def test_an_export_of_another_project_is_rejected(gold):
    before = draft_files(gold)
    out = run_cli("labelstudio", "import", str(FIXTURES / "other-project-export.json"), root=gold)
    fails(out, "ls-wrong-interface")
    assert "another project" in out.stderr
    assert draft_files(gold) == before


@pytest.mark.parametrize("content, check", [
    ({"tasks": []}, "ls-format"),
    ([{"text": "a JSON-MIN export row"}], "ls-format"),
], ids=["not-a-list", "json-min"])
def test_not_a_label_studio_json_export_is_rejected(gold, content, check):
    before = draft_files(gold)
    fails(run_cli("labelstudio", "import", str(write_json(gold / "x.json", content)), root=gold), check)
    assert draft_files(gold) == before


@pytest.mark.parametrize("where", ["inside-a-string", "after-a-comma"])
def test_a_truncated_export_is_rejected(gold, gold_doc, where):
    text = json.dumps(ls_export(export_draft(gold, gold_doc)), ensure_ascii=False, indent=1)
    if where == "inside-a-string":
        cut = text.index('"text": "', len(text) // 2) + 12
    else:
        cut = text.index(",", len(text) // 2) + 1
    path = gold / "truncated.json"
    path.write_text(text[:cut], encoding="utf-8")
    before = draft_files(gold)
    out = run_cli("labelstudio", "import", str(path), root=gold)
    fails(out, "json-truncated")
    assert draft_files(gold) == before


def test_push_and_pull_need_the_token_and_never_show_it(gold, monkeypatch):
    env = {"LABEL_STUDIO_API_KEY": ""}
    out = run_cli("labelstudio", "pull", "--url", "http://127.0.0.1:9", root=gold, env=env)
    fails(out, "ls-no-token")
    secret = "s3cret-token-0123456789abcdef"
    out = run_cli("labelstudio", "push", "--url", "http://127.0.0.1:9", root=gold,
                  env={"LABEL_STUDIO_API_KEY": secret})
    fails(out, "ls-connection")
    assert secret not in out.stdout + out.stderr
    assert not (gold / ".labelstudio").exists()
