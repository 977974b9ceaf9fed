"""spaCy ``DocBin`` files (``--to spacy``): one ``<split>.spacy`` per split.

Each document becomes one ``Doc`` whose text is the document text exactly (whitespace
that is not a single space after a token becomes a whitespace token, as spaCy's own
tokenizer does). Tokens are those of tokens.py (cut at every mention boundary);
``is_sent_start`` follows the stored sentences; ``doc.ents`` are the flattened names
(tokens.flat_names, the rule of the ``ner`` config); ``doc.spans["mentions"]`` holds
every mention labelled with its entity type, nested mentions kept. The document id is
``doc.user_data["id"]`` (the DocBin stores user data)."""
from __future__ import annotations

from pathlib import Path

from newscorpus.errors import CorpusError, Problem
from newscorpus.exports.tokens import flat_names, token_spans
from newscorpus.model import AnnotationSet, Document
from newscorpus.store.jsonio import atomic_write_bytes

SPANS_KEY = "mentions"


def _words(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool], list[int]]:
    """Words, trailing-space flags and start offsets covering ``text`` exactly."""
    words, spaces, starts = [], [], []
    pos = 0
    for s, e in spans + [(len(text), len(text))]:
        gap = text[pos:s]
        if gap == " " and words and not spaces[-1]:
            spaces[-1] = True
        elif gap:
            words.append(gap)
            spaces.append(False)
            starts.append(pos)
        if s < e:
            words.append(text[s:e])
            spaces.append(False)
            starts.append(s)
        pos = e
    return words, spaces, starts


def _char_span(sdoc, doc: Document, start: int, end: int, label: str):
    span = sdoc.char_span(start, end, label=label)
    if span is None:  # cannot happen: mention boundaries are token boundaries
        raise CorpusError(Problem(f"corpus/documents/{doc.id}.json", "", "export-alignment",
                                  f"span {start}-{end} does not fall on token boundaries", doc.id))
    return span


def to_spacy(vocab, doc: Document, ann: AnnotationSet):
    """One document and its annotations as a spaCy ``Doc``."""
    from spacy.tokens import Doc, SpanGroup

    words, spaces, starts = _words(doc.text, token_spans(doc, ann))
    sdoc = Doc(vocab, words=words, spaces=spaces)
    sent_starts = {s for s, _e in doc.sentences} or {0}
    seen_first = False  # leading whitespace joins the first sentence
    for tok, start in zip(sdoc, starts):
        tok.is_sent_start = tok.i == 0 or (not tok.is_space and seen_first and start in sent_starts)
        seen_first = seen_first or not tok.is_space
    sdoc.ents = [_char_span(sdoc, doc, m.start, m.end, m.type) for m in flat_names(ann)]
    mentions = sorted(ann.mentions, key=lambda m: (m.start, -m.end, m.id))
    sdoc.spans[SPANS_KEY] = SpanGroup(sdoc, name=SPANS_KEY,
                                      spans=[_char_span(sdoc, doc, m.start, m.end, m.type) for m in mentions])
    sdoc.user_data["id"] = doc.id
    return sdoc


def write_docbin(output: Path, pairs, result) -> None:
    """``<split>.spacy`` for every split that has a document."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    bins: dict[str, DocBin] = {}
    for doc, ann in pairs:
        bins.setdefault(doc.split, DocBin(store_user_data=True)).add(to_spacy(vocab, doc, ann))
        result.documents += 1
    for split, docbin in sorted(bins.items()):
        path = output / f"{split}.spacy"
        atomic_write_bytes(path, docbin.to_bytes())
        result.files.append(path)
