"""The tokenization every token-level config shares (``ner`` and the training views):
spaCy's rule-based English tokenizer (no model) on each stored sentence, made
grapheme-cluster safe and cut at every annotated span's boundary. A document is
tokenized once (``DocumentTokens``) and every config reads that one result."""
from __future__ import annotations

import bisect
import operator
from functools import cached_property, lru_cache
from typing import Iterable

from newscorpus.model import AnnotationSet, Document

Spans = list[tuple[int, int]]

# The Grapheme_Cluster_Break values (UAX #29) that can hold two code points in one
# user-perceived character: each rule that does not break between two code points (GB3
# CR x LF, GB6-8 Hangul, GB9 Extend/ZWJ, GB9a SpacingMark, GB9b Prepend, GB9c Indic linkers,
# which are Extend, GB11 ZWJ x pictograph, GB12-13 regional indicators) has one of them on
# one side. A text with none of them (and no CRLF) is one cluster per code point.
JOINING = ("Extend", "ZWJ", "SpacingMark", "Prepend", "Regional_Indicator", "L", "V", "T", "LV", "LVT")


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def _joining():
    import regex

    return regex.compile(r"\r\n|[" + "".join(rf"\p{{Grapheme_Cluster_Break={k}}}" for k in JOINING) + "]")


def has_clusters(text: str) -> bool:
    """Whether a user-perceived character of ``text`` may span more than one code point
    (if not, every offset is a grapheme boundary). Each distinct character is looked up
    once (``_joins``), which is faster than a search of the text."""
    return "\r\n" in text or any(map(_joins, set(text)))


@lru_cache(maxsize=None)
def _joins(char: str) -> bool:
    return _joining().match(char) is not None


def grapheme_boundaries(text: str) -> set[int]:
    """The offsets at which a user-perceived character (an extended grapheme cluster,
    ``\\X`` of the ``regex`` module) starts or ends."""
    import regex

    return {0, len(text)} | {m.end() for m in regex.finditer(r"\X", text)}


