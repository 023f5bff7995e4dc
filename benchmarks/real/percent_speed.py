"""What the lost-% detector adds to the ``--no-model`` audit time, on real articles.

    python benchmarks/real/percent_speed.py [--articles 600] [--rounds 3]

Audits the same development articles (benchmarks/real/split.py, fixed seed) with
``Auditor(model=None, percent_model=None)`` (the rules alone) and ``Auditor(model=None)`` (the shipped
detector), alternating one article at a time, and keeps each article's fastest round for each:
load that drifts over a run hits both alike. It also times the ``percent_lost`` check itself in
both auditors, so the detector's added share is read two ways: from the whole audits, and as the
check's extra time over the rules-alone audit (the steadier of the two on a busy machine).
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
    spent = {name: 0.0 for name in auditors}
    for name, auditor in auditors.items():  # time the percent_lost check inside each auditor
        check = auditor.checks[0]
        assert type(check).__name__ == "PercentLost", auditor.checks

        def timed(a, _check=check, _name=name):
            t0 = time.perf_counter()
            try:
                return _check(a)
            finally:
                spent[_name] += time.perf_counter() - t0
        auditor.checks[0] = timed
    audit = {name: [float("inf")] * len(texts) for name in auditors}
    checked = {name: [float("inf")] * len(texts) for name in auditors}
    for _ in range(args.rounds):
        for i, text in enumerate(texts):
            for name, auditor in auditors.items():
                before = spent[name]
                t0 = time.perf_counter()
                auditor.audit_text(text)
                audit[name][i] = min(audit[name][i], time.perf_counter() - t0)
                checked[name][i] = min(checked[name][i], spent[name] - before)
    best = {name: sum(v) for name, v in audit.items()}
    check = {name: sum(v) for name, v in checked.items()}
    for name, seconds in best.items():
        print(f"{name}: {chars / seconds / 1000:.1f} KB/s ({seconds:.2f} s for {len(texts)} articles, {chars:,} characters; "
              f"the percent_lost check {check[name]:.2f} s)")
    rules = best["rules alone"]
    print(f"the detector adds {best['with the detector'] / rules - 1:+.1%} to the --no-model audit time (whole audits)")
    print(f"the detector adds {(check['with the detector'] - check['rules alone']) / rules:+.1%} "
          f"(its check's extra time over the rules-alone audit)")

if __name__ == "__main__":
    main()
