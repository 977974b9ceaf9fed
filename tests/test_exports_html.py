"""Static HTML view, checked in headless Chromium (Playwright): the index links to every
document; in a document page the highlighted spans' text is the annotation's text; a
layer switch takes the highlight away; the index shows the label distribution figure; a
screenshot is saved in the test's tmp dir.

Needs /usr/bin/chromium (Debian: apt-get install -y chromium) and Playwright for Python
(test extras). Without the browser the test is skipped, except under CI (the CI variable
set), where it fails: .ci/run installs the browser."""
from __future__ import annotations

import random
from pathlib import Path

from helpers import load_json, need_browser_part, ok, run_cli

CHROMIUM = Path("/usr/bin/chromium")


def _annotation_texts(ann: dict) -> dict[str, str]:
    out = {m["id"]: m["text"] for m in ann["mentions"]}
    out.update({v["id"]: v["trigger"]["text"] for v in ann["events"]})
    for q in ann["quotes"]:
        out[q["id"]] = q["content"]["text"]
        if q.get("cue"):
            out[f"{q['id']}-cue"] = q["cue"]["text"]
    return out


def test_html_view_in_headless_chromium(gold, tmp_path):
    need_browser_part(str(CHROMIUM), not CHROMIUM.exists())
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_browser_part("playwright (Python)", True)
    out = tmp_path / "html"
    ok(run_cli("convert", "--to", "html", "--version", "draft", "--output", str(out), root=gold))
    doc_ids = sorted(p.stem for p in (gold / "corpus" / "documents").glob("*.json"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((out / "index.html").as_uri())
        links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        assert sorted(links) == sorted(f"{d}.html" for d in doc_ids)
        # the label distribution figure (quality.figure) is shown: an SVG the browser draws
        assert page.eval_on_selector("img[src='label_distribution.svg']", "e => e.complete && e.naturalWidth") > 0
        page.click(f"a[href='{doc_ids[0]}.html']")
        page.wait_for_load_state()
        ann = load_json(gold / "annotations" / "draft" / f"{doc_ids[0]}.json")
        want = _annotation_texts(ann)
        got = dict(page.eval_on_selector_all(
            "span.a[data-id]:not([data-split])", "els => els.map(e => [e.dataset.id, e.textContent])"))
        assert set(got) == set(want)  # nothing in this corpus crosses: every annotation is one span
        for ident in random.Random(0).sample(sorted(got), min(40, len(got))):
            assert got[ident] == want[ident], ident
        first = next(m for m in ann["mentions"])
        colour = f"getComputedStyle(document.getElementById('{first['id']}')).backgroundColor"
        assert page.evaluate(colour) not in ("rgba(0, 0, 0, 0)", "transparent")
        page.screenshot(path=str(tmp_path / "document.png"), full_page=True)
        page.uncheck("#L-mentions")
        assert page.evaluate(colour) == "rgba(0, 0, 0, 0)"
        browser.close()
    assert (tmp_path / "document.png").stat().st_size > 0


def test_crossing_annotations_are_drawn_in_pieces():
    """A quote that crosses a mention: both are cut, the tags balance, and the pieces of
    each, read in order, give its text (no browser needed)."""
    import re
    from html.parser import HTMLParser

    from newscorpus.exports.html import marked_text
    from newscorpus.model import AnnotationSet, Entity, Mention, Provenance, Quote, Span

    text = "He said the big dog ran."
    prov = Provenance("t")
    ann = AnnotationSet("d", "x", "draft", entities=[Entity("e1", "PER", "dog", prov)],
                        mentions=[Mention("m1", 8, 19, text[8:19], "PER", "nominal", "e1", prov),
                                  Mention("m2", 12, 19, text[12:19], "PER", "nominal", "e1", prov)],
                        quotes=[Quote("q1", "direct", Span(3, 16, text[3:16]), None, None, prov)])
    html = "".join(marked_text(text, ann))
    assert html.count("<span") == html.count("</span>")

    class Pieces(HTMLParser):
        def __init__(self):
            super().__init__()
            self.open, self.text, self.plain = [], {}, []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            self.open.append(a.get("data-id") or a.get("data-cont"))

        def handle_endtag(self, tag):
            self.open.pop()

        def handle_data(self, data):
            self.plain.append(data)
            for ident in set(self.open):
                self.text[ident] = self.text.get(ident, "") + data

    p = Pieces()
    p.feed(html)
    assert "".join(p.plain) == text
    assert p.text == {"m1": text[8:19], "m2": text[12:19], "q1": text[3:16]}
    assert set(re.findall(r'data-id="(\w+)" data-split', html)) == {"m1", "m2", "q1"}


def test_the_index_shows_the_label_distribution_of_the_converted_version(gold, tmp_path):
    """The index's figure is the SVG of quality.figure with the counts of
    ``newscorpus stats`` for the converted version (no browser needed)."""
    import json
    import xml.etree.ElementTree as ET

    from newscorpus.quality.figure import FIGURE, PANELS

    out = tmp_path / "html"
    ok(run_cli("convert", "--to", "html", "--version", "draft", "--output", str(out), root=gold))
    assert f'<img src="{FIGURE}"' in (out / "index.html").read_text(encoding="utf-8")
    ns = "{http://www.w3.org/2000/svg}"
    bars = {}
    for g in ET.parse(out / FIGURE).getroot().iter(f"{ns}g"):
        if g.get("class") == "bar":
            bars.setdefault(g.get("data-layer"), {})[g.get("data-label")] = int(g.get("data-count"))
    stats = json.loads(ok(run_cli("stats", "--version", "draft", "--json", root=gold)).stdout)
    assert bars == {key: stats[key] for key, _ in PANELS}
