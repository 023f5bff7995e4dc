"""Batch auditing at scale: throughput per core, scaling with workers, the Dask engine, peak memory.

    python benchmarks/batch/run.py throughput [--docs 2000]
    python benchmarks/batch/run.py memory [--docs 10000 --docs 100000] [--no-model] [--report]

Every figure is a real ``medclaim audit`` run (a subprocess, as a user runs it) on a synthetic JSON
Lines corpus written by :func:`make_corpus`: articles of 10 to 40 sentences drawn from the project's
sentences (the seed article, the register training sentences, the template news corpus and the
percent benchmark's sentences), with every number redrawn so that no two articles are the same.

- throughput: wall-clock time of whole ``--no-report`` runs (pipeline loads included; the HTML
  report is a separate stage, timed on its own) with ``--jobs 1`` and
  ``--jobs 2``, the default audit and ``--no-model``, and ``--engine dask`` on a LocalCluster of
  two processes; beside it, plain ``jieba.lcut`` over the same texts in this process. KB are
  UTF-8 kilobytes of article text. Per core = the 2-worker rate / 2.
- memory: peak resident memory (PSS, shared pages counted once) of the whole process tree (the
  command and its workers), sampled every 0.2 s, for corpora of different sizes of short articles
  (psutil, which the dask and test extras bring).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def sentence_pool() -> list[str]:
    texts = [p.read_text("utf-8") for p in (ROOT / "seeds").glob("*.txt")]
    for name in ("promotional", "neutral"):
        texts += (ROOT / "seeds" / "register" / f"{name}.sents").read_text("utf-8").splitlines()
    for name in ("train", "dev"):
        for line in (ROOT / "corpora" / "medclaim-news" / f"{name}.jsonl").read_text("utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    for name in ("corpus", "heldout"):
        texts += (ROOT / "benchmarks" / "percent_lost" / f"{name}.txt").read_text("utf-8").splitlines()
    pool = []
    for text in texts:
        if text.startswith("#"):
            continue
        pool += [s for s in re.findall(r"[^。！？\n]+[。！？]?", text) if len(s.strip()) >= 8]
    return pool


def make_corpus(path: Path, docs: int, sentences: tuple[int, int] = (10, 40), seed: int = 7) -> float:
    """Write ``docs`` articles to ``path`` (JSON Lines); returns the text's size in KB."""
    rng = random.Random(seed)
    pool = sentence_pool()

    def redraw(m: re.Match) -> str:
        value = float(m.group(0)) * rng.uniform(0.5, 1.5)
        return f"{value:.1f}" if "." in m.group(0) else str(max(1, int(value)))

    size = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(docs):
            n = rng.randint(*sentences)
            text = "".join(NUMBER.sub(redraw, rng.choice(pool).strip()) for _ in range(n))
            size += len(text.encode("utf-8"))
            fh.write(json.dumps({"id": f"doc{i:06d}", "text": text}, ensure_ascii=False) + "\n")
    return size / 1024


def texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]


def run_audit(corpus: Path, args: list[str], sample_memory: bool = False, keep: Path | None = None) -> tuple[float, float]:
    """Seconds a ``medclaim audit`` run takes, and the peak memory of its process tree in MB: the sum
    of the processes' proportional set sizes (PSS: resident memory, pages shared between processes
    counted once in all, so that forked workers' shared libraries are not counted twice)."""
    out = Path(tempfile.mkdtemp(prefix="medclaim-bench-"))
    cmd = [sys.executable, "-m", "pipeline.cli", "audit", str(corpus), "-o", str(out / "o"), "-q",
           "--fail-on", "never", *args]
    if keep:
        cmd[cmd.index("-o") + 1] = str(keep)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    if sample_memory:
        import psutil

        root = psutil.Process(proc.pid)
        partial = out / "o" / ".results.jsonl.partial"
        next_report = start + 60
        while proc.poll() is None:
            try:
                total = 0
                for p in [root] + root.children(recursive=True):
                    try:
                        total += p.memory_full_info().pss
                    except psutil.Error:
                        pass
                peak = max(peak, total / 2**20)
            except psutil.Error:
                pass
            if time.perf_counter() >= next_report:  # a line a minute: does memory level off?
                done = _count_lines(partial)
                print(f"  {time.perf_counter() - start:5.0f} s: {done} records written, now {total / 2**20:.0f} MB, "
                      f"peak so far {peak:.0f} MB")
                sys.stdout.flush()
                next_report += 60
            time.sleep(0.2)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"medclaim audit {' '.join(args)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return seconds, peak


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return 0


