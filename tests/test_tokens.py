"""Tokens never split a user-perceived character, and every annotated span's boundary
inside a sentence is a token boundary (issue #14, item 1)."""
from __future__ import annotations

import random

import regex

from helpers import REPO
from newscorpus.hf.rows import NerReport, ner_rows, sentence_tokens, tokenize

PIECES = ["Japan", " ", "🇯🇵", "🇰🇷🇺🇸", "👨\u200d👩\u200d👧\u200d👦", "👍🏽", "👩🏿\u200d💻", "e\u0301", "n\u0303o",
          "\r\n", "\n", "U.S.-South Korea-Japan", "“", "”", ".", ",", "’s", "a\u0308b", "१\u094d", "-"]


def clusters(text: str) -> set[int]:
    return {0, len(text)} | {m.end() for m in regex.finditer(r"\X", text)}


def check_tokens(text: str, spans: list[tuple[int, int]], cuts=()) -> None:
    bounds = clusters(text)
    assert spans == sorted(spans)
    for (a, b), nxt in zip(spans, spans[1:] + [(len(text), len(text))]):
        assert a < b <= nxt[0]
        assert a in bounds and b in bounds, (text, text[a:b])
        assert text[a:b].strip(), (text, a, b)
    covered = {i for a, b in spans for i in range(a, b)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    edges = {x for span in spans for x in span}
    for c in cuts:
        if c in bounds and any(a < c < b or c in (a, b) for a, b in spans):
            assert c in edges, (text, c)


def test_tokens_never_split_a_grapheme_cluster_property():
    rng = random.Random(14)
    for _ in range(400):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        cuts = [rng.randint(0, len(text)) for _ in range(rng.randint(0, 4))]
        check_tokens(text, tokenize(text), ())
        check_tokens(text, tokenize(text, cuts), cuts)


def test_named_cases():
    text = "Flags 🇯🇵🇰🇷, a family 👨\u200d👩\u200d👧\u200d👦, a thumb 👍🏽 and cafe\u0301 ok.\r\nNext"
    toks = [text[a:b] for a, b in tokenize(text)]
    assert "🇯🇵" in toks and "🇰🇷" in toks and "👨\u200d👩\u200d👧\u200d👦" in toks and "👍🏽" in toks
    assert "cafe\u0301" in toks and not any("\r" in t or "\n" in t for t in toks)
    text = "the U.S.-South Korea-Japan drill"
    cuts = [text.index("U.S."), text.index("U.S.") + 4, text.index("South"), text.index("Japan") + 5]
    toks = [text[a:b] for a, b in tokenize(text, cuts)]
    assert toks[:3] == ["the", "U.S.", "-"] and "South" in toks and "Japan" in toks


def _release_pairs():
    from newscorpus import corpus
    from newscorpus.store.paths import Layout

    return corpus.stream_checked(Layout(REPO), None)


def test_real_corpus_every_span_boundary_is_a_token_boundary_and_no_name_is_misaligned():
    version, inventory, pairs = _release_pairs()
    report = NerReport()
    for doc, ann in pairs:
        ner_rows(doc, ann, inventory, report)
        for (s, e), spans in zip(doc.sentences, sentence_tokens(doc, ann)):
            edges = {x for span in spans for x in span}
            check_tokens(doc.text[s:e], [(a - s, b - s) for a, b in spans])
            for m in ann.mentions:
                if s <= m.start and m.end <= e:
                    assert m.start in edges and m.end in edges, (doc.id, m.id, m.text)
    assert report.misaligned == 0, report


# --- sentences keep their opening quotation mark (item 2) ------------------------------------

def test_every_quotation_opening_mark_is_in_the_sentence_its_content_starts():
    from newscorpus.store.documents import OPENING_QUOTES, keep_opening_quotes, sentence_spans

    version, inventory, pairs = _release_pairs()
    checked = 0
    for doc, ann in pairs:
        assert list(doc.sentences) == sentence_spans(doc.text, list(doc.paragraphs)), doc.id
        for q in ann.quotes:
            c = q.content.start
            mark = c - 1
            while mark >= 0 and doc.text[mark].isspace():
                mark -= 1
            if mark < 0 or doc.text[mark] not in OPENING_QUOTES:
                continue
            holding = [(s, e) for s, e in doc.sentences if s <= c < e]
            assert holding and holding[0][0] <= mark, (doc.id, q.id, doc.text[mark:c + 30])
            checked += 1
    assert checked, "no quotation with an opening mark in the corpus"
    text = "Said the Secretary of Defense. “No country can face this threat alone.”"
    spans = keep_opening_quotes(text, [(0, text.index("“") + 1), (text.index("“") + 1, len(text))])
    assert [text[a:b] for a, b in spans] == ["Said the Secretary of Defense.",
                                             "“No country can face this threat alone.”"]


# --- the fast path: text without multi-code-point clusters (issue #12) -----------------------

def test_text_without_joining_characters_is_one_cluster_per_code_point():
    """``has_clusters`` False means every offset is a grapheme boundary, so ``tokenize``
    may skip the segmentation: checked on every code point beside a few neighbours."""
    from newscorpus.hf.tokens import grapheme_boundaries, has_clusters

    neighbours = ["a", " ", "\r", "\n", "😀", "中", "\u2764", "\x00", "\u200b", "é"]
    for code in range(0, 0x110000, 251):  # (checked on every code point once, offline)
        if 0xD800 <= code < 0xE000:
            continue
        for other in neighbours:
            for text in (chr(code) + other, other + chr(code), other + chr(code) + other):
                if not has_clusters(text):
                    assert grapheme_boundaries(text) == set(range(len(text) + 1)), hex(code)


def test_the_fast_path_and_the_cluster_path_give_the_same_tokens():
    rng = random.Random(12)
    plain = [p for p in PIECES if p not in ("\r\n",)] + ["Mr.", "(U.S.)", "\t", "\u00a0", "’"]
    for _ in range(300):
        text = "".join(rng.choice(plain) for _ in range(rng.randint(1, 15)))
        cuts = [rng.randint(0, len(text)) for _ in range(rng.randint(0, 5))]
        assert tokenize(text, cuts, clusters=True) == tokenize(text, cuts)
