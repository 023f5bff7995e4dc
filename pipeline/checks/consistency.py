"""Numbers in one article that cannot all be true.

- GRIM: a percentage reported with decimals must be k/n for some whole k when the sentence gives
  one sample size n (89.3% of 113 is not).
- Parts that do not sum to their whole (共纳入86例，男52例、女41例).
- A survival rate at a later time above one at an earlier time (1年生存率80%，3年生存率85%).
- A comparison whose numbers contradict its words (72% 显著高于 81%).
"""
from __future__ import annotations

import re

from ..analysis import Analysis
from ..flags import Flag
from ..numbers.model import Number
from ..numbers.cn import parse_number
from .context import fmt

PEOPLE = {"例", "人"}
TOTAL_BEFORE = re.compile(r"(?:共|纳入|入组|总计|共计|共有|收治|招募|选取|选择|研究对象为|样本量为?)[^,;。\d]{0,6}$")
# (A total followed by completers or responders is a different group: 共有86例患者完成随访.)
PART_BEFORE = re.compile(r"(?:男性?|女性?|治疗组|对照组|试验组|观察组|实验组|干预组|安慰剂组|[A-Za-z甲乙丙]组|其中)[^,;。\d]{0,4}$")
HIGHER = re.compile(r"(?:显著|明显)?(?:高于|多于|大于|超过|优于)")
LOWER = re.compile(r"(?:显著|明显)?(?:低于|少于|小于|不及)")
BAD_METRIC = re.compile(r"死亡|复发|转移|不良|副作用|毒性|并发症|风险|进展率|感染率|发生率")
SUBSET_BEFORE = re.compile(r"(?:有效|缓解|完成|应答|治愈|好转|死亡|复发|失访|脱落|出现|发生|达到)[^,;。\d]{0,4}$")
SUBSET_AFTER = re.compile(r"^\s?(?:患者|病人|受试者)?(?:有效|缓解|完成|应答|治愈|好转|死亡|复发|失访|脱落|出现|发生|达到)")
TOTAL_AFTER = re.compile(r"\s?(?:名|例|位|个)?(?:患者|病人|受试者|病例|儿童|孕妇|对象|人)中")  # 100名患者中
DENOMINATOR_AFTER = re.compile(r"\s?(?:的)?(?:患者|病人|受试者|病例|儿童|孕妇|对象)?中")
NOT_A_SHARE = re.compile(r"生存|失访|脱落|复发率|无进展|无病|累积|发生率.*年|年.*率")
SURVIVAL = re.compile(r"(\d+|[一二三四五十])年(?:总)?生存率[^,;。\d]{0,6}$")


def grim_consistent(percent: float, decimals: int, n: int) -> bool:
    """Is ``percent`` (rounded to ``decimals``) equal to 100*k/n for some whole k?"""
    if n <= 0:
        return True
    step = 10 ** -decimals
    k = round(percent * n / 100)
    for cand in (k - 1, k, k + 1):
        if 0 <= cand <= n and abs(100 * cand / n - percent) <= step / 2 + 1e-9:
            return True
    return False


def check_consistency(a: Analysis) -> list[Flag]:
    flags: list[Flag] = []
    for span in a.sentences:
        nums = a.numbers_in(span)
        people = [n for n in nums if n.kind == "count" and n.note != "article" and (n.unit in PEOPLE or n.label == "n")
                  and isinstance(n.value, int)]
        flags += _grim(a, nums, people)
        flags += _parts(a, people)
        flags += _comparisons(a, span, nums)
    flags += _survival(a)
    return flags


def _grim(a: Analysis, nums: list[Number], people: list[Number]) -> list[Flag]:
    """GRIM where the sentence makes its one sample size the denominator (113例患者中…, n=52),
    and the percentage is a plain share of it: not a survival estimate (Kaplan-Meier), not a
    share of another group (失访率 of the enrolled, not of the completers)."""
    if len(people) != 1 or people[0].value > 10000 or people[0].value < 2:
        return []
    n = people[0]
    if not (n.label == "n" or DENOMINATOR_AFTER.match(a.norm, n.end) or
            TOTAL_BEFORE.search(a.norm[max(0, n.start - 12):n.start])):
        return []
    out = []
    for p in nums:
        if p.kind == "percent" and p.unit == "%" and p.decimals >= 1 and isinstance(p.value, (int, float)) and 0 <= p.value <= 100:
            if NOT_A_SHARE.search(a.norm[max(0, p.start - 12):p.start]):
                continue
            if not grim_consistent(p.value, p.decimals, n.value):
                out.append(Flag(p.start, p.end, "inconsistent_numbers", "Consistency.GRIM", "error",
                                f"{n.value}人中不可能恰好有{fmt(p.value)}%：没有整数k使k/{n.value}四舍五入为{fmt(p.value)}%",
                                suggestion=None, related=[(n.start, n.end)]))
    return out