def throughput(args) -> None:
    import jieba

    work = Path(tempfile.mkdtemp(prefix="medclaim-corpus-"))
    corpus = work / "corpus.jsonl"
    kb = make_corpus(corpus, args.docs)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores; corpus {args.docs} articles, {kb:.0f} KB")
    jieba.setLogLevel(60)
    jieba.initialize()
    docs = texts(corpus)
    start = time.perf_counter()
    for d in docs:
        jieba.lcut(d)
    jieba_kb = kb / (time.perf_counter() - start)
    print(f"jieba.lcut, one process: {jieba_kb:.1f} KB/s")
    small = _small(work)
    for label, extra in (("default", ["--no-report"]), ("--no-model", ["--no-model", "--no-report"])):
        runs = {}
        for name, opts in (("1 worker", ["--jobs", "1"]), ("2 workers", ["--jobs", "2"]),
                           ("dask, 2 processes", ["--jobs", "2", "--engine", "dask"])):
            if "dask" in name and not args.dask:
                continue
            start_up, _ = run_audit(small, extra + opts)  # loads and start-up, 2 articles
            whole, _ = run_audit(corpus, extra + opts, keep=work / "kept" if label == "default" and name == "1 worker" else None)
            runs[name] = (start_up, whole, kb / whole, kb / (whole - start_up))
            print(f"{label:11s} {name:18s} start-up {start_up:5.1f} s | whole run {whole:6.1f} s = {kb / whole:6.1f} KB/s "
                  f"| without start-up {kb / (whole - start_up):6.1f} KB/s")
            sys.stdout.flush()
        one, two = runs["1 worker"], runs["2 workers"]
        print(f"{label}: per core (2 workers / 2) {two[3] / 2:.1f} KB/s without start-up, {two[2] / 2:.1f} KB/s whole run; "
              f"scaling 2 vs 1 worker {two[3] / one[3]:.2f}x without start-up, {two[2] / one[2]:.2f}x whole run")
        if "dask, 2 processes" in runs:
            d = runs["dask, 2 processes"]
            print(f"{label}: dask vs local (2 processes) {d[3] / two[3]:.2f}x the rate without start-up, "
                  f"{d[2] / two[2]:.2f}x whole run")
        sys.stdout.flush()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(work / "kept" / "results.jsonl"), "-o",
                    str(work / "report")], cwd=ROOT, check=True, capture_output=True)
    print(f"HTML report of the default run's {args.docs} records: {time.perf_counter() - start:.1f} s")
    shutil.rmtree(work, ignore_errors=True)


def _small(work: Path) -> Path:
    """A two-article corpus: its run time is start-up and the pipeline's load (in each worker)."""
    path = work / "small.jsonl"
    make_corpus(path, 2)
    return path


def memory(args) -> None:
    work = Path(tempfile.mkdtemp(prefix="medclaim-corpus-"))
    extra = ["--jobs", str(args.jobs)] + (["--no-model"] if args.no_model else []) + ([] if args.report else ["--no-report"])
    print(f"python {platform.python_version()}, {os.cpu_count()} cores; medclaim audit {' '.join(extra)}")
    for n in args.docs or [10_000, 100_000]:
        corpus = work / f"c{n}.jsonl"
        kb = make_corpus(corpus, n, sentences=(1, 4))
        seconds, peak = run_audit(corpus, extra, sample_memory=True)
        print(f"{n} articles ({kb / 1024:.1f} MB of text): {seconds:.0f} s, peak memory (PSS) of the process tree {peak:.0f} MB")
        sys.stdout.flush()
        corpus.unlink()
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    t = sub.add_parser("throughput")
    t.add_argument("--docs", type=int, default=2000)
    t.add_argument("--no-dask", dest="dask", action="store_false")
    m = sub.add_parser("memory")
    m.add_argument("--docs", type=int, action="append")
    m.add_argument("--jobs", type=int, default=2)
    m.add_argument("--no-model", action="store_true")
    m.add_argument("--report", action="store_true", help="also render the HTML report (default: results.jsonl only)")
    args = parser.parse_args()
    throughput(args) if args.what == "throughput" else memory(args)


if __name__ == "__main__":
    main()
