"""Memory of a long batch: ``medclaim audit`` over N real articles, peak and running RSS.

    python benchmarks/real/memory.py [--documents 100000] [--tagger] [--every 10000]

The development part of ``../shared/corpora/real-articles/`` is repeated (each copy's ids made
unique) until N documents are written as JSON Lines; then ``medclaim audit FILE -o DIR --no-report
-j 1`` runs over them (``--no-model`` unless ``--tagger``) while this script samples the process's
resident memory every second. It prints the RSS when each ``--every`` documents are done (counted from
the lines of the results file being written) and the peak; the target is a peak under 1.5 GB.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import development


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (MB), from /proc."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=10_000)
    ap.add_argument("--tagger", action="store_true")
    args = ap.parse_args()
    arts = development()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        size = 0
        with path.open("w", encoding="utf-8") as fh:
            for n in range(args.documents):
                a = arts[n % len(arts)]
                text = a["text"]
                size += len(text.encode("utf-8"))
                fh.write(json.dumps({"id": f"{a['id']}#{n // len(arts)}", "text": text}, ensure_ascii=False) + "\n")
        out = Path(tmp) / "out"
        cmd = [str(Path(sys.executable).with_name("medclaim")), "audit", str(path), "-o", str(out), "--no-report",
               "-j", "1", "-q", "--fail-on", "never"] + ([] if args.tagger else ["--no-model"])
        print(f"{args.documents} documents ({size / 1e6:.0f} MB of text), {'tagger' if args.tagger else '--no-model'}")
        print("| documents done | RSS (MB) | seconds |")
        print("|---|---|---|")
        t0 = time.time()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        peak, mark = 0.0, args.every
        partial = out / ".results.jsonl.partial"
        done, reader = 0, None
        while proc.poll() is None:
            time.sleep(1)
            rss = rss_mb(proc.pid)
            peak = max(peak, rss)
            if reader is None and partial.exists():
                reader = partial.open("rb")
            if reader is not None:
                done += sum(chunk.count(b"\n") for chunk in iter(lambda: reader.read(1 << 20), b""))
            if done >= mark:
                print(f"| {done} | {rss:.0f} | {time.time() - t0:.0f} |", flush=True)
                mark += args.every
        print(f"exit {proc.returncode}; peak RSS {peak:.0f} MB; {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
