"""The lost-% detector trained on part of the development articles and scored on the rest.

    python benchmarks/real/percent_nested.py [--splits 3] [--one-sign 2] [--first-stage-too]

The development part (benchmarks/real/split.py) is cut again by article (``sha256("nested:" + id) % 5``):
for each of the first ``--splits`` fifths, ``train-percent`` learns from the other four fifths, with and
without the document stage, and the model is scored on that fifth at the exact positions of its %
signs. Two figures a model: recall and precision at the threshold cross-validation chose (what a user
gets), and the recall at precision >= 0.90 / 0.95 / 0.97 with the threshold read off the scored fifth
itself (how well the model ranks, the threshold's luck left out). Last, the other way a sign goes
missing: in each article of the fifth with two signs or more, one sign is removed and the others kept
(``benchmarks/real/percent.py --one-sign``); recall and precision there. ``--one-sign N`` is passed to
training. The held-out part is never read.

``--extra FILE`` (repeatable; JSON Lines with ``text``) joins other real text to every training fold, as
``medclaim train-percent --extra`` does (the shipped model learns from the clinical papers' and news
transcripts' development parts: ``benchmarks/real/split.py papers-development`` / ``news-development``).
``--errors FILE`` writes every miss and false alarm of the first fifth (every sign removed) with its
context, whether the number was a candidate at all, its probability and the rules' reason, for reading
the classes of error.

``--sample K --sample-out FILE`` also draws K of the flags the first fifth's model raises on that fifth
(every sign removed; seed ``--seed``) and writes them with their context, whether the number carried
a sign, and empty ``judgement`` and ``why`` fields to fill in by reading (``right``, ``wrong``, or
``reads_as_percent``: no sign at that place, but a percentage to a reader).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import development


def sample_flags(articles: list[dict], auditor, k: int, seed: int) -> list[dict]:
    """``k`` of the ``percent_lost`` flags raised on ``articles`` with every sign removed, drawn with
    ``seed``, each with its context and whether its number carried a sign."""
    import random

    from pipeline.checks.percent_train import score_document

    flags = []
    for art in articles:
        stripped, gold, flagged = score_document(auditor, art["text"])
        for s, e in sorted(flagged):
            flags.append({"id": art["id"], "start": s, "end": e, "carried_sign": (s, e) in gold,
                          "context": (stripped[max(0, s - 40):s] + "【" + stripped[s:e] + "】" + stripped[e:e + 25])
                          .replace("\n", "⏎")})
    picked = sorted(random.Random(seed).sample(range(len(flags)), min(k, len(flags))))
    return [{"n": i + 1, **flags[j], "judgement": "", "why": ""} for i, j in enumerate(picked)]


def errors(articles: list[dict], model, auditor) -> list[dict]:
    """Every miss and false alarm of ``model`` on ``articles`` with every sign removed."""
    from pipeline.checks.percent import ALWAYS_TRUSTED, candidate_probabilities, percent_candidates
    from pipeline.checks.percent_train import strip_percent

    rows = []
    threshold = model.threshold
    trusted = ALWAYS_TRUSTED | set(model.meta.get("trusted_reasons", []))  # as PercentLost decides
    for art in articles:
        stripped, gold = strip_percent(art["text"])
        a = auditor.analyse(stripped)
        candidates = list(percent_candidates(a))
        probs = candidate_probabilities(a, candidates, model).tolist() if candidates else []
        seen = {}
        for (n, reason, _), p in zip(candidates, probs):
            seen[(n.start, n.end)] = (reason, p)
        spans = set(gold) | {s for s, (r, p) in seen.items() if p >= threshold or r in trusted}
        for s, e in sorted(spans):
            reason, p = seen.get((s, e), (None, None))
            flagged = p is not None and (p >= threshold or reason in trusted)
            if flagged == ((s, e) in gold):
                continue
            rows.append({"id": art["id"], "source": art.get("source", ""), "start": s, "end": e,
                         "error": "false_alarm" if flagged else "miss", "candidate": p is not None,
                         "probability": None if p is None else round(p, 3), "reason": reason,
                         "context": (stripped[max(0, s - 40):s] + "【" + stripped[s:e] + "】" + stripped[e:e + 25])
                         .replace("\n", "⏎")})
    return rows


def read_texts(paths: list[str]) -> list[str]:
    """The ``text`` of every row of the JSON Lines files ``paths``."""
    return [json.loads(line)["text"] for path in paths for line in Path(path).read_text("utf-8").splitlines()
            if line.strip()]


def split_fifth(articles: list[dict], k: int) -> tuple[list[str], list[dict]]:
    """The texts of the other fifths (to learn from) and the articles of fifth ``k`` (to score)."""
    return [a["text"] for a in articles if fifth(a["id"]) != k], [a for a in articles if fifth(a["id"]) == k]


def fit_and_score(learn: list[str], score: list[str], auditor, **options):
    """Train the detector on ``learn`` (``options`` go to ``train``) and score it on ``score``: the
    training's meta, the model, recall and precision at its threshold, and the ranked candidates."""
    from pipeline.checks.percent_model import PercentModel
    from pipeline.checks.percent_train import evaluate, train

    with tempfile.TemporaryDirectory() as folder:
        meta = train(learn, Path(folder), log=lambda _: None, **options)
        model = PercentModel.load(Path(folder))
    return meta, model, evaluate(score, model), ranked(score, model, auditor)


