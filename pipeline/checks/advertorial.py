"""Advertorial passages: text that, taken as a whole, reads as advertising dressed as news or advice.

One promotional phrase does not make an advertorial and one sober sentence does not clear it, so the
judgement is made over a passage: consecutive paragraphs gathered until they hold at least
``MIN_PASSAGE`` characters (a long paragraph is a passage of its own). Each passage is scored by a
hashed logistic regression over character n-grams (1 to 3; digits folded to ``0``, Latin letters to
``a``, so that it learns the shape of claims, not particular values), with term counts scaled to unit
length so that long and short passages compare. Adjacent passages over the threshold make one
advertorial stretch, flagged once; the message quotes its most promotional sentences, scored by the
same model.

``medclaim train-advertorial`` fits the model (scikit-learn) from promotional and ordinary text; the
model ships as ``weights.npy`` and ``meta.json`` in ``models/advertorial-zh`` and scoring needs only
NumPy.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

FEATURE_VERSION = 2
DEFAULT_MODEL = "advertorial-zh"
MIN_PASSAGE = 150  # characters: shorter paragraphs join the next one
NGRAMS = (1, 2, 3)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z]+")
_SPACE = re.compile(r"\s+")
# An ellipsis between fragments ("…", "...", "⋯") reads as a sentence break: ad copy quoted in a
# notice joins its claims with it, and a model that learned the mark would learn the notice's layout.
_ELLIPSIS = re.compile(r"(?:…|⋯|\.{3,})+")


def fold(text: str) -> str:
    """Numbers to ``0``, Latin words to ``a``, ellipses to ``。``, runs of white space to one space
    (normalised text in)."""
    return _SPACE.sub(" ", _LATIN.sub("a", _DIGITS.sub("0", _ELLIPSIS.sub("。", text)))).strip()


def text_vector(text: str, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Character 1- to 3-grams of the folded text (``^`` and ``$`` at its ends), hashed with CRC-32
    into ``2**bits`` slots and counted by slot, scaled to unit length: the model's input, in training
    and in the audit alike."""
    s = f"^{fold(text)}$"
    mask = (1 << bits) - 1
    crc = zlib.crc32
    hashed = [crc(s[i:i + n].encode("utf-8")) & mask for n in NGRAMS for i in range(len(s) - n + 1)]
    idx, counts = np.unique(np.array(hashed, dtype=np.int64), return_counts=True)
    val = counts.astype(np.float64)
    norm = np.sqrt((val * val).sum())
    return idx, (val / norm if norm else val)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines, as offsets (the same spans as the analysis's paragraphs)."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def passages(paras: list[tuple[int, int]], min_chars: int = MIN_PASSAGE) -> list[tuple[int, int]]:
    """Consecutive paragraphs joined until each passage holds ``min_chars``; a short tail joins the
    passage before it."""
    out: list[list[int]] = []
    size = 0
    for s, e in paras:
        if out and size < min_chars:
            out[-1][1] = e
            size += e - s
        else:
            out.append([s, e])
            size = e - s
    if len(out) > 1 and size < min_chars // 2:
        tail = out.pop()
        out[-1][1] = tail[1]
    return [(s, e) for s, e in out]


@dataclass
class AdvertorialModel:
    """``probability(text) = sigmoid(bias + weights · unit-length hashed n-gram counts)``."""
    weights: np.ndarray
    bias: float
    threshold: float
    bits: int
    meta: dict

    @classmethod
    def load(cls, path: str | Path) -> AdvertorialModel:
        from .percent_model import read_hashed_model

        path = Path(path)
        meta, weights = read_hashed_model(path, "an advertorial model")
        if meta.get("kind") != "advertorial" or meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{path}: not an advertorial model of feature version {FEATURE_VERSION}: "
                             "retrain it with medclaim train-advertorial")
        return cls(weights.astype(np.float64), float(meta["bias"]), float(meta["threshold"]), int(meta["bits"]), meta)

    def score(self, text: str) -> float:
        idx, val = text_vector(text, self.bits)
        z = self.bias + float(self.weights[idx] @ val)
        return 1.0 / (1.0 + np.exp(-z))