def _parts(a: Analysis, people: list[Number]) -> list[Flag]:
    totals = [n for n in people if TOTAL_BEFORE.search(a.norm[max(0, n.start - 12):n.start])
              or TOTAL_AFTER.match(a.norm, n.end)]
    if len(totals) != 1:
        return []
    total = totals[0]
    out = []
    for n in people:
        if n is not total and n.start > total.end and n.value > total.value and (
                SUBSET_BEFORE.search(a.norm[max(0, n.start - 10):n.start]) or SUBSET_AFTER.match(a.norm[n.end:n.end + 8])):
            out.append(Flag(n.start, n.end, "inconsistent_numbers", "Consistency.SubsetExceedsTotal", "error",
                            f"{a.text[n.start:n.end]}多于总数{a.text[total.start:total.end]}", suggestion=None,
                            related=[(total.start, total.end)]))
    if out:
        return out
    # parts of one breakdown only: by sex (男/女), by arm (…组), or listed after 其中; never mixed
    kinds: dict[str, list[Number]] = {}
    for n in people:
        m = PART_BEFORE.search(a.norm[max(0, n.start - 8):n.start]) if n is not total and n.unit == total.unit else None
        if m:
            word = m.group(0)
            kinds.setdefault("sex" if "男" in word or "女" in word else "arm" if "组" in word else "other", []).append(n)
    for parts in kinds.values():
        if len(parts) < 2:
            continue
        s = sum(p.value for p in parts)
        rough = any(ROUGH_BEFORE.search(a.norm[max(0, n.start - 4):n.start]) or ROUGH_AFTER.match(a.norm, n.end)
                    for n in (total, *parts))
        if s != total.value and not (rough and abs(s - total.value) <= 0.05 * total.value):
            return [Flag(total.start, total.end, "inconsistent_numbers", "Consistency.PartsSum", "error",
                         f"各组人数之和为{fmt(s)}，与总数{fmt(total.value)}不符", suggestion=None,
                         related=[(p.start, p.end) for p in parts])]
    return []


# Rounded counts (约5.6万人, 2万余人) need only add up to within rounding.
ROUGH_BEFORE = re.compile(r"(?:约|近|大约|将近|超过|逾|不到|不足)\s?$")
ROUGH_AFTER = re.compile(r"\s?(?:余|多|左右|上下)")


CLAUSE_BREAK = re.compile(r"[，,；;：:、]")
# Words that may stand between a clause break and the comparison word without naming a new subject.
ELIDED = re.compile(r"\s|显著|明显|远|要|则|仍|却|但|而|且|大大|略|稍|均|已经|已|仅|只")
ADDITIVE = re.compile(r"也|还|亦|同样|更|不仅|而且|并且|甚至")
BEFORE_OBJECT = re.compile(r"(?:高于|低于|多于|少于|大于|小于|超过|不及|优于|比|较|相比)[^，,；;。]{0,12}$")


DEFINITION_AFTER = re.compile(r"\s?(?:以上|以下|及以上|及以下)?\s?(?:的|者)?\s?(?:为|属于|即为|则为|表示|定义为|算作|视为)")


def relates(a: Analysis, left: Number, right: Number, between: str, word) -> bool:
    """Whether the comparison word between two percentages compares them: it sits in the left number's
    clause, or after a break with no subject of its own (72%，显著高于对照组的81%); not when a new
    subject takes it (男性高于25%，女性高于30%), when it adds another comparison (也高于), when the
    left number is itself what something is compared with, or when it bounds its number as a
    quantifier (超过30%的人)."""
    if word is None:
        return False
    if DEFINITION_AFTER.match(a.norm[right.end:right.end + 8]) or DEFINITION_AFTER.match(a.norm[left.end:left.end + 8]):
        return False  # 24~27的为超重，大于等于28的为肥胖: thresholds that define, not numbers compared
    pre = between[:word.start()]
    cut = [m.end() for m in CLAUSE_BREAK.finditer(pre)]
    if cut:
        gap = pre[cut[-1]:]
        if ADDITIVE.search(gap) or ELIDED.sub("", gap):
            return False
        if BEFORE_OBJECT.search(a.norm[max(0, left.start - 16):left.start]):
            return False  # 高于全疆人口13.99%的增幅，也高于…: the left number is an object already
        if not between[word.end():].strip() and word.group(0) in ("超过", "多于", "少于"):
            return False  # 超过30%的人: a bound on a share, not a comparison
    return True


def _comparisons(a: Analysis, span, nums: list[Number]) -> list[Flag]:
    out = []
    vals = [n for n in nums if n.unit == "%" and isinstance(n.value, (int, float))]
    # where the sentence first names a harm metric (a literal alternation: found once, not once a pair)
    bad = BAD_METRIC.search(a.norm, span[0], span[1])
    for left, right in zip(vals, vals[1:]):
        between = a.norm[left.end:right.start]
        if len(between) > 30:
            continue
        flip = "优于" in between and bad is not None and (
            bad.end() <= right.start or bool(BAD_METRIC.search(a.norm, span[0], right.start)))
        higher, lower = HIGHER.search(between), LOWER.search(between)
        if not relates(a, left, right, between, higher or lower):
            continue
        if flip:
            higher, lower = lower, higher
        if (higher and left.value < right.value) or (lower and left.value > right.value):
            word = (HIGHER.search(between) or LOWER.search(between)).group(0)
            out.append(Flag(left.start, right.end, "inconsistent_numbers", "Consistency.ComparisonWords", "error",
                            f"文字说“{word}”，但{a.text[left.start:left.end]}与{a.text[right.start:right.end]}的大小关系相反",
                            suggestion=None, related=[(left.start, left.end), (right.start, right.end)]))
    return out


def _survival(a: Analysis) -> list[Flag]:
    points = []
    for n in a.numbers:
        if n.unit == "%" and isinstance(n.value, (int, float)):
            m = SURVIVAL.search(a.norm[max(0, n.start - 16):n.start])
            if m:
                points.append((parse_number(m.group(1)), n))
    out = []
    for (t1, n1), (t2, n2) in zip(points, points[1:]):
        if t2 > t1 and n2.value > n1.value and n2.start - n1.end < 80:
            out.append(Flag(n2.start, n2.end, "inconsistent_numbers", "Consistency.SurvivalOrder", "error",
                            f"{t2}年生存率（{fmt(n2.value)}%）不可能高于{t1}年生存率（{fmt(n1.value)}%）",
                            suggestion=None, related=[(n1.start, n1.end)]))
    return out
