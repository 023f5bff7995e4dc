"""Should the two ends of a bare range be decided together? Measured on saved fifths' scores.

    python benchmarks/real/percent_ranges.py 0:SCORES_F0.npz 1:SCORES_F1.npz 2:SCORES_F2.npz

Each ``K:FILE`` is development fifth K's scores, written by ``benchmarks/real/percent_neural.py --fifth K
--scores-out FILE`` (the candidates of that fifth's articles with every sign removed, in text order). A
range of two bare numbers (30-50, 2~8, 30至50) is one quantity, and once the signs are removed the text
cannot tell 30-50% (the writer signed the end) from 30%-50% (both). This reads how the fifth's ranges
were signed and what each way of tying the ends gives: the start scored with the higher of the two
ends' scores, the end so, or both; recall at precision 0.90 / 0.95 / 0.97, read off the ranked
candidates, against the scores as the audit combines them (``percent_weights.weighted`` at 0.5).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.percent_nested import recall_at, split_fifth
from benchmarks.real.percent_weights import weighted
from benchmarks.real.split import development

TIES = ("start", "end", "both")


def range_pairs(texts: list[str], auditor) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) indexes of every bare range among the candidates of ``texts`` (every sign
    removed, candidates numbered in text order across the texts), and the number of candidates."""
    from pipeline.checks.percent import RANGE_LINK, percent_candidates
    from pipeline.checks.percent_train import strip_percent

    pairs, at = [], 0
    for text in texts:
        stripped, _ = strip_percent(text)
        if not stripped.strip():
            continue
        a = auditor.analyse(stripped)
        found = [n for n, _, _ in percent_candidates(a)]
        pairs += [(at + i, at + i + 1) for i in range(len(found) - 1)
                  if RANGE_LINK.match(a.norm[found[i].end:found[i + 1].start])]
        at += len(found)
    return pairs, at


def tied(scores: np.ndarray, pairs: list[tuple[int, int]], which: str) -> np.ndarray:
    """``scores`` with the start, the end or both ends of every range raised to the higher end's."""
    out = scores.copy()
    for i, j in pairs:
        top = max(scores[i], scores[j])
        if which in ("start", "both"):
            out[i] = top
        if which in ("end", "both"):
            out[j] = top
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scores", nargs="+", help="K:FILE, fifth K's saved scores")
    args = ap.parse_args()
    from pipeline.audit import Auditor

    auditor = Auditor(model=None, rules=[], percent_model=None)
    articles = development()
    table: dict[str, list[list[float]]] = {}
    for spec in args.scores:
        k, _, path = spec.partition(":")
        saved = np.load(path)
        labels, signs = saved["labels"].astype(bool), int(saved["signs"])
        pairs, count = range_pairs([a["text"] for a in split_fifth(articles, int(k))[1]], auditor)
        if count != len(labels):
            raise SystemExit(f"{path}: {len(labels)} scores, but fifth {k} has {count} candidates")
        signed = np.array([(labels[i], labels[j]) for i, j in pairs], dtype=bool).reshape(-1, 2)
        print(f"fifth {k}: {len(pairs)} ranges; both ends signed {int((signed[:, 0] & signed[:, 1]).sum())}, "
              f"the end alone {int((~signed[:, 0] & signed[:, 1]).sum())}, the start alone "
              f"{int((signed[:, 0] & ~signed[:, 1]).sum())}, neither {int((~signed[:, 0] & ~signed[:, 1]).sum())}")
        base = weighted(saved, 0.5)
        for name, s in [("as the audit combines them", base)] + [(f"tied: {t}", tied(base, pairs, t)) for t in TIES]:
            row = [round(recall_at(s, labels, signs, p), 3) for p in (0.90, 0.95, 0.97)]
            table.setdefault(name, []).append(row)
            print(f"  {name}: recall at precision 0.90 / 0.95 / 0.97 {row}")
    print("mean of the fifths:")
    for name, rows in table.items():
        print(f"  {name}: {np.round(np.mean(rows, axis=0), 3).tolist()}")


if __name__ == "__main__":
    main()
