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
"""
from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..analysis import Analysis
from ..numbers.model import Number

FEATURE_VERSION = 2
DEFAULT_MODEL = "percent-zh"
ARABIC = re.compile(r"[0-9]")
_FOLD = str.maketrans("0123456789" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                      "0000000000" + "a" * 52)
LINE_START = re.compile(r"(?:^|\n)[ \t\u3000]*$")
SENTENCE_START = re.compile(r"(?:^|[。！？!?；;\n])[ \t\u3000]*$")
LIST_MARK_AFTER = re.compile(r"^(?:[.、．)）:：]|\s)")
REFERENCE = re.compile(r"[\[【［][\d,，\-–\s]*$")
REFERENCE_END = re.compile(r"^[\d,，\-–\s]*[\]】］]")
CENTURY_AFTER = re.compile(r"^\s?(?:世纪|年代|年|月|日|号|级|期|届|版|页|楼|层|路|岁)")
VERSION = re.compile(r"(?:[vV]|版本|版|No\.?|NO\.?|编号|代码|型号|电话|热线|手机|QQ|微信|邮编)\s?$")
CODE_AFTER = re.compile(r"^[-–]\d{4,}")  # 010-12345678


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
    if CENTURY_AFTER.match(after) or VERSION.search(before) or CODE_AFTER.match(after):
        return True  # 20世纪, 版本3.1, 010-1234
    if CLOCK_BEFORE.search(before) or CLOCK_AFTER.match(after):
        return True  # 10：30, 10:30
    if _list_with_unit(a, n):
        return True  # 1.1、0.3、1.5和1.6公斤: the unit at the list's end is every item's
    digits = sum(c.isdigit() for c in raw)
    return digits >= 7 or (raw.startswith("0") and "." not in raw and digits >= 3)


CLOCK_BEFORE = re.compile(r"(?<![\d.])\d{1,2}\s?[:：]\s?$")
CLOCK_AFTER = re.compile(r"^\s?[:：]\s?\d{2}(?!\d)")
LIST_GAP = re.compile(r"\s?(?:[、,，/]|和|及|与|或)\s?")


def _list_with_unit(a: Analysis, n: Number) -> bool:
    """Whether ``n`` starts or continues a list of numbers whose last item carries a unit (not %)."""
    numbers = a.numbers
    index = a.__dict__.get("_number_index")
    if index is None:  # built once a text: a search per candidate would be quadratic in its numbers
        index = a.__dict__["_number_index"] = {id(m): k for k, m in enumerate(numbers)}
    i = index.get(id(n))
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
             prev: Number | None = None, nxt: Number | None = None) -> list[str]:
    """The feature strings of bare number ``n``; ``prev`` and ``nxt`` are the bare numbers beside it in
    its sentence (a list of shares, 疼痛95.5、虚弱56.0, reads as one)."""
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
            f"size&reason={size}&{reason}", f"dec&R1={min(decimals, 2)}&{right[:1]}"]
    for side, m in (("P", prev), ("N", nxt)):
        if m is None:
            out.append(f"{side}=none")
            continue
        gap = (text[m.end:n.start] if side == "P" else text[n.end:m.start]).translate(_FOLD)
        other = text[m.start:m.end]
        out += [f"{side}gap={gap[:4] if side == 'N' else gap[-4:]}", f"{side}len={min(len(gap), 9)}",
                f"{side}dec={'.' in other}", f"{side}R1={text[m.end:m.end + 1].translate(_FOLD)}"]
    return out


@dataclass
class PercentModel:
    """A hashed logistic regression: ``probability(features) = sigmoid(bias + sum(weights[h(f)]))``."""
    weights: np.ndarray
    bias: float
    threshold: float
    bits: int
    meta: dict

    @classmethod
    def load(cls, path: str | Path) -> "PercentModel":
        path = Path(path)
        meta, weights = read_hashed_model(path, "a lost-% model")
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{path}: made for feature version {meta.get('feature_version')}, "
                             f"this medclaim reads version {FEATURE_VERSION}: retrain it with medclaim train-percent")
        return cls.load_parts(weights, meta)

    @classmethod
    def load_parts(cls, weights: np.ndarray, meta: dict) -> "PercentModel":
        return cls(weights.astype(np.float64), float(meta["bias"]), float(meta["threshold"]), int(meta["bits"]), meta)

    def probability(self, feats: list[str]) -> float:
        z = self.bias + float(self.weights[hashed(feats, self.bits)].sum())
        return 1.0 / (1.0 + np.exp(-z))


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


def hashed(feats: list[str], bits: int) -> list[int]:
    mask = (1 << bits) - 1
    return [zlib.crc32(f.encode("utf-8")) & mask for f in feats]


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