def fifth(article_id: str) -> int:
    return int(hashlib.sha256(("nested:" + article_id).encode("utf-8")).hexdigest(), 16) % 5


def ranked(texts: list[str], model, auditor) -> tuple[np.ndarray, np.ndarray, int]:
    """Every candidate's final probability and label, and the number of % signs (candidates or not)."""
    from pipeline.checks.percent import candidate_probabilities, percent_candidates
    from pipeline.checks.percent_train import strip_percent

    probabilities, labels, signs = [], [], 0
    for text in texts:
        stripped, gold = strip_percent(text)
        signs += len(gold)
        a = auditor.analyse(stripped)
        candidates = list(percent_candidates(a))
        if not candidates:
            continue
        probabilities += candidate_probabilities(a, candidates, model).tolist()
        labels += [(n.start, n.end) in gold for n, _, _ in candidates]
    return np.array(probabilities), np.array(labels, dtype=bool), signs


def recall_at(probabilities, labels, signs, target: float) -> float:
    order = np.argsort(-probabilities)
    hits = np.cumsum(labels[order])
    precision = hits / np.arange(1, len(order) + 1)
    ok = precision >= target
    return float(hits[ok].max() / signs) if ok.any() else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", type=int, default=3, choices=range(1, 6))
    ap.add_argument("--one-sign", type=int, default=2, help="copies with one sign removed, per text, in training")
    ap.add_argument("--first-stage-too", action="store_true", help="also train without the document stage")
    ap.add_argument("--sample", type=int, default=0, help="draw this many of fifth 0's flags for reading")
    ap.add_argument("--sample-out", help="where --sample writes them (JSON Lines)")
    ap.add_argument("--seed", type=int, default=2612, help="the draw's seed")
    ap.add_argument("--extra", action="append", default=[], help="other real text (JSON Lines) for every training fold")
    ap.add_argument("--errors", help="write the first fifth's misses and false alarms here (JSON Lines)")
    args = ap.parse_args()
    if bool(args.sample) != bool(args.sample_out):
        raise SystemExit("--sample and --sample-out go together")
    from benchmarks.real.percent import score_one_sign
    from pipeline import Auditor

    articles = development()
    extra = read_texts(args.extra)
    auditor = Auditor(model=None, rules=[], percent_model=None)
    print("| fifth | model | CV recall | recall | precision | recall at P>=0.90 | at 0.95 | at 0.97 "
          "| one sign dropped: recall | precision |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for k in range(args.splits):
        learn, scored = split_fifth(articles, k)
        score = [a["text"] for a in scored]
        for stage in (True, False) if args.first_stage_too else (True,):
            meta, model, result, curve = fit_and_score(learn, score, auditor, extra_texts=extra,
                                                       document_stage=stage, one_sign=args.one_sign)
            one = score_one_sign(scored, Auditor(model=None, rules=[], percent_model=model))["total"]
            if args.errors and k == 0 and stage:
                rows = errors(scored, model, auditor)
                Path(args.errors).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
            if args.sample and k == 0 and stage:
                from pipeline.checks.percent import PercentLost

                rows = sample_flags(scored, Auditor(model=None, rules=[], checks=[PercentLost(model=model)]),
                                    args.sample, args.seed)
                Path(args.sample_out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
            print(f"| {k} | {'with document stage' if stage else 'first stage alone'} | "
                  f"{meta['cross_validation']['recall']:.3f} | {result['recall']:.3f} | {result['precision']:.3f} | "
                  + " | ".join(f"{recall_at(*curve, t):.3f}" for t in (0.90, 0.95, 0.97))
                  + f" | {one['tp'] / max(1, one['gold']):.3f} | {one['tp'] / max(1, one['tp'] + one['fp']):.3f} |",
                  flush=True)


if __name__ == "__main__":
    main()
