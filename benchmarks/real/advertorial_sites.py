"""The advertorial model on a site it never learned from: leave one source out, train, score that source.

    python benchmarks/real/advertorial_sites.py [--sources a,b,...]

The shipped model learns its ordinary passages from every source of the real-articles development
part, so its false alarms there are in-sample. A user's articles come from other sites. For each
source of the development part (``benchmarks/real/split.py``), this trains the model as the shipped
one is trained (`models/advertorial-zh/README.md`: the same positives, the same settings) but with
that source's articles left out, then scores them: the share of their passages at or over the
retrained model's own threshold, and of their articles with at least one such passage (an
``advertorial`` flag, before the fact-check rule, which silences any text that refutes). The same
two shares for the shipped model (the source in its training) are printed beside them. The
held-out part is never read.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import development, rumours


def shares(model, texts: list[str], refuting) -> tuple[int, int, int, int, int]:
    """Passages over the threshold, passages, articles with one, articles, and those of them that do not refute."""
    from pipeline.checks.advertorial_train import passage_texts

    hit_p = n_p = hit_a = kept = 0
    for t in texts:
        scores = [model.score(p) for p in passage_texts(t)]
        over = sum(s >= model.threshold for s in scores)
        hit_p += over
        n_p += len(scores)
        hit_a += over > 0
        kept += over > 0 and not refuting(t)
    return hit_p, n_p, hit_a, len(texts), kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", help="comma-separated sources to leave out (default: every source)")
    args = ap.parse_args()
    from pipeline.checks.advertorial import AdvertorialModel, load_model, refutes_text
    from pipeline.checks.advertorial_train import train
    from pipeline.normalize import normalize

    def refuting(t: str) -> bool:
        return refutes_text(normalize(t))

    seeds = ROOT / "seeds"
    promotional = [r["text"] for r in rumours("development", ("rumour",))]
    promotional += [(seeds / "000_35dbd2b867d2ec31.txt").read_text("utf-8")]
    promotional += [(seeds / "register" / "promotional.sents").read_text("utf-8")]  # one text a file, as the CLI reads it
    plain = [r["text"] for r in rumours("development", ("ordinary", "unrelated"))]
    plain += [(seeds / "register" / "neutral.sents").read_text("utf-8")]
    by_source: dict[str, list[str]] = defaultdict(list)
    for a in development():
        by_source[a["source"]].append(a["text"])
    wanted = args.sources.split(",") if args.sources else sorted(by_source, key=lambda s: -len(by_source[s]))
    shipped = load_model("default")
    print("| source left out | articles | threshold | passages over it | articles with one | of them not refuting "
          "| shipped model (source in training): passages | articles | not refuting |")
    print("|---|---|---|---|---|---|---|---|---|")
    totals = [0] * 10
    for source in wanted:
        t0 = time.perf_counter()
        negative = [t for s, texts in by_source.items() if s != source for t in texts] + plain
        with tempfile.TemporaryDirectory() as folder:
            meta = train(promotional, negative, Path(folder), max_false_rate=0.0005)
            model = AdvertorialModel.load(Path(folder))
        out = shares(model, by_source[source], refuting)
        ship = shares(shipped, by_source[source], refuting)
        totals = [a + b for a, b in zip(totals, out + ship)]
        print(f"| {source} | {out[3]} | {meta['threshold']:.3f} | {out[0]}/{out[1]} = {out[0] / out[1]:.2%} "
              f"| {out[2]} = {out[2] / out[3]:.1%} | {out[4]} | {ship[0]}/{ship[1]} = {ship[0] / ship[1]:.2%} "
              f"| {ship[2]} | {ship[4]} |  ({time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"| **all** | {totals[3]} | | {totals[0]}/{totals[1]} = {totals[0] / totals[1]:.2%} | {totals[2]} = "
          f"{totals[2] / totals[3]:.1%} | {totals[4]} | {totals[5]}/{totals[6]} = {totals[5] / totals[6]:.2%} "
          f"| {totals[7]} | {totals[9]} |")


if __name__ == "__main__":
    main()
