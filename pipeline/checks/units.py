"""Units that do not fit what is measured, and lost exponents.

The analyte table (``analytes.yml``) says which units each analyte is reported in and the range a
value can take in each; a chemokine in mmol/L, or glucose of 173 mmol/L (mg/dL meant), is flagged
with the unit that fits as the suggestion.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..analysis import Analysis
from ..flags import Flag
from ..resources import load_yaml
from .context import fmt

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
CONCENTRATION = {"molar_concentration", "mass_concentration", "activity_concentration"}


@dataclass(frozen=True)
class Analyte:
    pattern: re.Pattern
    group: str
    units: dict[str, tuple[float, float]]


@lru_cache(maxsize=None)
def analytes() -> list[Analyte]:
    data = load_yaml((resources.files("pipeline.checks") / "analytes.yml").read_text("utf-8"))
    out = []
    for i, item in enumerate(data["analytes"], 1):
        unknown = set(item) - {"name", "group", "units"}
        if unknown:
            raise ValueError(f"analytes.yml: unknown key {sorted(unknown)[0]!r} in analyte {i}")
        name = re.compile(rf"(?<![A-Za-z])(?:{item['name']})(?![A-Za-z])")
        out.append(Analyte(name, item["group"], {u: tuple(r) for u, r in item["units"].items()}))
    return out


def _analyte_before(a: Analysis, pos: int, floor: int) -> tuple[Analyte, int] | None:
    best = None
    for analyte in analytes():
        for m in analyte.pattern.finditer(a.norm, floor, pos):
            if best is None or m.end() > best[1]:
                best = (analyte, m.end())
    return best


# A change is no level: 尿酸只降低了6.5μmol/L, 可升高血红蛋白约5克/升.
CHANGE_BEFORE = re.compile(r"(?:升高|降低|增加|减少|下降|上升|提高|改变|变化|相差|差值|波动|增高|减低)了?[^,;。，；\d]{0,6}$")
# A food's content, not the body's: 配方奶的胆固醇含量为42mg/L.
FOOD = re.compile(r"奶|乳制品|鸡蛋|蛋黄|肉|鱼|虾|蟹|食用油|食物|食品|饮料|饮品|果汁|配方|每\s?100\s?(?:克|g|毫升|ml|mL)")


def check_units(a: Analysis) -> list[Flag]:
    flags = []
    for n in a.numbers:
        shown = a.text[n.start:n.end]
        if n.note == "lost_exponent":
            m = re.search(r"10(\d{1,2})", a.norm[n.start:n.end])
            fixed = shown[:m.start(1)] + m.group(1).translate(SUPERSCRIPT) + shown[m.end(1):] if m else None
            flags.append(Flag(n.start, n.end, "unit_implausible", "Units.LostExponent", "error",
                              f"“{shown}”像是丢了上标的科学计数法", suggestion=fixed))
            continue
        if n.dimension not in CONCENTRATION or not isinstance(n.value, (int, float)):
            continue
        s_start, _ = a.sentence_of(n.start)
        found = _analyte_before(a, n.start, s_start)
        if not found:
            continue
        analyte, _ = found
        if CHANGE_BEFORE.search(a.norm[s_start:n.start]) or FOOD.search(a.norm, s_start, n.start):
            continue
        unit = (n.unit or "").split("/次")[0]
        if unit not in analyte.units:
            fitting = [u for u, (lo, hi) in analyte.units.items() if lo <= n.value <= hi]
            suggestion = (fitting or list(analyte.units))[0]
            flags.append(Flag(n.start, n.end, "unit_implausible", "Units.AnalyteUnit", "error",
                              f"{analyte.group}不用“{n.unit}”报告，常用单位是{'、'.join(analyte.units)}",
                              suggestion=f"{fmt(n.value)} {suggestion}"))
            continue
        lo, hi = analyte.units[unit]
        if not lo <= n.value <= hi:
            fitting = [u for u, (l2, h2) in analyte.units.items() if l2 <= n.value <= h2 and u != unit]
            flags.append(Flag(n.start, n.end, "unit_implausible", "Units.OutOfRange", "error",
                              f"{analyte.group}为{fmt(n.value)} {unit}超出可能的范围（{fmt(lo)}–{fmt(hi)} {unit}）",
                              suggestion=f"{fmt(n.value)} {fitting[0]}" if fitting else None))
    return flags
