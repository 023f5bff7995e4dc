"""Run every rule's own examples: positives must raise the rule, negatives must not."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Rule


@dataclass
class ExampleResult:
    rule: str
    kind: str      # positive or negative
    text: str
    ok: bool


def run_examples(rules: list[Rule], auditor=None) -> list[ExampleResult]:
    """Audit each example with a pipeline running exactly ``rules``; one result per example."""
    from ..audit import Auditor

    auditor = auditor or Auditor(rules=rules)
    results = []
    for rule in rules:
        for kind in ("positive", "negative"):
            for text in rule.examples.get(kind, []):
                codes = {f["code"] for f in auditor.audit_text(text, id=rule.id)["flags"]}
                fired = rule.id in codes
                results.append(ExampleResult(rule.id, kind, text, fired == (kind == "positive")))
    return results
