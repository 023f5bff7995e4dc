"""Numbers in one article that cannot all be true.

- A share given with its counts: 68.4%（39/57）, 39/57（68.4%）: the counts must give the share,
  within the share's rounding (Consistency.RateFromCounts).
- A count with its share of the one total its sentence names: 本组86例中，脑挫裂伤51例（59.30%）
  (Consistency.CountShare); a named rate and the counts it is made of: 治疗组30例，治愈18例，治愈率为60%
  (总有效率 counts 痊愈, 显效 and 有效 together).
- GRIM: a percentage reported with decimals must be k/n for some whole k when the sentence gives
  one sample size n (89.3% of 113 is not).
- Parts that do not sum to their whole (共纳入86例，男52例、女41例; 显效20例，有效8例，无效3例 of 30).
- A survival rate at a later time above one at an earlier time (1年生存率80%，3年生存率85%).
- A comparison whose numbers contradict its words (72% 显著高于 81%; 观察组有效率为72%，对照组为81%，
  观察组明显优于对照组).

Each check reads a relation between numbers and says whether it holds (:func:`relations`); the
relations that do not hold are the flags. benchmarks/numbers/perturb.py measures each on real text.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

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
SUBSET_BEFORE = re.compile(r"(?:有效|缓解|完成|应答|治愈|好转|死亡|复发|失访|脱落|出现|发生|达到)(?![和及与])[^,;。\d]{0,4}$")
SUBSET_AFTER = re.compile(r"^\s?(?:患者|病人|受试者)?(?:有效|缓解|完成|应答|治愈|好转|死亡|复发|失访|脱落|出现|发生|达到)")
TOTAL_AFTER = re.compile(r"\s?(?:名|例|位|个)?(?:患者|病人|受试者|病例|儿童|孕妇|对象|人)中")  # 100名患者中
DENOMINATOR_AFTER = re.compile(r"\s?(?:的)?(?:患者|病人|受试者|病例|儿童|孕妇|对象)?中")
NOT_A_SHARE = re.compile(r"生存|失访|脱落|复发率|无进展|无病|累积|发生率.*年|年.*率")
SURVIVAL = re.compile(r"(\d+|[一二三四五十])年(?:总)?生存率[^,;。\d]{0,6}$")


# a change or a ratio, not a share of the people: 增加了150%, 是对照组的120%
UNCAPPED_BEFORE = re.compile(r"(?:增加|增长|上升|升高|提高|提升|下降|降低|减少|超出|高出|是|为对照组的|达到对照组的|相当于)了?[^,;。，；\d]{0,6}$")


def grim_consistent(percent: float, decimals: int, n: int) -> bool:
    """Is ``percent`` (rounded or cut to ``decimals``: 20/28 is 71.43% or 71.42%) equal to 100*k/n for
    some whole k?"""
    if n <= 0:
        return True
    step = 10 ** -decimals
    k = round(percent * n / 100)
    for cand in (k - 1, k, k + 1):
        exact = 100 * cand / n
        if 0 <= cand <= n and (abs(exact - percent) <= step / 2 + 1e-9 or 0 <= exact - percent < step - 1e-9):
            return True
    return False


@dataclass
class Relation:
    """A relation between numbers of the text that a check could compute, and whether it holds.
    ``test`` recomputes it from other values of its numbers (in order; a k/N ratio as (k, N)): what a
    benchmark that changes one number asks of the arithmetic alone."""
    code: str
    numbers: tuple  # the Numbers it reads
    holds: bool
    flag: Flag | None = None
    test: Callable[[list], bool] | None = None


def check_consistency(a: Analysis) -> list[Flag]:
    return [r.flag for r in relations(a) if not r.holds]


def _people(nums: list[Number]) -> list[Number]:
    return [n for n in nums if n.kind == "count" and n.note != "article" and (n.unit in PEOPLE or n.label == "n")
            and isinstance(n.value, int)]


def relations(a: Analysis) -> list[Relation]:
    """Every relation the consistency checks could compute in the text, holding or not."""
    out: list[Relation] = []
    for span in a.sentences:
        nums = a.numbers_in(span)
        people = _people(nums)
        out += _grim(a, nums, people)
        out += _parts(a, people, nums)
        out += _comparisons(a, span, nums)
        out += _rate_from_counts(a, nums)
        out += _count_shares(a, span, nums, people)
        out += _named_rates(a, span, nums, people)
        out += _breakdown(a, span, nums, people)
        out += _group_comparisons(a, span, nums)
    out += _survival(a)
    return out


def share_fits(exact: float, shown: float, decimals: int) -> bool:
    """Whether a share written with ``decimals`` decimals is the exact k/N (in %) rounded or cut:
    20/28 = 71.43% or 71.42%, 1045/8499 = 12.3% is 12% but not 13%."""
    unit = 10.0 ** -decimals
    # rounded (and rounded twice: 3/17 = 17.647 → 17.65 → 17.7), or cut
    return abs(exact - shown) <= 0.55 * unit + 1e-9 or 0 <= exact - shown < unit - 1e-9


def _plain_share(a: Analysis, p: Number) -> bool:
    """A percentage written whole: not .100% or 6,2% (a decimal comma), where a digit was lost or split."""
    raw = a.norm[p.start:p.end]
    before = a.norm[max(0, p.start - 2):p.start]
    return not raw.startswith(".") and not re.match(r"\d[,，]$", before)


SLASH = re.compile(r"(\d+)\s?/\s?(\d+)$")
PAIR_GAP = re.compile(r"^\s?(?:例|人|名)?\s?[（(，,、:：;；]?\s?(?:占|为)?\s?$")


def _rate_from_counts(a: Analysis, nums: list[Number]) -> list[Relation]:
    """68.4%（39/57）, 39/57（68.4%）, (1/19, 5.3%): a share written beside the counts it is made of."""
    out = []
    for left, right in zip(nums, nums[1:]):
        pair = (left, right) if left.kind == "ratio" else (right, left)
        ratio, p = pair
        if ratio.kind != "ratio" or p.kind != "percent" or p.unit != "%" or not isinstance(p.value, (int, float)) \
                or p.unit_inferred:
            continue
        m = SLASH.match(a.norm[ratio.start:ratio.end])
        if not m or not PAIR_GAP.match(a.norm[left.end:right.start]) or left.end == right.start:
            continue  # 83.84%301/383: a list whose brackets were lost, not one share and its counts
        if not _plain_share(a, p):
            continue
        k, n = int(m.group(1)), int(m.group(2))
        if n == 0 or a.norm[ratio.end:ratio.end + 1] in ("万", "千"):
            continue  # 41.8/10万 is a rate per population
        exact = 100 * k / n
        holds = share_fits(exact, p.value, p.decimals)
        flag = None if holds else Flag(
            p.start, p.end, "inconsistent_numbers", "Consistency.RateFromCounts", "error",
            f"{k}/{n} = {exact:.{max(1, p.decimals)}f}%，与写出的{a.text[p.start:p.end]}不符",
            suggestion=f"{exact:.{max(1, p.decimals)}f}%", related=[(ratio.start, ratio.end)])
        out.append(Relation("Consistency.RateFromCounts", (ratio, p), holds, flag,
                            lambda v, d=p.decimals: v[0][1] > 0 and share_fits(100 * v[0][0] / v[0][1], v[1], d)))
    return out


# A count's own share written right after it: 51例（59.30%）, 16例（30%）, 7例(10.1%).
GROUP_SIZE_BEFORE = re.compile(r"组\s?(?:患者|病人|病例)?\s?[:：为共有]?\s?$")  # 治疗组30例: the group's size
RATIO_AFTER = re.compile(r"\s?[,，、;；]?\s?\d+\s?/\s?\d+")
SHARE_AFTER_COUNT = re.compile(r"^\s?(?:患者)?(?:临床治愈|治愈|痊愈|显效|有效|无效|缓解|死亡|复发|好转)?\s?[（(]\s?(?:占)?\s?$")


def _total_of(a: Analysis, span, people: list[Number], before: Number) -> Number | None:
    """The one total the sentence names before ``before`` (共纳入221例, 600例患者中, n=52), if one."""
    totals = [n for n in people if n.end <= before.start and (
        n.label == "n" or TOTAL_BEFORE.search(a.norm[max(span[0], n.start - 12):n.start])
        or TOTAL_AFTER.match(a.norm, n.end) or DENOMINATOR_AFTER.match(a.norm, n.end)
        or GROUP_SIZE_BEFORE.search(a.norm[max(span[0], n.start - 8):n.start]))]
    if len(totals) != 1 or totals[0].value < 2:
        return None
    return totals[0]


def _count_shares(a: Analysis, span, nums: list[Number], people: list[Number]) -> list[Relation]:
    """本组86例中，脑挫裂伤51例（59.30%），外伤性蛛网膜下腔出血15例（17.44%）: counts with their shares of
    the sentence's one total. A list's shares are often of another base (a subgroup, the valid answers):
    the total is taken as their base only where another count of the list gives its share of it."""
    pairs = []
    for c, p in zip(nums, nums[1:]):
        if c not in people or p.kind != "percent" or p.unit != "%" or not isinstance(p.value, (int, float)) \
                or p.unit_inferred:
            continue  # (a % the lost-% detector supplied is its own flag, not a share to check)
        if SHARE_AFTER_COUNT.match(a.norm[c.end:p.start]) and _plain_share(a, p) \
                and not NOT_A_SHARE.search(a.norm[max(span[0], c.start - 12):c.start]) \
                and not RATIO_AFTER.match(a.norm, p.end):
            pairs.append((c, p))  # not 1例(5.3%,1/19): its own base beside it (RateFromCounts reads it)
    out, read = [], {}
    for pair in pairs:  # 80例患者中有8例（10%）: a pair its clause gives the base of is read with it
        own = _share_of_denominator(a, span, nums, *pair)
        if own:
            read[pair[0].start] = base = own[0].numbers[1]
            others = [(c, p) for c, p in pairs if c is not pair[0] and c.value <= base.value]
            if own[0].holds or not others or any(
                    share_fits(100 * c.value / base.value, p.value, p.decimals) for c, p in others):
                out += own  # 8499例中，6655例（82%）、1045例（13%）: no share of the list is of 8499 (of the known)
    total = _total_of(a, span, people, pairs[0][0]) if pairs else None
    if total is None and pairs and pairs[0][0].start in read:
        total = read[pairs[0][0].start]  # 在72例ScGVHD患者中，12例（54.5%）…: the list's base named with its first
    # a pair read with another base (80例患者中有8例（10%）within a list of another total) leaves the list
    pairs = [(c, p) for c, p in pairs if c.start not in read or read[c.start] is total]
    # 259例患者中，134例（51.7%）发生cGVHD，其中轻度68例（50.7%）…: after 其中, the parts of that count
    for i in range(1, len(pairs)):
        gap = a.norm[pairs[i - 1][1].end:pairs[i][0].start]
        if "其中" in gap or EVENT_AFTER.match(gap.lstrip("）)")):  # 4298例（30.04%）发生AKI，1、2、3期分别为…
            return out + _list_shares(a, pairs[:i], total, read) \
                + _list_shares(a, pairs[i:], pairs[i - 1][0], read, nested=True)
    return out + _list_shares(a, pairs, total, read)


def _list_shares(a: Analysis, pairs: list, total: Number | None, read: dict, nested: bool = False) -> list[Relation]:
    """The list's shares against its total; ``nested``: the list after 其中, whose base may be the count
    before it or the whole (其余20例（90.9%），其中7例（31.8%）of all 22), so its total is never blamed."""
    out: list[Relation] = []
    if len(pairs) < 2 or total is None:
        return out
    fits = [c.value <= total.value and share_fits(100 * c.value / total.value, p.value, p.decimals) for c, p in pairs]
    if not any(fits):
        if nested or any(c.value > total.value for c, _ in pairs):
            return out
        return _total_of_shares(a, a.numbers_in(a.sentence_of(total.start)), pairs, total)
    for i, ((c, p), fit) in enumerate(zip(pairs, fits)):
        if not any(f for j, f in enumerate(fits) if j != i) or c.start in read:
            continue  # no other count of the list says the total is the base; or read above
        exact = 100 * c.value / total.value
        flag = None if fit else Flag(
            p.start, p.end, "inconsistent_numbers", "Consistency.CountShare", "error",
            f"{a.text[c.start:c.end]}多于总数{a.text[total.start:total.end]}（同一列举的其他数字以它为基数）"
            if c.value > total.value else
            f"{a.text[c.start:c.end]}占{a.text[total.start:total.end]}的{exact:.{max(1, p.decimals)}f}%，与写出的"
            f"{a.text[p.start:p.end]}不符（同一列举的其他数字以{a.text[total.start:total.end]}为基数）",
            suggestion=None if c.value > total.value else f"{exact:.{max(1, p.decimals)}f}%",
            related=[(c.start, c.end), (total.start, total.end)])
        out.append(Relation("Consistency.CountShare", (c, total, p), fit, flag,
                            lambda v, d=p.decimals: v[1] > 0 and share_fits(100 * v[0] / v[1], v[2], d)))
    return out


DENOMINATOR = re.compile(r"\s?(?:例|名|位|人)?\s?(?:[^，,；;。、\d（()）]{0,12}?(?:患者|病人|受试者|病例|儿童|孕妇|对象))?\s?中\s?[，,:：]?\s?(?:其中)?\s?(?:有|共有)?\s?"
                         r"(?:(?:临床治愈|治愈|痊愈|显效|有效|缓解|死亡|复发|好转|阳性|转阴|男性?|女性?)(?:者|患者)?\s?[:：为]?)?\s?$")


def _share_of_denominator(a: Analysis, span, nums: list[Number], c: Number, p: Number) -> list[Relation]:
    """48例患者中42例有效（78.5%）, 治疗组48例中有效42例（87.5%）: one count and its share, of the
    denominator the same clause names right before it (N例…中), with nothing between them."""
    before = [n for n in nums if n.end <= c.start]
    if not before:
        return []
    total = before[-1]
    if total.kind != "count" or total.unit not in PEOPLE or not isinstance(total.value, int) or total.value < 2 \
            or not DENOMINATOR.match(a.norm[total.end:c.start]):
        return []
    exact = 100 * c.value / total.value
    holds = share_fits(exact, p.value, p.decimals)
    flag = None if holds else Flag(
        p.start, p.end, "inconsistent_numbers", "Consistency.CountShare", "error",
        f"{a.text[c.start:c.end]}多于它所在的{a.text[total.start:total.end]}" if c.value > total.value else
        f"{a.text[c.start:c.end]}占{a.text[total.start:total.end]}的{exact:.{max(1, p.decimals)}f}%，与写出的"
        f"{a.text[p.start:p.end]}不符", suggestion=None if c.value > total.value else f"{exact:.{max(1, p.decimals)}f}%",
        related=[(c.start, c.end), (total.start, total.end)])
    return [Relation("Consistency.CountShare", (c, total, p), holds, flag,
                     lambda v, d=p.decimals: v[1] > 0 and share_fits(100 * v[0] / v[1], v[2], d))]


def implied_bases(pairs: list) -> range:
    """The whole bases every count's share fits, rounded or cut (3人 11.5%, 15人 57.7%: 26)."""
    lo, hi = 1, 10 ** 9
    for c, p in pairs:
        unit = 10.0 ** -p.decimals
        top, bottom = p.value + unit / 2, p.value - unit  # a share may be rounded up half a unit or cut a whole one
        if top <= 0:
            return range(0)
        lo = max(lo, math.ceil(100 * c.value / top - 1e-9))
        hi = min(hi, math.floor(100 * c.value / bottom + 1e-9) if bottom > 0 else hi)
    return range(lo, hi + 1)


