"""The learned lost-% detector: which bare numbers in running text lost their % sign.

Real text labels itself: in an article every number that carries a % is a positive and every other
bare number a negative. ``medclaim train-percent`` strips the signs from a corpus, reads each bare
number's features here, and fits a logistic regression (scikit-learn) on them; the model ships as a
hashed weight vector (``weights.npy``) with ``meta.json``, and scoring needs only NumPy.

Features (strings, hashed with CRC-32 into ``2**bits`` slots): the characters just before and after
the number as n-grams (digits folded to 0, Latin letters to a), the characters of the clause before
it, the number's shape (decimals, digits, size, leading zero), its place in the line (a line or
sentence start, brackets, a list mark after it), the rules' reason (a rate word before it, a change,
a share, ...), and what else the sentence holds (a rate word, other bare numbers).

A second stage reads the whole text: a small gradient-boosted tree ensemble (``trees.npy``) over each
number's first-stage score, the scores of the two numbers on either side of it and their distance,
the best score among the text's other numbers written the same and among those in the same frame,
and how many of the text's bare numbers read as percentages (:func:`document_features`). A list of
shares (疼痛95.5、虚弱56.0、发热31.1) and a text full of rates lift the numbers in them; a lone number
among counts does not. Numbers written with their % sign are not read as neighbours; their count is
a feature of both stages, which learn from text with every sign removed and from the same text with
one sign removed and the others kept (a writer who writes the signs seldom drops one).
Scoring it needs only NumPy as well.
"""
from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from importlib import resources
from pathlib import Path

import numpy as np

from ..analysis import Analysis
from ..numbers.model import Number
from .context import clause_before

if TYPE_CHECKING:
    from .percent_reader import Reader

FEATURE_VERSION = 6
DEFAULT_MODEL = "percent-zh"
ARABIC = re.compile(r"[0-9]")
_FOLD = str.maketrans("0123456789" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                      "0000000000" + "a" * 52)
LINE_START = re.compile(r"(?:^|\n)[ \t\u3000]*$")
SENTENCE_START = re.compile(r"(?:^|[。！？!?；;\n])[ \t\u3000]*$")
LIST_MARK_AFTER = re.compile(r"^(?:[.、．)）:：]|\s)")
REFERENCE = re.compile(r"[\[【［][\d,，\-–\s]*$")
REFERENCE_END = re.compile(r"^[\d,，\-–\s]*[\]】］]")
CENTURY_AFTER = re.compile(r"^\s?(?:世纪|年代|年|月|日|号|级|期|届|版|页|楼|层|路|岁|型|类)")
VERSION = re.compile(r"(?:[vV]|版本|版|No\.?|NO\.?|编号|代码|型号|电话|热线|手机|QQ|微信|邮编)\s?$")
CODE_AFTER = re.compile(r"^[-–]\d{4,}")  # 010-12345678
# A count of repetitions (做50下), a rate per population (1.2/10万), an ordinal range (第4-8), a factor
# (乘以2.5): never a percentage.
REPEAT_AFTER = re.compile(r"^\s?下(?![降跌滑调午面列去来旬半方肢班次一载的属游级水层])")
PER_POPULATION_AFTER = re.compile(r"^\s?/\s?(?:\d|十万|万|千|百)")
ORDINAL_RANGE_BEFORE = re.compile(r"第\s?\d+\s?[-~～至到–]\s?$")
FACTOR_BEFORE = re.compile(r"(?:乘以|除以)\s?$")
# A magnitude or a rough count after the digits (37亿, 13多万, 20 多种, 20几个, 20来栋, 27省市) or a ratio
# (9比1): a quantity.
QUANTITY_AFTER = re.compile(r"^\s?(?:(?:多|余)?\s?(?:万|亿|千万|百万)|(?:多|余|几|来)\s?(?:种|个|名|人|例|家|项|次|倍|位|只|条|件|所|年|天|栋|座|辆|户|篇|场|本|斤|岁)"
                            r"|省市|省份|省区|省(?![钱力时事心])|个国家)")
