"""Chinese numerals to numbers: 三千五百, 两万, 十二, 零点五, 二〇二五, and mixes such as 3.5万, 2千万.

>>> parse_number("三千五百"), parse_number("两万"), parse_number("零点五"), parse_number("3.5万")
(3500, 20000, 0.5, 35000)
"""
from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"


def _int_part(s: str) -> int:
    """A Chinese integer written with units (三千五百, 三亿五千万) or as digits (二〇二五)."""
    if not s:
        raise ValueError("empty numeral")
    if all(c in DIGITS for c in s):
        return DIGITS[s] if len(s) == 1 else int("".join(str(DIGITS[c]) for c in s))
    yi = wan = cur = num = 0
    for c in s:
        if c in DIGITS:
            num = DIGITS[c]
        elif c in SMALL_UNITS:
            cur += (num or 1) * SMALL_UNITS[c]
            num = 0
        elif BIG_UNITS.get(c) == 10_000:
            wan = (cur + num or 1) * 10_000
            cur = num = 0
        elif BIG_UNITS.get(c) == 100_000_000:
            yi = (yi + wan + cur + num or 1) * 100_000_000
            wan = cur = num = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return yi + wan + cur + num


def parse_number(s: str) -> int | float:
    """Parse Arabic, Chinese or mixed numerals; raises ValueError if ``s`` is not one."""
    s = s.strip().replace(",", "").replace("−", "-")
    if not s:
        raise ValueError("empty numeral")
    mult = 1
    # 3.5万, 2千万, 1.2亿: Arabic digits with Chinese magnitudes after them.
    while len(s) > 1 and any(c.isdigit() for c in s) and (s[-1] in BIG_UNITS or s[-1] in SMALL_UNITS):
        mult *= BIG_UNITS.get(s[-1]) or SMALL_UNITS[s[-1]]
        s = s[:-1]
    try:
        value: int | float = float(s) if "." in s else int(s)
    except ValueError:
        if "点" in s:
            head, _, tail = s.partition("点")
            value = (_int_part(head) if head else 0) + float("0." + "".join(str(DIGITS[c]) for c in tail))
        else:
            value = _int_part(s)
    value = value * mult
    if isinstance(value, float) and value.is_integer() and "." not in s and "点" not in s:
        value = int(value)
    return value


def to_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese numerals (十二, 一百零五, 三亿五千万)."""
    out = _to_chinese(n)
    return out[1:] if out.startswith("一十") else out


def _to_chinese(n: int) -> str:
    if n < 10_000:
        return _below_10k(n)
    for unit, name, gap in ((100_000_000, "亿", 10_000_000), (10_000, "万", 1000)):
        if n >= unit:
            hi, lo = divmod(n, unit)
            tail = ("零" if lo < gap else "") + _to_chinese(lo) if lo else ""
            return _to_chinese(hi) + name + tail
    raise AssertionError  # pragma: no cover


def _below_10k(n: int) -> str:
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    out, pending_zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            out += ("零" if pending_zero else "") + digits[d] + name
            pending_zero = False
        elif out:
            pending_zero = True
    return out