def _total_of_shares(a: Analysis, nums: list[Number], pairs: list, total: Number) -> list[Relation]:
    """共计28人 … 3人(11.5%)，15人(57.7%)，8人(30.8%): no count fits the total, but all give their shares
    of one other base: the total is what is wrong (26, not 28; here also the counts' sum). Only where
    two shares or more are to a decimal (whole percentages leave the base loose: 6655例（82%）、1045例（13%） of 8499
    cases are shares of those whose status was known), and not where another count stands between the
    total and the list (共调查402人，回收有效问卷370份，其中男184名（49.73%）)."""
    if any(n.kind == "count" and total.end <= n.start < pairs[0][0].start for n in nums) \
            or sum(p.decimals >= 1 for _, p in pairs) < 2:
        return []
    bases = [b for b in implied_bases(pairs) if all(share_fits(100 * c.value / b, p.value, p.decimals) for c, p in pairs)]
    if not bases or total.value in bases or len(bases) > 2:
        return []
    parts_sum = sum(c.value for c, _ in pairs)
    base = parts_sum if parts_sum in bases else bases[0]
    flag = Flag(total.start, total.end, "inconsistent_numbers", "Consistency.CountShare", "error",
                f"列出的各项比例都以{base}为基数" + ("（各项例数之和也是{}）".format(base) if base == parts_sum else "")
                + f"，与写出的总数{a.text[total.start:total.end]}不符",
                suggestion=str(base), related=[(c.start, c.end) for c, _ in pairs])
    test = (lambda v, k=len(pairs): v[-1] > 0 and any(share_fits(100 * v[2 * i] / v[-1], v[2 * i + 1], pairs[i][1].decimals)
                                                   for i in range(k)))
    return [Relation("Consistency.CountShare", (*[x for pair in pairs for x in pair], total), False, flag, test)]


