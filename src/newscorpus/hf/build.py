"""The Hugging Face export: one annotation version -> a folder that is a complete
Hugging Face dataset repository (the layout ``Dataset.push_to_hub`` writes):

    <out>/README.md                                  dataset card (YAML configs + dataset_info)
    <out>/CITATION.cff
    <out>/<config>/<split>-00000-of-00001.parquet    one file per config and split

Configs (all offsets are Unicode code points into the document text):
``documents``, ``entities``, ``events``, ``quotes`` (one row per document), and
``ner`` (one row per sentence, tokens with BIO tags), and the training views
``event_extraction``, ``mentions_nested`` (per sentence), ``quote_attribution`` (per
quote) and ``coreference`` (per document), see ``hf/views.py``; and ``bigbio_kb``
(per document, BigBIO's knowledge-base schema, see ``hf/bigbio.py``). Labels are ``ClassLabel``s built
from the label inventory of the exported version."""
from __future__ import annotations

import gc
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.hf.bigbio import bigbio_kb_row
from newscorpus.hf.features import CONFIGS, SPLIT_ORDER, features_for
from newscorpus.hf.shards import SplitWriter
from newscorpus.hf.views import (coreference_row, event_extraction_rows, mentions_nested_rows,
                                 quote_attribution_rows)
from newscorpus.hf.rows import (NerReport, Shared, document_row, entities_row, events_row, ner_rows,
                                quotes_row)
from newscorpus.model import AnnotationSet, Document
from newscorpus.quality.stats import StatsAccumulator
from newscorpus.rules.inventory import Inventory
from newscorpus.store.jsonio import new_file_mode
from newscorpus.store.paths import Layout

# --- build -------------------------------------------------------------------------------

@dataclass
class BuildResult:
    version: str
    output: Path
    rows: dict[str, dict[str, int]]  # config -> split -> rows
    ner: NerReport

    def load_line(self, config: str = "entities") -> str:
        """A shell command that loads the build, runnable as printed from the working
        directory (with the interpreter this package runs in, which has ``datasets``)."""
        import shlex
        import sys

        def shown(path: str) -> str:
            rel = os.path.relpath(path)
            return rel if not rel.startswith("..") else str(path)

        import json

        code = (f"from datasets import load_dataset; "
                f"print(load_dataset({json.dumps(shown(str(self.output)))}, {json.dumps(config)}))")
        return f"{shlex.quote(shown(sys.executable))} -c {shlex.quote(code)}"


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
class Written:
    """What the build wrote, for the card: per config and split, the shard files, rows
    and uncompressed bytes; the documents (id, split) in id order; the label counts."""
    files: dict[str, dict[str, list[str]]]
    counts: dict[str, dict[str, int]]
    sizes: dict[str, dict[str, int]]
    documents: list[tuple[str, str]]
    stats: dict


GC_EVERY = 1000  # documents between two full garbage collections while the rows are made


@contextmanager
def paused_gc():
    """The automatic cyclic garbage collector paused: a document's rows are thousands of
    small dicts and lists (without reference cycles), and the collector's passes over
    them and over the buffered record batches cost more than making them. The caller
    collects, every ``GC_EVERY`` documents, the little cyclic garbage libraries leave."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_configs(folder: Path, inventory: Inventory, version: str,
                  pairs: Iterable[tuple[Document, AnnotationSet]], report: NerReport) -> Written:
    """Stream every document's rows into the shards of its split."""
    with paused_gc():
        return _write_configs(folder, inventory, version, pairs, report)


def _write_configs(folder: Path, inventory: Inventory, version: str,
                   pairs: Iterable[tuple[Document, AnnotationSet]], report: NerReport) -> Written:
    features = {config: features_for(config, inventory) for config in CONFIGS}
    writers: dict[tuple[str, str], SplitWriter] = {}
    stats, documents = StatsAccumulator(inventory), []
    for doc, ann in pairs:
        documents.append((doc.id, doc.split))
        if len(documents) % GC_EVERY == 0:
            gc.collect(0)  # the young generation: what was made since the last pass
        stats.add(ann)
        for config, rows in document_rows(doc, ann, inventory, version, report).items():
            key = (config, doc.split)
            if not rows:  # a split gets a shard only once it has a row
                continue
            if key not in writers:
                writers[key] = SplitWriter(folder, config, doc.split, features[config])
            writers[key].add(rows)
    written = Written({c: {} for c in CONFIGS}, {c: {} for c in CONFIGS},
                      {c: {} for c in CONFIGS}, documents, stats.result())
    for config in CONFIGS:
        for split in SPLIT_ORDER:
            writer = writers.get((config, split))
            if writer is not None:
                written.files[config][split] = writer.close()
                written.counts[config][split] = writer.rows
                written.sizes[config][split] = writer.nbytes
    return written


def check_output(output: Path) -> None:
    """The build replaces its output folder: refuse one that is not an earlier build."""
    if not output.exists():
        return
    card = output / "README.md"
    is_build = output.is_dir() and (not any(output.iterdir()) or (
        card.is_file() and "\nconfigs:\n" in card.read_text(encoding="utf-8", errors="replace")))
    if not is_build:
        raise CorpusError(Problem(str(output), "", "output-not-a-build",
                                  "the output exists and is not an earlier build of the "
                                  "dataset; choose a new or empty folder", str(output)))


def remove_leftovers(output: Path) -> None:
    """Remove the temporary folders a killed build left beside its output."""
    for path in output.parent.glob(f".{output.name}.*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def build(layout: Layout, version: str | None = None, output: Path | None = None) -> BuildResult:
    """Build under the repository lock (see ``_build``)."""
    with corpus.session(layout, "build"):
        return _build(layout, version, output)


def _build(layout: Layout, version: str | None = None, output: Path | None = None) -> BuildResult:
    """Validate, then write the dataset repository folder for ``version`` (default: the
    latest release). The folder is written next to its target and renamed into place,
    so a failed build leaves no partial output."""
    from datasets.utils.logging import disable_progress_bar

    from newscorpus.hf.card import write_card

    disable_progress_bar()
    output = Path(output) if output else layout.root / "build" / "dataset"
    check_output(output)
    version, inventory, pairs = corpus.stream_checked(layout, version)
    report = NerReport()

    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    os.chmod(tmp, new_file_mode(folder=True))
    try:
        written = write_configs(tmp, inventory, version, pairs, report)
        write_card(layout, tmp, version, inventory, written, report)
        if output.exists():
            old = output.with_name(f".{output.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.rename(output, old)
            os.rename(tmp, output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(version, output.resolve(), written.counts, report)
