"""Lay sentences labelled by a tagger's own confident spans, as extra training text (self-training).

    .venv/bin/python benchmarks/tagger/self_train.py --model models/medclaim-zh --output lay_self.jsonl \\
        [--sentences 6000] [--confident 0.9] [--with-spans-only]

Sentences (8 to 150 characters) come from the development parts of ../shared/corpora/real-articles
and health-rumours (never the held-out parts, from which ``lay_gold.py`` draws), shuffled with seed 7.
The model tags each; a sentence where any span scores between 0.3 and ``--confident`` is left out
(the model is unsure there), and the rest are written with their spans scoring at least
``--confident`` (so a sentence with no span at all teaches "nothing here"). ``--with-spans-only``
keeps only sentences with at least one confident span. The output is medclaim's JSON Lines training
format, for ``medclaim train --train``.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import CORPUS, development, rumours  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402
from pipeline.sentences import split_sentences  # noqa: E402

UNSURE = 0.3


def lay_sentences(seed: int = 7) -> list[str]:
    out = []
    for row in development(CORPUS) + rumours("development"):
        text = normalize(row.get("text", ""))
        for s, e in split_sentences(text):
            sentence = text[s:e].strip()
            if 8 <= len(sentence) <= 150:
                out.append(sentence)
    random.Random(seed).shuffle(out)
    return out


def select(sentences: list[str], predictions, n: int, confident: float, with_spans_only: bool) -> list[dict]:
    """The first ``n`` sentences the model is sure of, with their confident spans."""
    out = []
    for sentence, spans in zip(sentences, predictions):
        if any(UNSURE <= score < confident for *_, score in spans):
            continue
        kept = [{"start": s, "end": e, "label": label} for s, e, label, score in spans if score >= confident]
        if with_spans_only and not kept:
            continue
        out.append({"text": sentence, "spans": kept})
        if len(out) >= n:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(ROOT / "models" / "medclaim-zh"))
    parser.add_argument("--output", required=True)
    parser.add_argument("--sentences", type=int, default=6000, help="How many sentences to write.")
    parser.add_argument("--read", type=int, help="How many shuffled sentences to tag (default: twice --sentences).")
    parser.add_argument("--confident", type=float, default=0.9)
    parser.add_argument("--with-spans-only", action="store_true")
    args = parser.parse_args()
    if Path(args.output).exists():
        raise SystemExit(f"{args.output} exists; remove it first")
    from pipeline.tagger.model import Tagger

    sentences = lay_sentences()[:args.read or args.sentences * 2]
    predictions = Tagger.load(args.model).predict(sentences, nested=False)
    rows = select(sentences, predictions, args.sentences, args.confident, args.with_spans_only)
    with open(args.output, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(sentences)} sentences tagged, {len(rows)} written with {sum(len(r['spans']) for r in rows)} spans "
          f"to {args.output}")


if __name__ == "__main__":
    main()
