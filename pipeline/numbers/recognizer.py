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
from .cn import DIGITS, parse_numeral, parse_number
from .model import Number
from .units import Unit, unit_table

SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
# Arabic digits, with Chinese units after them (3.5万, 4.78万亿, 5亿1万4千6百), or a lone decimal (.5).
NUM = r"(?:\d+(?:,\d{3}(?!\d))*(?:\.\d+)?|(?<![\dA-Za-z.])\.\d+)(?:(?:(?<=0)[多余]|几)(?=[万亿]))?(?:[十百千万亿]+(?:\d+(?=[十百千万亿]))?)*(?:(?<=[千万亿])\d(?![\d.]))?"
SIGN = r"(?:[+\-−±负]|正负)"
SNUM = SIGN + "?" + NUM
CDIG = "零〇○一二两俩三四五六七八九壹贰叁肆伍陆柒捌玖"
CN = CDIG + "十拾百佰千仟廿卅万亿几"
# Chinese numerals: a run of digits and units, a decimal part after 点 (四点 五 as written too).
CNUM = rf"[{CN}]+(?:[多余][万亿]+)?(?:[ \t]?点[ \t]?[{CDIG}]+几?|[ \t]?点[ \t]?几)?"
APPROX = r"(?:(?<=[十百千万亿0])[多余]|(?<=[十百千万])来)?"
ANY = rf"(?:{NUM}|{CNUM})"
SANY = rf"{SIGN}?{ANY}"
DASH = r"\s?(?:-|~|～|–|—|至|到)\s?"
CMP = r"(<=|>=|≤|≥|<|>|=|:)"
NOT_CN_BEFORE = rf"(?<![{CN}\d.])"  # 百分之, 成, 折 and 分之 start no numeral run in the middle
# Each pass opens with a lookahead of the characters its match can start with: one test a position
# instead of every alternative of the expression (the regex engine scans no faster by itself).
STARTS = rf"(?=[+\-−±负正\d.{CN}])"
TIME_OF_DAY = "上午|下午|晚上|凌晨|早上|早晨|清晨|中午|傍晚|夜里|夜间|晚间"
AFTERNOON = {"下午", "晚上", "傍晚", "夜里", "夜间", "晚间"}
# what 成 starts in words that are no share: 成为, 成功, 成本, 成人, 一成不变, 成千上万 ...
CHENG_WORDS = "为|功|本|果|员|立|熟|长|年|绩|分|效|型|品|人|就|像|份|交|药|形|材|才|活|套|语|千|百|倍|批|堆|群|片|串|事|真"
# a lone digit (一, 两, 七八) is a number only as a whole clause, or after a comparison word
CLAUSE_EDGE_BEFORE = set("\n。！？；，：:;,!?“\"（( \t")
CLAUSE_EDGE_AFTER = set("\n。！？；，”\")) \t")
COMPARISON_BEFORE = re.compile(r"(?:等于|大于|小于|超过|少于|多于|高于|低于|达到|不到|不足|约为|约|乘以|除以|为|是)\s?$")
UNIT_CHARS = set("十拾百佰千仟廿卅万亿")
FINANCIAL = re.compile("[壹贰叁肆伍陆柒捌玖拾佰仟]")
DOZEN_NOT = "开听针算扫工败破击印卡折车响包造架闹电球扮动理量交斗猎死伤字招探发鼾嗝喷通捞下上出进来去入住"
HALF_UNITS = "小时|钟头|个月|年|月|天|日|周|星期|斤|杯|碗|个"
HALF_NOT = "夜天年月日小个岛身边价数径途场"


MAX_RUN = 40  # digits or numerals in a row: no real quantity is longer
LONG_RUN = re.compile(rf"[\d{CN}点]{{{MAX_RUN + 1},}}")


def hide_long_runs(text: str) -> str:
    """``text`` with every run of digits or numerals longer than ``MAX_RUN`` blanked out (same
    offsets): expressions such as ``\\d+%`` would try a match at every position inside such a run
    and backtrack to its end, quadratic in its length (a 10,000-digit string took minutes)."""
    return LONG_RUN.sub(lambda m: "\x00" * len(m.group()), text)


def _val(s: str) -> int | float:
    return parse_number(s.replace("正负", "").replace("±", ""))


