"""Audit speed on real articles, start-up included, beside jieba.lcut in the same run, on one core.

    python benchmarks/real/speed.py [--articles 480] [--seed 16] [--skip-tagger]
    python benchmarks/real/speed.py --scaling [--articles 1500]

A fixed sample of the development part of ``../shared/corpora/real-articles/`` is written as JSON
Lines; then, each pinned to one core (``taskset -c 0``, one torch and BLAS thread):

- ``jieba.lcut`` over every text, in a fresh Python process, its dictionary load included;
- ``medclaim audit FILE --no-model -j 1 --format jsonl`` (the whole command, start-up included);
- ``medclaim audit FILE -j 1 --format jsonl`` (the default audit, with the shipped tagger).

Throughput is the corpus's UTF-8 size over wall time; each figure is also given as a share of jieba's.

``--scaling`` instead runs each audit (``--no-model`` and the default) with ``-j 1`` on one core,
``-j 2`` on two cores (``taskset -c 0,1``), and ``--engine dask -j 2`` (a LocalCluster of two
processes) on the same two cores, start-up included, and gives each 2-core run against the 1-core
run (target: 1.8x) and the Dask run against the local one (target: within 25%).
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


def timed(cmd: list[str], env: dict, cores: str = "0") -> float:
    pin = ["taskset", "-c", cores] if shutil.which("taskset") else []
    t0 = time.perf_counter()
    subprocess.run(pin + cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=480)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--skip-tagger", action="store_true")
    ap.add_argument("--scaling", action="store_true", help="one core against two, local against Dask")
    args = ap.parse_args()
    if args.scaling:
        scaling(args)
        return
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


def scaling(args) -> None:
    arts = sample(development(), args.articles, args.seed)
    medclaim = str(Path(sys.executable).with_name("medclaim"))
    with tempfile.TemporaryDirectory() as tmp:
        path, tiny = Path(tmp) / "articles.jsonl", Path(tmp) / "two.jsonl"
        lines = [json.dumps({"id": a["id"], "text": a["text"]}, ensure_ascii=False) + "\n" for a in arts]
        path.write_text("".join(lines), "utf-8")
        tiny.write_text("".join(lines[:2]), "utf-8")
        kb = sum(len(a["text"].encode("utf-8")) for a in arts) / 1024
        print(f"{len(arts)} development articles (seed {args.seed}), {kb:.0f} KB; seconds with start-up, and "
              "KB/s without it (the same command on two articles taken off)")
        print("| audit | -j 1, one core | -j 2, two cores | --engine dask -j 2, two cores | 2 cores / 1 | dask / local |")
        print("|---|---|---|---|---|---|")
        for name, extra in (("--no-model", ["--no-model"]), ("default (tagger)", [])):
            runs = []
            for jobs, cores, engine in (("1", "0", []), ("2", "0,1", []), ("2", "0,1", ["--engine", "dask"])):
                env = {**os.environ, "OMP_NUM_THREADS": "1"} if jobs == "1" else dict(os.environ)
                cmd = [medclaim, "audit", "-q", "--format", "jsonl", "--fail-on", "never", "-j", jobs] + extra + engine
                whole = timed(cmd + [str(path)], env, cores)
                start = timed(cmd + [str(tiny)], env, cores)
                runs.append((whole, kb / max(whole - start, 1e-9)))
            (one, r1), (two, r2), (dask, r3) = runs
            print(f"| {name} | {one:.1f} s; {r1:.0f} KB/s | {two:.1f} s; {r2:.0f} KB/s | {dask:.1f} s; {r3:.0f} KB/s | "
                  f"{one / two:.2f}x; {r2 / r1:.2f}x | {two / dask:.2f}; {r3 / r2:.2f} |", flush=True)


if __name__ == "__main__":
    main()