@lru_cache(maxsize=4)
def load_model(name: str | None = "default") -> AdvertorialModel | None:
    """``"default"``: the shipped model (None when it is not installed); a folder; None: no model."""
    from .percent_model import load_named

    return load_named(name, DEFAULT_MODEL, AdvertorialModel.load)


def stretches(scored: list[tuple[int, int, float]], threshold: float) -> list[tuple[int, int, float]]:
    """Runs of adjacent scored passages over the threshold: ``(start, end, best score)``."""
    out: list[list] = []
    last = None
    for s, e, p in scored:
        if p >= threshold:
            if out and last == "hit":
                out[-1][1] = e
                out[-1][2] = max(out[-1][2], p)
            else:
                out.append([s, e, p])
            last = "hit"
        else:
            last = "miss"
    return [(s, e, p) for s, e, p in out]



# A passage that weighs evidence is no advertising: doubt about what it reports (看法并不统一, 有待证实,
# 还需要更多…实验, 证据不足, 难以判断). Found in none of the 528 real ad claims, 1 of 744 persuasive rumours
# and 6 of 433 ordinary answers (all 1,250 labelled texts), 115 of the 4,331 development articles.
SCEPTIC = re.compile(r"看法并不统一|看法不一|并不统一|尚无定论|存在争议|有争议|仍有争议|有待(?:进一步)?(?:研究|证实|验证|考证|确认)|"
                     r"还需要更多|尚需(?:更多|进一步)|需要更多[^。]{0,6}(?:研究|实验|试验|证据)|证据(?:不足|有限|还不够|尚不充分)|"
                     r"难以判断|尚不清楚|还不清楚|并不可靠|结论[^。]{0,6}草率|不一致的结果|结果不一致|缺乏[^。]{0,8}(?:研究|证据)")


# Words with which a fact-check refutes what it quotes. A text that uses them at least
# REFUTATION_CUES times is refuting: the health claims in it are the ones it takes apart (on the
# development parts: 57% of the real articles, 2 of 588 persuasive rumours, none of 335 ordinary answers).
REFUTATION = re.compile(r"谣言|辟谣|流言|谣传|不实信息|伪科学|(?:没有|并无|缺乏|毫无)(?:任何)?科学(?:依据|根据|证据)"
                        r"|纯属虚构|不可信|真相是|被证实是假|网传|误区|不靠谱|智商税")
REFUTATION_CUES = 2


def refutes_text(norm: str) -> bool:
    """Whether a normalised text reads as a fact-check: ``REFUTATION`` cues at least ``REFUTATION_CUES`` times."""
    return sum(1 for _ in zip(range(REFUTATION_CUES), REFUTATION.finditer(norm))) >= REFUTATION_CUES


def refutes(a) -> bool:
    """Whether the analysed text reads as a fact-check (:func:`refutes_text`); computed once a text."""
    found = a.__dict__.get("_refutes")
    if found is None:
        found = a.__dict__["_refutes"] = refutes_text(a.norm)
    return found