# Degrees (38°, 113ºF), a measure word after a space (与 12 种), 两 of weight after digits (3两), a
# toxicological dose (LC 50): quantities of their own.
OWN_UNIT_AFTER = re.compile(r"^(?:\s?[°º゜˚]|\s(?:种|个|名|人|例|家|项|次|位|只|条|件|所|倍|岁)|两(?![个种次组者人]))")
DOSE_NAME_BEFORE = re.compile(r"(?:LC|LD|IC|EC|ED|TD)\s?$")
RATIO = re.compile(r"\d\s?比\s?$|\d\s?[:：∶]\s?\d+(?:\.\d+)?\s?[:：∶]\s?$")
RATIO_AFTER = re.compile(r"^\s?比\s?\d|^\s?[:：∶]\s?\d+(?:\.\d+)?\s?[:：∶]\s?\d")  # 3:4:3
# An index's or a measure's value (体质指数为23.5, GI也才只有41, pH值在7.35, 莫氏硬度为3, 相关系数0.42), and a
# range whose end has a unit (1至2级, 7至9月).
INDEX_BEFORE = re.compile(r"(?:体质指数|体重指数|质量指数|BMI|腰臀比|血糖生成指数|升糖指数|血糖负荷|GI值?|pH值?|PH值?|相关系数|硬度|CT值)"
                          r"(?:\s|[（(][^)）]{0,8}[)）]|[为是达到在约近有仅只也才都还就则:：=＝<>≤≥＜＞]|大于|小于|超过|低于|高于|高达|低至|"
                          r"控制在|保持在)*$")
RANGE_WITH_UNIT_AFTER = re.compile(r"^\s?(?:至|到|-|~|～|–|—)\s?\d+(?:\.\d+)?\s?(?:世纪|年代|年|月|日|号|级|期|届|版|页|楼|层|路|岁|型|"
                                   r"类|个|次|天|周|小时|分钟|秒|倍|名|人|例|种|元|克|斤|公斤|千克|毫克|米|厘米|毫升|升)")
# The text speaks of rates per population (每10万人, /10万, 万分之): its bare rates need not be percentages.
PER_POPULATION = re.compile(r"(?:每|/)\s?(?:10|十|百|1)万|十万分之|万分之")
# An element's name, then a whole number: an isotope or a compound's name (碳14, 钾40, 辅酶Q10).
ISOTOPE_BEFORE = re.compile(r"(?:碳|钾|铀|钚|铯|锶|碘|钴|氚|氘|镭|氡|钋|氮|氧|氢|钙|铁|锌|硒|Q)$")


def is_candidate(a: Analysis, n: Number) -> bool:
    """A bare number written in Arabic digits that no structure rules out."""
    if n.kind != "number" or not isinstance(n.value, (int, float)) or n.value <= 0 or n.value > 1000:
        return False
    return bool(ARABIC.search(a.norm[n.start:n.end])) and not structural_negative(a, n)


