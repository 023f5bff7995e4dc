"""Start-up of a one-sentence audit: the whole ``medclaim audit`` command on a file of one sentence.

    python benchmarks/startup.py [--runs 5] [--pythonpath CHECKOUT]

Runs ``python -m pipeline.cli audit one.txt`` with ``--no-model`` and with the shipped tagger, each
``--runs`` times, pinned to one core, and prints the median wall time: once with medclaim's disk
cache empty (a fresh ``MEDCLAIM_CACHE`` folder for every run) and once with it filled.
``--pythonpath`` runs the code of another checkout (for a before/after table); a checkout without
the cache gives the same figure in both columns.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "该疗法的疾病控制率达89.3，患者的NK细胞活性提升300，是国内首创的治疗技术。\n"


def run(args: list[str], env: dict, cwd: str) -> float:
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    t0 = time.perf_counter()
    subprocess.run(pin + [sys.executable, "-m", "pipeline.cli", "audit", *args, "--fail-on", "never", "-q"],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pythonpath", default=str(ROOT))
    args = ap.parse_args()
    base = {**os.environ, "PYTHONPATH": args.pythonpath, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text(SENTENCE, "utf-8")
        # run from the temporary folder: ``python -m`` puts the working folder first on sys.path
        print(f"code: {args.pythonpath}; {args.runs} runs each, median seconds")
        print("| audit | cache empty | cache filled |")
        print("|---|---|---|")
        for name, extra in (("--no-model", ["--no-model"]), ("default (tagger)", [])):
            cold, warm = [], []
            for i in range(args.runs):
                folder = Path(tmp) / f"cold{name}{i}"
                cold.append(run([str(one), *extra], {**base, "MEDCLAIM_CACHE": str(folder)}, tmp))
            filled = {**base, "MEDCLAIM_CACHE": str(Path(tmp) / "warm")}
            run([str(one), *extra], filled, tmp)
            warm = [run([str(one), *extra], filled, tmp) for _ in range(args.runs)]
            print(f"| {name} | {statistics.median(cold):.2f} | {statistics.median(warm):.2f} |")


if __name__ == "__main__":
    main()
