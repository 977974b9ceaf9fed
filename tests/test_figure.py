"""The label distribution figure (quality.figure) on hand-made statistics: labels that
need escaping, counts of zero, and the same statistics always giving the same bytes."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from newscorpus.quality.figure import BAR, PANELS, label_distribution_svg

NS = "{http://www.w3.org/2000/svg}"


def _stats() -> dict:
    return {"mention_types": {"PER": 4, "A&B <x>": 2, "EMPTY": 0},
            "event_types": {"Contact.Statement": 0}, "quote_kinds": {"direct": 1, "\u201cscare\u201d": 3}}


def _bars(svg: str) -> dict:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return {(g.get("data-layer"), g.get("data-label")): (int(g.get("data-count")), int(g.find(f"{NS}rect").get("width")))
            for g in root.iter(f"{NS}g") if g.get("class") == "bar"}


def test_figure_escapes_labels_scales_each_panel_and_is_deterministic():
    stats = _stats()
    svg = label_distribution_svg(stats, "1.2.3")
    bars = _bars(svg)
    want = {}
    for key, _ in PANELS:
        top = max(stats[key].values())
        want |= {(key, label): (n, round(BAR * n / top) if top else 0) for label, n in stats[key].items()}
    assert bars == want
    assert bars[("mention_types", "PER")][1] == BAR and bars[("event_types", "Contact.Statement")][1] == 0
    assert "A&amp;B &lt;x&gt;" in svg and "1.2.3" in svg
    assert label_distribution_svg(_stats(), "1.2.3") == svg
    assert label_distribution_svg(stats | {"quote_kinds": {"direct": 2}}, "1.2.3") != svg
