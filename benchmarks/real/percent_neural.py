"""The character reader beside the lost-% detector's two stages: does it rank bare numbers better?

    python benchmarks/real/percent_neural.py --extra PAPERS.jsonl --extra NEWS.jsonl [--alike HEALTH.jsonl] [--fifth 0]
        [--epochs 4 --hidden 64 --article-weight 5 --seed 13] [--encoder PRETRAINED_DIR] [--scores-out FILE.npz]

The detector's first two stages read hashed n-grams around each bare number (a logistic regression)
and then the whole text (gradient-boosted trees). The reader (``pipeline/checks/percent_reader.py``) is
a small character BiLSTM over the number's context. This measures what it adds, apart from the
threshold. On fifth ``--fifth`` of the development articles (``percent_nested.split_fifth``; the
held-out part is never read):

1. the two stages are trained on the other four fifths (``train-percent --no-reader`` with ``--extra``);
2. one reader is trained on the same candidates of the same text with every sign removed, the
   articles' candidates repeated ``--article-weight`` times, since the extra corpora have sixteen
   times as many (``percent_reader.fit_readers``, as ``train-percent`` trains each fold's);
3. every candidate of the fifth is scored by the two stages, by the reader alone, and by the mean of
   their log-odds (what ``train-percent`` ships).

Printed: the recall at precision >= 0.90 / 0.95 / 0.97, read off the ranked candidates of the fifth
(the threshold's luck left out), over every % sign of the fifth. Needs torch (the ``tagger`` extra).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.percent_nested import fit_and_score, read_texts, recall_at, split_fifth
from benchmarks.real.split import development

def contexts(texts: list[str], auditor, model=None) -> list[dict]:
    """Every candidate of ``texts`` with every sign removed: the reader's window, the rules' reason,
    whether a sign stood after it, and (with ``model``) the detector's final probability."""
    from pipeline.checks.percent import candidate_probabilities, percent_candidates
    from pipeline.checks.percent_reader import window
    from pipeline.checks.percent_train import strip_percent

    out = []
    for text in texts:
        stripped, gold = strip_percent(text)
        if not stripped.strip():
            continue
        a = auditor.analyse(stripped)
        candidates = list(percent_candidates(a))
        if not candidates:
            continue
        probs = candidate_probabilities(a, candidates, model).tolist() if model is not None else [None] * len(candidates)
        for (n, reason, _), p in zip(candidates, probs):
            out.append({"window": window(a.norm, n.start, n.end), "reason": reason,
                        "label": (n.start, n.end) in gold, "p": p})
    return out


def ranked_recall(scores: np.ndarray, labels: np.ndarray, signs: int) -> dict:
    """Recall at precision >= 0.90 / 0.95 / 0.97, read off the ranked candidates."""
    return {t: round(recall_at(scores, labels, signs, t), 3) for t in (0.90, 0.95, 0.97)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", action="append", default=[], help="JSON Lines with text, joined to training")
    ap.add_argument("--alike", action="append", default=[],
                    help="JSON Lines with text of the articles' register (percent_train.train's alike_texts): the two stages "
                         "learn it in the articles' feature copy; the reader reads it after --extra, as extra text")
    ap.add_argument("--fifth", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--article-weight", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--scores-out", help="write the fifth's labels, the two stages' probabilities and each reader's "
                                         "log-odds here (.npz), for weighing the two by another fifth")
    ap.add_argument("--encoder", help="a `medclaim pretrain` folder: a second reader starts its character table "
                                      "from its vectors, trained on the same rows, and both are printed")
    args = ap.parse_args()
    from pipeline.audit import Auditor

    started = time.time()
    learn, score = split_fifth(development(), args.fifth)
    score_texts = [a["text"] for a in score]
    extra, alike = read_texts(args.extra), read_texts(args.alike)
    auditor = Auditor(model=None, rules=[], percent_model=None)
    _, model, at_threshold, (_, _, signs) = fit_and_score(learn, score_texts, auditor, extra_texts=extra,
                                                          alike_texts=alike, reader=False)
    rows = {"learn": contexts(learn, auditor), "extra": contexts(extra + alike, auditor),
            "score": contexts(score_texts, auditor, model)}
    labels = np.array([r["label"] for r in rows["score"]])
    detector = np.clip(np.array([r["p"] for r in rows["score"]]), 1e-6, 1 - 1e-6)
    print(f"fifth {args.fifth}: {len(score)} articles, {signs} signs, {len(labels)} candidates; trained on "
          f"{len(rows['learn'])} article candidates (x{args.article_weight}) and {len(rows['extra'])} extra "
          f"({time.time() - started:.0f} s)")
    print(f"two stages: at their threshold recall {at_threshold['recall']:.3f}, precision "
          f"{at_threshold['precision']:.3f}; ranked {ranked_recall(detector, labels, signs)}")
    from pipeline.checks.percent_reader import fit_readers

    rows_all = rows["learn"] + rows["extra"] + rows["score"]
    n_learn, n_extra = len(rows["learn"]), len(rows["extra"])
    is_extra = np.zeros(len(rows_all), bool)
    is_extra[n_learn:n_learn + n_extra] = True
    plan = [(np.arange(n_learn + n_extra), np.arange(n_learn + n_extra, len(rows_all)))]
    encoders = [None]
    if args.encoder:
        from pipeline.tagger.pretrain import Encoder

        encoders.append(Encoder.load(args.encoder))
    saved = {"labels": labels, "detector": detector, "signs": np.array(signs), "fifth": np.array(args.fifth)}
    for encoder in encoders:
        _, z = fit_readers([r["window"] for r in rows_all], [r["reason"] for r in rows_all],
                           np.array([r["label"] for r in rows_all]), is_extra, plan, epochs=args.epochs,
                           hidden=args.hidden, seed=args.seed, article_weight=args.article_weight, encoder=encoder)
        z = z[n_learn + n_extra:]
        both = (z + np.log(detector / (1 - detector))) / 2
        name = "pretrained characters" if encoder is not None else "characters from scratch"
        print(f"{name}, after {args.epochs} epochs: BiLSTM alone {ranked_recall(z, labels, signs)}, mean of log-odds "
              f"{ranked_recall(both, labels, signs)} ({time.time() - started:.0f} s)", flush=True)
        saved["reader_pretrained" if encoder is not None else "reader"] = z
    if args.scores_out:
        np.savez(args.scores_out, **saved)

if __name__ == "__main__":
    main()
