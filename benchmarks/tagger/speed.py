"""Tagger inference speed in the audit (characters per second), beside plain jieba.lcut, same run.

    python benchmarks/tagger/speed.py MODEL_DIR [--repeat 20] [--threads N]

The corpus is the seed article repeated; the tagger runs sentence by sentence as the audit runs it.
Torch uses the process's default threads (2 on the reference machine) unless ``--threads`` is given
(a batch worker gets cores / workers).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--threads", type=int)
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
    chars = sum(len(d) for d in docs)
    jieba.setLogLevel(60)
    jieba.initialize()
    start = time.perf_counter()
    for d in docs:
        jieba.lcut(d)
    t_jieba = time.perf_counter() - start
    component = TaggerComponent(args.model)
    sentences = [split_sentences(normalize(d)) for d in docs]
    component.find(docs[0], sentences[0])  # warm up
    start = time.perf_counter()
    for d, s in zip(docs, sentences):
        component.find(d, s)
    t_model = time.perf_counter() - start
    print(f"torch threads: {torch.get_num_threads()}, {len(docs)} documents, {chars} characters")
    print(f"jieba.lcut:       {chars / t_jieba:10.0f} chars/s")
    print(f"tagger inference: {chars / t_model:10.0f} chars/s")


if __name__ == "__main__":
    main()