# The frame of a research report: a text with RESEARCH_MARKS of these kinds is a paper or a study's
# report, whose efficacy words (根治, 痊愈 as an outcome grade, 优于 between groups) describe its own
# results, not a sale.
RESEARCH = {
    "abstract": re.compile(r"摘\s?要[:：]|关键词[:：]|\bAbstract\b|Key ?words"),
    "methods": re.compile(r"(?:资料|材料|对象)(?:与|和)方法|纳入标准|排除标准|随机分为|统计学(?:方法|处理|分析)"),
    "groups": re.compile(r"(?:对照组|观察组|治疗组|实验组|研究组)[^。]{0,40}(?:对照组|观察组|治疗组|实验组|研究组)"),
    "statistics": re.compile(r"[Pp]\s?[<＜=≤]\s?0?\.0\d|95%\s?(?:CI|可信区间|置信区间)"),
    "references": re.compile(r"参考文献|\[\d+(?:[,，\-～~]\d+)*\]"),
}
RESEARCH_MARKS = 3
# Marks that are each a research report's frame alone: a structured abstract (目的…方法…结果…结论,
# in order, near the start: case reports and nursing papers carry one without groups or statistics) and
# in-text citations (numbered [12] or author-year, Artoni et al., 2021 / 张三等(2019)) at least
# SCHOLARLY_CITATIONS times (reviews). Counted on the corpora: 867 and 1,150 of 1,276 clinical papers,
# none of 528 real ad claims or 1,250 rumours and answers; 220 of 5,392 health articles (fact-checks
# and popular science with their references).
STRUCTURED_ABSTRACT = re.compile(r"目的[\s\S]{0,600}?方法[\s\S]{0,900}?结果[\s\S]{0,900}?结论")
# An abstract and its keywords near the start (摘要: … 关键词: …) are a paper's front matter, a frame alone
# as well: 912 of 1,276 clinical papers (26 of them, case reports and nursing papers, read as research by
# nothing else), 1 of 5,392 health articles, none of 1,423 news transcripts, 1,250 rumours and answers or
# 528 real ad claims.
ABSTRACT_HEAD = re.compile(r"摘\s?要\s?[:：]")
KEYWORDS_HEAD = re.compile(r"关键[词字]\s?[:：]")
IN_TEXT_CITATION = re.compile(r"\[\d+(?:[,，\-–～~]\d+)*\]|(?:[A-Z][A-Za-z\-]+ et al\.?|[A-Z][A-Za-z\-]+等)\s?[,，]?\s?[\[(（]?\d{4}"
                              r"|等\s?\[\d+")
SCHOLARLY_CITATIONS = 5
ABSTRACT_REACH = 4000  # characters from the start in which a structured abstract is looked for


def reports_research_text(norm: str) -> bool:
    """Whether a normalised text reads as a research report (:data:`RESEARCH`, or one of the marks
    that are a frame alone)."""
    if sum(bool(p.search(norm)) for p in RESEARCH.values()) >= RESEARCH_MARKS:
        return True
    if STRUCTURED_ABSTRACT.search(norm, 0, ABSTRACT_REACH):
        return True
    if ABSTRACT_HEAD.search(norm, 0, ABSTRACT_REACH) and KEYWORDS_HEAD.search(norm, 0, ABSTRACT_REACH):
        return True
    return sum(1 for _ in zip(range(SCHOLARLY_CITATIONS), IN_TEXT_CITATION.finditer(norm))) >= SCHOLARLY_CITATIONS


def reports_research(a) -> bool:
    """Whether the analysed text reads as a research report (:func:`reports_research_text`); computed once a text."""
    found = a.__dict__.get("_research")
    if found is None:
        found = a.__dict__["_research"] = reports_research_text(a.norm)
    return found


# The frame of a news report: an agency's or broadcaster's dateline or byline (央视网消息, 新华社…电,
# 本台记者, 本报讯, （记者 …）). Every one of 1,423 broadcast transcripts and 230 of 5,392 health
# articles carry one; none of 528 real ad claims or 1,250 rumours and answers. News shows products and
# names records (这款机器人, 全球首个, 唯一一家医院); a claim there is promotion only where a seller's
# voice or a medical institution speaks of itself (:func:`pipeline.rules.promotion.judge`).
NEWS = re.compile(r"央视网消息|新华社[^。\n]{0,20}电|中新社[^。\n]{0,20}电|中新网[^。\n]{0,20}电|本台(?:消息|记者)|联播快讯|"
                  r"新闻联播|本报讯|[（(]记者[^）)\n]{1,20}[）)]|总台记者")


def reports_news(a) -> bool:
    """Whether the analysed text carries a news dateline or byline (:data:`NEWS`); computed once a text."""
    found = a.__dict__.get("_news")
    if found is None:
        found = a.__dict__["_news"] = bool(NEWS.search(a.norm))
    return found


def passage_scores(a, model: AdvertorialModel) -> list[tuple[int, int, float]]:
    """The analysis's passages with their scores, computed once a text and model."""
    cache = a.__dict__.setdefault("_passage_scores", {})
    if id(model) not in cache:
        cache[id(model)] = [(s, e, model.score(a.norm[s:e])) for s, e in passages(paragraphs(a.norm))]
    return cache[id(model)]
