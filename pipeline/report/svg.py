"""Summary charts as inline SVG, drawn from counts; every label is escaped, colours come from CSS classes."""
from __future__ import annotations

from html import escape


def bar_chart(rows: list[tuple[str, int]], title: str, width: int = 520, bar: int = 18, label_width: int = 210) -> str:
    """A horizontal bar chart: one labelled bar a row, the count written at its end.

    >>> "<title>" in bar_chart([("a<b", 3)], "T") and "a&lt;b" in bar_chart([("a<b", 3)], "T")
    True
    """
    top = max((n for _, n in rows), default=0) or 1
    gap = 6
    height = max(1, len(rows)) * (bar + gap) + gap
    room = width - label_width - 50
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    if not rows:
        parts.append(f'<text class="chart-label" x="0" y="{bar}">none</text>')
    for i, (label, n) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(1, round(room * n / top)) if n else 0
        parts.append(f'<text class="chart-label" x="{label_width - 8}" y="{y + bar - 5}" text-anchor="end">{escape(str(label))}</text>'
                     f'<rect class="chart-bar" x="{label_width}" y="{y}" width="{w}" height="{bar}"><title>{escape(str(label))}: {n}</title></rect>'
                     f'<text class="chart-value" x="{label_width + w + 6}" y="{y + bar - 5}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)
