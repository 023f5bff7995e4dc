"""Recall and precision of ``percent_lost`` at exact positions, on text with its % signs removed.

    python benchmarks/percent_lost/run.py [CORPUS]

Every line of the corpus (lines starting with ``#`` name the style) is audited after every ``%`` is
deleted. A gold span is a number that carried a % sign; a flag counts as a hit only when its span
is exactly that number. Flags on other numbers are false positives.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
NUMBER_BEFORE_PERCENT = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?=[%％])")


def strip(line: str) -> tuple[str, set[tuple[int, int]]]:
    gold: set[tuple[int, int]] = set()
    shift = 0
    for m in NUMBER_BEFORE_PERCENT.finditer(line):
        gold.add((m.start() - shift, m.end() - shift))
        shift += 1  # the % sign after it is removed
    stripped = line.replace("%", "").replace("％", "")
    return stripped, gold


def main() -> None:
    from pipeline import Auditor

    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "corpus.txt"
    auditor = Auditor()
    style = "?"
    tp = fp = fn = 0
    per_style: Counter = Counter()
    misses, false_alarms = [], []
    numbers_total = 0
    for line in corpus.read_text("utf-8").splitlines():
        if line.startswith("#"):
            style = line.lstrip("# ").strip()
            continue
        if not line.strip():
            continue
        text, gold = strip(line)
        record = auditor.audit_text(text, id=style)
        numbers_total += len(record["numbers"])
        got = {(f["start"], f["end"]) for f in record["flags"] if f["category"] == "percent_lost"}
        for span in got & gold:
            tp += 1
            per_style[style, "tp"] += 1
        for span in got - gold:
            fp += 1
            per_style[style, "fp"] += 1
            false_alarms.append(f"{text[span[0]:span[1]]} in {text}")
        for span in gold - got:
            fn += 1
            per_style[style, "fn"] += 1
            misses.append(f"{text[span[0]:span[1]]} in {text}")
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    print(f"numbers recognised: {numbers_total}; gold lost-% numbers: {tp + fn}")
    print(f"percent_lost recall {recall:.3f}  precision {precision:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    for s in dict.fromkeys(k[0] for k in per_style):
        print(f"  {s}: tp {per_style[s, 'tp']} fp {per_style[s, 'fp']} fn {per_style[s, 'fn']}")
    if misses:
        print("missed:")
        for m in misses:
            print("  ", m)
    if false_alarms:
        print("false alarms:")
        for m in false_alarms:
            print("  ", m)


if __name__ == "__main__":
    main()
