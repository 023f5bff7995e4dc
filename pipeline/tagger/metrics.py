"""Strict span-level precision, recall and F1, overall (micro) and per label."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def span_scores(gold: Iterable[Iterable[tuple[int, int, str]]], pred: Iterable[Iterable[tuple[int, int, str]]]) -> dict:
    """``{"micro": {...}, "per_label": {LABEL: {...}}}``; a span counts only with exact offsets and label.

    >>> span_scores([[(0, 2, "DRUG")]], [[(0, 2, "DRUG"), (3, 4, "BODY")]])["micro"]["precision"]
    0.5
    """
    tp: Counter = Counter()
    n_gold: Counter = Counter()
    n_pred: Counter = Counter()
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        for _, _, label in g:
            n_gold[label] += 1
        for _, _, label in p:
            n_pred[label] += 1
        for _, _, label in g & p:
            tp[label] += 1

    def prf(t: int, ng: int, np_: int) -> dict:
        precision = t / np_ if np_ else 0.0
        recall = t / ng if ng else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                "support": ng, "predicted": np_}

    labels = sorted(set(n_gold) | set(n_pred))
    return {"micro": prf(sum(tp.values()), sum(n_gold.values()), sum(n_pred.values())),
            "per_label": {l: prf(tp[l], n_gold[l], n_pred[l]) for l in labels}}


def format_table(scores: dict) -> str:
    rows = [f"{'label':12s} {'P':>7s} {'R':>7s} {'F1':>7s} {'support':>8s}"]
    for label, s in scores["per_label"].items():
        rows.append(f"{label:12s} {s['precision']:7.4f} {s['recall']:7.4f} {s['f1']:7.4f} {s['support']:8d}")
    m = scores["micro"]
    rows.append(f"{'micro':12s} {m['precision']:7.4f} {m['recall']:7.4f} {m['f1']:7.4f} {m['support']:8d}")
    return "\n".join(rows)
