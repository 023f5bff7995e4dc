"""Small helpers the numeric checks share: the text of a number's clause, and formatting."""
from __future__ import annotations

from ..analysis import Analysis
from ..numbers.model import Number
from ..sentences import clause_start


def clause_before(a: Analysis, n: Number, limit: int = 40) -> str:
    """Text from the start of the number's clause (or ``limit`` characters) up to the number."""
    floor = max(a.sentence_of(n.start)[0], n.start - limit)
    return a.norm[clause_start(a.norm, floor, n.start):n.start]


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"
    return str(value)
