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

    def to_dict(self, text: str, flag_id: str) -> dict:
        return {
            "id": flag_id, "start": self.start, "end": self.end, "category": self.category, "code": self.code,
            "severity": self.severity, "text": text[self.start:self.end], "message": self.message,
            "suggestion": self.suggestion, "reference": self.reference, "claim": self.claim,
            "related": [{"start": s, "end": e} for s, e in self.related],
            **({"context": list(self.context)} if self.context else {}),
        }
