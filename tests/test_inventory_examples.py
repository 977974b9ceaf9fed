"""Every label of the inventory has constructed examples (guidelines: "Constructed
examples"): at least one positive and one negative, each marking exactly one span, so the
rule holds as the inventory grows; the inventory refuses examples of the wrong form."""
from __future__ import annotations

import copy
import json

import pytest

from helpers import REPO
from newscorpus.errors import CorpusError
from newscorpus.rules.inventory import CUE, LAYERS, SPAN, Inventory, load_inventory

INVENTORY = REPO / "schema" / "inventory.json"
OBVIOUS_ROLES = {"time"}  # always a TIME mention: no example per event type needed


def _labels():
    inventory = load_inventory(INVENTORY)
    return [(layer, item) for layer in LAYERS for item in getattr(inventory, layer)]


@pytest.mark.parametrize("layer,item", _labels(), ids=lambda x: getattr(x, "label", x))
def test_every_label_has_a_positive_and_a_negative_constructed_example(layer, item):
    assert item.positives, f"{layer}/{item.label}: no positive constructed example"
    assert item.negatives, f"{layer}/{item.label}: no negative constructed example"
    for ex in item.positives + item.negatives:
        assert len(SPAN.findall(ex.text)) == 1 and ex.text.count("[[") == 1 == ex.text.count("]]"), ex.text
        assert len(CUE.findall(ex.text)) <= 1, ex.text
        assert ex.span.strip() == ex.span and ex.span in ex.plain, ex.text
        assert "`" not in ex.text and "|" not in ex.text and ex.why.strip(), ex.text
        assert ex.instead != item.label
    if layer == "argument_roles":
        assert all(CUE.search(ex.text) and ex.event_type for ex in item.positives + item.negatives)


def test_the_examples_do_not_come_from_the_seed_article():
    seed = (REPO / "seeds" / "000_ac7a1151f6a5afe0.txt").read_text(encoding="utf-8")
    for _, item in _labels():
        for ex in item.positives + item.negatives:
            assert ex.plain not in seed, ex.text


def test_every_non_obvious_role_of_every_event_type_has_a_positive_example():
    inventory = load_inventory(INVENTORY)
    covered = {(ex.event_type, role.label) for role in inventory.argument_roles for ex in role.positives}
    wanted = {(ev.label, role) for ev in inventory.event_types for role in ev.roles if role not in OBVIOUS_ROLES}
    assert wanted - covered == set()


def _with_example(example: dict, layer="entity_types", side="negative") -> dict:
    data = copy.deepcopy(json.loads(INVENTORY.read_text(encoding="utf-8")))
    data[layer][0]["constructed_examples"][side] = [example]
    return data


@pytest.mark.parametrize("example,layer,side,message", [
    ({"text": "no span here", "why": "x"}, "entity_types", "negative", "exactly one span"),
    ({"text": "[[a]] and [[b]]", "why": "x"}, "entity_types", "negative", "exactly one span"),
    ({"text": "[[a]]", "why": " "}, "entity_types", "negative", "needs a text and a why"),
    ({"text": "[[a]]", "why": "x", "label": "PER"}, "entity_types", "negative", "needs a text and a why"),
    ({"text": "[[ a]]", "why": "x"}, "entity_types", "negative", "no outer whitespace"),
    ({"text": "[[a]] {{b}} {{c}}", "why": "x"}, "entity_types", "negative", "at most one trigger"),
    ({"text": "[[a]]", "why": "x", "instead": "ORG"}, "entity_types", "positive", "only a negative"),
    ({"text": "[[a]]", "why": "x", "instead": "Weapon"}, "entity_types", "negative", "another label"),
    ({"text": "[[a]]", "why": "x", "event_type": "Conflict.Attack"}, "entity_types", "negative", "event_type must"),
    ({"text": "[[a]] b", "why": "x", "event_type": "Conflict.Attack"}, "argument_roles", "positive", "marks the trigger"),
    ({"text": "[[a]] {{b}}", "why": "x", "event_type": "Contact.Talks"}, "argument_roles", "positive", "does not allow"),
])
def test_an_example_of_the_wrong_form_is_refused(example, layer, side, message):
    with pytest.raises(CorpusError) as err:
        Inventory.from_dict(_with_example(example, layer, side))
    assert any(message in p.message for p in err.value.problems), err.value.problems
    assert all(p.check == "inventory" for p in err.value.problems)


def test_released_snapshots_without_constructed_examples_still_load():
    for snapshot in sorted((REPO / "annotations" / "releases").glob("*/inventory.json")):
        inventory = load_inventory(snapshot)
        assert all(not item.positives for item in inventory.entity_types)
