"""Cut a text into pieces at every span edge, so that overlapping and nested spans render as flat,
escaped runs of text, each knowing which spans cover it (the displaCy way, without its nesting limit).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    start: int
    end: int
    text: str
    spans: list[str] = field(default_factory=list)  # ids of the spans that cover it


def segments(text: str, spans: list[tuple[str, int, int]], cuts: list[int] = ()) -> list[Segment]:
    """Pieces of ``text`` between consecutive span edges, each with the ids of the spans covering it.

    ``spans`` are ``(id, start, end)``; empty or out-of-range spans are clipped or ignored. ``cuts``
    are extra edges (line breaks, block boundaries).

    >>> [(s.text, s.spans) for s in segments("肺癌患者", [("E1", 0, 2), ("E2", 0, 1), ("F1", 1, 4)])]
    [('肺', ['E1', 'E2']), ('癌', ['E1', 'F1']), ('患者', ['F1'])]
    """
    n = len(text)
    clean = [(sid, max(0, s), min(n, e)) for sid, s, e in spans if min(n, e) > max(0, s)]
    edges = sorted({0, n, *(s for _, s, _ in clean), *(e for _, _, e in clean), *(c for c in cuts if 0 < c < n)})
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    for sid, s, e in clean:
        starts.setdefault(s, []).append(sid)
        ends.setdefault(e, []).append(sid)
    active: dict[str, None] = {}  # insertion-ordered set
    out = []
    for a, b in zip(edges, edges[1:]):
        for sid in ends.get(a, ()):
            active.pop(sid, None)
        for sid in starts.get(a, ()):
            active[sid] = None
        out.append(Segment(a, b, text[a:b], list(active)))
    return out


BLOCK = 3000  # a paragraph longer than this is drawn in blocks cut at sentence ends


def block_cuts(text: str, limit: int = BLOCK) -> list[int]:
    """Edges around every line break, and inside very long paragraphs after a sentence end, so that
    the page can lay out (and skip) the text a block at a time.

    >>> block_cuts("甲\n乙")
    [1, 2]
    """
    cuts, start = [], 0
    for i, ch in enumerate(text):
        if ch == "\n":
            cuts += [i, i + 1]
            start = i + 1
        elif i - start >= limit * 2 // 3 and ch in "。！？!?；;" and i + 1 < len(text) and text[i + 1] != "\n":
            cuts.append(i + 1)
            start = i + 1
        elif i - start >= limit * 2:  # no sentence end in sight
            cuts.append(i + 1)
            start = i + 1
    return cuts
