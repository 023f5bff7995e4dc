"""Two taggers' entities on the same random real texts, side by side: where they differ, in context.

    .venv/bin/python benchmarks/tagger/compare.py OLD_MODEL NEW_MODEL --articles 15 --rumours 15 --seed 26 \\
        --output benchmarks/tagger/compare_26.md [--jsonl benchmarks/tagger/compare_26.jsonl]

The texts are drawn with ``--seed`` from the held-out parts of ../shared/corpora/real-articles and
health-rumours (``benchmarks.real.split.is_held_out``), cut at ``--chars`` characters. Each model
tags them as the audit does (sentence by sentence, spans scored at least 0.5, before the lexicon's
spans are merged in; flat, no nested spans). The Markdown lists, per text, the spans only one model
finds, with ten characters of context either side; the JSON Lines file holds the same differences,
one a line, with an empty ``verdict`` to be filled by a reader: ``old``, ``new`` (that model's span
is the right one), ``both`` (both acceptable) or ``neither``.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import CORPUS, RUMOURS, is_held_out, load  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402


def sample(n_articles: int, n_rumours: int, seed: int, chars: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for path, n, kind in ((CORPUS, n_articles, "article"), (RUMOURS, n_rumours, "rumour/answer")):
        rows = [r for r in load(path) if is_held_out(r["id"]) and r.get("text", "").strip()]
        for r in rng.sample(rows, min(n, len(rows))):
            out.append({"id": r["id"], "kind": kind, "text": normalize(r["text"])[:chars]})
    return out


def spans_of(model_dir: str, texts: list[str]) -> list[set[tuple[int, int, str]]]:
    """The model's spans in each text, sentence by sentence, as the audit adds them."""
    from pipeline.sentences import split_sentences
    from pipeline.tagger.component import TaggerComponent

    component = TaggerComponent(model_dir)
    out = []
    for text in texts:
        pieces = split_sentences(text)
        found = component.tagger.predict([text[s:e] for s, e in pieces])
        out.append({(s + a, s + b, label) for (s, _), spans in zip(pieces, found)
                    for a, b, label, score in spans if score >= component.min_score})
    return out


def context(text: str, s: int, e: int, width: int = 10) -> str:
    return f"{text[max(0, s - width):s]}【{text[s:e]}】{text[e:e + width]}".replace("\n", " ")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--articles", type=int, default=15)
    parser.add_argument("--rumours", type=int, default=15)
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--output", required=True)
    parser.add_argument("--jsonl")
    args = parser.parse_args()
    docs = sample(args.articles, args.rumours, args.seed, args.chars)
    texts = [d["text"] for d in docs]
    old, new = spans_of(args.old, texts), spans_of(args.new, texts)
    lines = [f"# Tagger comparison: `{args.old}` (old) and `{args.new}` (new)", "",
             f"`{' '.join(sys.argv)}`", "",
             f"{len(docs)} held-out texts (seed {args.seed}, first {args.chars} characters each); spans as the audit "
             "adds them (score >= 0.5, flat).", ""]
    totals = Counter()
    records = []
    for d, o, n in zip(docs, old, new):
        totals["old"] += len(o)
        totals["new"] += len(n)
        totals["same"] += len(o & n)
        only_old, only_new = sorted(o - n), sorted(n - o)
        if not only_old and not only_new:
            continue
        lines += [f"## {d['id']} ({d['kind']})", ""]
        for side, spans in (("old only", only_old), ("new only", only_new)):
            for s, e, label in spans:
                lines.append(f"- {side}: {label} {context(d['text'], s, e)}")
                records.append({"id": d["id"], "side": side.split()[0], "start": s, "end": e, "label": label,
                                "span": d["text"][s:e], "context": context(d["text"], s, e), "verdict": ""})
        lines.append("")
    summary = (f"Spans: old {totals['old']}, new {totals['new']}, both {totals['same']}; "
               f"only old {totals['old'] - totals['same']}, only new {totals['new'] - totals['same']}.")
    lines[5:5] = [summary, ""]
    Path(args.output).write_text("\n".join(lines) + "\n", "utf-8")
    if args.jsonl:
        Path(args.jsonl).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    print(summary)


if __name__ == "__main__":
    main()
