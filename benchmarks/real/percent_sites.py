"""The lost-% detector on a site it never learned from: leave one source out, train, score that source.

    python benchmarks/real/percent_sites.py [--min-signs 40] [--sources a,b,...] [--extra FILE ...]

The held-out part (``benchmarks/real/split.py``) is cut by article, so its sources are the training
sources. A user's articles may come from a site the detector never saw. For each source of the
development part with at least ``--min-signs`` % signs, this trains the detector as shipped
(``medclaim train-percent`` defaults: both stages, two one-sign copies a text) on the other sources'
development articles and scores the left-out source with every % removed, at the exact positions
(as ``benchmarks/real/percent.py``): recall and precision at the threshold training chose, and the
recall at precision 0.95 with the threshold read off the scored source (the ranking, without the
threshold's luck). ``--extra`` (repeatable) joins other real text to every training, as the shipped model
learns the clinical papers' and news transcripts' development parts. The held-out part is never read.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.percent_nested import fit_and_score, read_texts, recall_at
from benchmarks.real.split import development


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-signs", type=int, default=40)
    ap.add_argument("--sources", help="comma-separated sources to leave out (default: each with --min-signs signs)")
    ap.add_argument("--extra", action="append", default=[], help="other real text (JSON Lines) for every training")
    args = ap.parse_args()
    from pipeline import Auditor

    by_source: dict[str, list[str]] = defaultdict(list)
    for a in development():
        by_source[a["source"]].append(a["text"])
    signs = {s: sum(len(re.findall("[%％]", t)) for t in texts) for s, texts in by_source.items()}
    wanted = args.sources.split(",") if args.sources else \
        sorted((s for s in by_source if signs[s] >= args.min_signs), key=lambda s: -signs[s])
    auditor = Auditor(model=None, rules=[], percent_model=None)
    extra = read_texts(args.extra)
    print("| source left out | articles | gold | hits | false alarms | recall | precision | recall at P>=0.95 (own threshold) |")
    print("|---|---|---|---|---|---|---|---|")
    total = [0, 0, 0]
    for source in wanted:
        t0 = time.perf_counter()
        learn = [t for s, texts in by_source.items() if s != source for t in texts]
        _, _, r, curve = fit_and_score(learn, by_source[source], auditor, extra_texts=extra)
        at95 = recall_at(*curve, 0.95)
        total = [total[0] + r["gold"], total[1] + r["hits"], total[2] + r["false_alarms"]]
        print(f"| {source} | {len(by_source[source])} | {r['gold']} | {r['hits']} | {r['false_alarms']} | "
              f"{r['recall']:.3f} | {r['precision']:.3f} | {at95:.3f} |  ({time.perf_counter() - t0:.0f} s)", flush=True)
    g, h, f = total
    print(f"| **all** | | {g} | {h} | {f} | {h / max(1, g):.3f} | {h / max(1, h + f):.3f} | |")


if __name__ == "__main__":
    main()