# A named rate and the outcome words whose counts make it: 治愈率 ← 治愈18例; 总有效率 ← 痊愈+显效+有效.
RATE_NAME = re.compile(r"(总有效|有效|治愈|痊愈|缓解|死亡|病死|复发|好转|阳性|转阴|控制)率\s?(?:为|是|达到?|高达|仅为?)?\s?$")
OUTCOMES = {"有效": ("有效",), "治愈": ("治愈", "痊愈"), "痊愈": ("痊愈", "治愈"), "缓解": ("缓解",),
            "死亡": ("死亡",), "病死": ("死亡", "病死"), "复发": ("复发",), "好转": ("好转",), "阳性": ("阳性",),
            "转阴": ("转阴",), "控制": ("控制",), "总有效": ("痊愈", "治愈", "临床治愈", "显效", "有效", "好转")}
OUTCOME_BEFORE = re.compile(r"(临床治愈|治愈|痊愈|显效|有效|无效|缓解|死亡|病死|复发|好转|阳性|转阴|控制)(?:者|患者|的)?\s?[:：为]?\s?$")
OUTCOME_AFTER = re.compile(r"^\s?(?:患者)?(临床治愈|治愈|痊愈|显效|有效|无效|缓解|死亡|复发|好转|阳性|转阴)")


