"""Fit the advertorial model (``medclaim train-advertorial``): promotional against ordinary passages.

Every input text is normalised and cut into passages the way the audit cuts them; a passage of a
promotional text is a positive, a passage of an ordinary text a negative. Scores for choosing the
threshold come from cross-validation grouped by text (passages of one article never sit on both
sides), and the threshold is the lowest one whose false-alarm rate on ordinary passages stays within
``max_false_rate``: ordinary text is what most users audit, and a reviewer stops reading a tool that
calls sober articles advertising. Needs scikit-learn (``pip install 'medclaim[train]'``).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..cards import write_model_card
from ..normalize import normalize
from .advertorial import FEATURE_VERSION, MIN_PASSAGE, paragraphs, passages, text_vector


def passage_texts(text: str) -> list[str]:
    norm = normalize(text)
    return [norm[s:e] for s, e in passages(paragraphs(norm))]


def matrix(texts: list[str], bits: int):
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for t in texts:
        idx, val = text_vector(t, bits)
        indices.append(idx)
        data.append(val)
        indptr.append(indptr[-1] + len(idx))
    return csr_matrix((np.concatenate(data) if data else np.zeros(0), np.concatenate(indices) if indices else np.zeros(0, int),
                       np.array(indptr)), shape=(len(texts), 2 ** bits))


def _fit(X, y, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed).fit(X, y)


def choose_threshold(probs: np.ndarray, y: np.ndarray, max_false_rate: float) -> float:
    """The lowest threshold whose false-alarm rate on negatives is at most ``max_false_rate``."""
    neg = np.sort(probs[y == 0])[::-1]
    allowed = int(np.floor(max_false_rate * len(neg)))
    # a threshold just above the (allowed+1)-th highest negative score lets exactly `allowed` through
    t = float(neg[allowed]) + 1e-9 if allowed < len(neg) else 0.5
    return min(max(t, 0.5), 0.999)


def train(positive: list[str], negative: list[str], output: Path, *, bits: int = 18, C: float = 4.0, folds: int = 5,
          max_false_rate: float = 0.0005, seed: int = 13, command: str = "", sources: dict | None = None,
          log: Callable[[str], None] = lambda m: None) -> dict:
    from sklearn.model_selection import StratifiedGroupKFold

    t0 = time.perf_counter()
    rows, y, groups = [], [], []
    g = 0
    for label, texts in ((1, positive), (0, negative)):
        for t in texts:
            for p in passage_texts(t):
                rows.append(p)
                y.append(label)
                groups.append(g)
            g += 1
    if not rows:
        raise ValueError("no passages to learn from")
    y_arr, g_arr = np.array(y), np.array(groups)
    if y_arr.min() == y_arr.max():
        raise ValueError("training needs both promotional and ordinary text")
    log(f"{len(rows)} passages ({int(y_arr.sum())} promotional) from {len(positive)} + {len(negative)} texts")
    X = matrix(rows, bits)
    n_folds = max(2, min(folds, int(y_arr.sum()), int((1 - y_arr).sum())))
    oof = np.zeros(len(rows))
    for k, (tr, te) in enumerate(StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X, y_arr, g_arr)):
        oof[te] = _fit(X[tr], y_arr[tr], C, seed).predict_proba(X[te])[:, 1]
        log(f"fold {k + 1}/{n_folds}")
    threshold = choose_threshold(oof, y_arr, max_false_rate)
    hit = oof >= threshold
    cv = {"recall": float(hit[y_arr == 1].mean()), "false_rate": float(hit[y_arr == 0].mean()),
          "positives": int(y_arr.sum()), "negatives": int((1 - y_arr).sum())}
    model = _fit(X, y_arr, C, seed)
    weights = model.coef_[0].astype(np.float32)
    output.mkdir(parents=True, exist_ok=True)
    np.save(output / "weights.npy", weights, allow_pickle=False)
    meta = {"kind": "advertorial", "feature_version": FEATURE_VERSION, "bits": bits, "bias": float(model.intercept_[0]),
            "threshold": threshold, "min_passage": MIN_PASSAGE, "C": C, "seed": seed, "folds": n_folds,
            "max_false_rate": max_false_rate, "cross_validation": cv, "texts": {"promotional": len(positive),
            "ordinary": len(negative)}, "sources": sources or {}, "command": command,
            "seconds": round(time.perf_counter() - t0, 1)}
    (output / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    write_model_card(output, card(meta))
    return meta


def card(meta: dict) -> str:
    cv = meta["cross_validation"]
    src = "\n".join(f"- {kind}: " + ", ".join(f"`{p}`" for p in paths) for kind, paths in meta["sources"].items()) or "- (not recorded)"
    return f"""# Advertorial model (medclaim)

Does a passage, taken as a whole, read as advertising dressed as news or health advice? A logistic
regression over hashed character 1- to 3-grams (digits folded to 0, Latin letters to a; counts scaled
to unit length; 2**{meta['bits']} weights), scored on passages of at least {meta['min_passage']} characters
(consecutive paragraphs joined). `medclaim audit` flags each run of passages scoring at least
{meta['threshold']:.3f} once, as `advertorial` (rule `AdLaw.Advertorial`).

## Data
{src}

{meta['texts']['promotional']} promotional and {meta['texts']['ordinary']} ordinary texts;
{cv['positives']} promotional and {cv['negatives']} ordinary passages.

## Threshold
Chosen on {meta['folds']}-fold cross-validation grouped by text, as the lowest score that lets at most
{meta['max_false_rate']:.2%} of ordinary passages through: there, {cv['false_rate']:.2%} of ordinary passages
and {cv['recall']:.1%} of promotional ones score over it. Figures on held-out real text are in
`benchmarks/RESULTS.md`.

## Rebuild
```
{meta['command'] or 'medclaim train-advertorial ...'}
```
"""
