"""Numeric checks on real text: every warning or error they raise, listed with its context for judging.

    python benchmarks/real/numeric.py [--part held-out|development] [--out FILE.jsonl]
    python benchmarks/real/numeric.py --judged FILE.jsonl

Audits a part of ``../shared/corpora/real-articles/`` (``benchmarks/real/split.py``) with the default
pipeline, text as published (no sign stripped), and writes every warning- or error-level flag of the
numeric categories (percent_lost, ambiguous_magnitude, impossible_value, unit_implausible,
inconsistent_numbers, stats_inconsistent) as one JSON line with its context, for a person to judge:
``"judgement": "right"`` or ``"wrong"`` and a one-line ``"why"``. ``--judged`` prints the share judged
right per severity and per check. To measure an older checkout, run this file with that checkout
first on ``PYTHONPATH``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))  # after PYTHONPATH: an older checkout put first is the one measured

from benchmarks.real.split import development, held_out

NUMERIC = {"percent_lost", "ambiguous_magnitude", "impossible_value", "unit_implausible",
           "inconsistent_numbers", "stats_inconsistent"}
GATE = ("error", "warning")


def context(text: str, start: int, end: int, width: int = 60) -> str:
    return (text[max(0, start - width):start] + "【" + text[start:end] + "】" + text[end:end + width]).replace("\n", "⏎")


def collect(auditor, articles: list[dict]) -> tuple[list[dict], Counter]:
    rows, counts = [], Counter()
    for art in articles:
        rec = auditor.audit_text(art["text"], id=art["id"])
        for f in rec["flags"]:
            if f["category"] not in NUMERIC:
                continue
            counts[f["severity"]] += 1
            if f["severity"] in GATE:
                rows.append({"id": art["id"], "source": art["source"], "severity": f["severity"], "code": f["code"],
                             "category": f["category"], "text": f["text"], "start": f["start"], "end": f["end"],
                             "message": f["message"], "context": context(rec["text"], f["start"], f["end"])})
    return rows, counts


def report(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for r in rows:
        if r.get("judgement") not in ("right", "wrong"):
            raise SystemExit(f"{path}: flag {r.get('n')} has no judgement (right or wrong)")
    print(f"{path.name}: {len(rows)} flags")
    print("| severity or check | flags | right | share right |")
    print("|---|---|---|---|")
    for key in ("severity", "code"):
        groups: dict[str, Counter] = {}
        for r in rows:
            groups.setdefault(r[key], Counter())[r["judgement"]] += 1
        for name, c in sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            n = c["right"] + c["wrong"]
            print(f"| {name} | {n} | {c['right']} | {c['right'] / n:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("held-out", "development"), default="held-out")
    ap.add_argument("--out", help="write the flags here (JSON Lines); refused if it exists")
    ap.add_argument("--judged", help="a judged file: print the share right per severity and check")
    args = ap.parse_args()
    if args.judged:
        report(Path(args.judged))
        return
    if args.out and Path(args.out).exists():
        raise SystemExit(f"{args.out}: exists; a judged file is never overwritten")
    import pipeline
    from pipeline import Auditor

    articles = held_out() if args.part == "held-out" else development()
    t0 = time.perf_counter()
    rows, counts = collect(Auditor(), articles)
    print(f"{args.part}: {len(articles)} articles, pipeline from {Path(pipeline.__file__).parent}, "
          f"{time.perf_counter() - t0:.0f} s")
    print("numeric flags by severity: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print("warning/error by check: " + ", ".join(f"{k} {v}" for k, v in Counter(r["code"] for r in rows).most_common()))
    if args.out:
        with open(args.out, "x", encoding="utf-8") as f:
            f.writelines(json.dumps({"n": n, **row, "judgement": "", "why": ""}, ensure_ascii=False) + "\n" for n, row in enumerate(rows, 1))
        print(f"{len(rows)} flags written to {args.out}")


if __name__ == "__main__":
    main()
