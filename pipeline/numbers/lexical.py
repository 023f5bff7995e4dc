"""Words that hold a numeral but are not numbers: 统一, 万一, 一些, 九死一生, 十二指肠.

A Chinese numeral found in running text is a number only when no such word covers it: one that starts
with it and runs past what was matched (一次性 past 一次, 十二指肠 past 十二), a listed word or idiom
that is exactly the match (一起, 三七 the herb), or one that runs in from before it (统一 over 一个,
九死一生 over 一). Words that start
with the numeral: every entry of jieba's dictionary that holds a numeral character and is not tagged
as a numeral (m, mq), measure word (q) or time word (t), plus ``numeral_words.yml``. Words that run in
from before: only idioms (tag i), words with a financial numeral (大陆, 队伍, 收拾)
and that list, since jieba's other entries overlap ordinary numbers too often (天一 over 每天一杯).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..resources import load_yaml

NUMERAL_CHARS = "零〇○一壹二贰两俩三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟廿卅万亿几"
_HAS_NUMERAL = re.compile(f"[{NUMERAL_CHARS}]")
_FINANCIAL = re.compile("[壹贰叁肆伍陆柒捌玖拾佰仟]")
NUMERIC_TAGS = {"m", "mq", "q", "t"}
MAX_WORD = 8


IDIOM_TAGS = {"i"}
# what may follow a quantity inside one of jieba's words without making it another word: 十几年来
QUANTITY_TAILS = {"来", "以来", "前", "后", "内", "左右", "多", "之久", "之后", "以前", "以后", "以上", "以下", "如一日"}


@lru_cache(maxsize=None)
def non_numeric_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that may start with a numeral, words that may run into one from before): read from
    jieba's dictionary (half a second) once, then from medclaim's disk cache."""
    import sys

    from ..cache import cached
    from ..resources import jieba_dictionary_digest

    listed = (resources.files("pipeline.numbers") / "numeral_words.yml").read_text("utf-8")
    return cached("numeral-words", [jieba_dictionary_digest(), listed], lambda: _non_numeric_words(listed),
                  code=[sys.modules[__name__]])


def _non_numeric_words(listed_yaml: str) -> tuple[frozenset[str], frozenset[str]]:
    import jieba

    with jieba.get_dict_file() as f:
        dictionary = f.read()
    starting: set[str] = set()
    running_in: set[str] = set()
    for line in dictionary.decode("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and 1 < len(parts[0]) <= MAX_WORD and parts[2] not in NUMERIC_TAGS \
                and _HAS_NUMERAL.search(parts[0]):
            starting.add(parts[0])
            if parts[2] in IDIOM_TAGS or _FINANCIAL.search(parts[0]):
                running_in.add(parts[0])  # 大陆, 队伍, 收拾: the financial forms are common characters
    data = load_yaml(listed_yaml)
    unknown = set(data) - {"words"}
    if unknown:
        raise ValueError(f"numeral_words.yml: unknown key {sorted(unknown)[0]!r}")
    listed = {str(w) for w in data["words"]}
    return frozenset(starting | listed), frozenset(running_in | listed)


@lru_cache(maxsize=None)
def _entries() -> tuple[frozenset[str], frozenset[str]]:
    """Two-character keys that must be in the text before a word can cover a numeral there: a
    starting word's first two characters; a running-in word's character before a numeral and it."""
    starting, running_in = non_numeric_words()
    heads = frozenset(w[:2] for w in starting)
    joins = frozenset(w[i - 1:i + 1] for w in running_in for i in range(1, len(w)) if w[i] in NUMERAL_CHARS)
    return heads, joins


def covered(text: str, start: int, end: int, match_end: int | None = None) -> bool:
    """True when a non-numeric word covers the numeral ``text[start:end]`` (matched up to ``match_end``)."""
    starting, running_in = non_numeric_words()
    heads, joins = _entries()
    match_end = end if match_end is None else match_end
    # a word starting with the numeral and running past the match (一次性), or a listed word or idiom
    # that ends where the match does (一起, 三七); 两块钱 is a word of jieba's but still a sum
    if text[start:start + 2] in heads:
        for q in range(max(match_end, start + 2), min(len(text), start + MAX_WORD) + 1):
            word = text[start:q]
            if word in running_in or (word in starting and q > match_end
                                      and text[match_end:q] not in QUANTITY_TAILS):
                return True
    # a word running in from before: 统一, 万一, 九死一生 (over 一)
    if start and text[start - 1:start + 1] in joins:
        for p in range(max(0, start - MAX_WORD + 1), start):
            for q in range(start + 1, min(len(text), p + MAX_WORD) + 1):
                if text[p:q] in running_in:
                    return True
    return False
