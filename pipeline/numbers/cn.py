"""Chinese and mixed numerals to numbers.

The grammar a Chinese reader applies: digits in both scripts and the financial forms (壹贰叁 拾佰仟),
units that multiply what stands before them (三千五百, 两万), big units that stack (万亿 = 10¹²,
10万万 = 10⁹) or close sections (三亿五千万), 零 gaps (九百万零四百), a trailing digit that means the
next unit down (两千四百五 = 2450, 一万五 = 15000), decimals after 点 (两千万点五五四四), plain digit
strings (二〇二五), Arabic digits mixed with units (4.78万亿, 5亿1万4千6百), signs (负, 正, +, -, −),
approximations (二十几万, 三十多, 一百余, 十来: the value read and ``approximate``), adjacent
digits that name a range (七八, 五六十, 十五六, 三四百万), digits and 零 after a unit (3万4000, 1千零1,
2千零30万; a single digit there is the next unit down: 3万5 = 35000), the colloquial 千三 (1300) and
百三 (130), and k, K or M closing Arabic digits (40k, -2.5 M). Spaces inside a numeral are ignored
(一百 五 十 二). 兆 is not read: 10¹² in Taiwan, 10⁶ on the mainland, and a mega-prefix in medical text
(兆赫, 兆焦), so no one value is right.

>>> parse_number("三千五百"), parse_number("两千四百五"), parse_number("4.78万亿"), parse_number("零点五")
(3500, 2450, 4780000000000, 0.5)
>>> parse_numeral("二十几万"), parse_numeral("五六十")
((200000, True), ([50, 60], False))
"""
from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
TENS = {"廿": 20, "卅": 30}  # written for 二十 and 三十 (廿五 = 25)
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
SUFFIXES = {"k": 1000, "K": 1000, "M": 1_000_000}  # 40k, 2.5 M: only last, after Arabic digits
APPROX_SUFFIX = "多余来"
CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(TENS) + "".join(BIG_UNITS) + "几点"
SIGNS = {"负": -1, "-": -1, "−": -1, "正": 1, "+": 1}
_ARABIC = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_SPACE = re.compile(r"\s+")
_APPROX_INSIDE = re.compile(r"[多余](?=[万亿])|(?<=\d)几(?=[十百千万亿])")


def _tokens(s: str) -> list[tuple[str, int | Decimal]]:
    """('d', digit) | ('a', Arabic number) | ('t', 廿 卅) | ('s', small unit) | ('b', big unit) | ('z', 零) | ('j', 几)."""
    out: list[tuple[str, int | Decimal]] = []
    i = 0
    while i < len(s):
        c = s[i]
        m = _ARABIC.match(s, i)
        if m:
            out.append(("a", Decimal(m.group()) if "." in m.group() else int(m.group())))
            i = m.end()
            continue
        if c in ("零", "〇", "○"):
            out.append(("z", 0))
        elif c in DIGITS:
            out.append(("d", DIGITS[c]))
        elif c in TENS:
            out.append(("t", TENS[c]))
        elif c in SMALL_UNITS:
            out.append(("s", SMALL_UNITS[c]))
        elif c in BIG_UNITS:
            out.append(("b", BIG_UNITS[c]))
        elif c in SUFFIXES and i == len(s) - 1 and out and out[-1][0] == "a":
            out.append(("b", SUFFIXES[c]))
        elif c == "几":
            out.append(("j", 0))
        else:
            raise ValueError(f"not a numeral: {s!r}")
        i += 1
    return out


def _integer(tokens: list) -> tuple[int | Decimal, bool]:
    """The value of a numeral without sign or decimal part, and whether 几 made it approximate."""
    kinds = "".join(k for k, _ in tokens)
    if not kinds or kinds.count("j") > 1 or kinds == "j":
        raise ValueError("not a numeral")
    if set(kinds) <= {"d", "z"}:  # a digit string: 二〇二五, 五五
        return int("".join(str(v) for _, v in tokens)), False
    chunks: list[tuple[int | Decimal, int]] = []  # sections closed by a big unit, with that unit
    section: int | Decimal = 0
    num: int | Decimal | None = None
    last_small = 10 ** 9     # small units fall within a section: 三千五百, not 五百三千
    last_unit = None         # the unit just before a trailing digit (两千四百五: 百)
    zero = False
    for i, (kind, v) in enumerate(tokens):
        if kind in ("d", "a"):
            if num is not None:
                raise ValueError("two digits in a row")
            num = v
        elif kind == "t":  # 廿五 = 25
            if num is not None or section or chunks:
                raise ValueError("廿 or 卅 inside a numeral")
            section, last_small, last_unit = v, 10, 10
        elif kind == "j":
            if num is not None:
                raise ValueError("a digit before 几")
            leading = not section and not chunks and i + 1 < len(tokens) and tokens[i + 1][0] in ("s", "b")
            num = 1 if leading else 0  # 几十, 几万: 10+, 10,000+; 十几, 二十几万: 10+, 200,000+
        elif kind == "z":
            if num not in (None, 0):
                raise ValueError("零 after a digit")
            zero, num = True, None
        elif kind == "s":
            if v >= last_small:
                raise ValueError("small units out of order")
            if num is None:
                leading = not section and not chunks
                colloquial = leading and v in (100, 1000) and len(tokens) == 2 and tokens[1][0] == "d"
                if not (v == 10 and (leading or zero) or colloquial):  # 千三 = 1300, 百三 = 130
                    raise ValueError(f"a unit with no digit: {v}")
                num = 1  # 十二, 拾万, 一千零十
            section += num * v
            last_small, last_unit, num, zero = v, v, None, False
        else:  # a big unit: it multiplies the open section and every closed one of no greater unit
            merged = section + (num or 0) + sum(value for value, unit in chunks if unit <= v)
            if merged == 0:
                raise ValueError("a big unit with no digit")
            chunks = [(value, unit) for value, unit in chunks if unit > v] + [(merged * v, v)]
            section, num, last_small, last_unit, zero = 0, None, 10 ** 9, v, False
    if num is not None:
        single = tokens[-1][0] == "d" or (tokens[-1][0] == "a" and isinstance(num, int) and num < 10)
        if last_unit is not None and last_unit > 10 and not zero and tokens[-2][0] in ("s", "b") and single:
            if isinstance(num, Decimal):
                raise ValueError("a decimal after a unit")
            num = num * last_unit // 10  # 两千四百五 = 2450, 一万五 = 15000, 3万5 = 35000
        elif tokens[-1][0] == "a" and last_unit is not None and num >= (last_small if last_small < 10 ** 9 else last_unit):
            raise ValueError("digits after a unit reach that unit")  # 3万40000, 1千零1000
        section += num
    return sum(value for value, _ in chunks) + section, "j" in kinds