def _outcome_of(a: Analysis, span, n: Number) -> str | None:
    m = OUTCOME_BEFORE.search(a.norm[max(span[0], n.start - 8):n.start])
    if m:
        return m.group(1)
    m = OUTCOME_AFTER.match(a.norm[n.end:n.end + 6])
    return m.group(1) if m else None


def _named_rates(a: Analysis, span, nums: list[Number], people: list[Number]) -> list[Relation]:
    """治疗组30例，治愈18例，治愈率为60%: a rate the sentence names, of its one total, from the counts of
    its outcomes. Only where every count of the outcome stands in the sentence and the sentence has
    one total and names no second group."""
    out = []
    for p in nums:
        if p.kind != "percent" or p.unit != "%" or not isinstance(p.value, (int, float)) or p.unit_inferred:
            continue
        m = RATE_NAME.search(a.norm[max(span[0], p.start - 12):p.start])
        if not m or re.match(r"\s?[（(]\s?\d+\s?/", a.norm[p.end:p.end + 6]):
            continue  # 死亡率26.1%（6/23）: its own counts stand beside it (RateFromCounts reads them)
        if re.search(r"\d\s?(?:天|日|周|月|年)\s?$", a.norm[max(span[0], m.start() - 4):m.start()]):
            continue  # 7天死亡率, 5年生存率: a rate at a time, not of the counts the sentence gives
        counted = [n for n in people if n.end <= p.start and _outcome_of(a, span, n) in OUTCOMES[m.group(1)]]
        if not counted:
            continue
        total = _total_of(a, span, people, counted[0])
        if total is None or total in counted or len(_group_names(a, span)) > 1:
            continue
        if any(n.kind == "count" and n not in counted and total.end <= n.start < counted[0].start for n in nums):
            continue  # AKI 1、2、3期患者分别为2240…, AKI患者死亡716人: the rate is of a subgroup counted between
        k = sum(n.value for n in counted)
        if k > total.value:
            continue
        exact = 100 * k / total.value
        holds = share_fits(exact, p.value, p.decimals)
        flag = None if holds else Flag(
            p.start, p.end, "inconsistent_numbers", "Consistency.NamedRate", "error",
            f"{'+'.join(a.text[n.start:n.end] for n in counted)}占{a.text[total.start:total.end]}的"
            f"{exact:.{max(1, p.decimals)}f}%，与写出的{m.group(1)}率{a.text[p.start:p.end]}不符",
            suggestion=f"{exact:.{max(1, p.decimals)}f}%", related=[(n.start, n.end) for n in (*counted, total)])
        out.append(Relation("Consistency.NamedRate", (*counted, total, p), holds, flag,
                            lambda v, d=p.decimals: v[-2] > 0 and share_fits(100 * sum(v[:-2]) / v[-2], v[-1], d)))
    return out


