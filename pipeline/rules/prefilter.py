"""The characters a regular expression's match can start with, for a cheap look-ahead in front of it.

Python's ``re`` skips ahead quickly only when a pattern starts with a literal or a plain set of
characters. A rule's alternation of many words and patterns (``根治|药到病除|(?<![不未])(?:能|可以)…``)
starts with neither, so every position of the text tries every branch. Put ``(?=[根药能可…])`` in
front and a position whose character cannot start a match fails at once; the matches are the same.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as C, _parser as P
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

MAX_RANGE = 256  # a wider range ([\u4e00-\u9fff]) gives up: the look-ahead would not pay


class _Unknown(Exception):
    """Something whose first character cannot be listed (., \\w, [^...], a back-reference ...)."""


def _first(items) -> tuple[set[str], bool]:
    """The characters the sequence ``items`` can start with, and whether it can match empty."""
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _first_of(op, av)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_of(op, av) -> tuple[set[str], bool]:
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE and value[1] - value[0] < MAX_RANGE:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is C.CATEGORY and value in _CATEGORIES:
                chars.add(_CATEGORIES[value])
            else:
                raise _Unknown
        return chars, False
    if op is C.BRANCH:
        chars, nullable = set(), False
        for alternative in av[1]:
            first, empty = _first(alternative)
            chars |= first
            nullable = nullable or empty
        return chars, nullable
    if op is C.SUBPATTERN:
        if av[1] or av[2]:  # flags switched inside the group, (?i:...)
            raise _Unknown
        return _first(av[3])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        chars, nullable = _first(av[2])
        return chars, nullable or av[0] == 0
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _first(av)
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return set(), True  # consumes nothing: the characters after it decide
    raise _Unknown


# \d and \s go into the look-ahead as they are: listing every Unicode digit or space would cost
# a pass over all of Unicode at start-up
_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s"}


def first_characters(pattern: str) -> set[str] | None:
    """Every character a non-empty match of ``pattern`` can start with (``\\d`` and ``\\s`` standing for
    every digit and every space); None where they cannot be listed (a match may start with any
    character, the pattern ignores case, or it can match empty)."""
    try:
        parsed = P.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        chars, nullable = _first(parsed)
    except (_Unknown, re.error):
        return None
    return None if nullable or not chars else chars


def with_lookahead(pattern: str) -> str:
    """``pattern`` behind a look-ahead for its first characters, where they can be listed."""
    chars = first_characters(pattern)
    if chars is None:
        return pattern
    charset = "".join(c if c in (r"\d", r"\s") else re.escape(c) for c in sorted(chars))
    wrapped = f"(?=[{charset}])(?:{pattern})"
    try:
        re.compile(wrapped)
    except re.error:  # global flags, (?s) at the pattern's start, must stay at the start
        return pattern
    return wrapped
