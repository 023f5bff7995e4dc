"""Length-preserving normalisation for analysis.

The document text is never rewritten: analysis runs on a normalised copy of the same length, so every
offset found in the copy is an offset in the original. Only one-character-to-one-character mappings
are applied: NFKC where it maps a character to exactly one character (full-width digits, letters and
punctuation, the ideographic space) and traditional-to-simplified characters from OpenCC's character
table. Expansions (``㎎`` -> ``mg``) are left alone; superscripts are kept because they carry meaning
(``2×10⁶/kg``).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters whose compatibility form would lose information that later stages use.
_KEEP = set("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻₀₁₂₃₄₅₆₇₈₉℃℉µμ…·×÷ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ")
_KEEP |= {chr(c) for c in range(0x2460, 0x2474)}  # ① to ⑳ mark list items; as the digits 1-20 they read as counts


def _nfkc_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if ch in _KEEP:
            continue
        norm = unicodedata.normalize("NFKC", ch)
        if len(norm) == 1 and norm != ch:
            table[cp] = norm
    return table


def _opencc_table() -> dict[int, str]:
    """Traditional -> simplified characters, one to one, from OpenCC's data (if installed)."""
    try:
        from importlib import resources

        data = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    table: dict[int, str] = {}
    for line in data.splitlines():
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[0]) != 1:
            continue
        target = parts[1].split(" ")[0]
        if len(target) == 1 and target != parts[0]:
            table[ord(parts[0])] = target
    return table


@lru_cache(maxsize=None)
def translation_table(traditional: bool = True) -> dict[int, str]:
    table = _nfkc_table()
    if traditional:
        for cp, ch in _opencc_table().items():
            table.setdefault(cp, ch)
    # Ideographic full stop and comma stay as they are: NFKC leaves them, the splitter knows both.
    return table


def normalize(text: str, traditional: bool = True) -> str:
    """Return the analysis form of ``text``; always ``len(result) == len(text)``.

    >>> normalize("疾病控制率达８９．３％")
    '疾病控制率达89.3%'
    """
    out = text.translate(translation_table(traditional))
    if len(out) != len(text):  # pragma: no cover - guarded by construction and by a test
        raise AssertionError("normalisation changed the text length")
    return out
