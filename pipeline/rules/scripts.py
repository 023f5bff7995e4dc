"""Checks that data cannot express, named by ``extends: script`` rules (``script: NAME``).

A script gets the analysis and the rule and returns hits: ``(start, end, extra)`` where ``extra`` may
hold ``suggestion``, ``related`` or ``match`` (the text ``{match}`` stands for in the message).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..analysis import Analysis

Hit = tuple[int, int, dict]
SCRIPTS: dict[str, Callable] = {}


def script(name: str):
    def register(fn):
        SCRIPTS[name] = fn
        return fn
    return register


TRIAL_ID = re.compile(r"NCT\d{8}|ChiCTR[-A-Z0-9]{6,}|CTR\d{8}|ISRCTN\d{8}|JPRN-[A-Za-z0-9]+|EudraCT")
PEOPLE_UNITS = {"例", "人"}
EFFICACY = re.compile(r"率|生存|缓解|控制|有效|疗效|治愈|消退|缩小|延长|降低|下降|提升|提高|改善|杀伤|风险|活性")


@script("unsourced_claims")
def unsourced_claims(a: Analysis, rule, engine) -> list[Hit]:
    """An efficacy or numeric claim whose paragraph names no study, journal, trial id, sample size,
    or institution together with a date."""
    hits: list[Hit] = []
    by_id = {n.id: n for n in a.numbers}
    seen_paragraphs: dict[tuple[int, int], bool] = {}
    for claim in a.claims:
        nums = [by_id[i] for i in claim.numbers if i in by_id]
        if not nums or not (claim.metric and EFFICACY.search(claim.metric) or any(n.unit == "%" for n in nums)):
            continue
        para = a.paragraph_of(claim.start)
        if para not in seen_paragraphs:
            seen_paragraphs[para] = _has_source(a, para)
        if not seen_paragraphs[para]:
            hits.append((claim.start, claim.end, {}))
    return hits


def _has_source(a: Analysis, para: tuple[int, int]) -> bool:
    ents = [e for e in a.entities if para[0] <= e.start and e.end <= para[1]]
    if any(e.label == "PUBLICATION" for e in ents) or TRIAL_ID.search(a.norm, para[0], para[1]):
        return True
    nums = [n for n in a.numbers if para[0] <= n.start and n.end <= para[1]]
    if any(n.kind == "count" and (n.unit in PEOPLE_UNITS or n.label == "n") for n in nums):
        return True
    has_org = any(e.label == "ORG" for e in ents)
    has_date = any(n.kind == "date" for n in nums)
    return has_org and has_date


@lru_cache(maxsize=4)
def _standalone_ratio(jieba_tokenizer) -> dict[str, float]:
    """How often a character stands alone as a word (:func:`pipeline.segment.standalone_ratio`);
    medclaim's segmenter dictionary carries it computed."""
    from ..segment import standalone_ratio

    found = getattr(jieba_tokenizer, "standalone", None)
    return found if found is not None else standalone_ratio(jieba_tokenizer.FREQ)


_BOUND: dict[tuple[int, float], tuple[dict, frozenset[str]]] = {}


def _bound_characters(ratio: dict[str, float], limit: float) -> frozenset[str]:
    """The characters whose standalone ratio is under ``limit`` (made once a table and limit; the
    entry holds the table, so its id stays its own)."""
    key = (id(ratio), limit)
    if key not in _BOUND:
        _BOUND[key] = (ratio, frozenset(ch for ch, r in ratio.items() if r < limit))
    return _BOUND[key][1]


PREPOSITIONS = {"对", "针对", "在", "从", "为", "把", "被", "给", "向", "与"}


def _is_han(s: str) -> bool:
    return bool(s) and all("\u4e00" <= c <= "\u9fff" for c in s)


@script("text_corruption")
def text_corruption(a: Analysis, rule, engine) -> list[Hit]:
    """Characters lost so that a phrase cannot be read, found from the segmentation:

    - a preposition, then a bound morpheme left alone, then 的 (对癌的疾病控制率: which cancer?);
      the segmenter may have glued the two into one unknown word (对癌);
    - a bound morpheme left alone after a verb, forming no word with it, before a Latin term
      (获取化NK治疗方案; a suffix attaches to nouns and adjectives, 个体化, 试验组).

    A bound morpheme is a character that jieba's dictionary almost never lists as a word on its
    own, against how often it occurs inside words.
    """
    jt = engine.jieba
    if jt is None:
        return []
    ratio = _standalone_ratio(jt)
    freq = jt.FREQ
    limit = float(rule.options.get("params", {}).get("bound_ratio", 0.2))
    spans = a._word_spans
    norm = a.norm
    bound = _bound_characters(ratio, limit) if limit <= 1.0 else None
    last = len(spans) - 1
    candidates = []
    for i, (s, e) in enumerate(spans):
        # both cases end in a bound morpheme: a word of one character, or of two before 的
        n = e - s
        if bound is not None and (n > 2 or norm[e - 1] not in bound):
            continue
        if n == 2 and (i == last or norm[spans[i + 1][0]:spans[i + 1][1]] != "的"):
            continue
        candidates.append(i)

    def text_of(k: int) -> str:
        return a.norm[spans[k][0]:spans[k][1]] if 0 <= k < len(spans) else ""

    hits: list[Hit] = []
    for i in candidates:
        start, word = spans[i][0], text_of(i)
        prev, nxt = text_of(i - 1), text_of(i + 1)
        if nxt == "的" and len(word) == 2 and _is_han(word) and not freq.get(word) \
                and word[0] in PREPOSITIONS and ratio.get(word[1], 1.0) < limit:
            hits.append((start, start + 3, {}))  # 对癌的, glued by the segmenter
        elif len(word) == 1 and _is_han(word) and ratio.get(word, 1.0) < limit:
            if prev in PREPOSITIONS and nxt == "的":
                hits.append((spans[i - 1][0], start + 2, {}))
            elif (_is_han(prev) and len(prev) >= 2 and nxt[:1].isascii() and nxt[:1].isalpha()
                  and ratio.get(word, 1.0) < limit / 3 and not freq.get(prev + word)
                  and engine.word_tags().get(prev) == "v"):  # a suffix cannot follow a verb: 获取化
                hits.append((spans[i - 1][0], start + 1 + len(nxt), {}))
    return hits


@script("advertorial")
def advertorial(a: Analysis, rule, engine) -> list[Hit]:
    """Runs of passages that the advertorial model reads as advertising, one hit each, quoting their
    most promotional sentences (see :mod:`pipeline.checks.advertorial`)."""
    from ..checks.advertorial import (SCEPTIC, load_model, passage_scores, refutes, reports_news, reports_research,
                                      stretches)

    params = rule.options.get("params", {})
    model = load_model(params.get("model", "default"))
    # a fact-check's persuasive passages are the claims it quotes to refute; a research report's, its results
    if model is None or refutes(a) or reports_research(a) or reports_news(a):
        return []
    hits: list[Hit] = []
    threshold = params.get("threshold")
    for start, end, _ in stretches(passage_scores(a, model), model.threshold if threshold is None else float(threshold)):
        if SCEPTIC.search(a.norm, start, end):  # it weighs the evidence for what it reports
            continue
        inside = [(s, e) for s, e in a.sentences if start <= s and e <= end and e - s >= 6] or [(start, end)]
        top = sorted(sorted(inside, key=lambda se: -model.score(a.norm[se[0]:se[1]]))[:2])
        quote = "”“".join(a.text[s:min(e, s + 30)] + ("…" if e - s > 30 else "") for s, e in top)
        hits.append((start, end, {"match": quote}))
    return hits
