"""The expressions and word lists the number recognizer is built from, and its small helpers.

Kept apart from the passes (``recognizer.py``) and the Chinese forms' builders (``chinese.py``) so
that each reads on its own; the rule engine shares :func:`hide_long_runs`.
"""
from __future__ import annotations

import re

from . import lexical
from .cn import parse_number, parse_numeral
from .model import Number

SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
# Arabic digits, with Chinese units after them (3.5万, 4.78万亿, 5亿1万4千6百), or a lone decimal (.5).
# After a unit, 零 and digits may go on: 3万4000, 1千零1, 2千零30万, 7万5千4百, 3万5 (= 35000); k or K
# (thousand) and M (million) may close it where the line ends or 个 follows (40k, 12k个百分点): in
# running text they are mostly names and units (4K超高清, 298K, 图3K, 轰-6K, 0.5 M NaCl).
# Thousands grouped by a space (100 000 个/克, 1 765户, 5 000年: GB 3101's way of writing large numbers)
# are one number where a Chinese word follows and nothing before makes it a table's row or a label
# (200 180 160 位置误差, 表1 100例, Total events 336 229 are left as they are; at most three groups, so
# that a flattened table row stays apart).
GROUPED = r"(?<![\d.,][ \u00a0\u2009\u202f])(?<![\d.,A-Za-z表图第])[1-9]\d{0,2}(?:[ \u00a0\u2009\u202f]\d{3}){1,2}(?![\d.,])(?=[ ]?[\u4e00-\u9fff])"
NUM = r"(?:" + GROUPED + r"|\d+(?:,\d{3}(?!\d))*(?:\.\d+)?|(?<![\dA-Za-z.])\.\d+)(?:(?:(?<=0)[多余]|几)(?=[万亿]))?(?:[十百千万亿]+(?:零?\d+(?=[十百千万亿]))?)*(?:(?<=[千万亿])零\d{1,3}(?![\d.])|(?<=万)\d{4}(?![\d.%％‰])|(?<=[千万亿])\d(?![\d.]))?(?:[ ]?[kKM](?=[ \t]*(?:$|\n|个)))?"
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


def value_of(s: str) -> int | float:
    return parse_number(s.replace("正负", "").replace("±", ""))


def numeral_of(s: str) -> tuple:
    """(value, approximate) of a signed numeral that may name a range (七八, 五六十)."""
    return parse_numeral(s.replace("正负", "").replace("±", "").replace("−", "-"))


def is_chinese(s: str) -> bool:
    return bool(s) and not any("0" <= c <= "9" for c in s)


def decimals_of(s: str) -> int:
    m = re.search(r"\.[ ]?(\d+)", s)  # 52. 4% (a space after the point in text from PDFs)
    return len(m.group(1)) if m else 0


# Passes whose expression cannot match without one of these strings (checked once a text).
NEEDS = {
    "_interval": ("CI", "置信区间", "可信区间"), "_p_value": ("P", "p"), "_statistic": ("=", ":"), "_n": ("=",),
    "_blood_pressure": ("mmHg", "mm Hg", "毫米汞柱"), "_scientific": ("10",), "_power_words": ("次方",),
    "_clock_cn": ("点", "时"), "_mixed_fraction": ("又", "/"), "_power": ("^",), "_percent_range": ("%", "％", "百分之"),
    "_pp": ("百分点",), "_percent": ("%", "％", "‰", "‱", "分之"), "_cheng": ("成",), "_zhe": ("折",),
    "_multiple": ("倍", "番"), "_clock": (":",), "_colon_ratio": (":", "：", "∶"), "_fraction": ("分之", "/", "一半"),
    "_range": ("-", "~", "～", "–", "—", "至", "到"), "_ordinal": ("第",), "_dozen": ("打",), "_half": ("半",), "_half_share": ("半折", "对折", "半成"), "_half_hundred": ("半百",),
    "_e_notation": ("e", "E"), "_day_of_month": ("日",),
}
HALVES = {"time", "age", "mass", "items", "volume"}
MAGNITUDE_TAIL = re.compile(r"[百千万亿]+$")
NO_MAGNITUDE = re.compile(r"[百千万亿]")


