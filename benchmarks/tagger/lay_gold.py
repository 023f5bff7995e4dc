"""The tagger on lay health text, scored against spans annotated by reading (disease, drug, symptom, body).

    .venv/bin/python benchmarks/tagger/lay_gold.py texts            # the texts to annotate, numbered
    .venv/bin/python benchmarks/tagger/lay_gold.py score MODEL [--part test|dev|all] [--errors] [--audit] [--min-score 0.5]

CMeEE is clinical text; a lay-health test (questions and answers a patient writes) is not among
the corpora. This is its stand-in: 80 texts, 40 drawn with each seed of ``SEEDS`` (41, then 43) from
the held-out parts of ../shared/corpora/health-rumours (28: rumours and ordinary answers) and
real-articles (12), none drawn twice and none among the 30 that ``compare.py --seed 26`` drew
(those were read while judging taggers), cut at the last sentence end within 300 characters. Each
was annotated by reading, before any model's spans on it were looked at, in ``lay_gold.jsonl``
(offsets into the normalised, cut text and the span's characters, so a changed corpus is caught;
the texts themselves are not committed).

Conventions (flat, the longest mention; CMeEE's label names, cMedQANER's lay reading):
DISEASE a named disease or condition (感冒, 高血压, 手汗症); SYMPTOM a complaint or sign a person
has (咳嗽, 头痛, 失眠, 皮肤瘙痒); DRUG a medicine or its active ingredient, herbal medicines named
as remedies included, foods and cosmetics not; BODY a part, organ, tissue, cell or body fluid
(胃, 卵巢, 汗腺, 血液). A body part inside a symptom is part of the symptom (头痛, not 头).

The texts are split by a fixed hash into ``dev`` (read to find error classes) and ``test``
(scored, not read for fixes). Scores are strict (exact offsets and label) over the four labels; the
model's spans of other labels are left out, as a test mapped to these four labels would.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import CORPUS, RUMOURS, is_held_out, load  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402

GOLD = Path(__file__).with_name("lay_gold.jsonl")
LABELS = ("DISEASE", "DRUG", "SYMPTOM", "BODY")
SEEDS, N_RUMOURS, N_ARTICLES, CHARS = (41, 43), 28, 12, 300  # 40 texts a seed
READ_BEFORE = 26  # compare.py's seed: those texts were read while judging taggers
ENDS = "。！？!?；\n"


def cut(text: str, chars: int = CHARS) -> str:
    head = text[:chars]
    last = max(head.rfind(c) for c in ENDS)
    return head[:last + 1].strip() if last >= chars // 3 else head.strip()


def texts() -> list[dict]:
    """The annotated texts in order: the draw of each seed in ``SEEDS``, none twice."""
    from benchmarks.tagger.compare import sample as compare_sample

    read = {d["id"] for d in compare_sample(15, 15, READ_BEFORE, 1500)}
    pools = {path: [r for r in load(path) if is_held_out(r["id"]) and r.get("text", "").strip()
                    and r.get("label") != "unrelated"] for path in (RUMOURS, CORPUS)}
    out = []
    for seed in SEEDS:
        rng = random.Random(seed)
        for path, n, kind in ((RUMOURS, N_RUMOURS, "rumour/answer"), (CORPUS, N_ARTICLES, "article")):
            rows = [r for r in pools[path] if r["id"] not in read]
            for r in rng.sample(rows, n):
                read.add(r["id"])
                out.append({"id": r["id"], "kind": kind, "text": cut(normalize(r["text"]))})
    return out


def part(text_id: str) -> str:
    return "dev" if int(hashlib.sha256(("lay-gold:" + text_id).encode()).hexdigest(), 16) % 2 == 0 else "test"


def read_gold(docs: list[dict]) -> dict[str, set[tuple[int, int, str]]]:
    by_id = {d["id"]: d["text"] for d in docs}
    gold: dict[str, set[tuple[int, int, str]]] = {}
    for line in GOLD.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = by_id.get(row["id"])
        if text is None:
            raise SystemExit(f"{GOLD}: {row['id']} is not among the drawn texts")
        spans = set()
        for s, e, label, surface in row["spans"]:
            if text[s:e] != surface or label not in LABELS:
                raise SystemExit(f"{GOLD}: {row['id']} [{s}, {e}) {label} reads {text[s:e]!r}, not {surface!r}")
            spans.add((s, e, label))
        gold[row["id"]] = spans
    return gold


def predicted(model_dir: str, docs: list[dict], min_score: float = 0.0) -> list[set[tuple[int, int, str]]]:
    """The model's spans as ``medclaim evaluate [--min-score]`` gets them (flat), of the four labels."""
    from pipeline.tagger.model import Tagger

    tagger = Tagger.load(model_dir)
    found = tagger.predict([d["text"] for d in docs], nested=False)
    return [{(s, e, l) for s, e, l, score in spans if l in LABELS and score >= min_score} for spans in found]


