"""Tagger inference speed in the audit (characters per second), beside plain jieba.lcut, same run.

    python benchmarks/tagger/speed.py MODEL_DIR [MODEL_DIR...] [--repeat 20] [--threads N] [--rounds 1]
        [--articles N] [--audit]

The corpus is the seed article repeated (and, with ``--articles``, the first N development articles of
../shared/corpora/real-articles); each model tags it sentence by sentence as the audit does. Torch
uses the process's default threads (2 on the reference machine) unless ``--threads`` is given (a
batch worker gets cores / workers). With several models and ``--rounds`` above one, the models run
in alternation in one process and the fastest round of each is reported: on a shared machine this is
far steadier than separate runs (which swing by a fifth).

``--audit`` times the whole default audit of each document (``Auditor(model=MODEL).audit_text``: every
stage, the tagger one of them) instead of the tagger alone, each document timed in turn for every model
(one article at a time, so that load that drifts hits every model alike) and its fastest round kept.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("models", nargs="+")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--articles", type=int, default=0)
    parser.add_argument("--audit", action="store_true", help="time the whole default audit, not the tagger alone")
    args = parser.parse_args()

    import jieba
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    from pipeline.normalize import normalize
    from pipeline.sentences import split_sentences
    from pipeline.tagger.component import TaggerComponent

    text = (ROOT / "seeds" / "000_35dbd2b867d2ec31.txt").read_text("utf-8")
    docs = [text] * args.repeat
    if args.articles:
        sys.path.insert(0, str(ROOT))
        from benchmarks.real.split import is_held_out, load

        rows = (r["text"] for r in load() if not is_held_out(r["id"]))
        docs += [t for _, t in zip(range(args.articles), rows)]
    chars = sum(len(d) for d in docs)
    jieba.setLogLevel(60)
    jieba.initialize()
    start = time.perf_counter()
    for d in docs:
        jieba.lcut(d)
    t_jieba = time.perf_counter() - start
    if args.audit:
        from pipeline.audit import Auditor

        auditors = {m: Auditor(model=m) for m in args.models}
        for auditor in auditors.values():
            auditor.audit_text(docs[0])  # warm up
        fastest = {m: [float("inf")] * len(docs) for m in args.models}
        for _ in range(args.rounds):
            for i, d in enumerate(docs):
                for m, auditor in auditors.items():
                    start = time.perf_counter()
                    auditor.audit_text(d)
                    fastest[m][i] = min(fastest[m][i], time.perf_counter() - start)
        print(f"torch threads: {torch.get_num_threads()}, {len(docs)} documents, {chars} characters, whole audits, "
              f"fastest of {args.rounds} rounds per document")
        print(f"jieba.lcut:       {chars / t_jieba:10.0f} chars/s")
        for m in args.models:
            print(f"default audit:    {chars / sum(fastest[m]):10.0f} chars/s  ({sum(fastest[m]):.2f} s)  {m}")
        return
    normed = [normalize(d) for d in docs]
    sentences = [split_sentences(d) for d in normed]
    components = {m: TaggerComponent(m) for m in args.models}
    best = {m: float("inf") for m in args.models}
    for component in components.values():
        component.find(normed[0], sentences[0])  # warm up
    for _ in range(args.rounds):
        for m, component in components.items():
            start = time.perf_counter()
            for d, s in zip(normed, sentences):
                component.find(d, s)
            best[m] = min(best[m], time.perf_counter() - start)
    print(f"torch threads: {torch.get_num_threads()}, {len(docs)} documents, {chars} characters"
          + (f", fastest of {args.rounds} alternating rounds" if args.rounds > 1 else ""))
    print(f"jieba.lcut:       {chars / t_jieba:10.0f} chars/s")
    for m in args.models:
        print(f"tagger inference: {chars / best[m]:10.0f} chars/s  {m}")


if __name__ == "__main__":
    main()
