"""Sentence boundaries for Chinese and mixed text, as character offsets.

Works on the normalised text (full-width punctuation is already folded to half-width, so ``；`` and
``;`` are one case). A sentence ends at 。!?; and …, at a line break, and at a full stop ``.`` that
is not part of a number (89.3), an ellipsis or an abbreviation. It never ends inside brackets or
quotes (《》“”()「」『』【】), except at a line break; a bracket left open for more than
``MAX_BRACKET_SPAN`` characters is taken as unbalanced and ignored.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

TERMINATORS = frozenset("。!?;…")
PAIRS = {"(": ")", "《": "》", "“": "”", "‘": "’", "「": "」", "『": "』", "【": "】", "[": "]",
         "〔": "〕", "〈": "〉"}
CLOSERS = frozenset(PAIRS.values())
# What may trail a terminator and still belong to its sentence.
TRAILERS = frozenset("。!?;…”’」』)》】]〕\"'.")
MAX_BRACKET_SPAN = 200
ABBREVIATIONS = frozenset(
    "al vs etc e.g i.e fig figs no nos dr mr mrs ms prof approx inc ltd co jr st vol pp ref refs".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
CLAUSE_BREAK = frozenset(",;:。!?，；：")


def _is_full_stop(text: str, i: int) -> bool:
    """Is the '.' at ``i`` the end of a sentence?"""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    if nxt.isdigit() or nxt == ".":
        return False  # 89.3, or the start of '...'
    if prev == "." :
        return True  # the end of an ellipsis '...'
    if nxt and not (nxt.isspace() or "\u4e00" <= nxt <= "\u9fff" or nxt in "\"”’)）"):
        return False  # e.g. 'e.g', 'www.site', 'NK.92'
    m = _WORD_BEFORE.search(text, max(0, i - 12), i)
    if m:
        word = m.group(1).lower().rstrip(".")
        if word in ABBREVIATIONS or (len(word) == 1 and prev.isupper()):
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``, in order.

    Sentences do not overlap, carry no leading or trailing whitespace, and together hold every
    non-whitespace character.

    >>> split_sentences("疾病控制率达89.3。其次,(如甲。乙)好!")
    [(0, 11), (11, 22)]
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    stack: list[tuple[str, int]] = []
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n" or ch == "\r" or ch == "\u2029" or ch == "\u2028":
            _emit(text, start, i, spans)
            start = i + 1
            stack.clear()
        elif ch in PAIRS:
            stack.append((PAIRS[ch], i))
        elif ch in CLOSERS:
            if stack and stack[-1][0] == ch:
                stack.pop()
                # “……。” closes a quoted sentence: the sentence ends after the quote.
                if not stack and i > 0 and text[i - 1] in TERMINATORS:
                    j = i + 1
                    while j < n and text[j] in TRAILERS:
                        j += 1
                    _emit(text, start, j, spans)
                    start = i = j
                    continue
            elif any(c == ch for c, _ in stack):
                while stack and stack[-1][0] != ch:
                    stack.pop()
                stack.pop()
        elif ch == '"':
            if stack and stack[-1][0] == '"':
                stack.pop()
            else:
                stack.append(('"', i))
        if stack and i - stack[0][1] > MAX_BRACKET_SPAN:
            stack.clear()
        is_end = (ch in TERMINATORS) or (ch == "." and _is_full_stop(text, i))
        if is_end and not stack:
            j = i + 1
            while j < n and text[j] in TRAILERS:
                j += 1
            _emit(text, start, j, spans)
            start = j
            i = j
            continue
        i += 1
    _emit(text, start, n, spans)
    return spans


def _emit(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def clause_start(text: str, floor: int, pos: int, breaks: frozenset[str] = CLAUSE_BREAK) -> int:
    """Start of the clause that holds ``pos``: just after the last ,;: or sentence end, not before ``floor``.

    >>> clause_start("甲，乙丙", 0, 3)
    2
    """
    marks = _break_positions(text, breaks)
    i = bisect.bisect_left(marks, pos) - 1
    return max(floor, marks[i] + 1) if i >= 0 else floor


@lru_cache(maxsize=4)
def _break_positions(text: str, breaks: frozenset[str]) -> list[int]:
    """Offsets of the break characters in ``text``, found once a text (a document asks per number
    and per flag; scanning back each time is quadratic in a long sentence)."""
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(breaks)) + "]")
    return [m.start() for m in pattern.finditer(text)]
