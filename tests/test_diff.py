"""``corpus.diff`` compares the files' JSON layer by layer and reads into model objects
only the layers that differ (``store.diff.diff_raw``): its changes must be exactly those
of ``diff_sets`` on the whole annotation sets, for edits of every kind, for files whose
lists are in another order (equal content, unequal JSON), and for documents on one side
only."""
from __future__ import annotations

import json
import random

from helpers import annotation_path, latest_version, load_json, write_json
from newscorpus import corpus
from newscorpus.model import LAYERS, AnnotationSet
from newscorpus.store.diff import diff_raw, diff_sets
from newscorpus.store.paths import Layout
from newscorpus.store.versions import load_sets


def edited(data: dict) -> dict:
    data = json.loads(json.dumps(data))
    data["version"] = "draft"
    data["entities"][0]["name"] += " (edited)"                  # changed
    data["mentions"].reverse()                                  # order only: no change
    del data["events"][0]                                       # removed
    random.Random(7).shuffle(data["quotes"])                    # order only: no change
    quote = dict(data["quotes"][0], id="q999")                  # added
    data["quotes"].append(quote)
    return data


def test_fast_diff_equals_the_diff_of_the_sets(root):
    layout = Layout(root)
    release = latest_version(root)
    path = annotation_path(root)
    write_json(path, edited(load_json(annotation_path(root, release))))
    old_name, new_name, changes = corpus.diff(layout, release, "draft")
    expected = diff_sets(load_sets(layout, release), load_sets(layout, "draft"))
    assert (old_name, new_name) == (release, "draft")
    assert changes == expected
    kinds = {(c["layer"], c["change"]) for c in changes}
    assert {("entities", "changed"), ("events", "removed"), ("quotes", "added")} <= kinds
    assert not any(c["layer"] == "mentions" for c in changes)


def test_one_sided_documents(root):
    data = load_json(annotation_path(root, latest_version(root)))
    doc_id = data["document_id"]
    ann = AnnotationSet.from_dict(data)
    assert diff_raw(doc_id, None, data) == diff_sets({}, {doc_id: ann})
    assert diff_raw(doc_id, data, None) == diff_sets({doc_id: ann}, {})
    assert diff_raw(doc_id, data, data) == []
    assert len(diff_raw(doc_id, None, data)) == sum(len(data[layer]) for layer in LAYERS)
