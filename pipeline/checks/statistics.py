"""Reported statistics that disagree with themselves (statcheck's idea, for Chinese text).

- p recomputed from t, F, χ², z or r with its degrees of freedom (scipy.stats), taking the rounding
  of the test statistic into account, disagrees with the reported p; a χ² or t given without degrees
  of freedom, when no number of them could give a p as small as the one reported (χ²=1.25，P<0.01).
- A ratio estimate (HR, OR, RR) outside its confidence interval, or far from the geometric mean of
  the interval's bounds.
- A confidence interval of a ratio that excludes 1 beside P>0.05, or includes 1 beside P<0.05.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

from ..analysis import Analysis
from ..flags import Flag
from ..numbers.model import Number
from .context import fmt

RATIOS = {"HR", "OR", "RR", "aHR", "aOR"}


def p_from(stat: Number, value: float) -> float | None:
    from scipy import stats as st  # imported on the first test statistic: scipy.stats takes 0.4 s to import

    label, df = stat.label, stat.df
    v = abs(value)
    if label == "t" and df:
        return 2 * st.t.sf(v, df[0])
    if label == "z":
        return 2 * st.norm.sf(v)
    if label == "F" and df and len(df) == 2:
        return st.f.sf(v, df[0], df[1])
    if label == "χ2" and df:
        return st.chi2.sf(v, df[0])
    if label == "r" and df and v < 1:
        t = v * math.sqrt(df[0] / (1 - v * v))
        return 2 * st.t.sf(t, df[0])
    return None


def _p_range(stat: Number, corrected: bool = False) -> tuple[float, float] | None:
    """The p values the statistic gives over its rounding; ``corrected``: an F whose df and p were
    corrected for sphericity, which can raise p up to its value at ε = 1/df1 (df 1 and df2/df1)."""
    half = 0.5 * 10 ** -stat.decimals if stat.decimals else 0.5
    ps = [p_from(stat, stat.value - half), p_from(stat, stat.value + half)]
    if any(p is None for p in ps):
        return None
    if corrected:
        ps.append(p_from(replace(stat, df=(1.0, stat.df[1] / stat.df[0])), stat.value - half))
    return min(ps), max(ps)


def _p_bounds_any_df(stat: Number) -> tuple[float, float] | None:
    """The p values a χ² or t without its degrees of freedom can give, whatever they are: χ² gives its
    smallest p at one degree of freedom and approaches 1 as they grow, so only a p reported too small
    is found inconsistent; t gives its smallest at infinitely many (the normal) and its largest at one
    (a t test has at least one degree of freedom), so a p too large is found as well."""
    from scipy import stats as st

    half = 0.5 * 10 ** -stat.decimals if stat.decimals else 0.5
    v = abs(stat.value) + half
    if stat.label == "χ2":
        return st.chi2.sf(v, 1), 1.0
    return 2 * st.norm.sf(v), 2 * st.t.sf(max(abs(stat.value) - half, 0.0), 1)


def _consistent(p: Number, lo: float, hi: float) -> bool:
    """Whether a reported p agrees with the range the statistic gives, to one unit of its last digit
    (p values are rounded or cut: P=0.049 for 0.0499); P<0.000 is statistics software's <0.001."""
    cmp, value = p.comparator, p.value
    if cmp in ("<", "≤", "<="):
        return lo < (value or 0.001)
    if cmp in (">", "≥", ">="):
        return hi > value
    unit = 10 ** -p.decimals if p.decimals else 1.0
    return lo - unit <= value <= hi + unit


# A statistic the recogniser read short or from another test: t=0. 777 and z=0,75 (a split point or a
# decimal comma), χ2=3I3.873 (a misread character), F(1,94)=0.02~2.01 (a range over tests).
CUT_AFTER = re.compile(r"[.,，]\s?\d|[A-Za-z]\d|\s?[~～]")
NOT_NORMAL_Z = re.compile(r"K-S|KS检验|Kolmogorov|柯尔莫|Kolomogoro")  # its Z has its own distribution


