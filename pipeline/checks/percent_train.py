"""Train the lost-% detector from real text (``medclaim train-percent``).

Every %/％ of the corpus is removed; the numbers that carried one are the positives, every other bare
number a negative. Features come from :func:`pipeline.checks.percent.percent_candidates`, the same
function the check reads, so training and auditing cannot drift apart. A logistic regression
(scikit-learn, ``pip install 'medclaim[train]'``) is fitted on the hashed features, then the document
stage (gradient-boosted trees over each number's out-of-fold score, its neighbours' and the text's).
Out-of-fold probabilities (folds by document) choose the threshold, the highest recall at the
precision asked for, and say which rule reasons are trusted on their own. Needs no tagger: the
detector does not read it.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..cards import write_model_card
from .percent_reader import READER_FILE, window
from .percent_model import (AUDIT_DOMAIN, DOCUMENT_FEATURES, FEATURE_VERSION, Item, Trees, document_features, hashed,
                            sigmoid)

NUMBER_BEFORE_PERCENT = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?=\s?[%％])")
HEX = set("0123456789ABCDEFabcdef")


def url_encoded(text: str, i: int) -> bool:
    """Whether the % at ``i`` is a URL's percent-encoding (%E4%B8%89), not a percentage."""
    code = text[i + 1:i + 3]
    if len(code) < 2 or not set(code) <= HEX:
        return False
    return any(c.isalpha() for c in code) or text[i + 3:i + 4] == "%" or text[i - 3:i - 2] == "%"


def strip_percent(text: str) -> tuple[str, set[tuple[int, int]]]:
    """``text`` without its % signs, and the spans (in it) of the numbers that carried one.

    >>> strip_percent("有效率89.3%，30-60 %之间")
    ('有效率89.3，30-60 之间', {(3, 7), (11, 13)})
    """
    marks = {start: end for start, end, _ in signs(text)}
    out, gold, shift = [], set(), 0
    for i, ch in enumerate(text):
        if i in marks:
            gold.add((i - shift, marks[i] - shift))
        if ch in "%％":
            shift += 1
            continue
        out.append(ch)
    return "".join(out), gold


def signs(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, sign)`` of each number that carries a % sign (a URL's encoding is none)."""
    found = []
    for m in NUMBER_BEFORE_PERCENT.finditer(text):
        sign = m.end() + (text[m.end()] not in "%％")  # one space may stand before the sign
        if not url_encoded(text, sign):
            found.append((m.start(), m.end(), sign))
    return found


def drop_sign(text: str, which: tuple[int, int, int]) -> tuple[str, set[tuple[int, int]]]:
    """``text`` with the one sign ``which`` (an item of :func:`signs`) removed, and the span of its number."""
    start, end, sign = which
    return text[:sign] + text[sign + 1:], {(start, end)}


def versions(text: str, one_sign: int, key: int) -> list[tuple[str, set[tuple[int, int]], bool]]:
    """The texts a corpus text trains on: every sign removed, and (where it has two signs or more) up to
    ``one_sign`` copies with one sign removed and the others kept; ``(text, gold spans, one_sign?)``."""
    out = [(*strip_percent(text), False)]
    found = signs(text) if one_sign else []
    if len(found) >= 2:
        rng = np.random.default_rng(key)
        for k in rng.choice(len(found), size=min(one_sign, len(found)), replace=False):
            out.append((*drop_sign(text, found[int(k)]), True))
    return out


def examples(texts: Iterable[str], auditor, bits: int, progress=None, one_sign: int = 0, domain: str | None = None):
    """Each candidate's hashed feature row and label, its text's number (the fold group), its version's
    number (the document stage's unit), whether that version kept other signs, the rules' reason, the
    document stage's item, and the version's count of signed numbers."""
    from .percent import candidate_items, percent_candidates, signed_count

    out = {name: [] for name in ("rows", "labels", "groups", "docs", "one_sign", "reasons", "items", "signed", "windows")}
    version = 0
    for doc, text in enumerate(texts):
        for stripped, gold, kept in versions(text, one_sign, doc):
            if not stripped.strip():
                continue
            a = auditor.analyse(stripped)
            candidates = list(percent_candidates(a))
            signed = signed_count(a)
            for n, reason, feats in candidates:
                out["rows"].append(hashed(feats, bits, domain))
                out["labels"].append((n.start, n.end) in gold)
                out["reasons"].append(reason)
                out["windows"].append(window(a.norm, n.start, n.end))
            k = len(candidates)
            out["groups"] += [doc] * k
            out["docs"] += [version] * k
            out["one_sign"] += [kept] * k
            out["signed"] += [signed] * k
            out["items"] += candidate_items(a, candidates)
            version += 1
        if progress:
            progress(doc + 1)
    for name in ("labels", "one_sign"):
        out[name] = np.array(out[name], dtype=bool)
    for name in ("groups", "docs", "signed"):
        out[name] = np.array(out[name], dtype=np.int64)
    return out


def document_matrix(items: list[Item], docs: np.ndarray, logits: np.ndarray, signed: np.ndarray) -> np.ndarray:
    """The document stage's rows for every candidate, read a document version at a time."""
    X = np.empty((len(items), len(DOCUMENT_FEATURES)))
    bounds = np.flatnonzero(np.diff(docs)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(items)]):
        X[lo:hi] = document_features(items[lo:hi], logits[lo:hi], int(signed[lo]))
    return X


