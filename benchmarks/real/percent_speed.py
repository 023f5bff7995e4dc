"""What the lost-% detector adds to the ``--no-model`` audit time, on real articles.

    python benchmarks/real/percent_speed.py [--articles 600] [--rounds 3]

Audits the same development articles (benchmarks/real/split.py, fixed seed) with
``Auditor(model=None, percent_model=None)`` (the rules alone) and ``Auditor(model=None)`` (the shipped
detector), alternating, best round of each; prints both rates and the added share.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import development, sample


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    from pipeline import Auditor

    texts = [a["text"] for a in sample(development(), args.articles, args.seed)]
    chars = sum(map(len, texts))
    auditors = {"rules alone": Auditor(model=None, percent_model=None), "with the detector": Auditor(model=None)}
    best = {name: float("inf") for name in auditors}
    for _ in range(args.rounds):
        for name, auditor in auditors.items():
            t0 = time.perf_counter()
            for text in texts:
                auditor.audit_text(text)
            best[name] = min(best[name], time.perf_counter() - t0)
    for name, seconds in best.items():
        print(f"{name}: {chars / seconds / 1000:.1f} KB/s ({seconds:.2f} s for {len(texts)} articles, {chars:,} characters)")
    print(f"the detector adds {best['with the detector'] / best['rules alone'] - 1:+.1%} to the --no-model audit time")


if __name__ == "__main__":
    main()