# Outcome grades that together make a whole: 显效 + 有效 + 无效 = the group (痊愈 too where it is graded).
GRADES = ("临床治愈", "治愈", "痊愈", "显效", "有效", "好转", "无效", "恶化")


def _breakdown(a: Analysis, span, nums: list[Number], people: list[Number]) -> list[Relation]:
    """30例患者中，显效20例，有效8例，无效2例: graded outcomes (with 无效 among them) that must sum to the
    sentence's one total; their shares, where written, to about 100%."""
    graded = [(n, _outcome_of(a, span, n)) for n in people]
    graded = [(n, g) for n, g in graded if g in GRADES]
    if len(graded) < 2 or not any(g == "无效" for _, g in graded) or len({g for _, g in graded}) != len(graded):
        return []
    if len(_group_names(a, span)) > 1:
        return []
    parts = [n for n, _ in graded]
    total = _total_of(a, span, people, parts[0])
    if total is None or total in parts:
        return []
    s = sum(n.value for n in parts)
    holds = s == total.value
    flag = None if holds else Flag(
        total.start, total.end, "inconsistent_numbers", "Consistency.Breakdown", "error",
        f"{'、'.join(g for _, g in graded)}的例数之和为{s}，与总数{a.text[total.start:total.end]}不符",
        suggestion=None, related=[(n.start, n.end) for n in parts])
    return [Relation("Consistency.Breakdown", (*parts, total), holds, flag, lambda v: sum(v[:-1]) == v[-1])]


GROUP_NAME = re.compile(r"(?:观察|对照|治疗|试验|实验|干预|安慰剂|研究|常规|联合|手术|药物|护理|[A-Da-d甲乙丙丁12一二三四])组")
GROUP_CMP = re.compile(rf"({GROUP_NAME.pattern})(?:患者)?(?:的)?(?:[^，,；;。]{{0,8}}?率)?\s?(?:均)?(?:显著|明显|均)?(高于|低于|优于|差于|好于|多于|少于|大于|小于)\s?({GROUP_NAME.pattern})")


def _group_names(a: Analysis, span) -> set[str]:
    return {m.group(0) for m in GROUP_NAME.finditer(a.norm, span[0], span[1])}


def _group_comparisons(a: Analysis, span, nums: list[Number]) -> list[Relation]:
    """观察组有效率为93.3%，对照组为73.3%，观察组明显高于对照组: each group's one rate, then the words
    that compare the groups by name. Only where each named group has exactly one percentage before the
    comparison; 优于 and 差于 turn over for harms (不良反应, 复发 ...)."""
    out = []
    for m in GROUP_CMP.finditer(a.norm, span[0], span[1]):
        g1, word, g2 = m.group(1), m.group(2), m.group(3)
        if g1 == g2:
            continue
        values = {}
        for g in (g1, g2):
            own = [n for n in nums if n.end <= m.start() and n.unit == "%" and n.kind == "percent"
                   and isinstance(n.value, (int, float)) and _group_before(a, span, n) == g]
            if len(own) != 1:
                break
            values[g] = own[0]
        if len(values) != 2:
            continue
        p1, p2 = values[g1], values[g2]
        if p1.value == p2.value:
            continue
        up = word in ("高于", "多于", "大于", "优于", "好于")
        if word in ("优于", "差于", "好于") and BAD_METRIC.search(a.norm, span[0], m.start()):
            up = not up  # 优于 for a harm is the lower rate
        holds = (p1.value > p2.value) == up
        flag = None if holds else Flag(
            m.start(), m.end(), "inconsistent_numbers", "Consistency.GroupComparison", "error",
            f"文字说{g1}“{word}”{g2}，但两组的数字是{a.text[p1.start:p1.end]}与{a.text[p2.start:p2.end]}",
            suggestion=None, related=[(p1.start, p1.end), (p2.start, p2.end)])
        out.append(Relation("Consistency.GroupComparison", (p1, p2), holds, flag,
                            lambda v, up=up: v[0] == v[1] or (v[0] > v[1]) == up))
    return out


