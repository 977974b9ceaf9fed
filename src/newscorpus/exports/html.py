"""Static HTML (``--to html``): ``index.html`` and one ``<id>.html`` per document, to read
the annotations in a browser without a server or script.

The document text is shown as it is (``white-space: pre-wrap``) with every annotation a
``<span class="a ...">`` around its text: entity mentions coloured by entity type (nested
mentions nest), event triggers, quote contents and cues. An annotation that crosses
another one is cut into pieces; the first piece has ``id`` and ``data-id``, the others
``data-cont``, and every piece of a cut annotation has ``data-split``. Checkboxes before
the text switch each layer on and off by CSS alone (``:checked ~``). Below the text,
tables list the events with their arguments and the quotes with cue and speaker, linking
to the spans; no arrows are drawn. The index shows the label distribution figure
(``quality.figure``, the same as the dataset card's)."""
from __future__ import annotations

import colorsys
from html import escape
from pathlib import Path

from newscorpus.model import AnnotationSet, Document
from newscorpus.store.jsonio import atomic_write_chunks, atomic_write_text

LAYERS = (("mentions", "m", "Entity mentions"), ("events", "ev", "Event triggers"),
          ("quotes", "q", "Quotes"), ("cues", "cue", "Quote cues"))


def _colours(types: list[str]) -> dict[str, str]:
    out = {}
    for i, label in enumerate(types):
        r, g, b = colorsys.hls_to_rgb(i / max(len(types), 1), 0.82, 0.75)
        out[label] = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    return out


def stylesheet(types: list[str]) -> str:
    css = ["body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;line-height:2}",
           ".text{white-space:pre-wrap;border:1px solid #ccc;padding:1em}",
           ".a{border-radius:3px;padding:0 1px}", "table{border-collapse:collapse}",
           "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;line-height:1.4}",
           ".layers label{margin-right:1em}", ".legend span{padding:0 4px;margin-right:4px}"]
    for label, colour in _colours(types).items():
        css.append(f"#L-mentions:checked~main .m.t-{_cls(label)}{{background:{colour}}}")
        css.append(f".legend .t-{_cls(label)}{{background:{colour}}}")
    css += ["#L-mentions:checked~main .m{box-shadow:inset 0 -1px #555}",
            "#L-events:checked~main .ev{outline:2px solid #d62728;font-weight:bold}",
            "#L-quotes:checked~main .q{border-bottom:3px double #1f77b4}",
            "#L-cues:checked~main .cue{text-decoration:underline wavy #2ca02c}"]
    return "\n".join(css) + "\n"


def _cls(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in label)


def _intervals(ann: AnnotationSet) -> list[tuple[int, int, str, str, str]]:
    """(start, end, id, class, title) of every annotation drawn in the text."""
    ents = ann.entity_index()
    mentions = ann.mention_index()
    out = []
    for m in ann.mentions:
        name = ents[m.entity].name if m.entity in ents else m.entity
        out.append((m.start, m.end, m.id, f"m t-{_cls(m.type)}", f"{m.type} ({m.kind}), entity {m.entity}: {name}"))
    for v in ann.events:
        args = "; ".join(f"{a.role}: {mentions[a.mention].text if a.mention in mentions else a.mention}"
                         for a in v.arguments)
        out.append((v.trigger.start, v.trigger.end, v.id, "ev",
                     f"{v.type} ({v.realis}, {v.polarity})" + (f"; {args}" if args else "")))
    for q in ann.quotes:
        speaker = mentions[q.speaker].text if q.speaker in mentions else "no speaker"
        out.append((q.content.start, q.content.end, q.id, "q", f"quote ({q.kind}), speaker: {speaker}"))
        if q.cue:
            out.append((q.cue.start, q.cue.end, f"{q.id}-cue", "cue", f"cue of {q.id}"))
    return sorted(out, key=lambda t: (t[0], -t[1], t[2]))


def _split_ids(items) -> set[str]:
    """Ids of annotations that cross another one (they are drawn in pieces)."""
    split = set()
    for i, (s, e, ident, _c, _t) in enumerate(items):
        for s2, e2, id2, _c2, _t2 in items[i + 1:]:
            if s2 >= e:
                break
            if s < s2 < e < e2:
                split |= {ident, id2}
    return split


def _open(item, split: set[str], first: bool) -> str:
    _s, _e, ident, cls, title = item
    attrs = f'id="{escape(ident)}" data-id="{escape(ident)}"' if first else f'data-cont="{escape(ident)}"'
    if ident in split:
        attrs += " data-split=\"1\""
    return f'<span class="a {cls}" {attrs} title="{escape(title)}">'


