"""The numeric checks on real text: what they must find and where they must stay quiet.

Articles are read from ../shared/corpora/real-articles/ by id (the corpus is not the project's to
ship; these tests skip without it). Each case names the text it is about; the flags judged in
``benchmarks/real/judged/numeric_*.jsonl`` are where they come from. Sentences in the issue reports
that have no corpus id are in the parametrized list at the end.
"""
from __future__ import annotations

import pytest

from pipeline import Auditor

NUMERIC = {"percent_lost", "ambiguous_magnitude", "impossible_value", "unit_implausible",
           "inconsistent_numbers", "stats_inconsistent"}

# (article id, a quote around the number, the check that must fire there): true slips in real copy
REAL_POSITIVES = [
    ("piyao_org_cn-0843", "毛利率高达1006%", "Numbers.ImpossiblePercent"),  # a margin over price passes 100%
]
# Not found yet: piyao_org_cn-0388, 一共约有5.6万人死亡（男性约3.2人，女性约2.4万人）: 3.2人 for 3.2万人.
# The parts check once flagged it, but by adding 女性 to a breakdown by cause (其中约2.3万人…), which
# it would do to correct text as well; it now keeps to one breakdown and misses this slip.

# (article id, a quote, the check that once fired there wrongly)
REAL_NEGATIVES = [
    ("xinhua_foodpiyao-0100", "BMI在24~27的为超重，大于等于28的为肥胖", "Consistency.ComparisonWords"),
    ("guokr_rumor-0326", "低于18.5为偏瘦，高于25为偏胖", "Consistency.ComparisonWords"),
    ("kexin_foodhealth-0034", "中筋面粉在 11% 上下，低筋面粉蛋白质含量一般低于 10%", "Consistency.ComparisonWords"),
    ("kexin_foodhealth-0437", "欧盟规定转基因成分超过0.9%、巴西规定转基因成分超过1%", "Consistency.ComparisonWords"),
    ("sina_zhuoyaoji-0099", "1月28日-31日", "Numbers.NegativeQuantity"),
    ("piyao_org_cn-0082", "6月龄-5岁", "Numbers.NegativeQuantity"),
    ("kexin_foodhealth-0112", "不急躁 -3 岁", "Numbers.NegativeQuantity"),
    ("piyao_org_cn-0058", "最低温度0℃线", "Numbers.VitalSign"),
    ("guokr_rumor-0230", "可升高血红蛋白约5克/升", "Units.OutOfRange"),
    ("guokr_rumor-0253", "三种奶的胆固醇含量分别为117mg/L、42mg/L和82mg/L", "Units.AnalyteUnit"),
    ("guokr_rumor-0362", "此项性能平均高达400%,下降18%后仍高达300%", "Numbers.ImpossiblePercent"),
    ("kexin_foodhealth-0506", "占每日钠总需求量（2000毫克）的149%", "Numbers.ImpossiblePercent"),
    ("guokr_rumor-0176", "种子的寿命就会提高1倍", "Numbers.AmbiguousMagnitude"),
    ("piyao_org_cn-0927", "其“身价”便会翻番", "Numbers.AmbiguousMagnitude"),
    ("piyao_org_cn-0343", "难分解污染成分就会增加10倍左右", "Numbers.AmbiguousMagnitude"),
    ("baidu_piyao-0071", "10：30以后", "Numbers.PercentLost"),
    ("guokr_rumor-0094", "下降了1.1、0.3、1.5和1.6公斤", "Numbers.PercentLost"),
    ("piyao_org_cn-0388", "一共约有5.6万人死亡", "Consistency.PartsSum"),  # women and deaths by cause are no one breakdown
    ("sina_zhuoyaoji-0285", "其中有11对夫妇", "Numbers.PercentLost"),
]


@pytest.fixture(scope="module")
def auditor():
    return Auditor(model=None)


@pytest.fixture(scope="module")
def texts(real_articles):
    return {a["id"]: a["text"] for a in real_articles}


def _flags_at(auditor, texts, article_id, quote):
    text = texts[article_id]
    start = text.index(quote)  # the quote is from the article, as published
    end = start + len(quote)
    record = auditor.audit_text(text, id=article_id)
    return [f for f in record["flags"] if f["start"] < end and f["end"] > start]


@pytest.mark.parametrize("article_id, quote, code", REAL_POSITIVES)
def test_real_slips_are_found(auditor, texts, article_id, quote, code):
    assert code in {f["code"] for f in _flags_at(auditor, texts, article_id, quote)}


@pytest.mark.parametrize("article_id, quote, code", REAL_NEGATIVES)
def test_real_text_that_is_right_stays_quiet(auditor, texts, article_id, quote, code):
    assert code not in {f["code"] for f in _flags_at(auditor, texts, article_id, quote) if f["severity"] != "info"}


# Sentences quoted in the reports of real-text runs (issue 15), without a corpus id.
QUIET = [
    "人到40岁，超过20%的人长有息肉，过了50岁，超过30%的人有息肉。",
    "甲醇和甲醛的含量都不得超过0.05%，B类则是要求不超过0.1%。",
    "男性体脂率高于25%，女性高于30%。",
    "不咀嚼槟榔者仅1.5%有口腔黏膜病变，而咀嚼者中有超过20%为癌前病变。",
    "增长率达300%。",
    "完成了占年度投资计划的133.3%。",
    "每天服药2--3次。",
    "曝光率约为160毫西弗特/小时。",
    "收缩压每升高20/10mmHg，心血管风险增加。",
    "尿酸水平只降低了6.5μmol/L。",
    "全国每年增加1000多起。",
]
FOUND = [
    ("该药有效率为72%，显著高于对照组的81%。", "Consistency.ComparisonWords"),
    ("有效率由60%提高到130%。", "Numbers.ImpossiblePercent"),
    ("该疗法有效率达130%。", "Numbers.ImpossiblePercent"),
    ("100名患者中，男性60名，女性50名。", "Consistency.PartsSum"),
    ("患者血压为300/400mmHg。", "Numbers.VitalSign"),
    ("患者年龄为-3岁。", "Numbers.NegativeQuantity"),
    ("死亡率比对照组高1.5倍。", "Numbers.AmbiguousMagnitude"),
]


@pytest.mark.parametrize("text", QUIET)
def test_reported_false_alarms_stay_quiet(auditor, text):
    assert [f["code"] for f in auditor.audit_text(text)["flags"]
            if f["category"] in NUMERIC and f["severity"] != "info"] == []


@pytest.mark.parametrize("text, code", FOUND)
def test_real_kinds_of_error_are_still_found(auditor, text, code):
    assert code in {f["code"] for f in auditor.audit_text(text)["flags"]}