def _fit_trees(X, y, seed: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    # A feature missing in every row (a small corpus where no number is written twice) stops
    # scikit-learn's binning; as a constant it is never split on, so any value read later is ignored.
    empty = np.isnan(X).all(axis=0)
    if empty.any():
        X = X.copy()
        X[:, empty] = 0.0
    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                          random_state=seed).fit(X, y)


def _matrix(rows, bits):
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float64)
    m = csr_matrix((data, indices, indptr), shape=(len(rows), 2 ** bits))
    m.sum_duplicates()
    m.data[:] = 1.0  # presence, not counts
    return m


def _fit(X, y, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=seed)
    model.fit(X, y)
    return model


def choose(probs, y, reasons, target: float) -> tuple[float, list[str], dict]:
    """The rule reasons precise enough alone, and the lowest threshold whose flags (those reasons or
    probability >= threshold) keep ``target`` precision; with the figures it reaches."""
    trusted = []
    for reason in sorted({r for r in reasons if r}):
        hit = np.array([r == reason for r in reasons])
        if hit.sum() >= 20 and y[hit].mean() >= target:
            trusted.append(reason)
    by_rule = np.array([r in trusted for r in reasons])
    best = (1.0, 0.0, 0.0)
    for t in np.unique(np.round(probs, 3))[::-1]:
        flagged = by_rule | (probs >= t)
        if not flagged.any():
            continue
        precision = y[flagged].mean()
        recall = (flagged & y).sum() / max(1, y.sum())
        if precision >= target and recall >= best[1]:
            best = (float(t), float(recall), float(precision))
    threshold, recall, precision = best
    return threshold, trusted, {"recall": recall, "precision": precision}


