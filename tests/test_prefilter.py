"""The look-ahead put in front of rule expressions: which characters a match can start with, and the
same matches with it as without it."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.rules.prefilter import first_characters, with_lookahead


@pytest.mark.parametrize("pattern,chars", [
    ("根治|药到病除", {"根", "药"}),
    ("(?<![不未])(?:能够|能|可以)地?降血糖", {"能", "可"}),  # a look-behind consumes nothing
    ("a?b", {"a", "b"}),
    ("(?:最)?好的", {"最", "好"}),
    ("[0-3]%", {"0", "1", "2", "3"}),
    ("^最", {"最"}),
    ("x{0,2}y", {"x", "y"}),
])
def test_first_characters_lists_every_way_a_match_can_start(pattern, chars):
    assert first_characters(pattern) == chars


@pytest.mark.parametrize("pattern", ["a*", "(?:x)?", ".x", "[^a]b", r"\w+", "(?i)abc", "(?i:a)b",
                                     "[\u4e00-\u9fff]病", r"(a?)\1b", "a|"])
def test_first_characters_gives_up_where_it_cannot_list_them(pattern):
    assert first_characters(pattern) is None
    assert with_lookahead(pattern) == pattern


def test_digits_and_spaces_stay_classes_in_the_lookahead():
    assert first_characters(r"\d+岁|\s?例") == {r"\d", r"\s", "例"}
    regex = re.compile(with_lookahead(r"[一两\d]个疗程"))
    assert regex.pattern.startswith("(?=[") and regex.findall("３个疗程、两个疗程、几个疗程") == ["３个疗程", "两个疗程"]


def test_a_pattern_with_global_flags_is_left_as_it_is():
    assert with_lookahead("(?s)a.b") == "(?s)a.b"


def test_a_set_with_special_characters_is_escaped():
    regex = re.compile(with_lookahead(r"[-\]^\\]x|y"))
    assert regex.findall("-x ]x ^x \\x y ax") == ["-x", "]x", "^x", "\\x", "y"]


PATTERNS = ["根治|药到病除", "(?<![不未])(?:能|可以)地?降(?:低)?血糖", r"\d+(?:\.\d+)?倍", r"(?:最)?好的[^,。]{0,4}?医院",
            r"[一两三\d]个疗程[^,;。]{0,6}?(?:就能)?(?:痊愈|见效)", r"(?:预约|咨询)\s?电话", "a?b|b{2,}"]
ALPHABET = list("根治药到病除不未能可以地降低血糖0123.倍最好的医院,。一两三个疗程就痊愈见效预约咨询电话ab \u3000")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=60).map("".join), st.sampled_from(PATTERNS),
       st.integers(0, 10), st.integers(0, 60))
def test_the_same_matches_with_the_lookahead(text, pattern, pos, endpos):
    plain, fast = re.compile(pattern), re.compile(with_lookahead(pattern))
    assert fast.pattern != plain.pattern
    assert [m.span() for m in fast.finditer(text, pos, endpos)] == [m.span() for m in plain.finditer(text, pos, endpos)]


def test_every_shipped_rule_finds_the_same_spans_with_the_lookahead():
    """Each expression of each shipped rule, compiled as the engine compiles it, against itself without
    the look-ahead, on the seed article and every rule's examples."""
    from pathlib import Path

    from pipeline import Auditor

    auditor = Auditor(model=None, percent_model=None)
    texts = [Path(__file__).parents[1].joinpath("seeds", "000_35dbd2b867d2ec31.txt").read_text("utf-8")]
    looked_ahead = 0
    for compiled in auditor.rules.compiled:
        texts += [t for kind in ("positive", "negative") for t in (compiled.rule.examples or {}).get(kind, [])]
    for compiled in auditor.rules.compiled:
        regexes = [getattr(compiled, name, None) for name in ("regex", "loose")]
        regexes += [m.regex for m in (compiled.first, compiled.second, compiled.requires, compiled.unless) if m]
        for regex in filter(None, regexes):
            m = re.fullmatch(r"\(\?=\[.*?\]\)\(\?:(.*)\)", regex.pattern, re.S)
            if not m:
                continue
            looked_ahead += 1
            plain = re.compile(m.group(1))
            for text in texts:
                assert [x.span() for x in regex.finditer(text)] == [x.span() for x in plain.finditer(text)], compiled.rule.id
    assert looked_ahead >= 20