def structural_negative(a: Analysis, n: Number) -> bool:
    """List and outline numbers, references, centuries and dates, versions, codes and phone numbers:
    never a lost percentage, whatever the words around them."""
    text = a.norm
    raw = text[n.start:n.end]
    before = text[max(0, n.start - 12):n.start]
    after = text[n.end:n.end + 6]
    if (LINE_START.search(before) or SENTENCE_START.search(before)) and (
            LIST_MARK_AFTER.match(after) or (raw.startswith("0") and len(raw) > 1 and "." not in raw)):
        return True  # 1. / 3、/ 。3 乳腺结节 / 07全国多地
    if REFERENCE.search(before) and REFERENCE_END.match(text[n.end:n.end + 12]):
        return True  # [7,8], [12]
    if CENTURY_AFTER.match(after) or CODE_AFTER.match(after):
        return True  # 20世纪, 010-1234
    if REPEAT_AFTER.match(after) or PER_POPULATION_AFTER.match(after) or ORDINAL_RANGE_BEFORE.search(before) \
            or QUANTITY_AFTER.match(text[n.end:n.end + 8]) or OWN_UNIT_AFTER.match(after):
        return True
    if _named_by_left(text, n) or RANGE_WITH_UNIT_AFTER.match(text[n.end:n.end + 16]):
        return True  # 体质指数为23.5, 版本3.1, 碳14, 乘以2.5, LC 50; 1至2级
    start = _range_start(a, n)
    if start is not None and _named_by_left(text, start):
        return True  # the end of a range takes its start's kind: 体质指数控制在20~21
    if RATIO.search(before) or RATIO_AFTER.match(after):
        return True  # 9比1, 3比1: a ratio or a score
    if CLOCK_BEFORE.search(before) or CLOCK_AFTER.match(after):
        return True  # 10：30, 10:30
    if DOT_BEFORE.search(before) or DOT_AFTER.match(after):
        return True  # “7·21”特大自然灾害, 9·11事件
    if _list_with_unit(a, n):
        return True  # 1.1、0.3、1.5和1.6公斤: the unit at the list's end is every item's
    digits = sum(c.isdigit() for c in raw)
    return digits >= 7 or (raw.startswith("0") and "." not in raw and digits >= 3)


def _named_by_left(text: str, n: Number) -> bool:
    """Whether the words before ``n`` make it an index, a version or code, an isotope, a factor or a dose
    (体质指数为23.5, 版本3.1, 碳14, 乘以2.5, LC 50)."""
    before = text[max(0, n.start - 12):n.start]
    return bool(INDEX_BEFORE.search(text[max(0, n.start - 24):n.start]) or VERSION.search(before)
                or (ISOTOPE_BEFORE.search(before) and "." not in text[n.start:n.end])
                or FACTOR_BEFORE.search(before) or DOSE_NAME_BEFORE.search(before))


RANGE_GAP = re.compile(r"\s?(?:至|到|-|~|～|–|—)\s?")


def _range_start(a: Analysis, n: Number) -> Number | None:
    """The number that starts the range ``n`` ends (20 in 20~21), or None."""
    i = _number_index(a).get(id(n))
    if not i:
        return None
    m = a.numbers[i - 1]
    return m if RANGE_GAP.fullmatch(a.norm[m.end:n.start]) else None


def _number_index(a: Analysis) -> dict[int, int]:
    """Each number's place in ``a.numbers``, built once a text (a search per candidate would be
    quadratic in its numbers)."""
    index = a.__dict__.get("_number_index")
    if index is None:
        index = a.__dict__["_number_index"] = {id(m): k for k, m in enumerate(a.numbers)}
    return index


# A date or a chemical formula written with a middle dot: 7·21 and 9·11 (events named by their date),
# CaSO4·2H2O.
DOT_BEFORE = re.compile(r"\d\s?[·•]\s?$")
DOT_AFTER = re.compile(r"^\s?[·•]\s?\d")
CLOCK_BEFORE = re.compile(r"(?<![\d.])\d{1,2}\s?[:：]\s?$")
CLOCK_AFTER = re.compile(r"^\s?[:：]\s?\d{2}(?!\d)")
LIST_GAP = re.compile(r"\s?(?:[、/]|和|及|与|或)\s?")


def _list_with_unit(a: Analysis, n: Number) -> bool:
    """Whether ``n`` starts or continues a list of numbers whose last item carries a unit (not %)."""
    numbers = a.numbers
    i = _number_index(a).get(id(n))
    if i is None:
        return False
    current = n
    for m in numbers[i + 1:i + 12]:
        if not LIST_GAP.fullmatch(a.norm[current.end:m.start]):
            return False
        if m.unit:
            return m.unit not in ("%", "‰", "‱") and m.kind != "percent"
        current = m
    return False


