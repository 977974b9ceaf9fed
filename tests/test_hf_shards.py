"""The build's record batches (``hf/shards.py``) are the tables ``datasets`` itself makes
of the same rows: ``Dataset.from_list`` with the declared features gives equal columns
and the same ``nbytes`` (the card's ``num_bytes``), for every config of the real corpus's
latest release (whose quotes include missing speakers and cues, so both ways a column is
made are used) and of a row set with and without a missing record."""
from __future__ import annotations

import pyarrow as pa
import pytest
from datasets import Dataset

from helpers import REPO
from newscorpus import corpus
from newscorpus.hf.build import document_rows
from newscorpus.hf.features import CONFIGS, features_for
from newscorpus.hf.rows import NerReport
from newscorpus.hf.shards import _has_null_record, record_batch
from newscorpus.store.paths import Layout


@pytest.fixture(scope="module")
def corpus_rows():
    version, inventory, pairs = corpus.stream_checked(Layout(REPO), None)
    rows: dict[str, list[dict]] = {c: [] for c in CONFIGS}
    for doc, ann in pairs:
        for config, made in document_rows(doc, ann, inventory, version, NerReport()).items():
            rows[config] += made
    return inventory, rows


@pytest.mark.parametrize("config", CONFIGS)
def test_record_batch_is_what_datasets_makes(corpus_rows, config):
    inventory, rows = corpus_rows
    if not rows[config]:
        pytest.skip(f"the corpus has no {config} row")
    features = features_for(config, inventory)
    ours = record_batch(rows[config], features)
    theirs = Dataset.from_list(rows[config], features=features).data.table
    assert ours.schema == theirs.schema
    for name in features:
        assert ours.column(name).equals(theirs.column(name)), name
        assert ours.column(name).nbytes == theirs.column(name).nbytes, name
    assert ours.nbytes == theirs.nbytes


def test_missing_record_detected_at_any_depth():
    inner = pa.struct([("start", pa.int32()), ("end", pa.int32())])
    kind = pa.list_(pa.struct([("id", pa.string()), ("cue", inner)]))
    full = pa.array([[{"id": "q1", "cue": {"start": 0, "end": 1}}], []], type=kind)
    missing = pa.array([[{"id": "q1", "cue": {"start": 0, "end": 1}}, {"id": "q2", "cue": None}]], type=kind)
    assert not _has_null_record(full)
    assert _has_null_record(missing)
    assert _has_null_record(pa.array([None, {"start": 1, "end": 2}], type=inner))
    assert not _has_null_record(pa.array([None, "x"], type=pa.string()))  # a missing string is no record
