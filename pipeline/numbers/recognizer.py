"""Find every numeric expression in a text, with its kind, normalised value and unit.

Passes run from the most specific construction to the least (statistics, scientific notation,
dates, percentages, multiples, fractions, quantities with units, ordinals, bare numbers); a span
taken by one pass is not looked at again. Digits inside names (NK-92, IL-15, CD16a, COVID-19) are
not numbers. All matching runs on the normalised text, whose offsets are the original's.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from . import lexical
from .chinese import ChineseForms
from .model import Number
from .patterns import (
    ANY,
    APPROX,
    CDIG,
    CHENG_WORDS,
    CHINESE_ONLY_UNITS,
    CMP,
    CN,
    CNUM,
    DASH,
    DAY,
    DAY_AFTER,
    DOZEN_NOT,
    HALF_NOT,
    HALF_UNITS,
    HALVES,
    NEEDS,
    NOT_CN_BEFORE,
    NUM,
    SANY,
    SIGN,
    SNUM,
    STARTS,
    SUP,
    TIME_OF_DAY,
    UNIT_CHARS,
    UNIT_WORDS,
    clean,
    decimals_of,
    hide_long_runs,
    is_chinese,
    not_a_number,
    numeral_of,
    share_units,
    some_before,
    spread,
    tidy,
    value_of,
)
from .units import Unit, unit_table

__all__ = ["Recognizer", "hide_long_runs"]


def _opens(text: str, i: int) -> bool:
    """Whether the minus at ``i`` starts a number (-3/2) rather than joining two (1/3-1/2, 1/3 -1/2)."""
    before = text[max(0, i - 8):i].rstrip(" \t")
    return not before or not (before[-1].isalnum() or before[-1] in ".%)）")


class Recognizer(ChineseForms):
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
            (re.compile(rf"(?<![A-Za-z])([Pp])\s?值?\s?{CMP}\s?(\d*\.\d+|0[,，]\d{{2,4}}(?![\d.])|[01](?![\d.]|[,，]\d)|0\d{{1,4}}(?![\d.])|[1-9](?=[eE][-−]\d))"
                        r"(?:\s?[×xX*]\s?10\s?\^?\s?(?:\(([-−]\d{1,2})\)|([-−⁻]\s?\d{1,2}|⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+))|[eE]([-−]\d{1,3}))?(?!\s?%|\d)"), self._p_value),
            (re.compile(rf"(?<![A-Za-z0-9])(aHR|aOR|HR|OR|RR|t|F|χ2|χ²|X2|x2|z|Z|r|df)\s?(?:\(\s?(\d+(?:\.\d+)?)\s?(?:,\s?(\d+))?\s?\))?\s?(=|:)\s?({SNUM})"), self._statistic),
            (re.compile(r"(?<![A-Za-z0-9])([nN])\s?=\s?(\d+(?:,\d{3})*)"), self._n),
            (re.compile(r"(?<![A-Za-z0-9.])((?<![A-Za-z0-9.\-])[+\-−]?\d+(?:\.\d+)?[eE][+\-]?\d{1,3})(?![A-Za-z0-9.])"), self._e_notation),
            (re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z]*(?:-[A-Za-z]+)*-?\d+(?:\.\d+)?[A-Za-z]*(?:[-/+][A-Za-z0-9]+)*|\d+x(?!10[\^(⁰¹²³⁴⁵⁶⁷⁸⁹])\d+|(?<![\d.])\d+-\d*[A-Za-z]{2,}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"), None),
            (re.compile(r"(\d{2,3})/(\d{2,3})\s?(mmHg|mm Hg|毫米汞柱)"), self._blood_pressure),
            (re.compile(rf"({NUM})\s?[×xX*]\s?10(?:\^([+\-−]?\d+)|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\(([+\-−]?\d+)\)|(\d{{1,2}})(?=\s?(?:个|cells|细胞)?/))\s?((?:个|cells|细胞)?/(?:kg|L|mL|μL|uL)|个细胞|个)?"), self._scientific),
            (re.compile(rf"(?:({NUM})\s?[×xX*]\s?)?10的({ANY})次方"), self._power_words),
            (re.compile(rf"(?<![A-Za-z0-9.^])((?<![A-Za-z0-9.\-])[+\-−]?\d+(?:\.\d+)?)\s?\^\s?\(?([+\-−]?\d+(?:\.\d+)?)\)?(?![\d.])"), self._power),
            (re.compile(rf"((?:19|20)\d{{2}})\s?年\s?(?:(\d{{1,2}})\s?月(?:\s?(\d{{1,2}})\s?[日号])?)?(?!代)|([{CDIG}]{{4}})年|((?:19|20)\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?!\d)|(?<![\d.])(\d{{1,2}})\s?月\s?(?:(\d{{1,2}})\s?[日号])?(?!\d)"), self._date),
            (re.compile(rf"(?=[上下晚凌早清中傍夜\d{CDIG}十])(?:({TIME_OF_DAY})\s?)?(?<![{CN}\d.])(\d{{1,2}}|[{CDIG}十]{{1,3}})\s?[点时](?:\s?(\d{{1,2}}|[{CDIG}十]{{1,3}})\s?分(?![之钟])|(半)|(钟|整)|(?=到|前|后|左右|以前|以后|之前|之后|之间|起|开始))?"), self._clock_cn),
            (re.compile(rf"(?<![{CN}\d.月])(\d{{1,2}}|{DAY})日(?={DAY_AFTER})"), self._day_of_month),
            (re.compile(rf"(?<![{CN}\d])(?:(十[一二]|[一二三四五六七八九十])月(?:({DAY})[日号])?(?!份?[{CN}])|([正腊冬])月(初?(?:{DAY}))[日号]?)"), self._date_cn),
            (re.compile(rf"{STARTS}{NOT_CN_BEFORE}({SANY})[ \t]?又[ \t]?(?:({ANY})[ \t]?分之[ \t]?({ANY})|(\d+)/(\d+)(?![\d/.]))|(?<![\d.,/])({SIGN}?\d{{1,3}}) (\d{{1,2}})/(\d{{1,2}})(?![\d/.])"), self._mixed_fraction),
            (re.compile(rf"{STARTS}(?:({NUM})\s?%?{DASH}({NUM})\s?[%％]|{NOT_CN_BEFORE}百分之[ \t]?({ANY}){DASH}(?:百分之)?[ \t]?({ANY}))"), self._percent_range),
            (re.compile(rf"{STARTS}(?:({SNUM})[ \t]?个?百分点|({SIGN}?{CNUM})[ \t]?个?百分点)"), self._pp),
            (re.compile(rf"{STARTS}(?:((?<![\d.])\d{{1,3}}\.[ ]\d{{1,3}}(?![\d.])|{SNUM}|{SIGN}?{CNUM})\s?[%％‰‱]|{NOT_CN_BEFORE}([百佰千仟万萬][ \t]?分之)[ \t]?({SANY}))"), self._percent),
            (re.compile(rf"{STARTS}{NOT_CN_BEFORE}(\d{{1,2}}(?:\.\d+)?|[{CDIG}十]{{1,2}}(?:[ \t]?点[ \t]?[{CDIG}])?)(?:{DASH}(\d{{1,2}}(?:\.\d+)?|[{CDIG}十]{{1,2}}(?:点[{CDIG}])?))?成(?:(半)|[ \t]?([{CDIG}])(?![{CN}]))?(?!{CHENG_WORDS})"), self._cheng),
            (re.compile(rf"(?<![{CN}\d.])(?:打(?:对|半)|半)折(?![磨腾叠射算扣合返中服断损线页纸旧])|(?<![{CN}\d.])半成(?![{CHENG_WORDS}|熟|品|年])"), self._half_share),
            (re.compile(rf"(?=[打\d{CDIG}]){NOT_CN_BEFORE}(?<!波)(打)?(\d(?:[ \t]?\d)?(?:\.\d)?|[{CDIG}]{{1,2}}(?:[ \t]?点[ \t]?[{CDIG}])?)[ \t]?折(?![磨腾叠射算扣合返中服断损线页纸旧])"), self._zhe),
            (re.compile(rf"(?=[翻+\-−±负正\d.{CN}])(?:({SANY})({APPROX})(?:{DASH}({ANY}))?\s?倍|翻了?(一|两|三|四)?番)"), self._multiple),
            (re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"), self._clock),
            (re.compile(r"(?<![\d.:])(\d{1,3})\s?[:：∶]\s?(\d{1,3})(?![\d.:])"), self._colon_ratio),
            (re.compile(rf"{STARTS}(?:{NOT_CN_BEFORE}({ANY})[ \t]?分之[ \t]?((?:负|-|−)?{ANY})|(?<![\d/.])(\d+)/(\d+)(?![\d/.])|一半)"), self._fraction),
            (re.compile(rf"({P})\s?({SNUM})(?:{DASH}({NUM}))?\s?{per}"), self._money_prefix),
            (re.compile(rf"{STARTS}({SANY})\s?(?:{U})?{DASH}({ANY})\s?({U}){per}"), self._range),
            (re.compile(rf"(?=[半\d{CN}])(?<![{CN}\d.])([{CN}]+|\d+|半)打(?![{DOZEN_NOT}])"), self._dozen),
            (re.compile(rf"(?<![{CN}\d.])半百(?![{CN}])"), self._half_hundred),
            (re.compile(rf"(?<![{CN}\d.个])半\s?(个)?({HALF_UNITS})(?![{CN}])"), self._half),
            (re.compile(rf"{STARTS}({SANY})({APPROX})\s?(个半)?({U})(半(?![{HALF_NOT}]))?{per}"), self._quantity),
            (re.compile(rf"第\s?({ANY})"), self._ordinal),
            (re.compile(rf"(?<![{CN}\d.])[{CN}](?:[ \t]?(?:[{CN}]|[多余](?=[ \t]?[万亿])))+"), self._spaced_chinese),
            (re.compile(rf"([{CN}]+(?:[多余][万亿]+)?(?:[ \t]?点[ \t]?[{CDIG}]+几?|[ \t]?点[ \t]?几)?)({APPROX})(?:{DASH}({CNUM}))?"), self._bare_chinese),
            (re.compile(rf"(?=[+\-−±负\d.])(?<![\d.A-Za-z])({SNUM})({APPROX})(?:(?<=[万亿])|(?![\d.]))"), self._bare),
        ]

        # each pass with the strings one of which its expression needs (None: nothing to check)
        self._passes = [(p, b, NEEDS.get(b.__name__) if b else None) for p, b in self.passes]

    def find(self, text: str) -> list[Number]:
        text = hide_long_runs(text)  # a garbled page's digit run is no quantity
        taken = bytearray(len(text))
        found: list[Number] = []
        for pattern, build, needs in self._passes:
            if needs and not any(n in text for n in needs):
                continue  # what the expression must contain is nowhere in the text
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
        share_units(text, found)
        for i, n in enumerate(found, 1):
            n.id = f"N{i}"
        return found

    # --- builders -------------------------------------------------------------------------
    def _interval(self, m):
        lo, hi = value_of(m.group(2)), value_of(m.group(3))
        return Number(m.start(), m.end(), "interval", [lo, hi], None, label=f"{m.group(1)}%CI",
                      decimals=decimals_of(m.group(2)))

    def _p_value(self, m):
        """P=0.013, P<0.05, P=0020 (its point lost), P=0,71 (a decimal comma), P=8.0×10-3 and P=2e-5
        (an exponent, its caret often lost); P=36.2% is a proportion, not a p value."""
        cmp = {":": "="}.get(m.group(2), m.group(2))
        digits = m.group(3).replace("，", ".").replace(",", ".")
        value, decimals = value_of(digits), decimals_of(digits)
        exp_text = m.group(4) or m.group(5) or m.group(6)
        if exp_text:
            exponent = int(re.sub(r"\s", "", exp_text).translate(SUP).replace("−", "-"))
            value, decimals = float(f"{digits}e{exponent}"), max(0, decimals - exponent)
        return Number(m.start(), m.end(), "p_value", value, None, comparator=cmp, decimals=decimals, label="p")

    def _statistic(self, m):
        label = {"χ²": "χ2", "X2": "χ2", "x2": "χ2", "Z": "z"}.get(m.group(1), m.group(1))
        df = tuple(float(g) for g in (m.group(2), m.group(3)) if g) or None
        return Number(m.start(), m.end(), "statistic", value_of(m.group(5)), None, label=label, df=df,
                      decimals=decimals_of(m.group(5)), comparator="=")

    def _n(self, m):
        return Number(m.start(), m.end(), "count", value_of(m.group(2)), None, label="n")

    def _scientific(self, m):
        base = value_of(m.group(1))
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
        base = value_of(m.group(1)) if m.group(1) else 1
        return Number(m.start(), m.end(), "number", base * 10 ** int(value_of(m.group(2))), None)

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
            parts = [str(value_of(g[3]))]
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
            lo, hi, dec = value_of(m.group(1)), value_of(m.group(2)), decimals_of(m.group(1))
        else:
            lo, hi, dec = value_of(m.group(3)), value_of(m.group(4)), decimals_of(m.group(3))
        return Number(m.start(), m.end(), "range", [lo, hi], "%", decimals=dec)

    def _pp(self, m):
        raw = m.group(1) or m.group(2)
        value, approximate = numeral_of(raw)
        kind = "range" if isinstance(value, list) else "percentage_point"
        return Number(m.start(), m.end(), kind, value, "pp", decimals=decimals_of(raw), approximate=approximate)

    def _percent(self, m):
        if m.group(1):
            unit = m.group(0)[-1] if m.group(0)[-1] in "‰‱" else "%"
            value, approximate = numeral_of(m.group(1))  # 89.3%, 五十%
            if isinstance(value, list):
                return None
            return Number(m.start(), m.end(), "percent", value, unit, decimals=decimals_of(m.group(1)),
                          approximate=approximate)
        raw = m.group(3)
        value, approximate = (100, False) if raw == "百" else numeral_of(raw)  # 百分之百
        start = m.start()
        if start and m.string[start - 1] == "负" and not isinstance(value, list):  # 负百分之五
            start, value = start - 1, -value
        unit = {"百": "%", "佰": "%", "千": "‰", "仟": "‰", "万": "‱", "萬": "‱"}[m.group(2)[0]]  # 百 分之 2, 仟分之贰
        kind = "range" if isinstance(value, list) else "percent"
        return Number(start, m.end(), kind, value, unit, decimals=decimals_of(raw), approximate=approximate)

    def _multiple(self, m):
        """3倍, 十几倍, 三到六倍, 翻了两番 (×4)."""
        raw, approx, high, doublings = m.groups()
        if m.group(0).startswith("翻"):
            times = {"一": 1, "两": 2, "三": 3, "四": 4}[doublings or "一"]
            return Number(m.start(), m.end(), "multiple", 2 ** times, "×")
        if is_chinese(raw) and lexical.covered(m.string, m.start(1), m.end(1), m.end()):
            return None  # 三倍体
        value, approximate = numeral_of(raw + approx)
        if high:
            hi, _ = numeral_of(high)
            if isinstance(value, list) or isinstance(hi, list):
                return None
            value = [value, hi]
        kind = "range" if isinstance(value, list) else "multiple"
        return Number(m.start(), m.end(), kind, value, "×", decimals=decimals_of(raw), approximate=approximate)

    def _clock(self, m):
        return Number(m.start(), m.end(), "date", f"T{int(m.group(1)):02d}:{m.group(2)}", None)

    def _colon_ratio(self, m):
        den = value_of(m.group(2))
        return None if den == 0 else Number(m.start(), m.end(), "ratio", tidy(value_of(m.group(1)) / den), None,
                                            note="colon")

    def _fraction(self, m):
        if m.group(0) == "一半":
            return Number(m.start(), m.end(), "ratio", 0.5, None)
        if m.group(1):
            den_raw = m.group(1)
            den_raw = "一" + den_raw if set(den_raw) <= UNIT_CHARS else den_raw  # 百万分之零点一
            den, num = value_of(den_raw), value_of(m.group(2))
        else:
            num, den = value_of(m.group(3)), value_of(m.group(4))
        if den == 0:
            return None
        start = m.start()
        if start and (m.string[start - 1] in "负−" or m.string[start - 1] == "-" and _opens(m.string, start - 1)):  # 负二分之一, -3/2
            return Number(start - 1, m.end(), "ratio", -clean(num / den), None)
        return Number(start, m.end(), "ratio", clean(num / den), None)

    def _money_prefix(self, m):
        code = self.units.prefixes[m.group(1)]
        unit = code + (m.group(0)[m.group(0).rfind("/"):] if "/" in m.group(0)[len(m.group(1)):] else "")
        lo = value_of(m.group(2))
        if m.group(3):
            return Number(m.start(), m.end(), "range", [lo, value_of(m.group(3))], unit, dimension="money")
        return Number(m.start(), m.end(), "money", lo, unit, dimension="money", decimals=decimals_of(m.group(2)))

    def _unit_of(self, m, group: int) -> tuple:
        unit = self.units.lookup(m.group(group))
        suffix = m.group(0)[m.end(group) - m.start():]
        per = suffix.strip() if suffix.strip().startswith("/") else ""
        return unit, unit.name + per

    def _range(self, m):
        unit, name = self._unit_of(m, 3)
        lo_raw, hi_raw = m.group(1), m.group(2)
        if not_a_number(m, 1, m.end()):
            return None
        lo, hi = value_of(lo_raw), value_of(hi_raw)
        lo = spread(lo_raw, lo, hi_raw)
        return Number(m.start(), m.end(), "range", [tidy(lo * unit.factor), tidy(hi * unit.factor)], name,
                      dimension=unit.dimension, decimals=decimals_of(lo_raw))

    def _quantity(self, m):
        unit, name = self._unit_of(m, 4)
        raw = m.group(1)
        if (m.group(3) or m.group(5)) and unit.dimension not in HALVES:
            return None
        start, some = some_before(m.string, m.start(), raw)
        if not (some or m.group(2) and set(raw) <= UNIT_CHARS) and not_a_number(m, 1, m.end()):
            return None  # (百余人, 数百万: a unit alone is a number there)
        if m.string.startswith(UNIT_WORDS, m.start(4)) or (m.group(4) in CHINESE_ONLY_UNITS and not is_chinese(raw)):
            return None
        if raw == "一" and m.string[start - 1:start] in ("下", "上") and start:
            return None  # 下一次, 上一个: the next, the last
        if raw == "一" and m.string.startswith(m.group(4), m.end(4)) and len(m.group(4)) == 1:
            return None  # 一袋袋, 一个个: one after another
        if m.group(4) == "周" and m.string[start - 1:start] in "向往朝" and start:
            return None  # 向四周: all around, not four weeks
        if m.group(4) == "块" and is_chinese(raw):
            unit, name = Unit("块", "count", "items"), "块"  # 一块化石: a piece (5块 stays money)
        value, approximate = numeral_of(("一" if (some or m.group(2)) and raw[:1] in UNIT_CHARS else "") + raw + m.group(2))
        if m.group(3) or m.group(5):  # 两个半小时, 三年半: and a half
            if isinstance(value, list) or approximate:
                return None
            value = value + 0.5
        note = "article" if raw == "一" and unit.kind == "count" else None  # 一种, 一次: 'a', 'once'
        if isinstance(value, list):  # 七八个, 两三天
            return Number(start, m.end(), "range", [tidy(v * unit.factor) for v in value], name,
                          dimension=unit.dimension, approximate=approximate)
        value = tidy(value * unit.factor)
        if unit.kind == "temperature" or unit.name == "度":
            if m.string[start - 2:start] == "零下" and start >= 2 and value > 0:
                start, value = start - 2, -value  # 零下五度: five below zero
        if unit.name == "year" and isinstance(value, int) and 1900 <= value <= 2100 and "年" in m.group(4):
            return Number(start, m.end(), "date", str(value), None)
        return Number(start, m.end(), unit.kind, value, name, dimension=unit.dimension,
                      decimals=decimals_of(raw), approximate=approximate or some, note=note)

    def _e_notation(self, m):
        return Number(m.start(), m.end(), "number", tidy(float(m.group(1))), None)

    def _power(self, m):
        """2^5 = 32, 2.5^-1 = 0.4 (10^ with a base before it is read as scientific notation)."""
        base, exponent = value_of(m.group(1)), value_of(m.group(2))
        if abs(exponent) > 30 or (base == 0 and exponent < 0):
            return None
        return Number(m.start(), m.end(), "number", tidy(clean(float(base) ** exponent)), None)

    def _ordinal(self, m):
        return Number(m.start(), m.end(), "ordinal", value_of(m.group(1)), None)

    def _spaced_chinese(self, m):
        """一百 五 十 二, 十 余 万: a numeral with spaces between its characters (text from PDFs and
        OCR) is one number when, joined, it is a numeral with a unit; 一 二 三 (a list) is not."""
        raw = m.group(0)
        if not any(c in " \t" for c in raw):
            return None
        joined = re.sub(r"[ \t]", "", raw)
        if not UNIT_CHARS & set(joined):
            return None
        value, approximate = numeral_of(joined)
        if isinstance(value, list):
            return None
        return Number(m.start(), m.end(), "number", value, None, approximate=approximate)

    def _bare(self, m):
        value, approximate = numeral_of(m.group(1) + m.group(2))
        return Number(m.start(), m.end(), "number", value, None, decimals=decimals_of(m.group(1)),
                      approximate=approximate)