def _group_before(a: Analysis, span, n: Number) -> str | None:
    """The group a percentage belongs to: the last group named in its clause (or the clause before,
    where its own names none: 观察组有效率为93.3%，对照组为73.3%)."""
    clause = a.norm[span[0]:n.start]
    names = list(GROUP_NAME.finditer(clause))
    if not names:
        return None
    last = names[-1]
    # another percentage between the group's name and this one belongs to that group first
    if any(x.unit == "%" and span[0] + last.end() <= x.start and x.end <= n.start for x in a.numbers_in(span)):
        return None
    return last.group(0)


# GRIM reads a number of people as a percentage's denominator only where it is the sample (纳入52例,
# 113例患者中, n=52); 共有9例患者出现复发，占27.27% counts the events, and its share is of another base.
SAMPLE_BEFORE = re.compile(r"(?:纳入|入组|招募|研究对象为|样本量为?|调查了?|随访了?)[^,;。\d]{0,6}$")
NUMERATOR_GAP = re.compile(r"占|^\s?(?:例|人|名)?\s?[（(]")  # n=20，占比2.3%; 共218例（1.66%）
OWN_COUNTS = re.compile(r"\s?[（(]\s?\d+\s?/\s?\d+")  # 41.9%（31/74）: its own denominator
CONCENTRATION_AFTER = re.compile(r"\s?的?\s?(?:生理盐水|盐水|氯化钠|葡萄糖|溶液|乙醇|酒精|利多卡因|碘伏|戊巴比妥|水合氯醛|琼脂|甲醛|多聚甲醛|戊二醛|胎牛血清|BSA|FBS|Triton|DMSO)")
NOT_OF_SAMPLE = re.compile(r"敏感|特异|预测值|准确|一致率|符合率|阳性似然|约登|平均")  # of subgroups, or averages


def _grim(a: Analysis, nums: list[Number], people: list[Number]) -> list[Relation]:
    """GRIM where the sentence makes its one sample size the denominator (113例患者中…, n=52),
    and the percentage is a plain share of it: not a survival estimate (Kaplan-Meier), not a
    share of another group (失访率 of the enrolled, not of the completers)."""
    if len(people) != 1 or people[0].value > 10000 or people[0].value < 2:
        return []
    n = people[0]
    if not (n.label == "n" or DENOMINATOR_AFTER.match(a.norm, n.end) or
            SAMPLE_BEFORE.search(a.norm[max(0, n.start - 12):n.start])):
        return []
    out = []
    for p in nums:
        if p.start < n.end:
            continue
        if p.kind == "percent" and p.unit == "%" and isinstance(p.value, (int, float)) and 0 <= p.value \
                and (p.decimals >= 1 and p.value <= 100 or p.value > 100 and not p.unit_inferred):
            if NOT_A_SHARE.search(a.norm[max(0, p.start - 12):p.start]) or not _plain_share(a, p) \
                    or UNCAPPED_BEFORE.search(a.norm[max(0, p.start - 12):p.start]) \
                    or NOT_OF_SAMPLE.search(a.norm[max(0, p.start - 16):p.start]) \
                    or NUMERATOR_GAP.search(a.norm[n.end:p.start]) or OWN_COUNTS.match(a.norm, p.end) \
                    or CONCENTRATION_AFTER.match(a.norm, p.end) \
                    or len(CLAUSE_BREAK.findall(a.norm[n.end:p.start])) > 1 \
                    or any(x.kind in ("count", "number") and n.end <= x.start and x.end <= p.start for x in nums):
                continue  # a share in a later clause, or after another count, is of something else
            holds = p.value <= 100 and grim_consistent(p.value, p.decimals, n.value)  # no share of people passes 100%
            flag = None if holds else Flag(
                p.start, p.end, "inconsistent_numbers", "Consistency.GRIM", "error",
                f"{n.value}人中的比例不可能是{fmt(p.value)}%（超过100%）" if p.value > 100 else
                f"{n.value}人中不可能恰好有{fmt(p.value)}%：没有整数k使k/{n.value}四舍五入为{fmt(p.value)}%",
                suggestion=None, related=[(n.start, n.end)])
            out.append(Relation("Consistency.GRIM", (n, p), holds, flag,
                                lambda v, d=p.decimals: grim_consistent(v[1], d, int(v[0]))))
    return out