# Repeated-measures ANOVA whose df and p were corrected for sphericity (Greenhouse-Geisser, Huynh-Feldt):
# the p reported lies between the uncorrected one and the one at the lowest bound, ε = 1/(k-1).
SPHERICITY = re.compile(r"Greenhouse|Geisser|Huynh|球形(?:性)?(?:检验|假设|校正)|校正自由度")


def point_lost(stat: Number) -> bool:
    """Z= 366, t=218: a z or t that large without a decimal point has most likely lost it."""
    return stat.label in ("z", "t") and not stat.decimals and abs(stat.value) >= 100


def _readable(a: Analysis, stat: Number, span) -> bool:
    if CUT_AFTER.match(a.norm, stat.end):
        return False
    if stat.label == "χ2" and stat.value < 0 or stat.label == "t" and stat.df and len(stat.df) > 1:
        return False  # a negative χ², a t with two df: another statistic under a wrong name
    return not (stat.label == "z" and NOT_NORMAL_Z.search(a.norm[span[0]:stat.start]))


def _p_of(a: Analysis, stat: Number, ps: list[Number], tests: list[Number]) -> Number | None:
    """The p value reported with ``stat``: the first after it, within 30 characters and before the
    next statistic (t=2.31，P=0.024); else one right before it (P<0.05，χ²=4.2)."""
    after = next((p for p in ps if p.start >= stat.end), None)
    nxt = next((t for t in tests if t.start >= stat.end), None)
    if after and after.start - stat.end <= 30 and (nxt is None or after.start < nxt.start):
        return after
    before = [p for p in ps if p.end <= stat.start and stat.start - p.end <= 4]
    if before and not any(t.end <= before[-1].start for t in tests):
        return before[-1]  # (not χ2=9.823 P=0.002 χ2=5.450: that P is the first χ²'s)
    return None


def check_statistics(a: Analysis) -> list[Flag]:
    flags = [r.flag for r in relations(a) if not r.holds]
    for span in a.sentences:
        nums = a.numbers_in(span)
        flags += _ratio_checks(a, nums, [n for n in nums if n.kind == "p_value"])
    return flags


def relations(a: Analysis) -> list:
    """Each test statistic and the p value reported with it, and whether they agree (Statistics.PValue)."""
    from .consistency import Relation

    out = []
    for span in a.sentences:
        nums = a.numbers_in(span)
        ps = [n for n in nums if n.kind == "p_value"]
        tests = [n for n in nums if n.kind == "statistic" and n.label not in RATIOS | {"df"}]
        df_values = [n for n in nums if n.kind == "statistic" and n.label == "df"]
        for stat in tests:
            if stat.df is None and df_values and stat.label in ("t", "χ2", "r"):
                stat.df = (float(df_values[0].value),)
            p = _p_of(a, stat, ps, tests)
            if p is None or not _readable(a, stat, span):
                continue
            if p.value > 1:  # P=0020, P>005: a point lost
                flag = Flag(p.start, p.end, "stats_inconsistent", "Statistics.PValue", "error",
                            f"{a.text[p.start:p.end]}：P值不可能大于1，像是丢了小数点", suggestion=None,
                            related=[(stat.start, stat.end)])
                out.append(Relation("Statistics.PValue", (stat, p), False, flag, _retest(stat, p, any_df=stat.df is None)))
                continue
            corrected = stat.label == "F" and bool(stat.df) and stat.df[0] > 1 and bool(SPHERICITY.search(a.norm))
            rng = _p_range(stat, corrected)
            if rng is None and stat.df is None and stat.label in ("χ2", "t"):
                rng = _p_bounds_any_df(stat)
                holds = _consistent(p, *rng)
                flag = None if holds else Flag(
                    p.start, p.end, "stats_inconsistent", "Statistics.PValue", "error",
                    f"{a.text[stat.start:stat.end]}在任何自由度下P都不大于{rng[1]:.3g}，与报告的{a.text[p.start:p.end]}不符"
                    if p.value >= rng[1] else
                    f"{a.text[stat.start:stat.end]}在任何自由度下P都不小于{rng[0]:.3g}，与报告的{a.text[p.start:p.end]}不符",
                    suggestion=None, related=[(stat.start, stat.end)])
                out.append(Relation("Statistics.PValue", (stat, p), holds, flag, _retest(stat, p, any_df=True)))
                continue
            if rng is None:
                continue
            holds = _consistent(p, *rng)
            flag = None
            if not holds:
                exact = p_from(stat, stat.value)
                flag = Flag(p.start, p.end, "stats_inconsistent", "Statistics.PValue", "error",
                            f"由{a.text[stat.start:stat.end]}算得P≈{exact:.3g}"
                            + (f"（球形校正后至多{rng[1]:.3g}）" if corrected else "")
                            + ("（统计量像是丢了小数点）" if point_lost(stat) else "")
                            + f"，与报告的{a.text[p.start:p.end]}不符",
                            suggestion=None if corrected else f"P={exact:.3f}" if exact >= 0.001 else "P<0.001",
                            related=[(stat.start, stat.end)])
            out.append(Relation("Statistics.PValue", (stat, p), holds, flag,
                                _retest(stat, p, any_df=False, corrected=corrected)))
    return out


