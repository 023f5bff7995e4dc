"""Reported statistics that disagree with themselves (statcheck's idea, for Chinese text).

- p recomputed from t, F, χ², z or r with its degrees of freedom (scipy.stats), taking the rounding
  of the test statistic into account, disagrees with the reported p.
- A ratio estimate (HR, OR, RR) outside its confidence interval, or far from the geometric mean of
  the interval's bounds.
- A confidence interval of a ratio that excludes 1 beside P>0.05, or includes 1 beside P<0.05.
"""
from __future__ import annotations

import math

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


def _p_range(stat: Number) -> tuple[float, float] | None:
    half = 0.5 * 10 ** -stat.decimals if stat.decimals else 0.5
    ps = [p_from(stat, stat.value - half), p_from(stat, stat.value + half)]
    if any(p is None for p in ps):
        return None
    return min(ps), max(ps)


def _consistent(p: Number, lo: float, hi: float) -> bool:
    cmp, value = p.comparator, p.value
    if cmp in ("<", "≤", "<="):
        return lo < value
    if cmp in (">", "≥", ">="):
        return hi > value
    half = 0.5 * 10 ** -p.decimals if p.decimals else 0.5
    return lo - half <= value <= hi + half


def check_statistics(a: Analysis) -> list[Flag]:
    flags: list[Flag] = []
    for span in a.sentences:
        nums = a.numbers_in(span)
        ps = [n for n in nums if n.kind == "p_value"]
        tests = [n for n in nums if n.kind == "statistic" and n.label not in RATIOS | {"df"}]
        df_values = [n for n in nums if n.kind == "statistic" and n.label == "df"]
        for stat in tests:
            if stat.df is None and df_values and stat.label in ("t", "χ2", "r"):
                stat.df = (float(df_values[0].value),)
            p = next((p for p in ps if p.start > stat.end), None) or (ps[-1] if ps else None)
            if p is None:
                continue
            rng = _p_range(stat)
            if rng is None or _consistent(p, *rng):
                continue
            exact = p_from(stat, stat.value)
            flags.append(Flag(p.start, p.end, "stats_inconsistent", "Statistics.PValue", "error",
                              f"由{a.text[stat.start:stat.end]}算得P≈{exact:.3g}，与报告的{a.text[p.start:p.end]}不符",
                              suggestion=f"P={exact:.3f}" if exact >= 0.001 else "P<0.001",
                              related=[(stat.start, stat.end)]))
        flags += _ratio_checks(a, nums, ps)
    return flags


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
