"""Share of sentences that raise warning- or error-level flags, in neutral and promotional text.

    python benchmarks/language/run.py [--set=heldout2|training] [--show]

Each non-comment line of a neutral set (sourced news, trial reports, popular science, debunks that
quote the rumours they refute, neutral hospital and policy news) and of a promotional set (hospital
and product promotion, advertising in the form of news or health knowledge) is audited as a
document of its own with the default pipeline. Targets: neutral <= 5%, promotional >= 90%.

Sets: ``heldout2`` (default; ``heldout2_*.txt`` here) and ``training`` (``seeds/register/*.sents``).
All of these sentences were written for medclaim, and both sets have since been read to write rules
(the advertorial model also trains on ``seeds/register/``): they are development sets that show
single-sentence behaviour, not evidence of quality. Real-text figures come from
``benchmarks/real/language.py``.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GATE = {"error", "warning"}


def sentences(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


def main() -> None:
    from pipeline import Auditor

    show = "--show" in sys.argv
    chosen = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--set=")), "heldout2")
    auditor = Auditor()
    for name in ("neutral", "promotional"):
        if chosen == "training":
            lines = sentences(ROOT / "seeds" / "register" / f"{name}.sents")
        else:
            lines = sentences(HERE / f"{chosen}_{name}.txt")
        hit = 0
        rules: Counter = Counter()
        for line in lines:
            flags = [f for f in auditor.audit_text(line, id=name)["flags"] if f["severity"] in GATE]
            if flags:
                hit += 1
                rules.update({f["code"] for f in flags})
            if show and (bool(flags) == (name == "neutral")):
                what = ", ".join(f"{f['code']}«{f['text']}»" for f in flags) or "no flag"
                print(f"  [{name}] {line}  -> {what}")
        print(f"{name}: {hit}/{len(lines)} sentences flagged at warning or above = {hit / len(lines):.1%}")
        print("   by rule: " + ", ".join(f"{r} {n}" for r, n in rules.most_common()))


if __name__ == "__main__":
    main()
