"""Small helpers the numeric checks share: clauses, sentences and the text around a number."""
from __future__ import annotations

import bisect
import re

from ..analysis import Analysis
from ..numbers.model import Number

CLAUSE_BREAK = re.compile(r"[,;:。!?，；：]")


def clause_before(a: Analysis, n: Number, limit: int = 40) -> str:
    """Text from the start of the number's clause (or ``limit`` characters) up to the number."""
    s_start = sentence_of(a, n)[0]
    floor = max(s_start, n.start - limit)
    for j in range(n.start - 1, floor - 1, -1):
        if CLAUSE_BREAK.match(a.norm[j]):
            return a.norm[j + 1:n.start]
    return a.norm[floor:n.start]


def sentence_of(a: Analysis, n: Number | int) -> tuple[int, int]:
    pos = n.start if isinstance(n, Number) else n
    starts = a.__dict__.setdefault("_sentence_starts", [s for s, _ in a.sentences])
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < a.sentences[i][1]:
        return a.sentences[i]
    return (max(0, pos - 60), min(len(a.norm), pos + 60))


def numbers_in(a: Analysis, span: tuple[int, int]) -> list[Number]:
    return [n for n in a.numbers if span[0] <= n.start and n.end <= span[1]]


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"
    return str(value)
