"""Flags: what a check reports about a span of text."""
from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass
class Flag:
    start: int
    end: int
    category: str
    code: str
    severity: str
    message: str
    suggestion: str | None = None
    reference: str | None = None
    claim: str | None = None
    related: list[tuple[int, int]] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # quoted, hedged (see pipeline.rules.context)
    also: list[dict] = field(default_factory=list)  # other rules that flagged exactly this span

    def to_dict(self, text: str, flag_id: str) -> dict:
        return {
            "id": flag_id, "start": self.start, "end": self.end, "category": self.category, "code": self.code,
            "severity": self.severity, "text": text[self.start:self.end], "message": self.message,
            "suggestion": self.suggestion, "reference": self.reference, "claim": self.claim,
            "related": [{"start": s, "end": e} for s, e in self.related],
            **({"context": list(self.context)} if self.context else {}),
            **({"also": [dict(x) for x in self.also]} if self.also else {}),
        }


# Numeric flags and language flags speak of different things: on one span each kind keeps one flag.
NUMERIC_CATEGORIES = {"percent_lost", "ambiguous_magnitude", "impossible_value", "unit_implausible",
                      "inconsistent_numbers", "stats_inconsistent"}
# Which numeric flag of one span speaks for the others (at the same severity): a computed contradiction
# first, then what is wrong with the number itself, then what is unclear about it.
NUMERIC_ORDER = {"inconsistent_numbers": 0, "stats_inconsistent": 1, "unit_implausible": 2, "impossible_value": 3,
                 "percent_lost": 4, "ambiguous_magnitude": 5}


def merge_same_span(flags: list[Flag]) -> list[Flag]:
    """One flag per span and kind: where several rules flag exactly the same text (治愈率高达100%:
    CureRate, Guarantee, Unsourced; 活性提升300: a lost % sign and a size read two ways), the most
    severe stays (ties: numeric flags by ``NUMERIC_ORDER``, then by code) and names the others in
    ``also``; the same rule twice on one span is one flag. A numeric and a language flag on one span
    both stay."""
    groups: dict[tuple, dict[str, Flag]] = {}
    for f in flags:
        key = (f.start, f.end, f.category in NUMERIC_CATEGORIES)
        same = groups.setdefault(key, {})
        if f.code not in same or SEVERITY_RANK[f.severity] > SEVERITY_RANK[same[f.code].severity]:
            same[f.code] = f
    out = []
    for same in groups.values():
        ranked = sorted(same.values(), key=lambda f: (-SEVERITY_RANK[f.severity], NUMERIC_ORDER.get(f.category, 9), f.code))
        first = ranked[0]
        first.also = [{"code": f.code, "category": f.category, "severity": f.severity, "message": f.message}
                      for f in ranked[1:]]
        out.append(first)
    return out