def features(a: Analysis, n: Number, reason: str | None, sentence_rate: bool, bare_in_sentence: int,
             prev: Number | None = None, nxt: Number | None = None, signed: int = 0,
             structure: tuple = ("none", "none")) -> list[str]:
    """The feature strings of bare number ``n``; ``prev`` and ``nxt`` are the bare numbers beside it in
    its sentence (a list of shares, 疼痛95.5、虚弱56.0, reads as one); ``signed`` is how many numbers
    of the text are written with their % sign (a writer who writes them seldom drops one);
    ``structure`` is the rules' reason of the list ``n`` continues (its first item's) and of the other
    end of the range ``n`` is an end of (``"none"`` where there is none): 比例分别为75、67、61 and 30-50
    carry one kind of quantity in every item. A measure named earlier in the clause that is no share
    (升糖指数…一般在80到100之间, CT值越大（比如高于30或者35）) is a feature too."""
    text = a.norm
    raw = text[n.start:n.end]
    left = text[max(0, n.start - 12):n.start].translate(_FOLD).replace("\n", "⏎")
    right = text[n.end:n.end + 8].translate(_FOLD).replace("\n", "⏎")
    out = [f"reason={reason}", f"srate={sentence_rate}", f"nbare={min(bare_in_sentence, 5)}"]
    for k in range(1, 6):
        if len(left) >= k:
            out.append(f"L{k}={left[-k:]}")
    for k in range(1, 5):
        if len(right) >= k:
            out.append(f"R{k}={right[:k]}")
    out.extend(f"LB={c}" for c in set(left[-10:]))
    out.extend(f"RB={c}" for c in set(right[:6]))
    out.extend(f"L2={left[i:i + 2]}" for i in range(max(0, len(left) - 10), len(left) - 1))
    value = n.value
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    size = ("<1" if value < 1 else "<10" if value < 10 else "<100" if value < 100 else "100" if value == 100
            else "<1000")
    out += [f"dec={min(decimals, 3)}", f"size={size}", f"round10={value == int(value) and int(value) % 10 == 0}",
            f"shape={raw.translate(_FOLD)[:6]}", f"lead0={raw.startswith('0') and not raw.startswith('0.')}",
            f"linestart={bool(LINE_START.search(text[max(0, n.start - 4):n.start]))}",
            f"sentstart={bool(SENTENCE_START.search(text[max(0, n.start - 4):n.start]))}",
            f"size&reason={size}&{reason}", f"dec&R1={min(decimals, 2)}&{right[:1]}",
            f"perpop={PER_POPULATION.search(text, max(0, n.start - 80), n.end + 40) is not None}",
            f"signed={signed_bucket(signed)}", f"signed&reason={signed_bucket(signed)}&{reason}",
            f"listhead={structure[0]}", f"rangeend={structure[1]}",
            f"measure={_measure_before(a, n)}"]
    for side, m in (("P", prev), ("N", nxt)):
        if m is None:
            out.append(f"{side}=none")
            continue
        gap = (text[m.end:n.start] if side == "P" else text[n.end:m.start]).translate(_FOLD)
        other = text[m.start:m.end]
        out += [f"{side}gap={gap[:4] if side == 'N' else gap[-4:]}", f"{side}len={min(len(gap), 9)}",
                f"{side}dec={'.' in other}", f"{side}R1={text[m.end:m.end + 1].translate(_FOLD)}"]
    return out


# A measure that is not a share, named earlier in the number's clause: an index, a physiological value,
# a test's cycle threshold, a score.
MEASURE_IN_CLAUSE = re.compile(r"体质指数|体重指数|BMI|腰臀比|血糖生成指数|升糖指数|血糖负荷|GI值|pH|PH值|酸碱度|CT值|Ct值|"
                               r"心率|脉搏|血压|血糖|体温|评分|得分|分值|IQ|智商|分贝|浓度值|指数为|指数在")


