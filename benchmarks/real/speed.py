"""Audit speed on real articles, start-up included, beside jieba.lcut in the same run, on one core.

    python benchmarks/real/speed.py [--articles 480] [--seed 16] [--skip-tagger]

A fixed sample of the development part of ``../shared/corpora/real-articles/`` is written as JSON
Lines; then, each pinned to one core (``taskset -c 0``, one torch and BLAS thread):

- ``jieba.lcut`` over every text, in a fresh Python process, its dictionary load included;
- ``medclaim audit FILE --no-model -j 1 --format jsonl`` (the whole command, start-up included);
- ``medclaim audit FILE -j 1 --format jsonl`` (the default audit, with the shipped tagger).

Throughput is the corpus's UTF-8 size over wall time; each figure is also given as a share of jieba's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import development, sample

JIEBA = """
import json, sys, jieba
jieba.setLogLevel(60)
for line in open(sys.argv[1], encoding="utf-8"):
    jieba.lcut(json.loads(line)["text"])
"""


def timed(cmd: list[str], env: dict) -> float:
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    t0 = time.perf_counter()
    subprocess.run(pin + cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=480)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--skip-tagger", action="store_true")
    args = ap.parse_args()
    arts = sample(development(), args.articles, args.seed)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}
    medclaim = str(Path(sys.executable).with_name("medclaim"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps({"id": a["id"], "text": a["text"]}, ensure_ascii=False) + "\n"
                                for a in arts), "utf-8")
        kb = sum(len(a["text"].encode("utf-8")) for a in arts) / 1024
        rows = [("jieba.lcut", timed([sys.executable, "-c", JIEBA, str(path)], env))]
        rows.append(("medclaim audit --no-model", timed([medclaim, "audit", str(path), "--no-model", "-j", "1", "-q",
                                                         "--format", "jsonl", "--fail-on", "never"], env)))
        if not args.skip_tagger:
            rows.append(("medclaim audit (tagger)", timed([medclaim, "audit", str(path), "-j", "1", "-q",
                                                           "--format", "jsonl", "--fail-on", "never"], env)))
    base = rows[0][1]
    print(f"{len(arts)} development articles (seed {args.seed}), {kb:.0f} KB, one core, start-up included")
    print("| run | seconds | KB/s | share of jieba |")
    print("|---|---|---|---|")
    for name, sec in rows:
        print(f"| {name} | {sec:.1f} | {kb / sec:.0f} | {base / sec:.2f}x |")


if __name__ == "__main__":
    main()