def train(texts: list[str], output: Path, *, extra_texts: list[str] = (), alike_texts: list[str] = (),
          dev_texts: list[str] | None = None,
          bits: int = 18, C: float = 1.0, folds: int = 5, target_precision: float = 0.95, seed: int = 13,
          document_stage: bool = True, one_sign: int = 2, domain_copies: bool = True,
          reader: bool = True, reader_epochs: int = 2, reader_weight: int = 5,
          command: str = "", data: list[str] = (), extra: list[str] = (), log=print) -> dict:
    """Fit, choose the threshold by cross-validation, save ``weights.npy``, ``meta.json`` and a card.

    ``texts`` are the kind of text the model will audit: the threshold is chosen on their out-of-fold
    probabilities with every sign removed. Up to ``one_sign`` copies of each text with one sign removed
    and the others kept join the training (in the same fold as the text), so that a bare number among
    written percentages is read as the rarity it is. ``extra_texts`` (other real text with % signs, say a medical corpus) join every
    training fold but choose nothing. ``alike_texts`` (health text of the audited register that is not
    articles: textbook sentences, rumours, ad copy) do the same, but learn in the articles' own feature
    copy, as the audit reads it; the reader counts them as extra text.

    With ``reader`` a character BiLSTM (:mod:`pipeline.checks.percent_reader`, torch) is trained for
    each fold too, and the threshold is chosen on the mean of its out-of-fold log-odds and the
    document stage's."""
    from scipy.sparse import vstack

    from ..audit import Auditor

    started = time.time()
    auditor = Auditor(model=None, rules=[], percent_model=None)
    copies = bool(extra_texts or alike_texts) and domain_copies  # per-corpus feature copies (percent_model.AUDIT_DOMAIN)
    ex = examples(texts, auditor, bits, one_sign=one_sign, domain=AUDIT_DOMAIN if copies else None)
    rows, y, groups, reasons, items = ex["rows"], ex["labels"], ex["groups"], ex["reasons"], ex["items"]
    kept = ex["one_sign"]
    if y.sum() == 0 or y.all():
        raise ValueError("the corpus needs bare numbers both with and without a % sign after them: "
                         f"it has {int(y.sum())} with and {int((~y).sum())} without")
    X = _matrix(rows, bits)
    extra_examples = examples(extra_texts, auditor, bits, domain="extra" if copies else None) if extra_texts \
        else {"rows": [], "labels": np.zeros(0, bool)}
    if alike_texts:
        alike = examples(alike_texts, auditor, bits, domain=AUDIT_DOMAIN if copies else None)
        extra_examples = {name: list(extra_examples.get(name, [])) + list(alike[name])
                          for name in ("rows", "labels", "windows", "reasons")}
        extra_examples["labels"] = np.array(extra_examples["labels"], dtype=bool)
    extra_rows, extra_y = extra_examples["rows"], extra_examples["labels"]
    X_extra = _matrix(extra_rows, bits) if extra_rows else None
    log(f"{len(texts)} documents, {int((~kept).sum())} bare numbers, {int(y[~kept].sum())} carried a % sign; "
        f"{int(kept.sum())} bare numbers in copies with one sign removed"
        + (f"; extra and alike: {len(extra_texts)} + {len(alike_texts)} documents, {len(extra_rows)} bare numbers, "
           f"{int(extra_y.sum())} with %" if extra_texts or alike_texts else ""))

    def fit(rows_mask):
        if X_extra is None:
            return _fit(X[rows_mask], y[rows_mask], C, seed)
        return _fit(vstack([X[rows_mask], X_extra]), np.concatenate([y[rows_mask], extra_y]), C, seed)

    rng = np.random.default_rng(seed)
    fold_of_doc = rng.integers(0, folds, size=int(groups.max()) + 1)
    fold = fold_of_doc[groups]
    oof = np.zeros(len(y))  # the first stage's out-of-fold log-odds
    fold_models = []
    for k in range(folds):
        train_rows, test_rows = fold != k, fold == k
        if y[train_rows].sum() == 0 or not test_rows.any():
            continue
        fold_models.append(fit(train_rows))
        oof[test_rows] = fold_models[-1].decision_function(X[test_rows])
    # The document stage learns from out-of-fold first-stage scores, as it will meet them on new text,
    # and is cross-validated on the same folds.
    D = document_matrix(items, ex["docs"], oof, ex["signed"])
    final = sigmoid(oof)
    if document_stage:
        for k in range(folds):
            train_rows, test_rows = fold != k, fold == k
            if y[train_rows].sum() == 0 or y[train_rows].all() or not test_rows.any():
                continue
            final[test_rows] = _fit_trees(D[train_rows], y[train_rows], seed).predict_proba(D[test_rows])[:, 1]
    reader_model = None
    if reader:
        from .percent_reader import combine, fit_readers, reads

        n_main = len(y)
        extra_windows = extra_examples.get("windows", [])
        windows = list(ex["windows"]) + list(extra_windows)
        all_reasons = list(reasons) + list(extra_examples.get("reasons", []))
        all_labels = np.concatenate([y, extra_y]).astype(bool)
        is_extra = np.r_[np.zeros(n_main, bool), np.ones(len(extra_windows), bool)]
        extra_rows = np.arange(n_main, len(windows))
        plan = [(np.r_[np.flatnonzero(fold != k), extra_rows], np.flatnonzero(fold == k)) for k in range(folds)]
        plan = [(tr, te) for tr, te in plan if all_labels[tr].any() and len(te)]
        log(f"reader: {len(plan)} fold models, {reader_epochs} epochs each, on {n_main} + {len(extra_windows)} numbers")
        reader_model, reader_oof = fit_readers(windows, all_reasons, all_labels, is_extra, plan, epochs=reader_epochs,
                                               seed=seed, article_weight=reader_weight,
                                               progress=lambda i: log(f"reader: epoch {i} of {len(plan) * reader_epochs} "
                                                                      f"({time.time() - started:.0f} s)"))
        stages = final
        final = np.where(reads(stages), combine(stages, reader_oof[:n_main]), stages)
        before = choose(stages[~kept], y[~kept], [r for r, k in zip(reasons, kept) if not k], target_precision)[2]
        log(f"without the reader, on the same folds: recall {before['recall']:.3f}, precision {before['precision']:.3f}")
    # The threshold is chosen on the texts with every sign removed; the copies with one removed are
    # measured at it.
    full = ~kept
    full_reasons = [r for r, k in zip(reasons, kept) if not k]
    threshold, trusted, cv = choose(final[full], y[full], full_reasons, target_precision)
    log(f"cross-validated ({folds} folds by document): threshold {threshold:.3f}, trusted rules {trusted}, "
        f"recall {cv['recall']:.3f}, precision {cv['precision']:.3f}")
    first_cv = choose(sigmoid(oof[full]), y[full], full_reasons, target_precision)[2] if document_stage else cv
    one_sign_cv = None
    if kept.any():
        flagged = kept & ((final >= threshold) | np.array([r in trusted for r in reasons]))
        one_sign_cv = {"recall": float((flagged & y).sum() / max(1, (kept & y).sum())),
                       "precision": float(y[flagged].mean()) if flagged.any() else float("nan"),
                       "copies": int(len(np.unique(ex["docs"][kept]))), "false_alarms": int((flagged & ~y).sum())}
        log(f"copies with one sign removed, at that threshold: recall {one_sign_cv['recall']:.3f}, "
            f"precision {one_sign_cv['precision']:.3f}")
    weights = np.zeros(2 ** bits, dtype=np.float32)
    if document_stage:
        # The shipped first stage is the mean of the fold models (for a linear model, the mean of their
        # log-odds): its scores on new text are distributed as the out-of-fold scores the document
        # stage learned from. A model fitted on all the data scores more boldly, and the document stage,
        # reading those bolder scores, flags more than its threshold was chosen for.
        weights[:] = np.mean([m.coef_[0] for m in fold_models], axis=0)
        bias = float(np.mean([m.intercept_[0] for m in fold_models]))
    else:
        model = fit(np.ones(len(y), dtype=bool))
        weights[:] = model.coef_[0]
        bias = float(model.intercept_[0])
    trees = Trees.from_sklearn(_fit_trees(D, y, seed)) if document_stage else None
    output.mkdir(parents=True, exist_ok=True)
    np.save(output / "weights.npy", weights, allow_pickle=False)
    stage = trees.save(output / "trees.npy") if trees is not None else None
    if trees is None and (output / "trees.npy").exists():
        (output / "trees.npy").unlink()  # a model without a document stage: an older stage must not be read
    meta = {"feature_version": FEATURE_VERSION, "bits": bits, "bias": bias,
            "threshold": threshold, "trusted_reasons": trusted, "C": C, "seed": seed, "folds": folds,
            "target_precision": target_precision, "cross_validation": cv, "first_stage_cross_validation": first_cv,
            "one_sign": one_sign, "one_sign_cross_validation": one_sign_cv, "documents": len(texts),
            "candidates": int(full.sum()), "positives": int(y[full].sum()), "data": list(data), "extra": list(extra),
            "extra_documents": len(extra_texts), "alike_documents": len(alike_texts), "domain_copies": copies, "command": command,
            "seconds": round(time.time() - started, 1)}
    if stage is not None:
        meta["document_stage"] = stage
    if reader_model is not None:
        meta["reader"] = reader_model.save(output)
        meta["reader"].update(epochs=reader_epochs, article_weight=reader_weight)
        meta["without_reader_cross_validation"] = before
    elif (output / READER_FILE).exists():
        (output / READER_FILE).unlink()  # an older reader must not be read with new stages
    if dev_texts:
        from .percent_model import PercentModel

        meta["dev"] = evaluate(dev_texts, PercentModel.load_parts(weights, meta, trees, reader_model))
        log(f"dev: recall {meta['dev']['recall']:.3f}, precision {meta['dev']['precision']:.3f}")
    (output / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    write_model_card(output, card(meta))
    return meta


def score_document(auditor, text: str) -> tuple[str, set, set]:
    """``text`` without its % signs, the spans that carried one, and the spans ``percent_lost`` flags."""
    stripped, gold = strip_percent(text)
    flagged = {(f["start"], f["end"]) for f in auditor.audit_text(stripped)["flags"]
               if f["category"] == "percent_lost"}
    return stripped, gold, flagged


def evaluate(texts: list[str], model) -> dict:
    """Recall and precision of ``percent_lost`` with ``model`` at the exact positions of the % signs."""
    from ..audit import Auditor
    from .percent import PercentLost

    auditor = Auditor(model=None, rules=[], checks=[PercentLost(model=model)])
    tp = fp = fn = 0
    for text in texts:
        _, gold, flagged = score_document(auditor, text)
        tp += len(flagged & gold)
        fp += len(flagged - gold)
        fn += len(gold - flagged)
    return {"gold": tp + fn, "hits": tp, "false_alarms": fp, "recall": tp / max(1, tp + fn),
            "precision": tp / max(1, tp + fp)}


def card(meta: dict) -> str:
    cv = meta["cross_validation"]
    lines = [
        "# Lost-% detector",
        "",
        "A logistic regression over hashed features of each bare number (the characters around it, its",
        "shape, its place in the line, the rules' reason), trained by `medclaim train-percent`: every % sign",
        "of the corpus removed, the numbers that carried one as positives, every other bare number as a",
        "negative. Read by the `percent_lost` check (`pipeline/checks/percent.py`): a number is flagged",
        "when a trusted rule reason holds or the probability reaches the threshold.",
        "",
        *([
            "A second stage reads the whole text (`trees.npy`): gradient-boosted trees (scikit-learn's",
            "HistGradientBoostingClassifier, scored with NumPy) over each number's first-stage score, the scores",
            "of the two numbers on either side and their distance, the best score among the text's other",
            "numbers written the same (降低30 in the headline, 下降了30 in the body) and among those in the same",
            "frame (男性为30，女性为25，), and how many of the text's numbers read as percentages. It learns",
            "from out-of-fold first-stage scores, as it meets them on new text.",
            "Both stages also learn from copies of each text with one sign removed and the others kept",
            "(`--one-sign`), and read how many numbers a text writes with their sign.",
            "",
        ] if "document_stage" in meta else []),
        *([
            "A third reader (`reader.npz`) reads the characters around each number in order: a character BiLSTM",
            "(40 characters before, the number with its digits folded to 0, 20 after, and the rules' reason),",
            f"one a fold ({meta['reader']['folds']} trained with torch, {meta['reader']['epochs']} epochs each, the articles' numbers",
            f"repeated {meta['reader']['article_weight']} times), scored together with NumPy. A number the two stages give at least",
            "0.02 gets the mean of their log-odds and the reader's; the threshold was chosen on that mean,",
            "from out-of-fold scores.",
            "",
        ] if "reader" in meta else []),
        f"- Data: {', '.join(meta['data']) or 'given in the command'}; {meta['documents']} documents,",
        f"  {meta['candidates']} bare numbers, {meta['positives']} with a % sign. Extra training text (it joins",
        f"  every fold, chooses nothing): {', '.join(meta['extra']) or 'none'} ({meta['extra_documents']} documents)"
        + (", each feature learned shared and in a copy of its corpus's own; an audit reads the shared weights and "
           "the data's copy." if meta.get("domain_copies") else "."),
        f"- Features: version {meta['feature_version']}, hashed into 2**{meta['bits']} weights; C = {meta['C']}.",
        f"- Threshold {meta['threshold']:.3f} and trusted rule reasons {meta['trusted_reasons']}, chosen on",
        f"  out-of-fold probabilities ({meta['folds']} folds by document, seed {meta['seed']}) for precision",
        f"  >= {meta['target_precision']}: cross-validated recall {cv['recall']:.3f}, precision {cv['precision']:.3f}.",
    ]
    if meta.get("one_sign_cross_validation"):
        one = meta["one_sign_cross_validation"]
        lines.append(f"- {one['copies']} copies with one sign removed, at that threshold: recall {one['recall']:.3f}, "
                     f"precision {one['precision']:.3f}.")
    if "without_reader_cross_validation" in meta:
        w = meta["without_reader_cross_validation"]
        lines.append(f"- The two stages without the reader, on the same folds and precision: recall {w['recall']:.3f}, "
                     f"precision {w['precision']:.3f}.")
    if "document_stage" in meta:
        first = meta["first_stage_cross_validation"]
        lines.append(f"- The first stage alone, on the same folds: recall {first['recall']:.3f}, "
                     f"precision {first['precision']:.3f}.")
    if "dev" in meta:
        d = meta["dev"]
        lines.append(f"- On the dev data given: recall {d['recall']:.3f}, precision {d['precision']:.3f} "
                     f"({d['hits']} of {d['gold']} signs, {d['false_alarms']} false alarms).")
    lines += [f"- Training took {meta['seconds']} s.", "", "Command:", "", "```", meta["command"] or "(not recorded)",
              "```", ""]
    return "\n".join(lines)
