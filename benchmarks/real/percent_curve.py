"""How the lost-% detector's quality grows with its training text: a learning curve on real articles.

    python benchmarks/real/percent_curve.py [--fractions 0.25 0.5 1] [--splits 3]
    python benchmarks/real/percent_curve.py --extra papers-dev.jsonl --extra news-dev.jsonl \
        [--extra-fractions 0 0.25 0.5 1] [--splits 1]

The development part is cut into fifths as in ``percent_nested.py``. For each of the first ``--splits``
fifths, the detector is trained (as shipped: both stages, copies with one sign removed) on a share of
the other four fifths' articles (drawn with a fixed seed, the smaller shares inside the larger) and
scored on the fifth: recall and precision at the threshold cross-validation chose, and the recall at
precision >= 0.90 / 0.95 with the threshold read off the scored fifth. A curve still rising at the
full share says more labelled text would help; a flat one says the features are the limit. The
held-out part is never read.

With ``--extra`` (the clinical papers' and news transcripts' development parts, written by
``benchmarks/real/split.py papers-development`` / ``news-development``) the curve goes on past the
articles: every training set holds all of the other four fifths' articles and a share of the extra
documents (drawn with a fixed seed, the smaller inside the larger), learned in per-corpus feature
copies as ``medclaim train-percent --extra`` does; the signs column counts the articles' and the
extra text's signs together.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.percent_nested import fifth, fit_and_score, read_texts, recall_at, split_fifth
from benchmarks.real.split import development


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    ap.add_argument("--splits", type=int, default=3, choices=range(1, 6))
    ap.add_argument("--extra", action="append", default=[], help="other real text (JSON Lines), for the curve past the articles")
    ap.add_argument("--extra-fractions", type=float, nargs="+", default=[0.0, 0.25, 0.5, 1.0])
    args = ap.parse_args()
    if args.extra:
        return extra_curve(args)
    from pipeline import Auditor
    from pipeline.checks.percent_train import signs

    articles = development()
    auditor = Auditor(model=None, rules=[], percent_model=None)
    print("| fifth | share of the other fifths | articles | signs | recall | precision | recall at P>=0.90 | at 0.95 |")
    print("|---|---|---|---|---|---|---|---|")
    for k in range(args.splits):
        learn = [a for a in articles if fifth(a["id"]) != k]
        order = np.random.default_rng(k).permutation(len(learn))
        score = [a["text"] for a in articles if fifth(a["id"]) == k]
        for share in sorted(args.fractions):
            texts = [learn[i]["text"] for i in sorted(order[:max(1, round(share * len(learn)))])]
            _, _, result, curve = fit_and_score(texts, score, auditor)
            print(f"| {k} | {share:g} | {len(texts)} | {sum(len(signs(t)) for t in texts)} | {result['recall']:.3f} | "
                  f"{result['precision']:.3f} | {recall_at(*curve, 0.90):.3f} | {recall_at(*curve, 0.95):.3f} |",
                  flush=True)


def extra_curve(args) -> None:
    from pipeline import Auditor
    from pipeline.checks.percent_train import signs

    extra = read_texts(args.extra)
    order = np.random.default_rng(2612).permutation(len(extra))
    articles = development()
    auditor = Auditor(model=None, rules=[], percent_model=None)
    print("| fifth | share of the extra text | articles + extra documents | signs | recall | precision "
          "| recall at P>=0.90 | at 0.95 |")
    print("|---|---|---|---|---|---|---|---|")
    for k in range(args.splits):
        learn, scored = split_fifth(articles, k)
        score = [a["text"] for a in scored]
        own = sum(len(signs(t)) for t in learn)
        for share in sorted(args.extra_fractions):
            more = [extra[i] for i in sorted(order[:round(share * len(extra))])]
            _, _, result, curve = fit_and_score(learn, score, auditor, extra_texts=more)
            print(f"| {k} | {share:g} | {len(learn)} + {len(more)} | {own + sum(len(signs(t)) for t in more)} | "
                  f"{result['recall']:.3f} | {result['precision']:.3f} | {recall_at(*curve, 0.90):.3f} | "
                  f"{recall_at(*curve, 0.95):.3f} |", flush=True)


if __name__ == "__main__":
    main()
