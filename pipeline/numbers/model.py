"""The Number record."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Number:
    start: int
    end: int
    kind: str
    value: Any
    unit: str | None = None
    unit_inferred: bool = False
    id: str = ""
    # Analysis detail (not in the record): how the value was written and what surrounds it.
    decimals: int = 0
    comparator: str | None = None  # p < 0.05, HR = ..., > 85
    label: str | None = None       # t, F, χ2, HR, OR, n, CI level ...
    df: tuple | None = None
    dimension: str | None = None
    note: str | None = None        # e.g. "lost_exponent", "discount", "article" (一种: 'a', not a count)
    approximate: bool = False      # 二十几万, 三十多, 一百余, 十来

    def to_dict(self, text: str) -> dict:
        out = {"id": self.id, "start": self.start, "end": self.end, "text": text[self.start:self.end],
               "kind": self.kind, "value": self.value, "unit": self.unit}
        if self.unit_inferred:
            out["unit_inferred"] = True
        if self.approximate:
            out["approximate"] = True
        return out
