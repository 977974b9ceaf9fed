"""Tokens for the token formats (CoNLL, spaCy): spaCy's rule-based English tokenizer
(no model), with every token that a mention starts or ends inside split there, so a
mention boundary is always a token boundary; grouped by the document's stored sentences."""
from __future__ import annotations

import functools

from newscorpus.model import AnnotationSet, Document, Mention


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def token_spans(doc: Document, ann: AnnotationSet) -> list[tuple[int, int]]:
    """(start, end) of every token, in code points, cut at every mention boundary."""
    cuts = sorted({m.start for m in ann.mentions} | {m.end for m in ann.mentions})
    out = []
    for t in _tokenizer()(doc.text):
        if t.is_space:
            continue
        start, end = t.idx, t.idx + len(t.text)
        for cut in (c for c in cuts if start < c < end):
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


def sentence_tokens(doc: Document, ann: AnnotationSet) -> list[list[tuple[int, int]]]:
    """The tokens of each stored sentence (a token before the first sentence joins it,
    one between sentences joins the one before)."""
    sents = list(doc.sentences) or [(0, len(doc.text))]
    groups: list[list[tuple[int, int]]] = [[] for _ in sents]
    i = 0
    for tok in token_spans(doc, ann):
        while i + 1 < len(sents) and tok[0] >= sents[i + 1][0]:
            i += 1
        groups[i].append(tok)
    return [g for g in groups if g]


def flat_names(ann: AnnotationSet) -> list[Mention]:
    """The flattened names (the rule of the Hugging Face ner config): name mentions only;
    of overlapping names the longest (then the earliest) is kept."""
    names = sorted((m for m in ann.mentions if m.kind == "name"), key=lambda m: (-(m.end - m.start), m.start, m.id))
    kept: list[Mention] = []
    for m in names:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