def _digit_string(s: str) -> str:
    return "".join(str(DIGITS[c]) if c in DIGITS else c for c in s)


_ADJACENT = re.compile(r"([一二两三四五六七八九])([二两三四五六七八九])")


def _adjacent_range(s: str) -> tuple[str, str] | None:
    """七八 -> (七, 八); 五六十 -> (五十, 六十); 十五六 -> (十五, 十六); 三四百万 -> (三百万, 四百万)."""
    m = _ADJACENT.search(s)
    if not m:
        return None
    a, b = DIGITS[m.group(1)], DIGITS[m.group(2)]
    if b != a + 1 and (a, b) not in ((1, 2), (3, 5)):  # 一两, 三五: a few
        return None
    head, tail = s[:m.start()], s[m.end():]
    return head + m.group(1) + tail, head + m.group(2) + tail


def parse_numeral(s: str) -> tuple[int | float | list, bool]:
    """``(value, approximate)`` of a numeral; the value is ``[low, high]`` for 七八 and 五六十.

    Raises ValueError when ``s`` is not a numeral.
    """
    s = _SPACE.sub("", s).replace(",", "").replace("點", "点")
    if not s:
        raise ValueError("empty numeral")
    sign = 1
    if s.startswith("正负") or s[0] == "±":
        raise ValueError("a ± value is not one number")
    if s[0] in SIGNS and len(s) > 1:
        sign, s = SIGNS[s[0]], s[1:]
    approximate = False
    if len(s) > 1 and s[-1] in APPROX_SUFFIX:
        s, approximate = s[:-1], True
    inner = _APPROX_INSIDE.search(s)
    if inner:  # 一百多万, 10余万: more than the number read
        s, approximate = s[:inner.start()] + s[inner.end():], True
    if not (len(s) > 2 and set(s) <= set(DIGITS)):  # 二〇二三 is a year, not a range
        pair = _adjacent_range(s)
        if pair:
            (lo, a1), (hi, a2) = parse_numeral(pair[0]), parse_numeral(pair[1])
            return [sign * lo, sign * hi], approximate or a1 or a2
        if len(s) == 2 and set(s) <= set(DIGITS):
            raise ValueError(f"two digits are no numeral: {s!r}")  # 五五 (折 reads it), 一一, 九九
    head, dot, tail = s.partition("点")
    if dot and tail.endswith("几"):  # 零点几, 零点零几: a few tenths, hundredths
        tail, approximate = tail[:-1] + "一", True
    if dot:
        if not tail or not all(c in DIGITS for c in tail):
            raise ValueError(f"not a decimal: {s!r}")
        whole, approx = _integer(_tokens(head)) if head else (0, False)
        if isinstance(whole, Decimal) and whole != whole.to_integral_value():
            raise ValueError(f"two decimal parts: {s!r}")
        return sign * float(f"{int(whole)}.{_digit_string(tail)}"), approximate or approx
    if s.isascii() and s[-1] not in SUFFIXES:
        if s.isdigit():
            return sign * int(s), approximate
        value = float(s)  # 3.14, 1e10, 1.2E+5
        return sign * (int(value) if "." not in s and value.is_integer() and abs(value) < 1e18 else value), approximate
    value, approx = _integer(_tokens(s))
    return _number(sign * value), approximate or approx


def _number(v: int | Decimal) -> int | float:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def parse_number(s: str) -> int | float:
    """The value of an Arabic, Chinese or mixed numeral (ValueError if ``s`` is not one, or is a range)."""
    value, _ = parse_numeral(s.strip().replace("−", "-"))
    if isinstance(value, list):
        raise ValueError(f"a range, not a number: {s!r}")
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
