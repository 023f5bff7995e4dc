"""Do pretrained character vectors help the advertorial model? The same training data and protocol as
the shipped model, with and without the passage's mean character and bigram vectors as extra features.

Data (development parts only): promotional = persuasive rumours and the real ad claims of 113-05..08
as copy; ordinary = the real articles and ordinary answers. Figures: grouped 5-fold cross-validation
(passages of one text never on both sides), recall at the threshold that lets 0.05% of ordinary
passages through (as ``medclaim train-advertorial`` chooses it); and, fitted on all of it, the share
of the 126 real ad claims of 113-09..10 (months it never learns from) scored over that threshold.

    .venv/bin/python benchmarks/pretrain/corpus.py /tmp/pretrain.jsonl
    .venv/bin/medclaim pretrain /tmp/pretrain.jsonl --output /tmp/enc-full
    .venv/bin/python benchmarks/pretrain/advertorial_vectors.py /tmp/enc-full
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.real.split import ad_copy, ads, development, rumours  # noqa: E402
from pipeline.checks.advertorial_train import _fit, choose_threshold, matrix, passage_texts  # noqa: E402
from pipeline.tagger.pretrain import Encoder  # noqa: E402

TRAIN_MONTHS = ("113-05", "113-06", "113-07", "113-08")
TEST_MONTHS = ("113-09", "113-10")


def dense(texts: list[str], enc: Encoder) -> np.ndarray:
    """Each passage's mean character vector and mean bigram vector, unit-normalised."""
    ci = {c: i for i, c in enumerate(enc.chars)}
    bi = {b: i for i, b in enumerate(enc.bigrams)}
    out = np.zeros((len(texts), enc.char_vectors.shape[1] + enc.bigram_vectors.shape[1]), dtype=np.float32)
    for k, t in enumerate(texts):
        cs = [ci[c] for c in t if c in ci]
        bs = [bi[t[i:i + 2]] for i in range(len(t) - 1) if t[i:i + 2] in bi]
        parts = [enc.char_vectors[cs].mean(0) if cs else np.zeros(enc.char_vectors.shape[1]),
                 enc.bigram_vectors[bs].mean(0) if bs else np.zeros(enc.bigram_vectors.shape[1])]
        v = np.concatenate(parts)
        out[k] = v / (np.linalg.norm(v) or 1.0)
    return out


def main() -> None:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.model_selection import StratifiedGroupKFold

    enc = Encoder.load(sys.argv[1])
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    dev_ads = ads("development")
    positive = [r["text"] for r in rumours("development", ("rumour",))] + \
               [ad_copy(r["text"]) for r in dev_ads if r["month"] in TRAIN_MONTHS]
    negative = [r["text"] for r in development()] + [r["text"] for r in rumours("development", ("ordinary",))]
    test = [ad_copy(r["text"]) for r in dev_ads if r["month"] in TEST_MONTHS]
    rows, y, groups = [], [], []
    for g, (label, t) in enumerate([(1, t) for t in positive] + [(0, t) for t in negative]):
        for p in passage_texts(t):
            rows.append(p)
            y.append(label)
            groups.append(g)
    y, groups = np.array(y), np.array(groups)
    test_rows = [(k, p) for k, t in enumerate(test) for p in passage_texts(t)]
    sparse = matrix(rows, 18)
    sparse_test = matrix([p for _, p in test_rows], 18)
    print(f"{len(rows):,} passages ({int(y.sum()):,} promotional); {len(test)} held-back ad claims")
    for name, X, Xt in (("hashed n-grams (the shipped features)", sparse, sparse_test),
                        (f"+ mean character and bigram vectors (x{scale:g})",
                         hstack([sparse, csr_matrix(dense(rows, enc) * scale)]).tocsr(),
                         hstack([sparse_test, csr_matrix(dense([p for _, p in test_rows], enc) * scale)]).tocsr())):
        oof = np.zeros(len(rows))
        for tr, te in StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=13).split(X, y, groups):
            oof[te] = _fit(X[tr], y[tr], 4.0, 13).predict_proba(X[te])[:, 1]
        threshold = choose_threshold(oof, y, 0.0005)
        hit = oof >= threshold
        scores = _fit(X, y, 4.0, 13).predict_proba(Xt)[:, 1]
        best = np.zeros(len(test))
        for (k, _), s in zip(test_rows, scores):
            best[k] = max(best[k], s)
        print(f"| {name} | {hit[y == 1].mean():.3f} | {hit[y == 0].mean():.4f} | {threshold:.3f} | "
              f"{int((best >= threshold).sum())}/{len(test)} |", flush=True)


if __name__ == "__main__":
    main()