def marked_text(text: str, ann: AnnotationSet):
    """The text with every annotation wrapped in spans (pieces where they cross)."""
    items = _intervals(ann)
    split = _split_ids(items)
    points = sorted({0, len(text)} | {i[0] for i in items} | {i[1] for i in items})
    starts: dict[int, list] = {}
    for item in items:
        starts.setdefault(item[0], []).append(item)
    stack: list = []
    for p, nxt in zip(points, points[1:] + [None]):
        ending = [k for k, it in enumerate(stack) if it[1] == p]
        if ending:
            reopen = [it for it in stack[ending[0]:] if it[1] != p]
            yield "</span>" * (len(stack) - ending[0])
            del stack[ending[0]:]
            for it in reopen:
                yield _open(it, split, False)
                stack.append(it)
        for item in starts.get(p, []):
            yield _open(item, split, True)
            stack.append(item)
        if nxt is not None:
            yield escape(text[p:nxt])
    yield "</span>" * len(stack)


def _tables(ann: AnnotationSet) -> list[str]:
    mentions = ann.mention_index()

    def link(mid):
        m = mentions.get(mid)
        return f'<a href="#{escape(mid)}">{escape(m.text if m else mid)}</a>' if mid else "-"

    out = ["<h2>Events</h2><table><tr><th>trigger</th><th>type</th><th>realis</th><th>polarity</th>"
           "<th>arguments</th></tr>"]
    for v in ann.sorted().events:
        args = "<br>".join(f"{escape(a.role)}: {link(a.mention)}" for a in v.arguments)
        out.append(f'<tr><td><a href="#{escape(v.id)}">{escape(v.trigger.text)}</a></td><td>{escape(v.type)}</td>'
                   f"<td>{escape(v.realis)}</td><td>{escape(v.polarity)}</td><td>{args}</td></tr>")
    out.append("</table><h2>Quotes</h2><table><tr><th>quote</th><th>kind</th><th>cue</th><th>speaker</th></tr>")
    for q in ann.sorted().quotes:
        cue = escape(q.cue.text) if q.cue else "-"
        out.append(f'<tr><td><a href="#{escape(q.id)}">{escape(q.content.text)}</a></td><td>{escape(q.kind)}</td>'
                   f"<td>{cue}</td><td>{link(q.speaker)}</td></tr>")
    out.append("</table>")
    return out


def document_page(doc: Document, ann: AnnotationSet, types: list[str], version: str):
    yield (f'<!DOCTYPE html>\n<html lang="{escape(doc.language)}"><head><meta charset="utf-8">'
           f'<title>{escape(doc.id)}</title><link rel="stylesheet" href="style.css"></head><body>\n'
           f'<p><a href="index.html">index</a> · annotation version {escape(version)}</p><h1>{escape(doc.id)}</h1>\n')
    for layer, _cls_name, label in LAYERS:
        yield f'<input type="checkbox" id="L-{layer}" checked><label for="L-{layer}">{label}</label>\n'
    yield '<main><p class="legend">' + "".join(
        f'<span class="t-{_cls(t)}">{escape(t)}</span>' for t in types) + "</p>\n<div class=\"text\">"
    yield from marked_text(doc.text, ann)
    yield "</div>\n"
    yield from _tables(ann)
    yield "</main></body></html>\n"


def write_html(output: Path, inventory, version: str, pairs, result) -> None:
    from newscorpus.quality.figure import FIGURE, label_distribution_svg
    from newscorpus.quality.stats import StatsAccumulator

    types = inventory.labels("entity_types")
    atomic_write_text(output / "style.css", stylesheet(types))
    rows, stats = [], StatsAccumulator(inventory)
    for doc, ann in pairs:
        stats.add(ann)
        path = output / f"{doc.id}.html"
        atomic_write_chunks(path, document_page(doc, ann, types, version))
        result.files.append(path)
        result.documents += 1
        rows.append(f'<tr><td><a href="{escape(doc.id)}.html">{escape(doc.id)}</a></td><td>{escape(doc.split)}</td>'
                    f"<td>{len(ann.mentions)}</td><td>{len(ann.events)}</td><td>{len(ann.quotes)}</td></tr>")
    atomic_write_text(output / "index.html", (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>newscorpus '
        f'{escape(version)}</title><link rel="stylesheet" href="style.css"></head><body>\n'
        f"<h1>newscorpus, annotation version {escape(version)}</h1>\n<table><tr><th>document</th><th>split</th>"
        "<th>mentions</th><th>events</th><th>quotes</th></tr>\n" + "\n".join(rows) + "\n</table>\n"
        f'<h2>Label distribution</h2>\n<p><img src="{FIGURE}" alt="Bar chart of the counts of entity mentions '
        'by type, events by type and quotes by kind"></p>\n</body></html>\n'))
    atomic_write_text(output / FIGURE, label_distribution_svg(stats.result(), version))
    result.files += [output / "style.css", output / "index.html", output / FIGURE]