def _numeral(s: str) -> tuple:
    """(value, approximate) of a signed numeral that may name a range (七八, 五六十)."""
    return parse_numeral(s.replace("正负", "").replace("±", "").replace("−", "-"))


def _chinese(s: str) -> bool:
    return bool(s) and not any("0" <= c <= "9" for c in s)


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
            (re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?[eE][+\-]?\d{1,3})(?![A-Za-z0-9.])"), self._e_notation),
            (re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z]*(?:-[A-Za-z]+)*-?\d+(?:\.\d+)?[A-Za-z]*(?:[-/+][A-Za-z0-9]+)*|\d+x(?!10[\^(⁰¹²³⁴⁵⁶⁷⁸⁹])\d+|(?<![\d.])\d+-\d*[A-Za-z]{2,}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"), None),
            (re.compile(r"(\d{2,3})/(\d{2,3})\s?(mmHg|mm Hg|毫米汞柱)"), self._blood_pressure),
            (re.compile(rf"({NUM})\s?[×xX*]\s?10(?:\^([+\-−]?\d+)|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\(([+\-−]?\d+)\)|(\d{{1,2}})(?=\s?(?:个|cells|细胞)?/))\s?((?:个|cells|细胞)?/(?:kg|L|mL|μL|uL)|个细胞|个)?"), self._scientific),
            (re.compile(rf"(?:({NUM})\s?[×xX*]\s?)?10的({ANY})次方"), self._power_words),
            (re.compile(rf"((?:19|20)\d{{2}})\s?年\s?(?:(\d{{1,2}})\s?月(?:\s?(\d{{1,2}})\s?[日号])?)?(?!代)|([{CDIG}]{{4}})年|((?:19|20)\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?!\d)|(?<![\d.])(\d{{1,2}})\s?月\s?(?:(\d{{1,2}})\s?[日号])?(?!\d)"), self._date),
            (re.compile(rf"(?=[上下晚凌早清中傍夜\d{CDIG}十])(?:({TIME_OF_DAY})\s?)?(?<![{CN}\d.])(\d{{1,2}}|[{CDIG}十]{{1,3}})\s?[点时](?:\s?(\d{{1,2}}|[{CDIG}十]{{1,3}})\s?分(?![之钟])|(半)|(钟|整)|(?=到|前|后|左右|以前|以后|之前|之后|之间|起|开始))?"), self._clock_cn),
            (re.compile(rf"(?<![{CN}\d.月])(\d{{1,2}}|{DAY})日(?={DAY_AFTER})"), self._day_of_month),
            (re.compile(rf"(?<![{CN}\d])(?:(十[一二]|[一二三四五六七八九十])月(?:({DAY})[日号])?(?!份?[{CN}])|([正腊冬])月(初?(?:{DAY}))[日号]?)"), self._date_cn),
            (re.compile(rf"{STARTS}{NOT_CN_BEFORE}({SANY})[ \t]?又[ \t]?(?:({ANY})[ \t]?分之[ \t]?({ANY})|(\d+)/(\d+)(?![\d/.]))"), self._mixed_fraction),
            (re.compile(rf"{STARTS}(?:({NUM})\s?%?{DASH}({NUM})\s?[%％]|{NOT_CN_BEFORE}百分之[ \t]?({ANY}){DASH}(?:百分之)?[ \t]?({ANY}))"), self._percent_range),
            (re.compile(rf"{STARTS}(?:({SNUM})[ \t]?个?百分点|({SIGN}?{CNUM})[ \t]?个?百分点)"), self._pp),
            (re.compile(rf"{STARTS}(?:({SNUM}|{SIGN}?{CNUM})\s?[%％‰]|{NOT_CN_BEFORE}(百分之|千分之|万分之)[ \t]?({SANY}))"), self._percent),
            (re.compile(rf"{STARTS}{NOT_CN_BEFORE}(\d{{1,2}}(?:\.\d+)?|[{CDIG}十]{{1,2}}(?:[ \t]?点[ \t]?[{CDIG}])?)(?:{DASH}(\d{{1,2}}(?:\.\d+)?|[{CDIG}十]{{1,2}}(?:点[{CDIG}])?))?成(?:(半)|([{CDIG}])(?![{CN}]))?(?!{CHENG_WORDS})"), self._cheng),
            (re.compile(rf"(?=[打\d{CDIG}]){NOT_CN_BEFORE}(?<!波)(打)?(\d{{1,2}}(?:\.\d)?|[{CDIG}]{{1,2}}(?:[ \t]?点[ \t]?[{CDIG}])?)折(?![磨腾叠射算扣合返中服断损线页纸旧])"), self._zhe),
            (re.compile(rf"(?=[翻+\-−±负正\d.{CN}])(?:({SANY}){APPROX}(?:{DASH}({ANY}))?\s?倍|翻了?(一|两|三|四)?番)"), self._multiple),
            (re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"), self._clock),
            (re.compile(r"(?<![\d.:])(\d{1,3})\s?[:：∶]\s?(\d{1,3})(?![\d.:])"), self._colon_ratio),
            (re.compile(rf"{STARTS}(?:{NOT_CN_BEFORE}({ANY})[ \t]?分之[ \t]?({ANY})|(?<![\d/.])(\d+)/(\d+)(?![\d/.])|一半)"), self._fraction),
            (re.compile(rf"({P})\s?({SNUM})(?:{DASH}({NUM}))?\s?{per}"), self._money_prefix),
            (re.compile(rf"{STARTS}({SANY})\s?(?:{U})?{DASH}({ANY})\s?({U}){per}"), self._range),
            (re.compile(rf"(?=[半一二两三四五六七八九十\d])(?<![{CN}\d.])([{CDIG}十]|\d+|半)打(?![{DOZEN_NOT}])"), self._dozen),
            (re.compile(rf"(?<![{CN}\d.个])半\s?(个)?({HALF_UNITS})(?![{CN}])"), self._half),
            (re.compile(rf"{STARTS}({SANY})({APPROX})\s?(个半)?({U})(半(?![{HALF_NOT}]))?{per}"), self._quantity),
            (re.compile(rf"第\s?({ANY})"), self._ordinal),
            (re.compile(rf"([{CN}]+(?:[多余][万亿]+)?(?:[ \t]?点[ \t]?[{CDIG}]+几?|[ \t]?点[ \t]?几)?)({APPROX})(?:{DASH}({CNUM}))?"), self._bare_chinese),
            (re.compile(rf"(?=[+\-−±负\d.])(?<![\d.A-Za-z])({SNUM})({APPROX})(?![\d.])"), self._bare),
        ]

    def find(self, text: str) -> list[Number]:
        text = hide_long_runs(text)  # a garbled page's digit run is no quantity
        taken = bytearray(len(text))
        found: list[Number] = []
        for pattern, build in self.passes:
            needs = NEEDS.get(build.__name__ if build else "")
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

    def _clock_cn(self, m):
        """下午三点, 九点半, 8点30分, 晚上十点钟: a time of day, not the decimal 3.5."""
        tod, hour, minute, half, whole = m.groups()
        if not (tod or minute or half or whole or CLOCK_AFTER.match(m.string, m.end())):
            return None
        h = _val(hour)
        mins = 30 if half else _val(minute) if minute else 0
        if not (isinstance(h, int) and 0 <= h <= 24 and isinstance(mins, int) and 0 <= mins < 60):
            return None
        if tod in AFTERNOON and h < 12:
            h += 12
        return Number(m.start(), m.end(), "date", f"T{h:02d}:{mins:02d}", None)

    def _day_of_month(self, m):
        """11日上午, 25日晚: a day of the month (counts of days are 11天, 5日以上)."""
        d = _val(m.group(1))
        if not 1 <= d <= 31:
            return None
        return Number(m.start(), m.end(), "date", f"---{d:02d}", None)

    def _date_cn(self, m):
        """五月五日, 十月: a month of the year (three months is 三个月), and its day; 腊月十九 (lunar)."""
        solar_month, solar_day, lunar_month, lunar_day = m.groups()
        month = _val(solar_month) if solar_month else LUNAR_MONTHS[lunar_month]
        day = solar_day or lunar_day
        if not day:
            return Number(m.start(), m.end(), "date", f"--{month:02d}", None)
        d = _val(day.lstrip("初"))
        if not 1 <= d <= 31:
            return None
        return Number(m.start(), m.end(), "date", f"--{month:02d}-{d:02d}", None,
                      note="lunar" if lunar_month else None)

    def _mixed_fraction(self, m):
        whole = _val(m.group(1))
        num, den = (_val(m.group(3)), _val(m.group(2))) if m.group(2) else (_val(m.group(4)), _val(m.group(5)))
        if den == 0 or whole < 0:
            return None
        return Number(m.start(), m.end(), "ratio", _clean(whole + num / den), None)

    def _percent_range(self, m):
        if m.group(1):
            lo, hi, dec = _val(m.group(1)), _val(m.group(2)), _decimals(m.group(1))
        else:
            lo, hi, dec = _val(m.group(3)), _val(m.group(4)), _decimals(m.group(3))
        return Number(m.start(), m.end(), "range", [lo, hi], "%", decimals=dec)

    def _pp(self, m):
        raw = m.group(1) or m.group(2)
        value, approximate = _numeral(raw)
        kind = "range" if isinstance(value, list) else "percentage_point"
        return Number(m.start(), m.end(), kind, value, "pp", decimals=_decimals(raw), approximate=approximate)

    def _percent(self, m):
        if m.group(1):
            unit = "‰" if m.group(0).endswith("‰") else "%"
            value, approximate = _numeral(m.group(1))  # 89.3%, 五十%
            if isinstance(value, list):
                return None
            return Number(m.start(), m.end(), "percent", value, unit, decimals=_decimals(m.group(1)),
                          approximate=approximate)
        raw = m.group(3)
        value, approximate = (100, False) if raw == "百" else _numeral(raw)  # 百分之百
        start = m.start()
        if start and m.string[start - 1] == "负" and not isinstance(value, list):  # 负百分之五
            start, value = start - 1, -value
        unit = {"百分之": "%", "千分之": "‰", "万分之": "‱"}[m.group(2)]
        kind = "range" if isinstance(value, list) else "percent"
        return Number(start, m.end(), kind, value, unit, decimals=_decimals(raw), approximate=approximate)

    def _cheng(self, m):
        """七成 70%, 三成半 35%, 九成九 99%, 2.5成 25%, 八点五成 85%, 七八成 70-80%, 三到五成 30-50%."""
        if _chinese(m.group(1)) and lexical.covered(m.string, m.start(1), m.end(1), m.end()):
            return None  # 一成不变
        value, _ = _numeral(m.group(1))
        if m.group(2):
            hi, _ = _numeral(m.group(2))
            if isinstance(value, list) or isinstance(hi, list):
                return None
            value = [value, hi]
        values = value if isinstance(value, list) else [value]
        if m.group(3) or m.group(4):  # 三成半 35%, 九成九 99%
            if len(values) > 1:
                return None
            values = [values[0] + (0.5 if m.group(3) else DIGITS[m.group(4)] / 10)]
        if not all(0 < v <= 10 for v in values) or values != sorted(values):
            return None
        pct = [_tidy(round(v * 10, 6)) for v in values]
        if len(pct) > 1:
            return Number(m.start(), m.end(), "range", pct, "%")
        return Number(m.start(), m.end(), "percent", pct[0], "%", decimals=max(0, _decimals(m.group(1)) - 1))

    def _zhe(self, m):
        """七折 70%, 七五折 / 75折 75%, 三点一折 / 3.1折 31%: what is paid, as a share of the price."""
        raw = re.sub(r"\s", "", m.group(2))
        if "点" in raw or "." in raw:
            value = _val(raw) * 10
        elif len(raw) == 2:
            value = int("".join(str(DIGITS.get(c, c)) for c in raw))
        else:
            value = _val(raw) * 10
        if not 0 < value < 100:
            return None
        return Number(m.start(), m.end(), "percent", _tidy(round(value, 6)), "%", note="discount")

    def _multiple(self, m):
        if m.group(0).startswith("翻"):
            times = {"一": 1, "两": 2, "三": 3, "四": 4}.get(m.group(3) or "一", 1)
            return Number(m.start(), m.end(), "multiple", 2 ** times, "×")
        raw = m.group(1)
        if _chinese(raw) and lexical.covered(m.string, m.start(1), m.end(1), m.end()):
            return None
        value, approximate = _numeral(raw + (m.group(0)[len(raw):].strip()[:1] if m.group(0)[len(raw):].strip()[:1] in "多余来" else ""))
        if m.group(2):  # 三到六倍
            hi, _ = _numeral(m.group(2))
            if isinstance(value, list) or isinstance(hi, list):
                return None
            value = [value, hi]
        kind = "range" if isinstance(value, list) else "multiple"
        return Number(m.start(), m.end(), kind, value, "×", decimals=_decimals(raw), approximate=approximate)

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
            den_raw = m.group(1)
            den_raw = "一" + den_raw if set(den_raw) <= UNIT_CHARS else den_raw  # 百万分之零点一
            den, num = _val(den_raw), _val(m.group(2))
        else:
            num, den = _val(m.group(3)), _val(m.group(4))
        if den == 0:
            return None
        return Number(m.start(), m.end(), "ratio", _clean(num / den), None)

    def _money_prefix(self, m):
        code = self.units.prefixes[m.group(1)]
        unit = code + (m.group(0)[m.group(0).rfind("/"):] if "/" in m.group(0)[len(m.group(1)):] else "")
        lo = _val(m.group(2))
        if m.group(3):
            return Number(m.start(), m.end(), "range", [lo, _val(m.group(3))], unit, dimension="money")
        return Number(m.start(), m.end(), "money", lo, unit, dimension="money", decimals=_decimals(m.group(2)))

    def _unit_of(self, m, group: int) -> tuple:
        unit = self.units.lookup(m.group(group))
        suffix = m.group(0)[m.end(group) - m.start():]
        per = suffix.strip() if suffix.strip().startswith("/") else ""
        return unit, unit.name + per

    def _range(self, m):
        unit, name = self._unit_of(m, 3)
        lo_raw, hi_raw = m.group(1), m.group(2)
        if _not_a_number(m, 1, m.end()):
            return None
        lo, hi = _val(lo_raw), _val(hi_raw)
        lo = _spread(lo_raw, lo, hi_raw)
        return Number(m.start(), m.end(), "range", [_tidy(lo * unit.factor), _tidy(hi * unit.factor)], name,
                      dimension=unit.dimension, decimals=_decimals(lo_raw))

    def _quantity(self, m):
        unit, name = self._unit_of(m, 4)
        raw = m.group(1)
        if (m.group(3) or m.group(5)) and unit.dimension not in HALVES:
            return None
        start, some = _some(m.string, m.start(), raw)
        if not (some or m.group(2) and set(raw) <= UNIT_CHARS) and _not_a_number(m, 1, m.end()):
            return None  # (百余人, 数百万: a unit alone is a number there)
        if m.string.startswith(UNIT_WORDS, m.start(4)):
            return None
        if raw == "一" and m.string[start - 1:start] in ("下", "上") and start:
            return None  # 下一次, 上一个: the next, the last
        if raw == "一" and m.string.startswith(m.group(4), m.end(4)) and len(m.group(4)) == 1:
            return None  # 一袋袋, 一个个: one after another
        if m.group(4) == "周" and m.string[start - 1:start] in "向往朝" and start:
            return None  # 向四周: all around, not four weeks
        if m.group(4) == "块" and _chinese(raw):
            unit, name = Unit("块", "count", "items"), "块"  # 一块化石: a piece (5块 stays money)
        value, approximate = _numeral(("一" if (some or m.group(2)) and raw[:1] in UNIT_CHARS else "") + raw + m.group(2))
        if m.group(3) or m.group(5):  # 两个半小时, 三年半: and a half
            if isinstance(value, list) or approximate:
                return None
            value = value + 0.5
        note = "article" if raw == "一" and unit.kind == "count" else None  # 一种, 一次: 'a', 'once'
        if isinstance(value, list):  # 七八个, 两三天
            return Number(start, m.end(), "range", [_tidy(v * unit.factor) for v in value], name,
                          dimension=unit.dimension, approximate=approximate)
        value = _tidy(value * unit.factor)
        if unit.name == "year" and isinstance(value, int) and 1900 <= value <= 2100 and "年" in m.group(4):
            return Number(start, m.end(), "date", str(value), None)
        return Number(start, m.end(), unit.kind, value, name, dimension=unit.dimension,
                      decimals=_decimals(raw), approximate=approximate or some, note=note)

    def _dozen(self, m):
        """一打 12, 半打 6: dozens."""
        raw = m.group(1)
        if _chinese(raw) and lexical.covered(m.string, m.start(1), m.end(1), m.end()):
            return None
        value = 0.5 if raw == "半" else _val(raw)
        return Number(m.start(), m.end(), "count", _tidy(value * 12), "个", dimension="items", note="dozen")

    def _half(self, m):
        """半小时, 半个月, 半年: half a unit."""
        if m.group(2) == "个" and m.string.startswith(("世纪", "多世纪"), m.end()):
            return None  # 半个世纪
        unit = self.units.lookup(m.group(2) if not m.group(1) or m.group(2) != "月" else "个月")
        return Number(m.start(), m.end(), unit.kind, 0.5 * unit.factor, unit.name, dimension=unit.dimension,
                      decimals=1)

    def _e_notation(self, m):
        return Number(m.start(), m.end(), "number", _tidy(float(m.group(1))), None)

    def _ordinal(self, m):
        return Number(m.start(), m.end(), "ordinal", _val(m.group(1)), None)

    def _bare_chinese(self, m):
        """四亿, 两千四百五, 二十几万 stand alone; a lone digit (一, 七八) needs a clause of its own or a
        comparison word before it, and no word (统一, 一些, 九死一生) may hold it."""
        core, approx, high = m.group(1), m.group(2), m.group(3)
        text = m.string
        start = m.start()
        if start and (text[start - 1].isdigit() or text[start - 1] == "."):
            return None  # 3一: not a numeral of its own
        if FINANCIAL.search(core) and len(core) < 2:
            return None  # 叶拾, 队伍: a lone financial form is a common character
        strong = "点" in core or bool(approx) or (text[start - 1:start] == "数" and core[0] in UNIT_CHARS) or (len(core) > 1 and bool(UNIT_CHARS & set(core))) \
            or (len(core) > 2 and bool(set(core) & set("零〇○")))
        sign = "负" if start and text[start - 1] == "负" else ""
        if sign:
            start -= 1
        start, some = _some(text, start, core)
        if not strong:
            before = text[max(0, start - 1):start]
            after = text[m.end():m.end() + 1]
            alone = (not before or before in CLAUSE_EDGE_BEFORE) and (not after or after in CLAUSE_EDGE_AFTER) \
                and not (before and after and before in "（(" and after in ")）")
            compared = not alone and not ("\u4e00" <= after <= "\u9fff") \
                and COMPARISON_BEFORE.search(text[max(0, start - 4):start]) is not None
            if not (alone or compared):
                return None
        if lexical.covered(text, m.start(1), m.end(1), m.end()):
            return None
        value, approximate = _numeral(sign + ("一" if some and core[0] in UNIT_CHARS else "") + core + (approx or ""))
        if high:
            hi, approx_hi = _numeral(high)
            if isinstance(value, list) or isinstance(hi, list):
                return None
            value = _spread(core, value, high)
            return Number(start, m.end(), "range", [_tidy(value), hi], None, approximate=approximate or approx_hi)
        kind = "range" if isinstance(value, list) else "number"
        if not strong and kind == "number" and text[start - 1:start] in ("", "\n") \
                and text[m.end():m.end() + 1] in ("", "\n") and len(text) > m.end() - start:
            return Number(start, m.end(), "ordinal", value, None, note="heading")  # 三⏎ (a section number)
        return Number(start, m.end(), kind, value, None, decimals=_decimals(core), approximate=approximate or some)

    def _bare(self, m):
        value, approximate = _numeral(m.group(1) + m.group(2))
        return Number(m.start(), m.end(), "number", value, None, decimals=_decimals(m.group(1)),
                      approximate=approximate)


# Passes whose expression cannot match without one of these strings (checked once a text).
NEEDS = {
    "_interval": ("CI", "置信区间", "可信区间"), "_p_value": ("P", "p"), "_statistic": ("=", ":"), "_n": ("=",),
    "_blood_pressure": ("mmHg", "mm Hg", "毫米汞柱"), "_scientific": ("10",), "_power_words": ("次方",),
    "_clock_cn": ("点", "时"), "_mixed_fraction": ("又",), "_percent_range": ("%", "％", "百分之"),
    "_pp": ("百分点",), "_percent": ("%", "％", "‰", "分之"), "_cheng": ("成",), "_zhe": ("折",),
    "_multiple": ("倍", "番"), "_clock": (":",), "_colon_ratio": (":", "：", "∶"), "_fraction": ("分之", "/", "一半"),
    "_range": ("-", "~", "～", "–", "—", "至", "到"), "_ordinal": ("第",), "_dozen": ("打",), "_half": ("半",),
    "_e_notation": ("e", "E"), "_day_of_month": ("日",),
}
HALVES = {"time", "age", "mass", "items", "volume"}
MAGNITUDE_TAIL = re.compile(r"[百千万亿]+$")
NO_MAGNITUDE = re.compile(r"[百千万亿]")


def _spread(lo_raw: str, lo, hi_raw: str):
    """3-5万 is 3万 to 5万 and 三到五百 300 to 500: the high end's magnitude reaches back to a low end
    written without one that is below the high end's leading figure (三至七十天 stays 3 to 70)."""
    magnitude = MAGNITUDE_TAIL.search(hi_raw)
    if not magnitude or NO_MAGNITUDE.search(lo_raw) or isinstance(lo, list):
        return lo
    factor = parse_number("1" + magnitude.group())
    head = hi_raw[:magnitude.start()]
    try:
        lead = parse_number(head) if head else 1
    except ValueError:
        return lo
    return lo * factor if lo < lead else lo


LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}
# what follows a day of the month in news (11日上午, 25日晚, 3日电), never a count of days (5日以上)
DAY_AFTER = "[上下]午|晚|凌晨|早|中午|夜|傍晚|起|电|讯|消息|报道|发布|召开|举行|零时|0时"
DAY = "三十一|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]|[12]?\\d|3[01]"
UNIT_WORDS = ("部分", "天干", "条件", "口气", "头肌", "轮车", "年代", "部队", "部位", "对于", "对照", "对比", "对待",
              "对应", "组织", "组成", "群体", "层次", "层面", "份额", "本身", "本人", "场所", "场景", "处理", "处方")  # a measure word that starts another word: 两部分
