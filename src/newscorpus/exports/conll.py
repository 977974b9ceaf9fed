"""CoNLL-2012 coreference (``<id>.v4_gold_conll`` style) and CoNLL-2003 NER columns.

CoNLL-2012: ``#begin document (<id>); part 000``, one line per token with the columns
document id, part, word index (in the sentence), word, POS ``-``, parse ``-``, predicate
lemma ``-``, frameset ``-``, word sense ``-``, speaker ``-``, named entities ``*`` and
the coreference column (``(n``, ``n)``, ``(n)`` joined by ``|``; ``-`` when none), a
blank line after each sentence, ``#end document``. ``n`` is the entity's position in
the document's entities (first-mention order); singletons are included. Tokens never
split a mention boundary (see tokens.py), so every mention is exact.

CoNLL-2003: ``-DOCSTART- -X- -X- O``, then ``token - - BIO-tag`` per token and a blank
line per sentence; the tags are the flattened names (tokens.flat_names)."""
from __future__ import annotations

from pathlib import Path

from newscorpus.exports.tokens import flat_names, sentence_tokens
from newscorpus.model import AnnotationSet, Document
from newscorpus.store.jsonio import atomic_write_chunks


def coref_marks(ann: AnnotationSet, tokens: list[tuple[int, int]]) -> list[str]:
    """The coreference cell of each token."""
    ann = ann.sorted()
    cluster = {e.id: n for n, e in enumerate(ann.entities)}
    by_start = {s: i for i, (s, _e) in enumerate(tokens)}
    by_end = {e: i for i, (_s, e) in enumerate(tokens)}
    opens: dict[int, list[tuple[int, str]]] = {}
    closes: dict[int, list[tuple[int, str]]] = {}
    singles: dict[int, list[str]] = {}
    for m in ann.mentions:
        a, b, n = by_start.get(m.start), by_end.get(m.end), cluster[m.entity]
        if a is None or b is None:
            continue  # cannot happen: mention boundaries are token boundaries
        if a == b:
            singles.setdefault(a, []).append(f"({n})")
        else:
            opens.setdefault(a, []).append((b, f"({n}"))
            closes.setdefault(b, []).append((a, f"{n})"))
    cells = []
    for i in range(len(tokens)):
        parts = [x for _b, x in sorted(opens.get(i, []), key=lambda t: -t[0])] + singles.get(i, []) \
            + [x for _a, x in sorted(closes.get(i, []), key=lambda t: -t[0])]
        cells.append("|".join(parts) or "-")
    return cells


def conll2012_lines(doc: Document, ann: AnnotationSet):
    sentences = sentence_tokens(doc, ann)
    flat = [t for s in sentences for t in s]
    marks = iter(coref_marks(ann, flat))
    yield f"#begin document ({doc.id}); part 000\n"
    for sent in sentences:
        for i, (s, e) in enumerate(sent):
            cols = [doc.id, "0", str(i), doc.text[s:e], "-", "-", "-", "-", "-", "-", "*", next(marks)]
            yield "\t".join(cols) + "\n"
        yield "\n"
    yield "#end document\n"


def bio_tags(ann: AnnotationSet, tokens: list[tuple[int, int]]) -> list[str]:
    tags = ["O"] * len(tokens)
    for m in flat_names(ann):
        inside = [i for i, (s, e) in enumerate(tokens) if s >= m.start and e <= m.end]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + m.type
    return tags


def conll2003_lines(doc: Document, ann: AnnotationSet):
    yield "-DOCSTART- -X- -X- O\n\n"
    for sent in sentence_tokens(doc, ann):
        for (s, e), tag in zip(sent, bio_tags(ann, sent)):
            yield f"{doc.text[s:e]} - - {tag}\n"
        yield "\n"


def write_conll(output: Path, fmt: str, pairs, result) -> None:
    """One file per document: ``<id>.v4_gold_conll`` or ``<id>.conll``."""
    for doc, ann in pairs:
        if fmt == "conll2012":
            path = output / f"{doc.id}.v4_gold_conll"
            atomic_write_chunks(path, conll2012_lines(doc, ann))
        else:
            path = output / f"{doc.id}.conll"
            atomic_write_chunks(path, conll2003_lines(doc, ann))
        result.files.append(path)
        result.documents += 1