ITEMS_BEFORE = re.compile(r"(?:\s?\d+(?:\.\d+)?\s?(?:至|到|-|~|～|–|、|和|或)\s?)*\s*$")  # 的 60～ | 70: the range's start


def _measure_before(a: Analysis, n: Number) -> bool:
    """Whether a measure that is no share is named earlier in ``n``'s clause, and ``n`` is not a part
    of it (最大心率的60～70 is a share of the heart rate)."""
    clause = clause_before(a, n, 30)
    return MEASURE_IN_CLAUSE.search(clause) is not None and not ITEMS_BEFORE.sub("", clause).endswith("的")


def signed_bucket(signed: int) -> str:
    return "0" if signed == 0 else "1" if signed == 1 else "2-4" if signed <= 4 else "5+"


@dataclass
class PercentModel:
    """A hashed logistic regression, ``logit(features) = bias + sum(weights[h(f)])``, and the document
    stage that reads those logits over a whole text (``trees``, where the model has one)."""
    weights: np.ndarray
    bias: float
    threshold: float
    bits: int
    meta: dict
    trees: "Trees | None" = None  # the document stage, where the model has one
    reader: "Reader | None" = None  # the character reader (percent_reader), where the model has one

    @classmethod
    def load(cls, path: str | Path) -> "PercentModel":
        path = Path(path)
        meta, weights = read_hashed_model(path, "a lost-% model")
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{path}: made for feature version {meta.get('feature_version')}, "
                             f"this medclaim reads version {FEATURE_VERSION}: retrain it with medclaim train-percent")
        trees = Trees.load(path / "trees.npy", meta["document_stage"]) if "document_stage" in meta else None
        reader = None
        if "reader" in meta:
            from .percent_reader import Reader

            reader = Reader.load(path, meta["reader"])
        return cls.load_parts(weights, meta, trees, reader)

    @classmethod
    def load_parts(cls, weights: np.ndarray, meta: dict, trees: "Trees | None" = None,
                   reader: "Reader | None" = None) -> "PercentModel":
        return cls(weights.astype(np.float64), float(meta["bias"]), float(meta["threshold"]), int(meta["bits"]), meta,
                   trees, reader)

    def logit(self, feats: list[str]) -> float:
        """The first stage's log-odds for one number's features."""
        domain = AUDIT_DOMAIN if self.meta.get("domain_copies") else None
        return self.bias + float(self.weights[hashed(feats, self.bits, domain)].sum())

    def probabilities(self, items: list["Item"], logits: np.ndarray, signed: int = 0, norm: str | None = None) -> np.ndarray:
        """The final probability of each of a text's bare numbers (in text order), given their first-stage
        logits and how many numbers the text writes with their % sign: the document stage where the
        model has one, else the first stage; averaged in log-odds with the character reader's where the
        model has one (it reads ``norm``, the normalised text the items point into)."""
        p = sigmoid(logits) if self.trees is None else sigmoid(self.trees.raw(document_features(items, logits, signed)))
        if self.reader is None or norm is None:
            return p
        from .percent_reader import combine, reads, window

        read = np.flatnonzero(reads(p))
        if len(read):
            z = self.reader.logits([window(norm, items[i].start, items[i].end) for i in read], [items[i].reason for i in read])
            p = p.copy()
            p[read] = combine(p[read], z)
        return p


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


# ---- the document stage ---------------------------------------------------------------------------

REASON_CODES = {None: 0, "rate": 1, "change": 2, "compare": 3, "share": 4, "threshold": 5, "ci": 6}
DOCUMENT_FEATURES = (
    "logit", "reason", "decimals", "numbers", "numbers_over_half", "mean_logit", "top3_logit",
    "prev_logit", "prev_gap", "next_logit", "next_gap", "prev2_logit", "prev2_gap", "next2_logit", "next2_gap",
    "with_reason", "share_with_reason", "signed",
    "same_value_logit", "same_value_count", "same_frame_logit",
)