ORDINAL_RANGE = re.compile(r"第[^，。,;；\s]{1,4}[至到\-~]$")
CLOCK_AFTER = re.compile("到|前|后|左右|以前|以后|之前|之后|之间|起|开始")


def _some(text: str, start: int, raw: str) -> tuple[int, bool]:
    """数十人, 数百例: 数 before a unit makes the number approximate (read as its lower bound)."""
    if start and text[start - 1] == "数" and raw[:1] in "十百千万":
        return start - 1, True
    return start, False


def _not_a_number(m, group: int, match_end: int) -> bool:
    """A Chinese numeral that is no number here: 百/千/万 alone (百年老店, 万人), or a word holds it."""
    raw = m.group(group).lstrip("+-−±正负")
    if m.string[m.start() - 1:m.start()] == "第" or ORDINAL_RANGE.search(m.string, max(0, m.start() - 6), m.start()):
        return True  # 第四十九条, 第3步, 第二至四位: an ordinal, read by its own pass
    if not _chinese(raw):
        return False
    if set(raw) <= set("百佰千仟万亿"):
        return True
    return lexical.covered(m.string, m.end(group) - len(raw), m.end(group), match_end)


_PAIR = re.compile(r"\s?(?:vs\.?|VS\.?|versus|对比|比|和|与|及|、|/|→|->|至|降至|升至)\s?$")


def _share_units(text: str, numbers: list[Number]) -> None:
    """173.39 vs 188.54 mmol/L: a bare number paired with a measured one shares its unit."""
    for left, right in zip(numbers, numbers[1:]):
        if left.kind == "number" and right.unit and right.kind in ("measurement", "dose", "percent", "money", "temperature"):
            gap = text[left.end:right.start]
            if len(gap) <= 8 and _PAIR.search(gap):
                left.kind, left.unit, left.dimension = right.kind, right.unit, right.dimension


def _clean(v: float) -> float:
    """1e-07 for 1.0000000000000001e-07 (百万分之零点一), but 1/3 keeps every digit."""
    short = float(f"{v:.12g}")
    return short if abs(short - v) <= 1e-15 * abs(v) else v


def _tidy(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, float):
        return round(v, 10)
    return v
