"""The build's record batches (``hf/shards.py``) hold what ``datasets`` itself makes of the
same rows: ``Dataset.from_list`` with the declared features gives the same schema and
equal columns, for every config of the real corpus's latest release (whose quotes include
missing speakers and cues). Their buffers are compact: never larger than ``from_list``'s."""
from __future__ import annotations

import pytest
from datasets import Dataset

from helpers import REPO
from newscorpus import corpus
from newscorpus.hf.build import document_rows
from newscorpus.hf.features import CONFIGS, features_for
from newscorpus.hf.rows import NerReport
from newscorpus.hf.shards import record_batch
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
        assert ours.column(name).nbytes <= theirs.column(name).nbytes, name