def _retest(stat: Number, p: Number, any_df: bool, corrected: bool = False):
    """Whether a statistic of another value (and the reported p of another) would agree."""
    def test(values: list) -> bool:
        s2, p2 = replace(stat, value=values[0]), replace(p, value=values[1])
        if p2.value > 1:
            return False
        rng = _p_bounds_any_df(s2) if any_df and s2.label in ("χ2", "t") else _p_range(s2, corrected)
        return rng is None or _consistent(p2, *rng)
    return test


def _ratio_checks(a: Analysis, nums: list[Number], ps: list[Number]) -> list[Flag]:
    out = []
    for est in (n for n in nums if n.kind == "statistic" and n.label in RATIOS):
        ci = next((n for n in nums if n.kind == "interval" and n.start >= est.end and n.start - est.end < 40), None)
        if ci is None:
            continue
        lo, hi = ci.value
        shown = a.text[est.start:est.end]
        if lo > hi:
            lo, hi = hi, lo
        if not lo <= est.value <= hi:
            out.append(Flag(est.start, est.end, "stats_inconsistent", "Statistics.EstimateOutsideCI", "error",
                            f"{shown}不在其置信区间{fmt(lo)}–{fmt(hi)}之内", suggestion=None, related=[(ci.start, ci.end)]))
            continue
        if lo > 0 and hi > 0:
            gm = math.sqrt(lo * hi)
            tol = 10 ** -max(est.decimals, ci.decimals, 1) * 1.5
            if abs(math.log(est.value / gm)) > 0.1 and abs(est.value - gm) > tol:
                out.append(Flag(est.start, est.end, "stats_inconsistent", "Statistics.RatioNotCentred", "warning",
                                f"{shown}偏离置信区间两端的几何均数（≈{gm:.2f}），比值的区间应以估计值为中心（对数尺度）",
                                suggestion=None, related=[(ci.start, ci.end)]))
        p = next((p for p in ps if p.start > ci.end), None)
        if p is None:
            continue
        excludes_one = hi < 1 or lo > 1
        if excludes_one and p.comparator in (">", "≥", ">=", "=") and p.value > 0.05:
            out.append(Flag(p.start, p.end, "stats_inconsistent", "Statistics.CIvsP", "error",
                            f"置信区间{fmt(lo)}–{fmt(hi)}不含1，但{a.text[p.start:p.end]}表示无统计学意义",
                            suggestion=None, related=[(ci.start, ci.end)]))
        elif not excludes_one and lo != 1 and hi != 1 and p.comparator in ("<", "≤", "<=", "=") and p.value < 0.05:
            out.append(Flag(p.start, p.end, "stats_inconsistent", "Statistics.CIvsP", "error",
                            f"置信区间{fmt(lo)}–{fmt(hi)}包含1，但{a.text[p.start:p.end]}表示有统计学意义",
                            suggestion=None, related=[(ci.start, ci.end)]))
    return out
