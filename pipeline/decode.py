"""Bytes to text: byte-order marks, strict UTF-8, then detection with charset-normalizer.

Chinese pages come as UTF-8, GBK/GB18030, Big5 and UTF-16 (often without a BOM when exported from
Windows tools). Detection is restricted to the encodings a Chinese health article plausibly uses, so
that short GBK texts are not taken for Korean or Latin-1.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text in any encoding medclaim reads."""


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be", "shift_jis", "euc_jp", "cp1252"]


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`DecodeError` with a short reason.

    >>> decode("疾病控制率".encode("gb18030"))
    ('疾病控制率', 'gb18030')
    """
    if not data:
        return "", "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {name} after its byte-order mark at byte {exc.start}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _reject_binary(text)
        return text, "utf-8"
    if b"\x00" in data:
        raise DecodeError("binary file (NUL bytes), not text")
    scored = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _common_han_share(text)
        if score is not None:
            scored.append((score, enc == "gb18030", text, enc))
    if scored:
        score, _, text, enc = max(scored)
        if score >= 0.6:
            _reject_binary(text)
            return text, enc
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None or best.chaos > 0.5:
        raise DecodeError("not text in UTF-8, GB18030, Big5, UTF-16 or another known encoding")
    text = str(best)
    _reject_binary(text)
    return text, best.encoding


def _common_han_share(text: str) -> float | None:
    """Share of Han characters that are common ones (GB2312 level 1, after folding traditional).

    Text decoded with the wrong CJK codec is mostly rare characters; text decoded right is mostly
    common ones, whether simplified (GB18030) or traditional (Big5).
    """
    from .normalize import translation_table

    fold = translation_table()
    han = common = 0
    for ch in text[:6000]:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ord(ch) > 0xFFFF:
            han += 1
            simple = fold.get(ord(ch), ch)
            try:
                b = simple.encode("gb2312")
            except UnicodeEncodeError:
                continue
            if 0xB0 <= b[0] <= 0xD7:
                common += 1
    return common / han if han else None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, name in ((odd, "utf-16-le"), (even, "utf-16-be")):
        # ASCII-heavy UTF-16 has NULs in one lane; CJK-heavy UTF-16 decodes into CJK characters.
        nul_share = zeros.count(0) / len(zeros)
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if (nul_share > 0.3 or (_cjk_share(text) > 0.5 and b"\x00" in data)) and _plausible(text):
            return text, name
    return None


def _plausible(text: str) -> bool:
    """Is this mostly the characters a Chinese or English article is written in?"""
    sample = text[:4000]
    ok = sum(1 for c in sample if (" " <= c <= "~") or c in "\t\n\r" or "\u4e00" <= c <= "\u9fff"
             or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2000" <= c <= "\u206f")
    return bool(sample) and ok / len(sample) > 0.9


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:4000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    visible = sum(1 for c in sample if not c.isspace()) or 1
    return cjk / visible


def _reject_binary(text: str) -> None:
    sample = text[:8000]
    if "\x00" in sample:
        raise DecodeError("binary file (NUL bytes), not text")
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if sample and controls / len(sample) > 0.05:
        raise DecodeError("binary file (control characters), not text")