def spacy_spans(text: str, spaces: bool = True, offset: int = 0) -> Spans:
    """spaCy's tokens of ``text`` as character spans (plus ``offset``), read from the
    ``Doc``'s arrays rather than from ``Token`` objects; without the whitespace tokens
    if not ``spaces``."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    rows = _tokenizer()(text).to_array([IDX, LENGTH, IS_SPACE]).tolist()
    return [(offset + a, offset + a + n) for a, n, space in rows if spaces or not space]


def _cluster_safe(tokens: Spans, bounds: set[int]) -> Spans:
    """Tokens widened to the clusters they touch; tokens that then overlap are merged."""
    edges = sorted(bounds)
    merged: list[list[int]] = []
    for a, b in tokens:
        if a not in bounds:
            a = edges[bisect.bisect_right(edges, a) - 1]
        if b not in bounds:
            b = edges[bisect.bisect_left(edges, b)]
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def tokenize(text: str, cuts: Iterable[int] = (), clusters: bool | None = None) -> Spans:
    """Token character spans by spaCy's rule-based English tokenizer (no model), made
    grapheme-cluster safe: tokens that split a user-perceived character (an emoji flag,
    a ZWJ sequence, a base and its combining marks, CRLF) are merged. A token is then
    split at each offset of ``cuts`` (mention boundaries, relative to ``text``) that
    falls inside it on a grapheme boundary. ``clusters``: whether ``text`` may hold a
    cluster of several code points (None: look; False skips the cluster segmentation)."""
    if clusters is None:
        clusters = has_clusters(text)
    if not clusters:  # every offset is a boundary: the tokens stay; whitespace goes
        return _cut(spacy_spans(text, spaces=False), sorted(set(cuts)))
    bounds = grapheme_boundaries(text)
    tokens = _cluster_safe(spacy_spans(text), bounds)
    inner = sorted(c for c in set(cuts) if c in bounds)
    return _cut([(a, b) for a, b in tokens if text[a:b].strip()], inner)


def _cut(spans: Spans, cuts: list[int]) -> Spans:
    """Each span split at the (sorted, distinct) ``cuts`` strictly inside it; the spans
    are in order and disjoint, so one walk along both lists does."""
    if not cuts:
        return spans
    out: Spans = []
    j, n = 0, len(cuts)
    for a, b in spans:
        while j < n and cuts[j] <= a:
            j += 1
        if j == n or cuts[j] >= b:
            out.append((a, b))
            continue
        while j < n and cuts[j] < b:
            out.append((a, cuts[j]))
            a, j = cuts[j], j + 1
        out.append((a, b))
    return out


def span_boundaries(ann: AnnotationSet) -> set[int]:
    """Every start and end of an annotated span: mentions, triggers, quote contents, cues."""
    spans = [(m.start, m.end) for m in ann.mentions] + [(v.trigger.start, v.trigger.end) for v in ann.events]
    for q in ann.quotes:
        spans += [(q.content.start, q.content.end)] + ([(q.cue.start, q.cue.end)] if q.cue else [])
    return {x for span in spans for x in span}


def sentence_spans(doc: Document, ann: AnnotationSet) -> list[Spans]:
    """``tokenize`` of each stored sentence with the annotated spans' boundaries inside
    it as cuts, in document offsets."""
    cuts = sorted(span_boundaries(ann))
    clusters = has_clusters(doc.text)  # False: no sentence has a cluster either
    out: list[Spans] = []
    for s, e in doc.sentences:
        inner = cuts[bisect.bisect_right(cuts, s):bisect.bisect_left(cuts, e)]
        sent = doc.text[s:e]
        if clusters and has_clusters(sent):
            spans = tokenize(sent, [c - s for c in inner], True)
            out.append([(s + a, s + b) for a, b in spans])
        else:  # as tokenize(sent, inner, False), in document offsets
            out.append(_cut(spacy_spans(sent, spaces=False, offset=s), inner))
    return out


class TokenIndex:
    """``token_span`` on one list of spans by lookup: the first token that starts at,
    and the first that ends at, an offset."""

    def __init__(self, spans: Spans, starts: list[int] | None = None, ends: list[int] | None = None):
        """``starts``, ``ends``: the spans' starts and ends, when already at hand."""
        starts = [a for a, _ in spans] if starts is None else starts
        ends = [b for _, b in spans] if ends is None else ends
        last = range(len(spans) - 1, -1, -1)  # filled backwards: the first occurrence stays
        self.starts: dict[int, int] = dict(zip(reversed(starts), last))
        self.ends: dict[int, int] = dict(zip(reversed(ends), last))

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The token span ``[first, last + 1)`` covering exactly ``[start, end)``, or None
        when the characters do not fall on token boundaries."""
        first, last = self.starts.get(start), self.ends.get(end)
        if first is None or last is None or last < first:
            return None
        return first, last + 1


class DocumentTokens:
    """One document's tokens, made once: ``sentences[i]`` the spans (document offsets)
    of sentence i, cut at every annotated span's boundary that falls inside a token;
    the row fields (token strings, starts, ends) of each sentence and of the document."""

    def __init__(self, doc: Document, ann: AnnotationSet):
        self.text = doc.text
        self.sentences: list[Spans] = sentence_spans(doc, ann)
        self._fields: dict[int, dict] = {}
        self._indexes: dict[int, TokenIndex] = {}

    def fields(self, index: int) -> dict:
        """``tokens``, ``token_starts``, ``token_ends`` of sentence ``index`` (shared lists)."""
        if index not in self._fields:
            self._fields[index] = token_fields(self.text, self.sentences[index])
        return self._fields[index]

    def index(self, index: int) -> TokenIndex:
        """The ``TokenIndex`` of sentence ``index``."""
        if index not in self._indexes:
            fields = self.fields(index)
            self._indexes[index] = TokenIndex(self.sentences[index], fields["token_starts"],
                                              fields["token_ends"])
        return self._indexes[index]

    @cached_property
    def flat(self) -> Spans:
        return [t for sent in self.sentences for t in sent]

    @cached_property
    def flat_fields(self) -> dict:
        return token_fields(self.text, self.flat)

    @cached_property
    def flat_index(self) -> TokenIndex:
        fields = self.flat_fields
        return TokenIndex(self.flat, fields["token_starts"], fields["token_ends"])

    @cached_property
    def ordered(self) -> bool:
        """Whether the tokens follow one another without overlapping (stored sentences
        are in order, so they do): then a character range's tokens are one slice."""
        fields = self.flat_fields
        return all(map(operator.le, fields["token_ends"][:-1], fields["token_starts"][1:]))

    def within(self, start: int, end: int) -> tuple[dict, "TokenIndex | SliceIndex"]:
        """The row fields of the tokens inside ``[start, end)`` and their token index."""
        if not self.ordered:
            spans = [(a, b) for a, b in self.flat if start <= a and b <= end]
            return token_fields(self.text, spans), TokenIndex(spans)
        fields = self.flat_fields
        lo = bisect.bisect_left(fields["token_starts"], start)
        hi = max(lo, bisect.bisect_right(fields["token_ends"], end))
        return {k: v[lo:hi] for k, v in fields.items()}, SliceIndex(self.flat_index, lo, hi)


class SliceIndex:
    """The ``TokenIndex`` of the tokens ``[lo, hi)`` of an ordered list (where no two
    tokens start, or end, at the same offset), read from the whole list's index."""

    def __init__(self, whole: TokenIndex, lo: int, hi: int):
        self.whole, self.lo, self.hi = whole, lo, hi

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        first, last = self.whole.starts.get(start), self.whole.ends.get(end)
        if first is None or last is None or last < first or first < self.lo or last >= self.hi:
            return None
        return first - self.lo, last + 1 - self.lo


def token_fields(text: str, spans: Spans) -> dict:
    return {"tokens": [text[a:b] for a, b in spans],
            "token_starts": [a for a, _ in spans], "token_ends": [b for _, b in spans]}
