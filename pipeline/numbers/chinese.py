"""The builders of the forms only Chinese writes: 成 and 折, clock times and dates written in Chinese,
dozens and halves, fractions with 又, and bare Chinese numerals with the tests that tell a number from
a word (一起, 统一, 九死一生). Mixed into :class:`~pipeline.numbers.recognizer.Recognizer`; each takes a
match of its pass and returns a :class:`Number` or None.
"""
from __future__ import annotations

import re

from . import lexical
from .cn import DIGITS
from .model import Number
from .patterns import (
    AFTERNOON,
    CLAUSE_EDGE_AFTER,
    CLAUSE_EDGE_BEFORE,
    CLOCK_AFTER,
    COMPARISON_BEFORE,
    FINANCIAL,
    LUNAR_MONTHS,
    UNIT_CHARS,
    clean,
    decimals_of,
    is_chinese,
    numeral_of,
    some_before,
    spread,
    tidy,
    value_of,
)


# a word that opens a new clause right after a lone digit (不是五这是二百零一, 是三而不是四)
NEW_CLAUSE = set("这那而但却")


class ChineseForms:
    def _clock_cn(self, m):
        """下午三点, 九点半, 8点30分, 晚上十点钟: a time of day, not the decimal 3.5."""
        tod, hour, minute, half, whole = m.groups()
        if minute and is_chinese(minute) and len(minute) < 2:
            return None  # 一点五分 is 1.5 points; a time writes 一点零五分
        if not (tod or minute or half or whole or CLOCK_AFTER.match(m.string, m.end())):
            return None
        h = value_of(hour)
        mins = 30 if half else value_of(minute.lstrip("零") or "零") if minute else 0  # 一点零五分
        if not (isinstance(h, int) and 0 <= h <= 24 and isinstance(mins, int) and 0 <= mins < 60):
            return None
        if tod in AFTERNOON and h < 12:
            h += 12
        return Number(m.start(), m.end(), "date", f"T{h:02d}:{mins:02d}", None)

    def _day_of_month(self, m):
        """11日上午, 25日晚: a day of the month (counts of days are 11天, 5日以上)."""
        d = value_of(m.group(1))
        if not 1 <= d <= 31:
            return None
        return Number(m.start(), m.end(), "date", f"---{d:02d}", None)

    def _date_cn(self, m):
        """五月五日, 十月: a month of the year (three months is 三个月), and its day; 腊月十九 (lunar)."""
        solar_month, solar_day, lunar_month, lunar_day = m.groups()
        month = value_of(solar_month) if solar_month else LUNAR_MONTHS[lunar_month]
        day = solar_day or lunar_day
        if not day:
            return Number(m.start(), m.end(), "date", f"--{month:02d}", None)
        d = value_of(day.lstrip("初"))
        if not 1 <= d <= 31:
            return None
        return Number(m.start(), m.end(), "date", f"--{month:02d}-{d:02d}", None,
                      note="lunar" if lunar_month else None)

    def _mixed_fraction(self, m):
        if m.group(6):  # 1 4/3: a whole and a fraction after one space
            whole, num, den = value_of(m.group(6)), value_of(m.group(7)), value_of(m.group(8))
            if den == 0:
                return None
            value = whole - num / den if whole < 0 or m.group(6).startswith(("负", "-", "−")) else whole + num / den
            return Number(m.start(), m.end(), "ratio", clean(value), None)
        whole = value_of(m.group(1))
        if m.group(2):  # 3又一千分之23
            num, den = value_of(m.group(3)), value_of(m.group(2))
        else:  # 3又1/3
            num, den = value_of(m.group(4)), value_of(m.group(5))
        if den == 0:
            return None
        value = whole - num / den if whole < 0 or m.group(1).startswith(("负", "-", "−")) else whole + num / den
        return Number(m.start(), m.end(), "ratio", clean(value), None)  # 负3又1/2 is -3.5

    def _cheng(self, m):
        """七成 70%, 三成半 35%, 九成九 99%, 2.5成 25%, 八点五成 85%, 七八成 70-80%, 三到五成 30-50%."""
        if is_chinese(m.group(1)) and lexical.covered(m.string, m.start(1), m.end(1), m.end()):
            return None  # 一成不变
        value, _ = numeral_of(m.group(1))
        if m.group(2):
            hi, _ = numeral_of(m.group(2))
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
        pct = [tidy(round(v * 10, 6)) for v in values]
        if len(pct) > 1:
            return Number(m.start(), m.end(), "range", pct, "%")
        return Number(m.start(), m.end(), "percent", pct[0], "%", decimals=max(0, decimals_of(m.group(1)) - 1))

    def _zhe(self, m):
        """七折 70%, 七五折 / 75折 75%, 三点一折 / 3.1折 31%: what is paid, as a share of the price."""
        raw = re.sub(r"\s", "", m.group(2))
        if "点" in raw or "." in raw:
            value = value_of(raw) * 10
        elif len(raw) == 2:
            value = int("".join(str(DIGITS.get(c, c)) for c in raw))
        else:
            value = value_of(raw) * 10
        if not 0 < value < 100:
            return None
        return Number(m.start(), m.end(), "percent", tidy(round(value, 6)), "%", note="discount")

    def _half_share(self, m):
        """打对折 50%, 半折 and 半成 5%: half the price, half a tenth."""
        value = 50 if "对" in m.group(0) else 5
        return Number(m.start(), m.end(), "percent", value, "%", note="discount" if m.group(0).endswith("折") else None)

    def _half_hundred(self, m):
        """年过半百: fifty."""
        return Number(m.start(), m.end(), "number", 50, None, approximate=True)

    def _dozen(self, m):
        """一打 12, 半打 6: dozens."""
        raw = m.group(1)
        if is_chinese(raw) and lexical.covered(m.string, m.start(1), m.end(1), m.end()):
            return None
        value = 0.5 if raw == "半" else value_of(raw)
        return Number(m.start(), m.end(), "count", tidy(value * 12), "个", dimension="items", note="dozen")

    def _half(self, m):
        """半小时, 半个月, 半年: half a unit."""
        if m.group(2) == "个" and m.string.startswith(("世纪", "多世纪"), m.end()):
            return None  # 半个世纪
        unit = self.units.lookup(m.group(2) if not m.group(1) or m.group(2) != "月" else "个月")
        return Number(m.start(), m.end(), unit.kind, 0.5 * unit.factor, unit.name, dimension=unit.dimension,
                      decimals=1)

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
        strong = ("点" in core or bool(approx)
                  or (text[start - 1:start] == "数" and core[0] in UNIT_CHARS)      # 数百
                  or (len(core) > 1 and bool(UNIT_CHARS & set(core)))               # 二十, 四亿
                  or (len(core) > 2 and bool(set(core) & set("零〇○"))))            # 二〇二五
        sign = "负" if start and text[start - 1] == "负" else ""
        if sign:
            start -= 1
        start, some = some_before(text, start, core)
        if not strong:
            before = text[max(0, start - 1):start]
            after = text[m.end():m.end() + 1]
            alone = (not before or before in CLAUSE_EDGE_BEFORE) and (not after or after in CLAUSE_EDGE_AFTER) \
                and not (before and after and before in "（(" and after in ")）")
            compared = not alone and (not ("\u4e00" <= after <= "\u9fff") or after in NEW_CLAUSE) \
                and COMPARISON_BEFORE.search(text[max(0, start - 4):start]) is not None
            ranked = before == "前" and (not after or after in CLAUSE_EDGE_AFTER or after in "的名位强甲")  # 排名前三的
            if not (alone or compared or ranked):
                return None
        if lexical.covered(text, m.start(1), m.end(1), m.end()):
            return None
        value, approximate = numeral_of(sign + ("一" if some and core[0] in UNIT_CHARS else "") + core + (approx or ""))
        if high:
            hi, approx_hi = numeral_of(high)
            if isinstance(value, list) or isinstance(hi, list):
                return None
            value = spread(core, value, high)
            return Number(start, m.end(), "range", [tidy(value), hi], None, approximate=approximate or approx_hi)
        kind = "range" if isinstance(value, list) else "number"
        if not strong and kind == "number" and text[start - 1:start] in ("", "\n") \
                and text[m.end():m.end() + 1] in ("", "\n") and len(text) > m.end() - start:
            return Number(start, m.end(), "ordinal", value, None, note="heading")  # 三⏎ (a section number)
        return Number(start, m.end(), kind, value, None, decimals=decimals_of(core), approximate=approximate or some)
