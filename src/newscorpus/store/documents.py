"""Adding documents to the corpus: from a seed text file to a document record with
paragraph and sentence spans. The text is stored exactly as in the seed."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from newscorpus.errors import CorpusError, Problem
from newscorpus.model import Document, sha256_text
from newscorpus.store.jsonio import require_file
from newscorpus.store.paths import Layout, child_path, json_files
from newscorpus.store.transaction import Transaction

SPLITS = (("train", 80), ("validation", 90), ("test", 100))

METADATA_NOTES = [
    "The seed file holds the article body only: it names no outlet, author, headline, "
    "publication date or URL, so those fields are empty (null) rather than guessed.",
]
SOURCE_NOTE = ("Seed article supplied to the project as a plain UTF-8 text file; the file "
               "does not identify where or when the article was first published.")
LICENSE_NOTE = ("The seed file states no licence for the article text and its rights holder "
                "is not known; the licence of the text is therefore unknown. The annotations "
                "are the project's own work (see CITATION.cff).")


def assign_split(doc_id: str) -> str:
    """Deterministic, stable split from the id alone: adding documents never moves one."""
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 100
    for name, upper in SPLITS:
        if bucket < upper:
            return name
    raise AssertionError("unreachable")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs are the lines of the text (the seed has one paragraph per line);
    each span excludes the newline and outer whitespace; empty lines are skipped."""
    spans, pos = [], 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # spaCy's 1,000,000-character limit protects the memory of parsers and taggers;
    # a tokenizer with a rule-based sentencizer needs no such limit.
    nlp.max_length = 10**9
    return nlp


def sentence_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences inside each paragraph, by spaCy's rule-based sentencizer on the
    blank English pipeline (deterministic, no model download)."""
    return sentence_spans_batch([(text, paragraphs)])[0]


def sentence_spans_batch(items: list[tuple[str, list[tuple[int, int]]]]
                         ) -> list[list[tuple[int, int]]]:
    """``sentence_spans`` of many texts at once: one ``nlp.pipe`` over all paragraphs."""
    nlp = _sentencizer()
    pieces = [(n, p_start, text) for n, (text, paragraphs) in enumerate(items)
              for p_start, _ in paragraphs]
    strings = (items[n][0][p_start:p_end] for n, (text, paragraphs) in enumerate(items)
               for p_start, p_end in paragraphs)
    out: list[list[tuple[int, int]]] = [[] for _ in items]
    for (n, p_start, text), doc in zip(pieces, nlp.pipe(strings, batch_size=256)):
        spans = []
        for sent in doc.sents:
            s, e = p_start + sent.start_char, p_start + sent.end_char
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                spans.append((s, e))
        out[n] += keep_opening_quotes(text, spans)
    return out


OPENING_QUOTES = "“‘«„‚‹\"'"  # straight marks open only after a space or at the start


def _opening_mark_at(text: str, i: int, start: int) -> bool:
    """Whether ``text[i]`` is a quotation mark that opens (not closes) a quotation."""
    if text[i] not in OPENING_QUOTES:
        return False
    return text[i] not in "\"'" or i == start or text[i - 1].isspace()


def keep_opening_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The rule on top of spaCy's sentencizer: opening quotation marks at the end of a
    sentence (``... Defense. “No country ...``) belong to the sentence they open, so
    they are moved to the next sentence of the paragraph."""
    spans = list(spans)
    for k in range(len(spans) - 1):
        s, e = spans[k]
        cut = e
        while cut > s and _opening_mark_at(text, cut - 1, s):
            cut -= 1
        if cut == e:
            continue
        moved = cut
        while cut > s and text[cut - 1].isspace():
            cut -= 1
        if cut > s:
            spans[k], spans[k + 1] = (s, cut), (moved, spans[k + 1][1])
    return spans


def read_seed(layout: Layout, seed: Path, shown: str) -> tuple[str, bytes]:
    """The seed's text and bytes, after checking where it is and what it holds."""
    require_file(seed, shown, "seed file")
    try:
        seed.resolve().relative_to(layout.seeds.resolve())
    except ValueError:
        raise CorpusError(Problem(shown, "", "seed-location",
                                  f"seed files must be inside {layout.rel(layout.seeds)}/")) from None
    raw = seed.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(Problem(shown, f"byte {exc.start}", "encoding",
                                  "seed is not valid UTF-8")) from None
    if text.startswith("\ufeff"):
        raise CorpusError(Problem(shown, "byte 0", "encoding",
                                  "seed starts with a byte order mark; remove it first"))
    if not text.strip():
        raise CorpusError(Problem(shown, "", "seed-empty", "the seed has no text"))
    return text, raw


