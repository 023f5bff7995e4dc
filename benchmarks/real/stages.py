"""Where an audit's time goes, per stage, on real articles (cProfile, one process, load excluded).

    python benchmarks/real/stages.py [--articles 300] [--seed 7] [--tagger]

Audits a fixed sample of the development part of ``../shared/corpora/real-articles/`` under cProfile
and prints the cumulative time of each stage's entry point (a stage's time includes what it calls;
profiling itself slows pure-Python code more than compiled code, so read the shares, not the
seconds). To profile an older checkout, run this file with that checkout first on ``PYTHONPATH``.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))  # after PYTHONPATH: an older checkout put first is the one measured

from benchmarks.real.split import development, sample

# (stage, file suffix, function name): the entry points whose cumulative time is reported
STAGES = [
    ("whole audit", "pipeline/audit.py", "audit_document"),
    ("spaCy Doc (segmentation and lexemes)", "pipeline/segment.py", "__call__"),
    ("  word segmentation (jieba or rjieba)", "pipeline/segment.py", "spans"),
    ("  spaCy Doc construction", "spacy/tokens/doc.pyx", "__init__"),
    ("lexicon entities", "pipeline/entities.py", "__call__"),
    ("statistical tagger", "pipeline/tagger/component.py", "__call__"),
    ("numbers", "pipeline/numbers/recognizer.py", "find"),
    ("claims", "pipeline/claims.py", "build_claims"),
    ("rule engine (language rules)", "pipeline/rules/engine.py", "__call__"),
    ("  advertorial passages", "pipeline/rules/scripts.py", "advertorial"),
    ("  text corruption", "pipeline/rules/scripts.py", "text_corruption"),
    ("lost-% detector", "pipeline/checks/percent.py", "__call__"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tagger", action="store_true")
    args = ap.parse_args()
    arts = sample(development(), args.articles, args.seed)
    import pipeline
    from pipeline import Auditor

    auditor = Auditor() if args.tagger else Auditor(model=None)
    auditor.audit_text(arts[0]["text"])  # warm caches outside the profile
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for a in arts:
        auditor.audit_text(a["text"], id=a["id"])
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    print(f"{len(arts)} development articles (seed {args.seed}), {'tagger' if args.tagger else '--no-model'}, "
          f"pipeline from {Path(pipeline.__file__).parent}, {wall:.1f} s under the profiler")
    print("| stage | seconds (cumulative) | share |")
    print("|---|---|---|")
    total = None
    for stage, suffix, name in STAGES:
        ct = sum(v[3] for (f, _, n), v in stats.items() if n == name and f.replace("\\", "/").endswith(suffix))
        total = total or ct
        if ct:
            print(f"| {stage} | {ct:.2f} | {ct / total:.0%} |")


if __name__ == "__main__":
    main()
