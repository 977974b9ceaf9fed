"""Writing a config's rows as sharded Parquet, streaming: rows are buffered in small
record batches and appended with ``pyarrow.parquet.ParquetWriter``, so memory does not
grow with the corpus.

Files are named ``{config}/{split}-{k:05d}-of-{n:05d}.parquet``; a new shard starts
when the current one holds ``SHARD_BYTES`` of uncompressed Arrow data. The writer
options are those of ``datasets.Dataset.to_parquet`` (schema with the ``Features``
metadata, content-defined chunking, page index, per-column options), so a split
written in one batch is byte-identical to what ``to_parquet`` writes.

A record batch is made column by column: ``pa.array`` of the column's values with the
declared feature's Arrow type (no type inference, no cast afterwards), without the
row-by-row encoding and fingerprinting of ``Dataset.from_list``: the rows already hold
what the encoding would give (label ids, ints, strings, bools, None for a missing
value), so the values and types are those ``from_list`` gives (``tests/test_hf_shards.py``
compares them). The buffers are compact: where a record is missing (a quote without a
cue), ``from_list``'s cast gives the missing record's fields buffers of their own; these
do not, so the card's ``num_bytes`` (the written batches' ``nbytes``) is the same
whether a batch was made in one table or gathered from several, in this process or in
another (``hf/blocks.py``)."""
from __future__ import annotations

import json
import os
from pathlib import Path

SHARD_BYTES = 256 * 2**20  # uncompressed Arrow bytes per shard, at most (about)
# rows per record batch (row group) of the configs with small rows; documents' configs:
BATCH_ROWS = {"ner": 2048, "event_extraction": 2048, "mentions_nested": 2048, "quote_attribution": 1024}
DEFAULT_BATCH_ROWS = 128    # a document row holds the text, so fewer of them


def shard_name(split: str, k: int, n: int) -> str:
    return f"{split}-{k:05d}-of-{n:05d}.parquet"


def open_writer(path: Path, features):
    """A ``ParquetWriter`` with the options ``Dataset.to_parquet`` uses."""
    import pyarrow.parquet as pq
    from datasets import config
    from datasets.arrow_writer import get_parquet_column_options

    schema = features.arrow_schema
    return pq.ParquetWriter(
        str(path), schema=schema, use_content_defined_chunking=config.DEFAULT_CDC_OPTIONS,
        write_page_index=True, **get_parquet_column_options(features, schema))


def record_batch(rows: list[dict], features, schema=None):
    """The Arrow table of ``rows`` with the declared ``features`` (see the module's
    docstring); ``schema``: ``features.arrow_schema``, when already made."""
    import pyarrow as pa

    schema = features.arrow_schema if schema is None else schema
    arrays = [pa.array([row[name] for row in rows], type=schema.field(name).type) for name in features]
    return pa.Table.from_arrays(arrays, schema=schema)


def close_writer(writer) -> None:
    from datasets import config

    writer.add_key_value_metadata({"content_defined_chunking": json.dumps(config.DEFAULT_CDC_OPTIONS)})
    writer.close()


class SplitWriter:
    """The shards of one config and split."""

    def __init__(self, folder: Path, config: str, split: str, features):
        self.folder, self.config, self.split, self.features = folder, config, split, features
        self.batch_rows = BATCH_ROWS.get(config, DEFAULT_BATCH_ROWS)
        self.tables: list = []  # buffered tables of rows, ``buffered`` rows in all
        self.buffered = 0
        self.parts: list[Path] = []
        self.writer = None
        self.shard_bytes = self.rows = self.nbytes = 0  # this shard's bytes; rows and bytes in all

    def add_table(self, table) -> None:
        """Buffer a table of rows (``record_batch``); write each full record batch."""
        self.tables.append(table)
        self.buffered += table.num_rows
        while self.buffered >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        """Write the first ``batch_rows`` buffered rows as one contiguous record batch
        (the bytes do not depend on the tables they came in)."""
        import pyarrow as pa

        whole = pa.concat_tables(self.tables)
        table = whole.slice(0, self.batch_rows).combine_chunks()
        rest = whole.slice(self.batch_rows)
        self.tables, self.buffered = [rest], rest.num_rows
        if self.writer is not None and self.shard_bytes >= SHARD_BYTES:
            self._close_shard()
        if self.writer is None:
            self._open_shard()
        self.writer.write_table(table)
        self.shard_bytes += table.nbytes
        self.rows += table.num_rows
        self.nbytes += table.nbytes

    def _open_shard(self) -> None:
        path = self.folder / self.config / f".{self.split}-{len(self.parts):05d}.part"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = open_writer(path, self.features)
        self.parts.append(path)
        self.shard_bytes = 0

    def _close_shard(self) -> None:
        close_writer(self.writer)
        self.writer = None

    def close(self) -> list[str]:
        """Write what is buffered, name the shards ``-of-n``; their relative paths."""
        while self.buffered:
            self.flush()
        if self.writer is not None:
            self._close_shard()
        names = []
        for k, part in enumerate(self.parts):
            name = shard_name(self.split, k, len(self.parts))
            os.replace(part, part.parent / name)
            names.append(f"{self.config}/{name}")
        return names