def make_document(layout: Layout, seed: Path, language: str = "en",
                  doc_id: str | None = None) -> Document:
    return make_documents(layout, [(Path(seed), doc_id)], language)[0]


def make_documents(layout: Layout, seeds: list[tuple[Path, str | None]], language: str = "en",
                   metadata: list[dict | None] | None = None) -> list[Document]:
    """Document records of seed files (each with an optional id), sentences split in
    one batch; every name and seed is checked before anything is split."""
    read = []
    for n, (seed, doc_id) in enumerate(seeds):
        seed = Path(seed)
        shown = layout.rel(seed)
        doc_id = doc_id or seed.stem
        child_path(layout.documents, doc_id, ".json", "--id" if doc_id != seed.stem else shown,
                   "a document id")
        text, raw = read_seed(layout, seed, shown)
        meta = metadata[n] if metadata else None
        read.append(SeedText(seed, doc_id, text, raw, language, meta))
    return documents_from_texts(layout, read)


@dataclass(frozen=True)
class SeedText:
    """A seed's text before it becomes a document record."""
    seed: Path
    doc_id: str
    text: str
    raw: bytes
    language: str = "en"
    metadata: dict | None = None


def documents_from_texts(layout: Layout, items: list[SeedText]) -> list[Document]:
    paragraphs = [paragraph_spans(item.text) for item in items]
    sentences = sentence_spans_batch([(item.text, p) for item, p in zip(items, paragraphs)])
    return [_document(layout, item.seed, item.doc_id, item.text, item.raw, item.language,
                      paras, sents, item.metadata)
            for item, paras, sents in zip(items, paragraphs, sentences)]


def _document(layout: Layout, seed: Path, doc_id: str, text: str, raw: bytes, language: str,
              paragraphs, sentences, metadata: dict | None) -> Document:
    meta = {"title": None, "outlet": None, "author": None, "published": None,
            "url": None, "notes": list(METADATA_NOTES)}
    if metadata is not None:
        meta = {**meta, "notes": [], **metadata}
    return Document(
        id=doc_id, text=text, text_sha256=sha256_text(text), language=language,
        source={"seed_file": layout.rel(seed), "seed_sha256": hashlib.sha256(raw).hexdigest(),
                "note": SOURCE_NOTE},
        license={"text": None, "note": LICENSE_NOTE},
        metadata=meta,
        split=assign_split(doc_id),
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
    )


def stage_records(layout: Layout, docs: list[Document], replace: bool,
                  txn: Transaction) -> list[Path]:
    """Stage document records, refusing ids already in the corpus or in the batch."""
    problems, seen = [], set()
    for doc in docs:
        target = layout.documents / f"{doc.id}.json"
        if (target.exists() and not replace) or doc.id in seen:
            problems.append(Problem(layout.rel(target), "", "document-exists",
                                    "document already in the corpus (its text and offsets are fixed)",
                                    doc.id))
        seen.add(doc.id)
    if problems:
        raise CorpusError(problems)
    for doc in docs:
        txn.write_json(layout.documents / f"{doc.id}.json", doc.to_dict())
    return [layout.documents / f"{doc.id}.json" for doc in docs]


def load_documents(layout: Layout) -> dict[str, Document]:
    """All document records, keyed by id (validate first: assumes well-formed files)."""
    from newscorpus.store.jsonio import read_json

    out = {}
    for path in sorted(layout.documents.glob("*.json")):
        doc = Document.from_dict(read_json(path, layout.rel(path)))
        out[doc.id] = doc
    return out


def iter_documents(layout: Layout) -> Iterator[Document]:
    """The document records one at a time, in id order (validate first)."""
    from newscorpus.store.jsonio import read_json

    for path in json_files(layout.documents):
        yield Document.from_dict(read_json(path, layout.rel(path)))