@dataclass(frozen=True)
class Item:
    """A bare number the document stage reads."""
    start: int
    end: int
    reason: str | None = None
    decimals: int = 0
    written: str = ""  # the number as the text writes it (30, 89.3)
    frame: str = ""  # the two characters before it and the one after it, normalised (性为|, in 男性为30，)


def document_features(items: list[Item], logits: np.ndarray, signed: int = 0) -> np.ndarray:
    """One row of :data:`DOCUMENT_FEATURES` per item (a text's bare numbers in text order), given the
    first stage's log-odds of each and how many numbers the text writes with their % sign."""
    n = len(items)
    z = np.clip(logits, -13.8, 13.8)
    top3 = float(np.sort(z)[-min(3, n):].mean()) if n else 0.0
    with_reason = sum(1 for it in items if it.reason)
    common = [n, int((z > 0).sum()), float(z.mean()) if n else 0.0, top3]
    rows = np.empty((n, len(DOCUMENT_FEATURES)))
    same = _same(items, z)
    for k, it in enumerate(items):
        row = [z[k], REASON_CODES.get(it.reason, 0), it.decimals, *common]
        for j in (k - 1, k + 1, k - 2, k + 2):
            if 0 <= j < n:
                other = items[j]
                gap = it.start - other.end if j < k else other.start - it.end
                row += [z[j], min(gap, 60)]
            else:
                row += [np.nan, 99]
        row += [with_reason, with_reason / n, signed, *same[k]]
        rows[k] = row
    return rows


def _same(items: list[Item], z: np.ndarray) -> np.ndarray:
    """What the text's other bare numbers say of each item: the highest log-odds among those written the
    same (a headline's 降低30 and the body's 下降了30), how many they are, and the highest among those in
    the same frame (男性为30，女性为25，: 性为|,). NaN where there is none."""
    out = np.full((len(items), 3), np.nan)
    out[:, 1] = 0
    for column, key in ((0, "written"), (2, "frame")):
        groups: dict[str, list[int]] = {}
        for k, it in enumerate(items):
            if getattr(it, key):
                groups.setdefault(getattr(it, key), []).append(k)
        for members in groups.values():
            if len(members) < 2:
                continue
            order = sorted(members, key=lambda j: -z[j])
            best, second = z[order[0]], z[order[1]]
            for j in members:  # the highest of the others: the second best for the best one
                out[j, column] = second if j == order[0] else best
            if column == 0:
                out[members, 1] = len(members) - 1
    return out


