"""Audit throughput (KB/s, one process) beside plain ``jieba.lcut`` on the same text, in one run.

    python benchmarks/throughput.py [--repeat 40] [--rounds 3] [--no-checks]

The corpus is every article under ``seeds/``, repeated ``--repeat`` times, audited document by
document. Load time is
excluded (measured separately); the figure is the best of ``--rounds`` runs for both sides.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[str]:
    from pipeline.ingest import iter_documents

    return [d.text for d in iter_documents([str(ROOT / "seeds")]) if d.text]


def best_of(rounds: int, fn) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def stage_times(auditor, docs: list[str], rounds: int) -> dict[str, float]:
    """Best-of-``rounds`` time of each stage on its own, over the whole corpus."""
    from pipeline.analysis import Analysis
    from pipeline.claims import build_claims
    from pipeline.normalize import normalize

    norms = [normalize(d) for d in docs]
    tokenizer = auditor.nlp.tokenizer
    lexicon = auditor.nlp.get_pipe("medclaim_lexicon")
    made = [auditor.analyse(d) for d in docs]

    def checks_and_claims() -> None:
        for a in made:
            fresh = Analysis(a.text, a.norm, a.doc, a.sentences, a.entities, auditor.recognizer.find(a.norm))
            for check in auditor.checks:
                check(fresh)
            build_claims(fresh)

    numbers_time = best_of(rounds, lambda: [auditor.recognizer.find(n) for n in norms])
    return {
        "segmentation (sentences+words)": best_of(rounds, lambda: [tokenizer(d) for d in docs]),
        "lexicon entities": best_of(rounds, lambda: [lexicon.find(n) for n in norms]),
        "numbers recognizer": numbers_time,
        # measured with the recognizer inside (checks mutate numbers), then the recognizer taken out
        "numeric checks and claims": max(0.0, best_of(rounds, checks_and_claims) - numbers_time),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-checks", action="store_true", help="segmentation and entities only")
    parser.add_argument("--no-model", action="store_true", help="without the shipped tagger (lexicon and rules only)")
    args = parser.parse_args()

    import jieba

    from pipeline import Auditor

    docs = corpus() * args.repeat
    size_kb = sum(len(d.encode("utf-8")) for d in docs) / 1024
    t0 = time.perf_counter()
    auditor = Auditor(checks=[] if args.no_checks else None, model=None if args.no_model else "default")
    print(f"tagger model: {auditor.model or 'none'}")
    load = time.perf_counter() - t0
    jieba.initialize()
    jieba.setLogLevel(60)

    t_jieba = best_of(args.rounds, lambda: [jieba.lcut(d) for d in docs])
    t_audit = best_of(args.rounds, lambda: [auditor.audit_text(d) for d in docs])
    kb_jieba, kb_audit = size_kb / t_jieba, size_kb / t_audit
    stages = stage_times(auditor, docs, args.rounds)
    print(f"python {platform.python_version()} on {platform.machine()}, {len(docs)} documents, {size_kb:.0f} KB")
    print(f"pipeline load: {load:.2f} s")
    print(f"jieba.lcut:    {kb_jieba:8.1f} KB/s")
    print(f"medclaim audit:{kb_audit:8.1f} KB/s  ({kb_audit / kb_jieba:.0%} of jieba)")
    print("stage times (ms for the whole corpus):")
    for name, seconds in stages.items():
        print(f"  {name:28s} {seconds * 1000:8.1f}")
    numeric = stages["numbers recognizer"] + stages["numeric checks and claims"]
    print(f"recognizer + checks / segmentation: {numeric / stages['segmentation (sentences+words)']:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
