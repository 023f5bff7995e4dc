"""How much weight the lost-% reader should get beside the two stages, from saved fifths' scores.

    python benchmarks/real/percent_weights.py SCORES_F0.npz SCORES_F1.npz SCORES_F2.npz [--precision 0.95]

Each file is one development fifth's scores, written by ``benchmarks/real/percent_neural.py --fifth K
--scores-out FILE``. For every weight w the reader's log-odds count w and the stages' 1 - w (the
audit's mean is w = 0.5; only numbers the stages give at least ``percent_reader.READ_FROM`` are read,
as in the audit); printed: the recall at the precision asked for on each fifth, then, for each fifth,
the weight chosen on the others and what it gives there.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.percent_nested import recall_at

WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


def weighted(scores, w: float) -> np.ndarray:
    from pipeline.checks.percent_reader import READ_FROM

    p = np.clip(scores["detector"], 1e-6, 1 - 1e-6)
    stages = np.log(p / (1 - p))
    return np.where(p >= READ_FROM, (1 - w) * stages + w * scores["reader"], stages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scores", nargs="+")
    ap.add_argument("--precision", type=float, default=0.95)
    args = ap.parse_args()
    fifths = [np.load(path) for path in args.scores]

    def recall(f, w):
        return recall_at(weighted(f, w), f["labels"].astype(bool), int(f["signs"]), args.precision)

    print("| fifth | " + " | ".join(f"w = {w:g}" for w in WEIGHTS) + " |")
    print("|---" * (len(WEIGHTS) + 1) + "|")
    for path, f in zip(args.scores, fifths):
        print(f"| {Path(path).name} | " + " | ".join(f"{recall(f, w):.3f}" for w in WEIGHTS) + " |")
    for k, (path, f) in enumerate(zip(args.scores, fifths)):
        others = [g for j, g in enumerate(fifths) if j != k]
        if not others:
            break
        best = max(WEIGHTS, key=lambda w: (np.mean([recall(g, w) for g in others]), -abs(w - 0.5)))
        print(f"{Path(path).name}: weight chosen on the others {best:g}, recall {recall(f, best):.3f} "
              f"(w = 0.5: {recall(f, 0.5):.3f})")


if __name__ == "__main__":
    main()