def _parts(a: Analysis, people: list[Number], nums: list[Number]) -> list[Relation]:
    totals = [n for n in people if (TOTAL_BEFORE.search(a.norm[max(0, n.start - 12):n.start])
                                    or TOTAL_AFTER.match(a.norm, n.end)) and not _event_count(a, n)]
    if len(totals) != 1:
        return []
    total = totals[0]
    out = []
    for n in people:
        if n is not total and n.start > total.end and not n.approximate and not total.approximate \
                and not ROUGH_AFTER.match(a.norm, n.end) and (
                SUBSET_BEFORE.search(a.norm[max(0, n.start - 10):n.start]) or SUBSET_AFTER.match(a.norm[n.end:n.end + 8])):
            holds = n.value <= total.value
            flag = None if holds else Flag(
                n.start, n.end, "inconsistent_numbers", "Consistency.SubsetExceedsTotal", "error",
                f"{a.text[n.start:n.end]}多于总数{a.text[total.start:total.end]}", suggestion=None,
                related=[(total.start, total.end)])
            out.append(Relation("Consistency.SubsetExceedsTotal", (n, total), holds, flag, lambda v: v[0] <= v[1]))
    if any(not r.holds for r in out):
        return out
    # parts of one breakdown only: by sex (男/女), by arm (…组), or listed after 其中; never mixed
    kinds: dict[str, list[Number]] = {}
    for n in people:
        if n.start < total.end:
            continue
        m = PART_BEFORE.search(a.norm[max(0, n.start - 8):n.start]) if n is not total and n.unit == total.unit else None
        if not m:
            if kinds:
                break  # 纳入30例患者（男11例，女19例）和30例健康志愿者（男11例…）: a second group's own parts
            continue
        word = m.group(0)
        kinds.setdefault("sex" if "男" in word or "女" in word else "arm" if "组" in word else "other", []).append(n)
    for parts in kinds.values():
        if len(parts) < 2:
            continue
        if any(n.kind == "count" and total.end <= n.start < parts[0].start for n in nums):
            continue  # 共调查402人，回收有效问卷370份，其中男184名: another count between may be the parts' base
        if any(SUBSET_AFTER.match(a.norm[p.end:p.end + 8]) or EVENT_AFTER.match(a.norm, p.end) for p in parts):
            continue  # 试验组11人、对照组28人发生妊娠期高血压: events in each arm, not the arms
        s = sum(p.value for p in parts)
        if _shares_of(a, nums, parts, s):
            continue  # 男184名（49.73%），女186名（50.27%）: the parts' own shares say their base is their sum
        if _share_after(a, nums, parts[0]) and not _shares_of(a, nums, parts, total.value):
            continue  # CTX组9人（40.9%）: shares of each arm's size, so these are not the arms
        rough = any(ROUGH_BEFORE.search(a.norm[max(0, n.start - 4):n.start]) or ROUGH_AFTER.match(a.norm, n.end)
                    for n in (total, *parts))
        holds = s == total.value or (rough and abs(s - total.value) <= 0.05 * total.value)
        flag = None if holds else Flag(
            total.start, total.end, "inconsistent_numbers", "Consistency.PartsSum", "error",
            f"各组人数之和为{fmt(s)}，与总数{fmt(total.value)}不符", suggestion=None,
            related=[(p.start, p.end) for p in parts])
        out.append(Relation("Consistency.PartsSum", (*parts, total), holds, flag,
                            lambda v, r=rough: sum(v[:-1]) == v[-1] or (r and abs(sum(v[:-1]) - v[-1]) <= 0.05 * v[-1])))
    return out


# A count an event follows is the event's count, not a total: 共造成2人死亡, 共导致76名巴勒斯坦人死亡
# (unless the total is of those enrolled: 共纳入60例死亡病例).
EVENT_AFTER = re.compile(r"[^，,；;。、（(]{0,8}?(?:死亡|受伤|遇难|伤亡|丧生|出院|发生|出现|感染|确诊|发病)")
ENROLLED_BEFORE = re.compile(r"(?:纳入|入组|招募|研究对象为|样本量为?)[^,;。\d]{0,6}$")


def _event_count(a: Analysis, n: Number) -> bool:
    return bool(EVENT_AFTER.match(a.norm, n.end)) and not ENROLLED_BEFORE.search(a.norm[max(0, n.start - 12):n.start])


def _share_after(a: Analysis, nums: list[Number], part: Number) -> Number | None:
    return next((q for q in nums if q.kind == "percent" and q.unit == "%" and part.end <= q.start <= part.end + 3
                 and SHARE_AFTER_COUNT.match(a.norm[part.end:q.start])), None)


def _shares_of(a: Analysis, nums: list[Number], parts: list[Number], base: int) -> bool:
    """Whether each part's share, written right after it, is its share of ``base``."""
    if base <= 0:
        return False
    for part in parts:
        p = _share_after(a, nums, part)
        if p is None or not share_fits(100 * part.value / base, p.value, p.decimals):
            return False
    return True


# Rounded counts (约5.6万人, 2万余人) need only add up to within rounding.
ROUGH_BEFORE = re.compile(r"(?:约|近|大约|将近|超过|逾|不到|不足)\s?$")
ROUGH_AFTER = re.compile(r"\s?(?:余|多|左右|上下)")