@dataclass
class Trees:
    """A gradient-boosted tree ensemble (trained with scikit-learn's HistGradientBoostingClassifier),
    its nodes flattened into one array and scored with NumPy: ``raw(X)`` is the log-odds."""
    nodes: np.ndarray  # (nodes, 6): feature (-1 at a leaf), threshold, left, right, value, missing goes left
    roots: np.ndarray
    baseline: float

    @classmethod
    def from_sklearn(cls, model) -> "Trees":
        parts, roots, offset = [], [], 0
        for (tree,) in model._predictors:  # one tree an iteration for a binary classifier
            nodes = tree.nodes
            block = np.zeros((len(nodes), 6))
            leaf = nodes["is_leaf"].astype(bool)
            block[:, 0] = np.where(leaf, -1, nodes["feature_idx"])
            block[:, 1] = nodes["num_threshold"]
            block[:, 2] = nodes["left"] + offset
            block[:, 3] = nodes["right"] + offset
            block[:, 4] = nodes["value"]
            block[:, 5] = nodes["missing_go_to_left"]
            parts.append(block)
            roots.append(offset)
            offset += len(nodes)
        return cls(np.vstack(parts), np.array(roots, dtype=np.int64), float(np.ravel(model._baseline_prediction)[0]))

    @classmethod
    def load(cls, path: Path, meta: dict) -> "Trees":
        try:
            nodes = np.load(path, allow_pickle=False)
            roots, baseline = np.array(meta["roots"], dtype=np.int64), float(meta["baseline"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a lost-% document stage ({exc})") from None
        if nodes.ndim != 2 or nodes.shape[1] != 6 or (len(roots) and roots.max() >= len(nodes)):
            raise ValueError(f"{path}: the document stage's nodes have shape {nodes.shape}")
        return cls(nodes.astype(np.float64), roots, baseline)

    def save(self, path: Path) -> dict:
        """Write the nodes to ``path``; the rest goes in ``meta.json`` (returned)."""
        np.save(path, self.nodes, allow_pickle=False)
        return {"roots": self.roots.tolist(), "baseline": self.baseline, "features": list(DOCUMENT_FEATURES)}

    def raw(self, X: np.ndarray) -> np.ndarray:
        """The ensemble's log-odds for each row of ``X``: every tree walked at once, a level a step."""
        if not len(X):
            return np.zeros(0)
        at = np.broadcast_to(self.roots, (len(X), len(self.roots))).copy()
        rows = np.arange(len(X))[:, None]
        nodes = self.nodes
        while True:
            node = nodes[at]
            feature = node[..., 0].astype(np.int64)
            inner = feature >= 0
            if not inner.any():
                break
            x = X[rows, np.where(inner, feature, 0)]
            left = np.where(np.isnan(x), node[..., 5] > 0, x <= node[..., 1])
            at = np.where(inner, np.where(left, node[..., 2], node[..., 3]).astype(np.int64), at)
        return self.baseline + nodes[at, 4].sum(axis=1)


def read_hashed_model(path: Path, what: str) -> tuple[dict, np.ndarray]:
    """``meta.json`` and ``weights.npy`` of a hashed linear model, the weights' length checked against
    ``meta["bits"]``; a ValueError naming the folder where they cannot be read."""
    try:
        meta = json.loads((path / "meta.json").read_text("utf-8"))
        weights = np.load(path / "weights.npy", allow_pickle=False)
        bits = int(meta["bits"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not {what} ({exc})") from None
    if weights.shape != (2 ** bits,):
        raise ValueError(f"{path}: weights.npy has shape {weights.shape}, meta.json says 2**{bits}")
    return meta, weights


def hashed(feats: list[str], bits: int, domain: str | None = None) -> list[int]:
    """The features' slots; with ``domain`` each feature also has a copy of that domain's own (see
    :data:`AUDIT_DOMAIN`)."""
    mask = (1 << bits) - 1
    if domain is not None:
        feats = list(feats) + [f"{f}|{domain}" for f in feats]
    return [zlib.crc32(f.encode("utf-8")) & mask for f in feats]


# Per-corpus feature copies ("frustratingly easy" domain adaptation): a model trained with other text
# besides the articles (``train-percent --extra``) learns each feature twice, once shared and once in the
# copy of its corpus (``main`` for the articles, ``extra`` for the rest). An audit reads the shared
# weights and the articles' copy: what the papers and broadcasts teach about the register they share
# with the articles is kept, what is theirs alone stays in their copy.
AUDIT_DOMAIN = "main"


def load_named(name: str | None, default: str, load):
    """A model by name: ``"default"``, the shipped folder ``default`` of ``pipeline.models`` (None when
    it is not installed); a folder, read by ``load``; None, no model."""
    if name is None:
        return None
    if name == "default":
        node = resources.files("pipeline.models") / default
        if not node.is_dir():
            return None
        with resources.as_file(node) as path:
            return load(path)
    return load(name)


@lru_cache(maxsize=4)
def load_model(name: str | None) -> PercentModel | None:
    """``"default"``: the shipped model (None when it is not installed); a folder; None: no model."""
    return load_named(name, DEFAULT_MODEL, PercentModel.load)
