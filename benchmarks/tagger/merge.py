"""How the audit's entities merge the lexicon's spans with the tagger's, scored on annotated text.

    .venv/bin/python benchmarks/tagger/merge.py score [--model models/medclaim-zh]
    .venv/bin/python benchmarks/tagger/merge.py sample BEFORE.jsonl AFTER.jsonl --output judged.jsonl [--k 40 --seed 8]

``score`` runs the lexicon ruler and the tagger once over CMeEE dev (its nine labels) and the lay
gold texts of ``lay_gold.py`` (dev and test parts, four labels) and scores the entities an audit
would report under each merge: ``lexicon first`` (the merge before 2026-12-08: a model span is added
only where it overlaps no lexicon span), ``shipped`` (``pipeline.tagger.component.merge``: a
model span that contains lexicon fragments replaces them) and the model's spans alone (score 0.5 or
more). ``sample`` draws ``--k`` entities only one of two ``medclaim audit --format jsonl`` outputs
holds, from each side, with context, for reading (``verdict`` and ``why`` to fill).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import CMEEE  # noqa: E402

CMEEE_DEV = CMEEE / "CMeEE_dev.jsonl"


def lexicon_first(lexicon, model, min_score: float = 0.5, text: str | None = None):
    kept = list(lexicon)
    for ent in model:
        if (ent.score or 0.0) >= min_score and not any(ent.start < lx.end and lx.start < ent.end for lx in lexicon):
            kept.append(ent)
    return sorted(kept)


def score(model_dir: str) -> None:
    from benchmarks.tagger import lay_gold
    from pipeline.nlp import build_nlp
    from pipeline.segment import sentence_offsets
    from pipeline.tagger.component import TaggerComponent, merge
    from pipeline.tagger.corpora import read_corpus
    from pipeline.tagger.metrics import span_scores

    nlp, tagger = build_nlp(), TaggerComponent(model_dir)
    policies = {"lexicon first (before)": lexicon_first, "shipped merge": merge,
                "model alone": lambda lex, mod, min_score=0.5, text=None: [e for e in mod if e.score >= min_score]}
    sets = []
    if CMEEE_DEV.exists():
        ex = list(read_corpus([CMEEE_DEV], "cmeee", "cmeee"))
        sets.append(("CMeEE dev", [x.text for x in ex], [set(x.spans) for x in ex], {l for x in ex for *_, l in x.spans}))
    docs = lay_gold.texts()
    gold = lay_gold.read_gold(docs)
    for part in ("dev", "test"):
        chosen = [d for d in docs if lay_gold.part(d["id"]) == part]
        sets.append((f"lay {part}", [d["text"] for d in chosen], [gold[d["id"]] for d in chosen], set(lay_gold.LABELS)))
    print("| text | merge | P | R | F1 | spans |\n|---|---|---|---|---|---|")
    for name, texts, golds, labels in sets:
        found = {p: [] for p in policies}
        for text in texts:
            doc = nlp(text)
            lexicon = doc.user_data.get("medclaim_entities", [])
            model = tagger.find(text, sentence_offsets(doc))
            for p, f in policies.items():
                found[p].append({(e.start, e.end, e.label) for e in f(lexicon, model, 0.5, text=text) if e.label in labels})
        for p in policies:
            m = span_scores(golds, found[p])["micro"]
            print(f"| {name} | {p} | {m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {m['predicted']} |")


def sample(before: str, after: str, output: str, k: int, seed: int) -> None:
    if Path(output).exists():
        raise SystemExit(f"{output} exists; remove it first")

    def load(path):
        return {r["id"]: r for r in map(json.loads, Path(path).read_text("utf-8").splitlines()) if r.get("text")}

    b, a = load(before), load(after)
    sides: dict[str, list[dict]] = {"old": [], "new": []}
    for doc_id in sorted(set(b) & set(a)):
        text = b[doc_id]["text"]
        old = {(e["start"], e["end"], e["label"]) for e in b[doc_id]["entities"]}
        new = {(e["start"], e["end"], e["label"]) for e in a[doc_id]["entities"]}
        for side, spans in (("old", old - new), ("new", new - old)):
            for s, e, label in sorted(spans):
                ctx = (text[max(0, s - 10):s] + "【" + text[s:e] + "】" + text[e:e + 10]).replace("\n", " ")
                sides[side].append({"id": doc_id, "side": side, "start": s, "end": e, "label": label,
                                    "span": text[s:e], "context": ctx})
    rng = random.Random(seed)
    rows = rng.sample(sides["old"], min(k, len(sides["old"]))) + rng.sample(sides["new"], min(k, len(sides["new"])))
    with open(output, "w", encoding="utf-8") as f:
        for n, row in enumerate(rows):
            f.write(json.dumps({**row, "n": n, "verdict": "", "why": ""}, ensure_ascii=False) + "\n")
    print(f"only before: {len(sides['old'])}, only after: {len(sides['new'])}; {len(rows)} drawn to {output}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("score")
    s.add_argument("--model", default=str(ROOT / "models" / "medclaim-zh"))
    d = sub.add_parser("sample")
    d.add_argument("before")
    d.add_argument("after")
    d.add_argument("--output", required=True)
    d.add_argument("--k", type=int, default=40)
    d.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    if args.command == "score":
        score(args.model)
    else:
        sample(args.before, args.after, args.output, args.k, args.seed)


if __name__ == "__main__":
    main()
