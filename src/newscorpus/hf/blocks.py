"""The build's rows, a block of documents at a time, on the machine's cores.

A block is ``BLOCK_DOCUMENTS`` consecutive documents (in id order). Making a block reads
its files, makes every config's rows (``build.document_rows``) and turns each config's
rows of each split into one Arrow table (``shards.record_batch``). The blocks are the
same whether they are made in this process or in worker processes (from
``PARALLEL_FROM`` documents on, when the machine has two cores or more), and the
writer (``shards.SplitWriter``) cuts their tables into the same record batches either
way, so the output does not depend on the number of cores. At most ``AHEAD`` blocks per
worker wait to be written: memory does not grow with the corpus."""
from __future__ import annotations

import gc
import os
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.hf.bigbio import bigbio_kb_row
from newscorpus.hf.features import CONFIGS, features_for
from newscorpus.hf.rows import (NerReport, Shared, document_row, entities_row, events_row, ner_rows,
                                quotes_row)
from newscorpus.hf.shards import record_batch
from newscorpus.hf.views import (coreference_row, event_extraction_rows, mentions_nested_rows,
                                 quote_attribution_rows)
from newscorpus.model import AnnotationSet, Document
from newscorpus.quality.stats import StatsAccumulator
from newscorpus.rules.inventory import Inventory
from newscorpus.store.paths import Layout

BLOCK_DOCUMENTS = 32
PARALLEL_FROM = 4 * BLOCK_DOCUMENTS  # documents before worker processes pay for themselves
AHEAD = 2  # blocks per worker made before the writer takes them


def document_rows(doc: Document, ann: AnnotationSet, inventory: Inventory, version: str,
                  report: NerReport) -> dict[str, list[dict]]:
    """The rows of every config for one document; what they share is made once."""
    sh = Shared(doc, ann)
    return {"documents": [document_row(doc, version)],
            "entities": [entities_row(doc, ann, inventory, sh)],
            "events": [events_row(doc, ann, inventory, sh)],
            "quotes": [quotes_row(doc, ann, inventory, sh)],
            "ner": ner_rows(doc, ann, inventory, report, sh),
            "event_extraction": event_extraction_rows(doc, ann, inventory, sh),
            "quote_attribution": quote_attribution_rows(doc, ann, inventory, sh),
            "coreference": [coreference_row(doc, ann, inventory, sh)],
            "mentions_nested": mentions_nested_rows(doc, ann, inventory, sh),
            "bigbio_kb": [bigbio_kb_row(doc, ann, sh)]}


@dataclass
class Block:
    """What one block of documents gives the build."""
    tables: dict[tuple[str, str], object] = field(default_factory=dict)  # (config, split) -> pa.Table
    documents: list[tuple[str, str]] = field(default_factory=list)  # (id, split)
    totals: Counter = field(default_factory=Counter)
    counters: dict[str, Counter] = field(default_factory=dict)
    report: NerReport = field(default_factory=NerReport)
    problems: list[Problem] = field(default_factory=list)


class BlockMaker:
    """Makes blocks for one version of one repository."""

    def __init__(self, layout: Layout, version: str, inventory: Inventory):
        self.layout, self.version, self.inventory = layout, version, inventory
        self.features = {config: features_for(config, inventory) for config in CONFIGS}
        self.schemas = {config: f.arrow_schema for config, f in self.features.items()}

    def make(self, paths: list[tuple[Path, Path | None]]) -> Block:
        block, rows = Block(), {}
        stats = StatsAccumulator(self.inventory)
        try:
            for record, ann_path in paths:
                doc, ann = corpus.read_pair(self.layout, self.version, record, ann_path)
                block.documents.append((doc.id, doc.split))
                stats.add(ann)
                for config, made in document_rows(doc, ann, self.inventory, self.version, block.report).items():
                    if made:
                        rows.setdefault((config, doc.split), []).extend(made)
        except CorpusError as exc:  # returned, not raised: it crosses a process boundary
            block.problems = exc.problems
            return block
        block.tables = {key: record_batch(made, self.features[key[0]], self.schemas[key[0]])
                        for key, made in rows.items()}
        block.totals, block.counters = stats.totals, stats.counters
        return block


def blocks_of(paths: Iterable[tuple[Path, Path | None]]) -> Iterator[list[tuple[Path, Path | None]]]:
    block: list = []
    for pair in paths:
        block.append(pair)
        if len(block) == BLOCK_DOCUMENTS:
            yield block
            block = []
    if block:
        yield block


_MAKER: BlockMaker | None = None  # a worker's


def _start_worker(maker: BlockMaker) -> None:
    global _MAKER
    _MAKER = maker
    gc.disable()  # rows are many small objects without cycles: collected after each block


def _make_in_worker(paths: list) -> Block:
    block = _MAKER.make(paths)
    gc.collect(0)
    return block


def made_blocks(maker: BlockMaker, paths: list[tuple[Path, Path | None]]) -> Iterator[Block]:
    """The blocks of ``paths`` in order, made here or by worker processes."""
    workers = os.cpu_count() or 1
    if workers < 2 or len(paths) < PARALLEL_FROM:
        yield from map(maker.make, blocks_of(paths))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(maker,)) as pool:
        pending: deque = deque()
        for block in blocks_of(paths):
            pending.append(pool.submit(_make_in_worker, block))
            if len(pending) > AHEAD * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