CLAUSE_BREAK = re.compile(r"[，,；;：:、]")
# Words that may stand between a clause break and the comparison word without naming a new subject.
ELIDED = re.compile(r"\s|显著|明显|远|要|则|仍|却|但|而|且|大大|略|稍|均|已经|已|仅|只")
ADDITIVE = re.compile(r"也|还|亦|同样|更|不仅|而且|并且|甚至")
BEFORE_OBJECT = re.compile(r"(?:高于|低于|多于|少于|大于|小于|超过|不及|优于|比|较|相比)[^，,；;。]{0,12}$")


THRESHOLD_AFTER = re.compile(r"\s?(?:以上|以下|及以上|及以下)?\s?(?:的人|的人群|的患者|者|的家庭|的地区|的城市)")
OPEN_PAREN = re.compile(r"[（(][^)）]*$")
LIMIT_BEFORE = re.compile(r"(?:建议|推荐|标准|要求|规定|限值|不超过|不宜超过|不应超过|控制在|应低于|应高于|目标)[^，,；;。]{0,8}$")
DEFINITION_AFTER = re.compile(r"\s?(?:以上|以下|及以上|及以下)?\s?(?:的|者)?\s?(?:为|属于|即为|则为|表示|定义为|算作|视为)")


RESPECTIVE_AFTER = re.compile(r"\s?(?:和|及|与|、)\s?\d")
RESPECTIVE_BEFORE = re.compile(r"分别[^，,；;。\d]{0,4}$")


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
    if left.unit_inferred or right.unit_inferred:
        return False  # a number read as a percentage by the lost-% detector may be an age or a score
    if RESPECTIVE_AFTER.match(a.norm, right.end) or RESPECTIVE_BEFORE.search(a.norm[max(0, right.start - 6):right.start]):
        return False  # 0.69%、1.31%低于报道的0.8%和2.0%: each compared with its own, not the nearest
    pre = between[:word.start()]
    post = between[word.end():]
    if CLAUSE_BREAK.search(post) or len(post) > 12:
        return False  # the right number is no object of the word: 高于对照组，且……81%
    if THRESHOLD_AFTER.match(a.norm, right.end):
        return False  # 高于30%的人, 低于10%者: a bound that selects people, not a value compared
    if OPEN_PAREN.search(a.norm[a.sentence_of(left.start)[0]:left.start]):
        return False  # （占12.5%）: a share inside a parenthesis, not the subject's value
    if BEFORE_OBJECT.search(a.norm[max(0, left.start - 16):left.start]) or LIMIT_BEFORE.search(
            a.norm[max(0, left.start - 12):left.start]):
        return False  # 高于全疆人口13.99%的增幅，也高于…; 建议不超过10%: the left number is an object or a limit
    cut = [m.end() for m in CLAUSE_BREAK.finditer(pre)]
    gap = pre[cut[-1]:] if cut else pre
    if ADDITIVE.search(gap) or ELIDED.sub("", gap.strip("（()）")):
        return False  # 男性50%女性高于40%: a new subject takes the word, with or without a comma
    if cut and not post.strip() and word.group(0) in ("超过", "多于", "少于"):
        return False  # 超过30%的人: a bound on a share, not a comparison
    return True


def _comparisons(a: Analysis, span, nums: list[Number]) -> list[Relation]:
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
        if left.value == right.value:
            continue
        holds = not ((higher and left.value < right.value) or (lower and left.value > right.value))
        word = (HIGHER.search(between) or LOWER.search(between)).group(0)
        flag = None if holds else Flag(
            left.start, right.end, "inconsistent_numbers", "Consistency.ComparisonWords", "error",
            f"文字说“{word}”，但{a.text[left.start:left.end]}与{a.text[right.start:right.end]}的大小关系相反",
            suggestion=None, related=[(left.start, left.end), (right.start, right.end)])
        out.append(Relation("Consistency.ComparisonWords", (left, right), holds, flag,
                            lambda v, up=bool(higher): v[0] == v[1] or (v[0] > v[1]) == up))
    return out


def _survival(a: Analysis) -> list[Relation]:
    points = []
    for n in a.numbers:
        if n.unit == "%" and isinstance(n.value, (int, float)):
            m = SURVIVAL.search(a.norm[max(0, n.start - 16):n.start])
            if m:
                points.append((parse_number(m.group(1)), n))
    out = []
    for (t1, n1), (t2, n2) in zip(points, points[1:]):
        if t2 > t1 and n2.start - n1.end < 80:
            holds = n2.value <= n1.value
            flag = None if holds else Flag(
                n2.start, n2.end, "inconsistent_numbers", "Consistency.SurvivalOrder", "error",
                f"{t2}年生存率（{fmt(n2.value)}%）不可能高于{t1}年生存率（{fmt(n1.value)}%）",
                suggestion=None, related=[(n1.start, n1.end)])
            out.append(Relation("Consistency.SurvivalOrder", (n1, n2), holds, flag, lambda v: v[1] <= v[0]))
    return out