def spread(lo_raw: str, lo, hi_raw: str):
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
# A measure word or unit that starts another word: 两部分, 75升至90, 100天然, 30人口, 10只是. Such a number
# has no unit there (and, in real text, often lost a % sign before the word).
UNIT_WORDS = ("部分", "天干", "条件", "口气", "头肌", "轮车", "年代", "部队", "部位", "对于", "对照", "对比", "对待",
              "对应", "组织", "组成", "群体", "层次", "层面", "份额", "本身", "本人", "场所", "场景", "处理", "处方",
              "升至", "升高", "升到", "升为", "升级", "升幅", "天然", "天下", "天生", "天性", "年轻", "年级", "人口",
              "人群", "人们", "人类", "人体", "人工", "人为", "人均", "例如", "种类", "种子", "种植", "家庭", "家长",
              "家人", "家里", "家中", "家属", "只要", "只是", "只有", "只能", "只需", "支持", "支付", "支出", "针对",
              "剂量", "剂型", "间接", "间隔", "台湾", "所以", "所有", "所在", "所谓", "次要", "名义", "位于", "克服",
              "米饭", "米面", "条例", "项目", "周围", "周边", "日常", "日本", "元素", "户外", "户口", "户籍", "笔记",
              "架构", "亩产")
# measure words that read as a preposition after Arabic digits (32.5对防腐剂): a count only after 一, 两 ...
CHINESE_ONLY_UNITS = {"对"}
ORDINAL_RANGE = re.compile(r"第[^，。,;；\s]{1,4}[至到\-~]$")
CLOCK_AFTER = re.compile("到|前|后|左右|以前|以后|之前|之后|之间|起|开始")


def some_before(text: str, start: int, raw: str) -> tuple[int, bool]:
    """数十人, 数百例: 数 before a unit makes the number approximate (read as its lower bound)."""
    if start and text[start - 1] == "数" and raw[:1] in "十百千万":
        return start - 1, True
    return start, False


def not_a_number(m, group: int, match_end: int) -> bool:
    """A Chinese numeral that is no number here: 百/千/万 alone (百年老店, 万人), or a word holds it."""
    raw = m.group(group).lstrip("+-−±正负")
    if m.string[m.start() - 1:m.start()] == "第" or ORDINAL_RANGE.search(m.string, max(0, m.start() - 6), m.start()):
        return True  # 第四十九条, 第3步, 第二至四位: an ordinal, read by its own pass
    if not is_chinese(raw):
        return False
    if set(raw) <= set("百佰千仟万亿"):
        return True
    return lexical.covered(m.string, m.end(group) - len(raw), m.end(group), match_end)


_PAIR = re.compile(r"\s?(?:vs\.?|VS\.?|versus|对比|比|和|与|及|、|/|→|->|至|降至|升至)\s?$")


def share_units(text: str, numbers: list[Number]) -> None:
    """173.39 vs 188.54 mmol/L: a bare number paired with a measured one shares its unit."""
    for left, right in zip(numbers, numbers[1:]):
        if left.kind == "number" and right.unit and right.kind in ("measurement", "dose", "percent", "money", "temperature"):
            gap = text[left.end:right.start]
            if len(gap) <= 8 and _PAIR.search(gap):
                left.kind, left.unit, left.dimension = right.kind, right.unit, right.dimension


def clean(v: float) -> float:
    """1e-07 for 1.0000000000000001e-07 (百万分之零点一), but 1/3 keeps every digit."""
    short = float(f"{v:.12g}")
    return short if abs(short - v) <= 1e-15 * abs(v) else v


def tidy(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, float):
        return round(v, 10)
    return v
