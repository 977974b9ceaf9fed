"""The label distribution figure: an SVG bar chart of the counts of entity mentions by
type, events by type and quotes by kind, from the statistics of ``quality.stats`` (the
counts the dataset card's label tables show). Written as text, without a plotting
library: integer coordinates, labels in inventory order, so the same statistics give the
same bytes. Each bar is a ``<g class="bar">`` carrying ``data-layer``, ``data-label`` and
``data-count`` and a ``<title>`` (a tooltip in a browser)."""
from __future__ import annotations

from html import escape

FIGURE = "label_distribution.svg"  # its file name, in a build folder and an HTML export
# (statistics key, panel title); the bars of a panel share its scale
PANELS = (("mention_types", "Entity mentions by type"), ("event_types", "Events by type"),
          ("quote_kinds", "Quotes by kind"))
ROW = 18        # height of a bar's row
BAR = 320       # length of the longest bar of a panel
CHAR = 7        # width allowed per character of a label or count (12px sans-serif)
PAD = 10
COLOUR = "#4c72b0"


def _panel(key: str, title: str, counts: dict[str, int], y: int, label_w: int) -> tuple[list[str], int]:
    """The SVG lines of one panel starting at ``y``, and the ``y`` below it."""
    total, top = sum(counts.values()), max(counts.values(), default=0)
    lines = [f'<g class="panel" data-layer="{escape(key)}">',
             f'<text class="panel-title" x="{PAD}" y="{y + 14}" font-weight="bold">'
             f'{escape(title)} ({total})</text>']
    y += ROW + 6
    x_bar = PAD + label_w
    for label, n in counts.items():
        width = round(BAR * n / top) if top else 0
        lines += [f'<g class="bar" data-layer="{escape(key)}" data-label="{escape(label)}" data-count="{n}">',
                  f"<title>{escape(label)}: {n}</title>",
                  f'<text class="label" x="{x_bar - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>',
                  f'<rect x="{x_bar}" y="{y + 3}" width="{width}" height="{ROW - 6}" fill="{COLOUR}"/>',
                  f'<text class="count" x="{x_bar + width + 4}" y="{y + 13}">{n}</text>', "</g>"]
        y += ROW
    lines.append("</g>")
    return lines, y + PAD


def label_distribution_svg(stats: dict, version: str) -> str:
    """The figure of ``stats`` (as ``quality.stats`` computes them) of ``version``."""
    labels = [label for key, _ in PANELS for label in stats[key]]
    counts = [n for key, _ in PANELS for n in stats[key].values()]
    label_w = CHAR * max((len(x) for x in labels), default=1) + 12
    count_w = CHAR * max((len(str(n)) for n in counts), default=1) + 8
    width = PAD + label_w + BAR + count_w + PAD
    title = f"Label distribution, annotation version {version}"
    body, y = [], PAD + 24
    for key, panel_title in PANELS:
        lines, y = _panel(key, panel_title, stats[key], y, label_w)
        body += lines
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
            f'viewBox="0 0 {width} {y}" role="img" aria-labelledby="title desc" '
            'font-family="sans-serif" font-size="12">',
            f'<title id="title">{escape(title)}</title>',
            '<desc id="desc">Counts of entity mentions by type, events by type and quotes by kind; '
            "the bars of each panel share one scale.</desc>",
            f'<rect width="{width}" height="{y}" fill="#ffffff"/>',
            f'<text x="{PAD}" y="{PAD + 12}" font-size="14" font-weight="bold">{escape(title)}</text>']
    return "\n".join(head + body + ["</svg>"]) + "\n"
