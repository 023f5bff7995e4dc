"""Find every numeric expression in a text, with its kind, normalised value and unit.

Passes run from the most specific construction to the least (statistics, scientific notation,
dates, percentages, multiples, fractions, quantities with units, ordinals, bare numbers); a span
taken by one pass is not looked at again. Digits inside names (NK-92, IL-15, CD16a, COVID-19) are
not numbers. All matching runs on the normalised text, whose offsets are the original's.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .cn import parse_number
from .model import Number
from .units import unit_table

SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
NUM = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?(?:千万|百万|万|亿)?"
SNUM = r"[+\-−±]?" + NUM
CDIG = "零〇○一二两三四五六七八九"
CNUM = rf"[{CDIG}十百千万亿]+(?:点[{CDIG}]+)?"
ANY = rf"(?:{NUM}|{CNUM})"
DASH = r"\s?(?:-|~|～|–|—|至|到)\s?"
CMP = r"(<=|>=|≤|≥|<|>|=|:)"


MAX_RUN = 40  # digits or numerals in a row: no real quantity is longer
LONG_RUN = re.compile(rf"[\d{CDIG}十百千万亿点]{{{MAX_RUN + 1},}}")


def hide_long_runs(text: str) -> str:
    """``text`` with every run of digits or numerals longer than ``MAX_RUN`` blanked out (same
    offsets): expressions such as ``\\d+%`` would try a match at every position inside such a run
    and backtrack to its end, quadratic in its length (a 10,000-digit string took minutes)."""
    return LONG_RUN.sub(lambda m: "\x00" * len(m.group()), text)


def _val(s: str) -> int | float:
    return parse_number(s.replace("−", "-").replace("±", "").replace("+", ""))


def _decimals(s: str) -> int:
    m = re.search(r"\.(\d+)", s)
    return len(m.group(1)) if m else 0


class Recognizer:
    """``Recognizer().find(norm_text) -> list[Number]``.

    >>> [(n.kind, n.value, n.unit) for n in Recognizer().find("疾病控制率达89.3%,费用约1500-2000港币/次")]
    [('percent', 89.3, '%'), ('range', [1500, 2000], 'HKD/次')]
    """

    def __init__(self) -> None:
        self.units = unit_table()
        U = f"(?:{self.units.pattern})"
        P = f"(?:{self.units.prefix_pattern})"
        per = r"(?:/(?:次|人|例|月|年|天|日|疗程|针|支|盒|周|kg|m²|m2))?"
        self.passes: list[tuple[re.Pattern, Callable]] = [
            (re.compile(rf"(\d{{2}}(?:\.\d)?)\s?%\s?(?:CI|置信区间|可信区间)\s?[:为是]?\s?[\[(]?\s?({SNUM})\s?(?:-|~|～|–|—|至|,|to)\s?({SNUM})\s?[\])]?"), self._interval),
            (re.compile(rf"(?<![A-Za-z])([Pp])\s?值?\s?{CMP}\s?(\d*\.\d+|[01](?![\d.]))"), self._p_value),
            (re.compile(rf"(?<![A-Za-z0-9])(aHR|aOR|HR|OR|RR|t|F|χ2|χ²|X2|x2|z|Z|r|df)\s?(?:\(\s?(\d+(?:\.\d+)?)\s?(?:,\s?(\d+))?\s?\))?\s?(=|:)\s?({SNUM})"), self._statistic),
            (re.compile(r"(?<![A-Za-z0-9])([nN])\s?=\s?(\d+(?:,\d{3})*)"), self._n),
            (re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z]*(?:-[A-Za-z]+)*-?\d+(?:\.\d+)?[A-Za-z]*(?:[-/+][A-Za-z0-9]+)*|\d+x(?!10[\^(⁰¹²³⁴⁵⁶⁷⁸⁹])\d+|(?<![\d.])\d+-\d*[A-Za-z]{2,}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"), None),
            (re.compile(r"(\d{2,3})/(\d{2,3})\s?(mmHg|mm Hg|毫米汞柱)"), self._blood_pressure),
            (re.compile(rf"({NUM})\s?[×xX*]\s?10(?:\^([+\-−]?\d+)|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\(([+\-−]?\d+)\)|(\d{{1,2}})(?=\s?(?:个|cells|细胞)?/))\s?((?:个|cells|细胞)?/(?:kg|L|mL|μL|uL)|个细胞|个)?"), self._scientific),
            (re.compile(rf"(?:({NUM})\s?[×xX*]\s?)?10的({ANY})次方"), self._power_words),
            (re.compile(rf"((?:19|20)\d{{2}})\s?年\s?(?:(\d{{1,2}})\s?月(?:\s?(\d{{1,2}})\s?[日号])?)?(?!代)|([{CDIG}]{{4}})年|((?:19|20)\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?!\d)|(?<![\d.])(\d{{1,2}})\s?月\s?(?:(\d{{1,2}})\s?[日号])?(?!\d)"), self._date),
            (re.compile(rf"({NUM})\s?%?{DASH}({NUM})\s?[%％]|百分之({CNUM}){DASH}(?:百分之)?({CNUM})"), self._percent_range),
            (re.compile(rf"({SNUM})\s?个?百分点|({CNUM})个百分点"), self._pp),
            (re.compile(rf"({SNUM})\s?[%％‰]|百分之({CNUM})|千分之({CNUM})"), self._percent),
            (re.compile(rf"(?<![{CDIG}十百千万])([{CDIG}十])([{CDIG}])?成(?![为功本果员立熟长年绩分效型品人])"), self._cheng),
            (re.compile(rf"(?:打)?(\d(?:\.\d)?|[{CDIG}](?:点五)?)折(?![磨腾叠射算扣])"), self._zhe),
            (re.compile(rf"({NUM}|{CNUM})\s?倍|翻了?(一|两|三|四)?番"), self._multiple),
            (re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"), self._clock),
            (re.compile(r"(?<![\d.:])(\d{1,3})\s?[:：∶]\s?(\d{1,3})(?![\d.:])"), self._colon_ratio),
            (re.compile(rf"({CNUM})分之({CNUM})|(?<![\d/.])(\d+)/(\d+)(?![\d/.])|一半"), self._fraction),
            (re.compile(rf"({P})\s?({SNUM})(?:{DASH}({NUM}))?\s?{per}"), self._money_prefix),
            (re.compile(rf"([{CDIG}])([{CDIG}])\s?({U})"), self._adjacent_range),
            (re.compile(rf"({SNUM}|{CNUM})\s?(?:{U})?{DASH}({NUM}|{CNUM})\s?({U}){per}"), self._range),
            (re.compile(rf"({SNUM}|{CNUM})\s?({U}){per}"), self._quantity),
            (re.compile(rf"第\s?({NUM}|{CNUM})"), self._ordinal),
            (re.compile(rf"(?<![\d.A-Za-z])([+\-−±]?{NUM})(?![\d.])"), self._bare),
        ]

    def find(self, text: str) -> list[Number]:
        text = hide_long_runs(text)  # a garbled page's digit run is no quantity
        taken = bytearray(len(text))
        found: list[Number] = []
        for pattern, build in self.passes:
            for m in pattern.finditer(text):
                s, e = m.span()
                if e <= s or any(taken[s:e]):
                    continue
                if build is None:  # a name with digits: reserve it
                    taken[s:e] = b"\x01" * (e - s)
                    continue
                try:
                    number = build(m)
                except (ValueError, ArithmeticError, OverflowError):
                    number = None
                if number is None:
                    continue
                taken[number.start:number.end] = b"\x01" * (number.end - number.start)
                found.append(number)
        found.sort(key=lambda n: (n.start, n.end))
        _share_units(text, found)
        for i, n in enumerate(found, 1):
            n.id = f"N{i}"
        return found

    # --- builders -------------------------------------------------------------------------
    def _interval(self, m):
        lo, hi = _val(m.group(2)), _val(m.group(3))
        return Number(m.start(), m.end(), "interval", [lo, hi], None, label=f"{m.group(1)}%CI",
                      decimals=_decimals(m.group(2)))

    def _p_value(self, m):
        cmp = {":": "="}.get(m.group(2), m.group(2))
        return Number(m.start(), m.end(), "p_value", _val(m.group(3)), None, comparator=cmp,
                      decimals=_decimals(m.group(3)), label="p")

    def _statistic(self, m):
        label = {"χ²": "χ2", "X2": "χ2", "x2": "χ2", "Z": "z"}.get(m.group(1), m.group(1))
        df = tuple(float(g) for g in (m.group(2), m.group(3)) if g) or None
        return Number(m.start(), m.end(), "statistic", _val(m.group(5)), None, label=label, df=df,
                      decimals=_decimals(m.group(5)), comparator="=")

    def _n(self, m):
        return Number(m.start(), m.end(), "count", _val(m.group(2)), None, label="n")

    def _scientific(self, m):
        base = _val(m.group(1))
        exp_text = next(g for g in m.group(2, 3, 4, 5) if g is not None)
        exponent = int(exp_text.translate(SUP).replace("−", "-"))
        unit_text = m.group(6)
        unit = None
        if unit_text:
            unit = "个/" + unit_text.split("/")[-1] if "/" in unit_text else "个"
        kind = "dose" if unit and unit.endswith("/kg") else "count" if unit == "个" else "number"
        return Number(m.start(), m.end(), kind, base * 10 ** exponent, unit,
                      note="lost_exponent" if m.group(5) is not None else None)

    def _power_words(self, m):
        base = _val(m.group(1)) if m.group(1) else 1
        return Number(m.start(), m.end(), "number", base * 10 ** int(_val(m.group(2))), None)

    def _blood_pressure(self, m):
        return Number(m.start(), m.end(), "measurement", [int(m.group(1)), int(m.group(2))], "mmHg",
                      dimension="pressure", label="blood_pressure")

    def _date(self, m):
        g = m.groups()
        if g[0]:
            parts = [g[0]] + [f"{int(x):02d}" for x in g[1:3] if x]
            if g[1] and not 1 <= int(g[1]) <= 12:
                return None
        elif g[3]:
            parts = [str(_val(g[3]))]
        elif g[4]:
            if not 1 <= int(g[5]) <= 12:
                return None
            parts = [g[4], f"{int(g[5]):02d}", f"{int(g[6]):02d}"]
        else:
            if not 1 <= int(g[7]) <= 12:
                return None
            parts = ["--" + f"{int(g[7]):02d}"] + ([f"{int(g[8]):02d}"] if g[8] else [])
        return Number(m.start(), m.end(), "date", "-".join(parts), None)

    def _percent_range(self, m):
        if m.group(1):
            lo, hi, dec = _val(m.group(1)), _val(m.group(2)), _decimals(m.group(1))
        else:
            lo, hi, dec = _val(m.group(3)), _val(m.group(4)), _decimals(m.group(3))
        return Number(m.start(), m.end(), "range", [lo, hi], "%", decimals=dec)

    def _pp(self, m):
        raw = m.group(1) or m.group(2)
        return Number(m.start(), m.end(), "percentage_point", _val(raw), "pp", decimals=_decimals(raw))

    def _percent(self, m):
        if m.group(1):
            unit = "‰" if m.group(0).endswith("‰") else "%"
            return Number(m.start(), m.end(), "percent", _val(m.group(1)), unit, decimals=_decimals(m.group(1)))
        if m.group(2):
            return Number(m.start(), m.end(), "percent", _val(m.group(2)), "%")
        return Number(m.start(), m.end(), "percent", _val(m.group(3)), "‰")

    def _cheng(self, m):
        first = _val(m.group(1))
        if m.group(2):
            second = _val(m.group(2))
            if second != first + 1:
                return None
            return Number(m.start(), m.end(), "range", [first * 10, second * 10], "%")
        return Number(m.start(), m.end(), "percent", first * 10, "%")

    def _zhe(self, m):
        return Number(m.start(), m.end(), "percent", round(_val(m.group(1)) * 10, 6), "%", note="discount")

    def _multiple(self, m):
        if m.group(0).startswith("翻"):
            times = {"一": 1, "两": 2, "三": 3, "四": 4}.get(m.group(2) or "一", 1)
            return Number(m.start(), m.end(), "multiple", 2 ** times, "×")
        return Number(m.start(), m.end(), "multiple", _val(m.group(1)), "×", decimals=_decimals(m.group(1)))

    def _clock(self, m):
        return Number(m.start(), m.end(), "date", f"T{int(m.group(1)):02d}:{m.group(2)}", None)

    def _colon_ratio(self, m):
        den = _val(m.group(2))
        return None if den == 0 else Number(m.start(), m.end(), "ratio", _tidy(_val(m.group(1)) / den), None,
                                            note="colon")

    def _fraction(self, m):
        if m.group(0) == "一半":
            return Number(m.start(), m.end(), "ratio", 0.5, None)
        if m.group(1):
            den, num = _val(m.group(1)), _val(m.group(2))
        else:
            num, den = _val(m.group(3)), _val(m.group(4))
        if den == 0:
            return None
        return Number(m.start(), m.end(), "ratio", num / den, None)

    def _money_prefix(self, m):
        code = self.units.prefixes[m.group(1)]
        unit = code + (m.group(0)[m.group(0).rfind("/"):] if "/" in m.group(0)[len(m.group(1)):] else "")
        lo = _val(m.group(2))
        if m.group(3):
            return Number(m.start(), m.end(), "range", [lo, _val(m.group(3))], unit, dimension="money")
        return Number(m.start(), m.end(), "money", lo, unit, dimension="money", decimals=_decimals(m.group(2)))

    def _adjacent_range(self, m):
        a, b = _val(m.group(1)), _val(m.group(2))
        if b != a + 1:
            return None
        unit = self.units.lookup(m.group(3))
        return Number(m.start(), m.end(), "range", [a, b], unit.name, dimension=unit.dimension)

    def _unit_of(self, m, group: int) -> tuple:
        unit = self.units.lookup(m.group(group))
        suffix = m.group(0)[m.end(group) - m.start():]
        per = suffix.strip() if suffix.strip().startswith("/") else ""
        return unit, unit.name + per

    def _range(self, m):
        unit, name = self._unit_of(m, 3)
        lo, hi = _val(m.group(1)) * unit.factor, _val(m.group(2)) * unit.factor
        if _skip_chinese(m.group(1), unit) or _skip_chinese(m.group(2), unit):
            return None
        return Number(m.start(), m.end(), "range", [_tidy(lo), _tidy(hi)], name, dimension=unit.dimension,
                      decimals=_decimals(m.group(1)))

    def _quantity(self, m):
        unit, name = self._unit_of(m, 2)
        if _skip_chinese(m.group(1), unit):
            return None
        value = _tidy(_val(m.group(1)) * unit.factor)
        if unit.name == "year" and isinstance(value, int) and 1900 <= value <= 2100 and "年" in m.group(2):
            return Number(m.start(), m.end(), "date", str(value), None)
        return Number(m.start(), m.end(), unit.kind, value, name, dimension=unit.dimension,
                      decimals=_decimals(m.group(1)))

    def _ordinal(self, m):
        return Number(m.start(), m.end(), "ordinal", _val(m.group(1)), None)

    def _bare(self, m):
        return Number(m.start(), m.end(), "number", _val(m.group(1)), None, decimals=_decimals(m.group(1)))


_ARTICLE_CLASSIFIERS = {"个", "种", "项", "次", "家", "只", "篇", "粒", "片", "支", "针", "剂", "袋", "盒", "位", "年", "天",
                        "周", "日", "秒", "人", "名", "米", "克", "升"}


def _skip_chinese(raw: str, unit) -> bool:
    """一 + a classifier is mostly an article (一种, 一次, 一个), and 十/百/千/万 alone rarely a number."""
    if raw in ("一", "两") and unit.name in _ARTICLE_CLASSIFIERS | {"人", "year", "day", "week", "second", "m", "g", "L", "次", "个", "家", "粒", "项"}:
        return True
    return raw in ("十", "百", "千", "万", "亿", "千万", "万亿")


_PAIR = re.compile(r"\s?(?:vs\.?|VS\.?|versus|对比|比|和|与|及|、|/|→|->|至|降至|升至)\s?$")


def _share_units(text: str, numbers: list[Number]) -> None:
    """173.39 vs 188.54 mmol/L: a bare number paired with a measured one shares its unit."""
    for left, right in zip(numbers, numbers[1:]):
        if left.kind == "number" and right.unit and right.kind in ("measurement", "dose", "percent", "money", "temperature"):
            gap = text[left.end:right.start]
            if len(gap) <= 8 and _PAIR.search(gap):
                left.kind, left.unit, left.dimension = right.kind, right.unit, right.dimension


def _tidy(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, float):
        return round(v, 10)
    return v