def audited(model_dir: str | None, docs: list[dict]) -> list[set[tuple[int, int, str]]]:
    """The entities an audit reports (the lexicon's spans and the model's scoring 0.5 or more, merged
    by ``pipeline.tagger.component.merge``), of the four labels; ``model_dir`` None is ``audit --no-model``."""
    from pipeline.nlp import build_nlp

    nlp = build_nlp(model_dir=model_dir)
    out = []
    for d in docs:
        ents = nlp(d["text"]).user_data.get("medclaim_entities", [])
        out.append({(e.start, e.end, e.label) for e in ents if e.label in LABELS})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("texts")
    score = sub.add_parser("score")
    score.add_argument("model")
    score.add_argument("--part", choices=("dev", "test", "all"), default="test")
    score.add_argument("--errors", action="store_true", help="List the misses and false alarms (dev only).")
    score.add_argument("--min-score", type=float, default=0.0, help="As medclaim evaluate --min-score.")
    score.add_argument("--audit", action="store_true",
                       help="Score the entities an audit reports (lexicon and model merged); MODEL 'none' for --no-model.")
    args = parser.parse_args()
    docs = texts()
    if args.command == "texts":
        for i, d in enumerate(docs):
            print(f"### {i} {d['id']} {d['kind']} {part(d['id'])}\n{d['text']}\n")
        return

    from pipeline.tagger.metrics import span_scores

    gold = read_gold(docs)
    docs = [d for d in docs if d["id"] in gold and (args.part == "all" or part(d["id"]) == args.part)]
    if args.audit:
        preds = audited(None if args.model == "none" else args.model, docs)
    else:
        preds = predicted(args.model, docs, args.min_score)
    scores = span_scores([gold[d["id"]] for d in docs], preds)
    m = scores["micro"]
    print(f"{args.model}{' (audit entities)' if args.audit else ''} on {len(docs)} {args.part} texts: P {m['precision']:.4f} R {m['recall']:.4f} "
          f"F1 {m['f1']:.4f} (gold {m['support']}, predicted {m['predicted']})")
    for label, s in scores["per_label"].items():
        print(f"  {label:8s} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
              f"gold {s['support']} predicted {s['predicted']}")
    if args.errors:
        if args.part == "test":
            raise SystemExit("--errors lists the dev part only (the test part is not read for fixes)")
        kinds: Counter = Counter()
        for d, p in zip(docs, preds):
            g, t = gold[d["id"]], d["text"]
            for s, e, l in sorted(g - p):
                kinds["miss"] += 1
                print(f"MISS  {l:8s} {t[max(0, s - 8):s]}【{t[s:e]}】{t[e:e + 8]}")
            for s, e, l in sorted(p - g):
                kinds["false"] += 1
                print(f"FALSE {l:8s} {t[max(0, s - 8):s]}【{t[s:e]}】{t[e:e + 8]}")
        print(dict(kinds))


if __name__ == "__main__":
    main()
