"""How the tagger's CMeEE dev F1 moves with the size of the pretraining text, and what pretraining costs.

For each size (characters of ``benchmarks/pretrain/corpus.py``'s text, drawn after a seeded shuffle of
its lines; 0 is no pretraining) the script runs ``medclaim pretrain --max-chars N`` and then
``medclaim train --encoder`` with the shipped model's data and settings for ``--epochs`` epochs, and
prints one row: pretraining seconds, the encoder folder's size, training seconds and dev F1 by epoch.

    .venv/bin/python benchmarks/pretrain/corpus.py /tmp/pretrain.jsonl
    .venv/bin/python benchmarks/pretrain/curve.py /tmp/pretrain.jsonl --sizes 0 2000000 8000000 --epochs 3

Each row is a whole pretraining and training run (about 2 minutes an epoch on 2 cores for training).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CMEEE = ROOT.parent / "shared" / "corpora" / "cmeee"
MEDCLAIM = [sys.executable, "-m", "pipeline.cli"]


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("text", help="the pretraining text (JSON Lines from corpus.py)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 2_000_000, 8_000_000])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/medclaim-curve", help="where the encoders and taggers go")
    ap.add_argument("--lexicon", default=str(ROOT / "models" / "medclaim-zh" / "lexicon.tsv"),
                    help="typed terms for the tagger's lexicon features (the shipped model's by default)")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("| pretraining characters | pretraining s | encoder MB | training s | dev F1 by epoch |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        enc = work / f"enc-{size}"
        pre_s, enc_mb = 0.0, 0.0
        if size:
            t0 = time.time()
            subprocess.run(MEDCLAIM + ["pretrain", args.text, "--output", str(enc), "--max-chars", str(size),
                                       "--overwrite", "-q"], check=True, cwd=ROOT)
            pre_s, enc_mb = time.time() - t0, folder_mb(enc)
        out = work / f"tagger-{size}"
        t0 = time.time()
        subprocess.run(MEDCLAIM + ["train", "--train", str(CMEEE / "CMeEE_train.jsonl"),
                                   "--train", "corpora/medclaim-news/train.jsonl",
                                   "--dev", str(CMEEE / "CMeEE_dev.jsonl"), "--dev", "corpora/medclaim-news/dev.jsonl",
                                   "--lexicon", args.lexicon, "--epochs", str(args.epochs), "--seed", "13",
                                   "--output", str(out), "--overwrite", "-q"] + (["--encoder", str(enc)] if size else []),
                       check=True, cwd=ROOT)
        meta = json.loads((out / "meta.json").read_text("utf-8"))
        f1 = ", ".join(f"{h['dev_f1']:.4f}" for h in meta["history"])
        print(f"| {size:,} | {pre_s:.0f} | {enc_mb:.1f} | {time.time() - t0:.0f} | {f1} |", flush=True)


if __name__ == "__main__":
    main()
