"""The numeric checks' codes, described the way a rule file describes a rule.

Rule packs carry their own descriptions; the numeric checks are Python, and this table is what
``medclaim rules list``/``show``, ``--disable`` and the SARIF output know of them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckCode:
    id: str
    category: str
    severity: str
    zh: str
    en: str
    reference: str | None = None


CHECK_CODES = {c.id: c for c in [
    CheckCode("Numbers.PercentLost", "percent_lost", "warning",
              "按上下文是百分比却没有%号的数（疾病控制率达89.3）；只有模型的概率而没有规则的理由，或文中其他百分比带%号时为提示",
              "a number its context makes a percentage, written without % (疾病控制率达89.3); info where only the "
              "model's score says so or the text signs its other percentages"),
    CheckCode("Numbers.AmbiguousMagnitude", "ambiguous_magnitude", "warning",
              "提高了3倍、比…高2.1倍：可理解为原来的3倍或4倍；增加一倍、翻番和十倍以上不报",
              "提高了3倍 or 比…高2.1倍 reads as ×3 or ×4; 增加一倍, 翻番 and ten times or more are not reported"),
    CheckCode("Numbers.ImpossiblePercent", "impossible_value", "error",
              "比率超过100%，或下降超过100%；增长、回报、计划完成、占需求量等不封顶（pipeline/checks/bounds.yml）",
              "a rate over 100% or a decrease over 100%; growth, returns, plan completion and shares of a requirement "
              "are not capped (pipeline/checks/bounds.yml)"),
    CheckCode("Numbers.NegativeQuantity", "impossible_value", "error",
              "负的人数、时长或年龄；范围的连字符和带符号的调整值不算",
              "a negative count, duration or age; range dashes and signed adjustments are not"),
    CheckCode("Numbers.VitalSign", "impossible_value", "error",
              "人不能存活的体温、心率、血氧或血压读数；变化量不算",
              "a body temperature, heart rate, oxygen saturation or blood pressure no one survives; changes are not readings"),
    CheckCode("Units.AnalyteUnit", "unit_implausible", "error",
              "检验指标用了不该用的单位（趋化因子用mmol/L）；食物的含量和变化量不算",
              "an analyte reported in a unit it is never reported in (a chemokine in mmol/L); food contents and changes are not"),
    CheckCode("Units.OutOfRange", "unit_implausible", "error",
              "检验指标的数值超出该单位下可能的范围", "an analyte's value outside what its unit allows"),
    CheckCode("Units.LostExponent", "unit_implausible", "error",
              "丢了上标的科学计数法（2×106/kg）", "scientific notation that lost its superscript (2×106/kg)"),
    CheckCode("Consistency.GRIM", "inconsistent_numbers", "error",
              "n人中不可能恰好有的百分比（GRIM检验）", "a percentage impossible for its n (the GRIM test)"),
    CheckCode("Consistency.PartsSum", "inconsistent_numbers", "error",
              "同一种分组（性别、组别）的人数之和与总数不符；约数允许5%的出入",
              "the parts of one breakdown (by sex, by arm) do not add up to the total; rough counts may differ by 5%"),
    CheckCode("Consistency.SubsetExceedsTotal", "inconsistent_numbers", "error",
              "有效、完成、死亡等的人数多于总数", "more responders, completers or deaths than people enrolled"),
    CheckCode("Consistency.ComparisonWords", "inconsistent_numbers", "error",
              "比较词与它所比较的两个百分比大小相反（72%显著高于81%）；不同主语、阈值定义不算",
              "a comparison word contradicted by the two percentages it compares (72%显著高于81%); other subjects "
              "and threshold definitions are not"),
    CheckCode("Consistency.RateFromCounts", "inconsistent_numbers", "error",
              "百分比与紧挨着写出的分子分母不符（68.4%（39/57）），按百分比的末位允许舍入",
              "a percentage that the counts written beside it do not give (68.4% (39/57)), within its rounding"),
    CheckCode("Consistency.CountShare", "inconsistent_numbers", "error",
              "例数后括号里的百分比不是它占总数的比例：同一列举的其他例数以此总数为基数，或分句写明“N例中”",
              "a count's share in brackets that is not its share of the total, where the list's other counts are "
              "or the clause names it (N例中)"),
    CheckCode("Consistency.NamedRate", "inconsistent_numbers", "error",
              "写出的有效率、治愈率等与句中的例数和总数不符（总有效率＝痊愈＋显效＋有效）",
              "a named rate (response, cure ...) that the sentence's counts and total do not give"),
    CheckCode("Consistency.Breakdown", "inconsistent_numbers", "error",
              "疗效分级（显效、有效、无效……）的例数之和与总数不符",
              "graded outcomes (marked, effective, ineffective ...) that do not add up to the total"),
    CheckCode("Consistency.GroupComparison", "inconsistent_numbers", "error",
              "按组名比较两组（观察组明显优于对照组）而两组的百分比大小相反；不良事件的优于反向读",
              "a comparison of two named groups that their percentages contradict; 优于 for harms reads the other way"),
    CheckCode("Consistency.SurvivalOrder", "inconsistent_numbers", "error",
              "较长时间的生存率高于较短时间的生存率", "a survival rate at a later time above the rate at an earlier one"),
    CheckCode("Statistics.PValue", "stats_inconsistent", "error",
              "由t、F、χ²、z、r和自由度重算的P值与报告的不符；未给自由度的χ²和t在任何自由度下都得不到报告的P值",
              "a p value that its t, F, χ², z or r and df do not give; a χ² or t without df that no df could give it"),
    CheckCode("Statistics.EstimateOutsideCI", "stats_inconsistent", "error",
              "点估计落在自己的置信区间之外", "an estimate outside its own confidence interval"),
    CheckCode("Statistics.RatioNotCentred", "stats_inconsistent", "warning",
              "比值的点估计不在置信区间的几何中心附近", "a ratio estimate far from the geometric centre of its interval"),
    CheckCode("Statistics.CIvsP", "stats_inconsistent", "error",
              "置信区间与P值矛盾（区间不含1而P>0.05，或相反）",
              "a confidence interval and a p value that disagree (the interval excludes 1 beside P>0.05, or the reverse)"),
]}
CHECK_PACKS = {code.split(".")[0] for code in CHECK_CODES}


def disabled(code: str, disable) -> bool:
    """Whether ``code`` is switched off by ``disable`` (codes and pack names)."""
    return code in disable or code.split(".")[0] in disable
