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

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.hf.blocks import BlockMaker, document_rows, made_blocks  # noqa: F401 (document_rows: re-exported)
from newscorpus.hf.features import CONFIGS, SPLIT_ORDER
from newscorpus.hf.shards import SplitWriter
from newscorpus.hf.rows import NerReport
from newscorpus.quality.stats import StatsAccumulator
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


@dataclass
class Written:
    """What the build wrote, for the card: per config and split, the shard files, rows
    and uncompressed bytes; the documents (id, split) in id order; the label counts."""
    files: dict[str, dict[str, list[str]]]
    counts: dict[str, dict[str, int]]
    sizes: dict[str, dict[str, int]]
    documents: list[tuple[str, str]]
    stats: dict


@contextmanager
def paused_gc():
    """The automatic cyclic garbage collector paused: a document's rows are thousands of
    small dicts and lists (without reference cycles), and the collector's passes over
    them and over the buffered record batches cost more than making them. The caller
    collects, after each block of documents, the little cyclic garbage libraries leave."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_configs(folder: Path, maker: BlockMaker, paths: list[tuple[Path, Path | None]],
                  report: NerReport) -> Written:
    """Stream every document's rows into the shards of its split, a block of documents
    at a time (``hf/blocks.py``: made on the machine's cores)."""
    with paused_gc():
        return _write_configs(folder, maker, paths, report)


def _write_configs(folder: Path, maker: BlockMaker, paths: list[tuple[Path, Path | None]],
                   report: NerReport) -> Written:
    writers: dict[tuple[str, str], SplitWriter] = {}
    stats, documents = StatsAccumulator(maker.inventory), []
    for block in made_blocks(maker, paths):
        if block.problems:
            raise CorpusError(block.problems)
        documents += block.documents
        stats.merge(block.totals, block.counters)
        report.merge(block.report)
        for (config, split), table in block.tables.items():
            if (config, split) not in writers:  # a split gets a shard only once it has a row
                writers[(config, split)] = SplitWriter(folder, config, split, maker.features[config])
            writers[(config, split)].add_table(table)
        del block
        gc.collect(0)  # the young generation: what was made since the last pass
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
    version, inventory, paths = corpus.stream_checked_paths(layout, version)
    paths = list(paths)  # file names only: counted to choose between one and several processes
    report = NerReport()

    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    os.chmod(tmp, new_file_mode(folder=True))
    try:
        written = write_configs(tmp, BlockMaker(layout, version, inventory), paths, report)
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
