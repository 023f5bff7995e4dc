"""Is a flagged claim promotion: the claim's own context first, the passage model as one signal
(pipeline/rules/promotion.py), and the real ad claims it is measured on."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pipeline import Auditor
from pipeline.checks.advertorial import fold, load_model
from pipeline.normalize import normalize
from pipeline.rules import promotion

from benchmarks.real.language import gated
from test_advertorial import SOBER

ADS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real-ads" / "ads.jsonl"


@pytest.fixture(scope="module")
def plain():
    return Auditor(model=None)


def severities(record: dict, code: str) -> list[tuple[str, list[str]]]:
    return [(f["severity"], f.get("context", [])) for f in record["flags"] if f["code"] == code]


def test_a_sober_passage_lowers_a_claim_with_no_sign_of_promotion(plain):
    record = plain.audit_text(SOBER + "\n医生建议，补钙最有效的办法是均衡饮食，而不是依赖补充剂。" + SOBER)
    got = severities(record, "AdLaw.Absolute")
    assert got and all(sev == "info" and "unpromoted" in ctx for sev, ctx in got)


@pytest.mark.parametrize("claim, code", [
    ("本品是治疗失眠最有效的产品，一觉到天亮。", "AdLaw.Absolute"),      # the product speaks of itself
    ("这款面霜能有效淡化细纹，28天见效。", "AdLaw.HealthFunction"),     # the product as subject
    ("该院在国内率先开展此项手术，技术达到国际领先水平。", "AdLaw.Absolute"),  # an institution and a first
])
def test_a_claim_about_a_product_or_institution_warns_in_a_sober_passage(plain, claim, code):
    record = plain.audit_text(SOBER + "\n" + claim + "\n" + SOBER)
    got = severities(record, code)
    assert got and all(sev == "warning" for sev, _ in got), got


def test_a_cited_study_lowers_an_efficacy_claim(plain):
    text = "2023年发表于《柳叶刀》的研究显示，这种疗法可以根治早期肝癌。"
    got = severities(plain.audit_text(text), "AdLaw.Guarantee")
    assert got and got[0][0] == "info" and "cited" in got[0][1]
    # the same claim with no citation, alone, stands as written
    got = severities(plain.audit_text("这种疗法可以根治早期肝癌。"), "AdLaw.Guarantee")
    assert got and got[0][0] == "warning"


@pytest.mark.parametrize("text", [
    "42/48例(87.5%)有效。",
    "观察组总有效率为92.0%,对照组为76.0%(P<0.05),87.5%的患者有效。",
])
def test_a_trials_own_figures_are_a_study_reported(plain, text):
    """A share with its counts, a P value, compared arms: the sentence reports a study, it sells nothing."""
    got = [f for f in plain.audit_text(text)["flags"] if f["category"] == "efficacy_guarantee"]
    assert got and all(f["severity"] == "info" and "cited" in f.get("context", []) for f in got), got
    # the same claim with none of them, alone, stands as written
    got = severities(plain.audit_text("87.5%的患者有效。"), "AdLaw.HealthFunction")
    assert got and got[0][0] == "warning"


def test_a_citation_does_not_answer_a_mouse_result(plain):
    text = "发表于《自然》的小鼠实验表明，这种细胞疗法为晚期癌症患者带来了治愈的希望。"
    got = severities(plain.audit_text(text), "Evidence.Preclinical")
    assert got and got[0][0] == "warning"


def test_a_hedged_claim_is_lowered(plain):
    got = severities(plain.audit_text("这种新药将来或许可以根治糖尿病。"), "AdLaw.Guarantee")
    assert got and got[0][0] == "info" and "hedged" in got[0][1]


def test_a_solicitation_is_not_its_own_evidence_of_promotion(plain):
    # a news report on a scam quotes the scam's 限时优惠: the cue inside the flagged span does not count
    text = SOBER + "\n涉事课程在海报上把“限时优惠”几个字加粗，警方提醒市民警惕此类引流骗局。\n" + SOBER
    got = severities(plain.audit_text(text), "AdLaw.Solicitation")
    assert got and all(sev == "info" for sev, _ in got)


class _Fixed:
    """An advertorial model stand-in that scores every passage the same."""

    def __init__(self, score: float) -> None:
        self.threshold, self._score = 0.78, score

    def score(self, text: str) -> float:
        return self._score


@pytest.mark.parametrize("score, expected", [(0.95, None), (0.6, None), (promotion.SOBER_SCORE - 0.01, "unpromoted")])
def test_the_passage_model_lowers_only_where_it_reads_the_passage_as_information(plain, monkeypatch, score, expected):
    a = plain.analyse(SOBER + "\n补钙最有效的办法是均衡饮食。\n" + SOBER)
    monkeypatch.setattr(promotion, "load_model", lambda name: _Fixed(score))
    start = a.norm.index("最有效")
    assert promotion.judge(a, start, start + 3, "absolute_term", set(), "default") == expected


def test_with_no_model_the_passage_never_lowers_a_claim(plain, monkeypatch):
    a = plain.analyse(SOBER + "\n补钙最有效的办法是均衡饮食。\n" + SOBER)
    monkeypatch.setattr(promotion, "load_model", lambda name: None)
    start = a.norm.index("最有效")
    assert promotion.judge(a, start, start + 3, "absolute_term", set(), None) is None


def test_an_ellipsis_reads_as_a_sentence_break_for_the_model():
    quoted = "…舒缓镇定…改善脱皮状况…能抵抗紫外线…"
    copy = "。舒缓镇定。改善脱皮状况。能抵抗紫外线。"
    assert fold(quoted) == fold(copy)
    model = load_model("default")
    assert model.score(normalize(quoted)) == pytest.approx(model.score(normalize(copy)))


def test_ad_copy_removes_the_regulators_notes_and_joins():
    from benchmarks.real.split import ad_copy

    got = ad_copy("…（主持人口述）法令紋不見了…(字幕)使用1次有感…（佐以使用前後對照圖）…")
    assert got == "法令紋不見了。使用1次有感。"


@pytest.mark.skipif(not ADS.exists(), reason="../shared/corpora/real-ads is not beside the checkout")
def test_real_ad_claims_of_a_development_month_warn(plain):
    rows = [json.loads(line) for line in ADS.read_text("utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["month"] == "113-09"]
    warned = sum(any(f["severity"] in ("warning", "error") for f in plain.audit_text(r["text"])["flags"]) for r in rows)
    assert warned / len(rows) >= 0.85, f"{warned}/{len(rows)}"


def test_ordinary_answers_stay_mostly_quiet(plain):
    rumours = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "health-rumours" / "texts.jsonl"
    if not rumours.exists():
        pytest.skip("../shared/corpora/health-rumours is not beside the checkout")
    rows = [json.loads(line) for line in rumours.read_text("utf-8").splitlines() if line.strip()]
    ordinary = random.Random(5).sample([r for r in rows if r["label"] == "ordinary"], 80)
    warned = sum(bool(gated(plain.audit_text(r["text"]), language_only=True)) for r in ordinary)
    assert warned / len(ordinary) <= 0.10, f"{warned}/{len(ordinary)}"


PAPER = ("摘要：目的 探讨腹腔镜辅助直肠癌根治手术的疗效。方法 将64例患者随机分为研究组和对照组。"
         "结果 研究组的有效率优于对照组（P<0.05）。本研究中，治疗组患者全部治愈出院，无副作用[3]。\n"
         "参考文献\n[1] 张三. 直肠癌的治疗[J]. 中华外科杂志, 2015.\n")


def test_a_research_report_lowers_its_own_results(plain):
    record = plain.audit_text(PAPER)
    lowered = [f for f in record["flags"] if f["code"].startswith("AdLaw.")]
    assert lowered and all(f["severity"] == "info" and "research" in f["context"] for f in lowered)
    assert not [f for f in record["flags"] if f["category"] == "advertorial"]


def test_three_kinds_of_research_mark_make_a_report():
    from pipeline.checks.advertorial import RESEARCH, RESEARCH_MARKS

    def marks(text: str) -> int:
        return sum(bool(p.search(normalize(text))) for p in RESEARCH.values())

    assert marks(PAPER) >= RESEARCH_MARKS
    # one study cited in a popular-science article is no report
    assert marks("研究发现，治疗组的血压下降更多（P<0.05）。") < RESEARCH_MARKS


@pytest.mark.parametrize("reach, far_severity", [(promotion.INSTITUTION_REACH, "info"), (10_000, "warning")])
def test_a_first_is_the_institutions_only_where_it_is_the_subject(plain, monkeypatch, reach, far_severity):
    monkeypatch.setattr(promotion, "INSTITUTION_REACH", reach)
    near = plain.audit_text(SOBER + "\n北京协和医院神经外科团队完成国内首例此类手术。\n" + SOBER)
    far = plain.audit_text(SOBER + "\n北京协和医院今天公布了全年的门诊数据，另据报道，某地警方开展了国内首例此类网络诈骗调查。\n" + SOBER)
    assert [f["severity"] for f in near["flags"] if f["code"] == "AdLaw.Absolute"] == ["warning"]
    assert [f["severity"] for f in far["flags"] if f["code"] == "AdLaw.Absolute"] == [far_severity]


def test_records_with_every_new_context_are_valid(plain, validator):
    from conftest import assert_valid_record

    for text, label in ((PAPER, "research"), ("2023年发表于《柳叶刀》的研究显示，这种疗法可以根治早期肝癌。", "cited")):
        record = plain.audit_text(text)
        assert any(label in f.get("context", []) for f in record["flags"])
        assert_valid_record(record, validator)


@pytest.mark.parametrize("sentence, expected", [("这种钢材的强度达到全球顶级水平。", "unpromoted"),
                                                ("这种药物的疗效达到全球顶级水平。", None)])
def test_between_the_bounds_only_a_claim_about_health_keeps_its_warning(plain, monkeypatch, sentence, expected):
    a = plain.analyse(SOBER + "\n" + sentence + "\n" + SOBER)
    monkeypatch.setattr(promotion, "load_model", lambda name: _Fixed(0.6))
    start = a.norm.index("顶级")
    assert promotion.judge(a, start, start + 2, "absolute_term", set(), "default") == expected


NEWS_LEAD = "央视网消息（新闻联播）：近日，多地举办新产品展示活动，展示了一批自主研发的新装备，吸引了众多市民参观。"


def test_a_product_shown_in_a_news_report_is_lowered_as_news(plain):
    text = NEWS_LEAD + "\n这款自主研发的机器人达到国际领先水平，折叠后可放入背包。\n" + SOBER
    got = severities(plain.audit_text(text), "AdLaw.Absolute")
    assert got and all(sev == "info" and "news" in ctx for sev, ctx in got), got
    # without the dateline the same product as subject keeps its warning
    got = severities(plain.audit_text(SOBER + "\n这款自主研发的机器人达到国际领先水平，折叠后可放入背包。\n" + SOBER), "AdLaw.Absolute")
    assert got and all(sev == "warning" for sev, _ in got), got


def test_a_medical_institution_first_in_a_news_report_still_warns(plain):
    text = NEWS_LEAD + "\n该院在国内率先开展此项手术，技术达到国际领先水平。\n" + SOBER
    got = severities(plain.audit_text(text), "AdLaw.Absolute")
    assert got and all(sev == "warning" for sev, _ in got), got


def test_a_review_with_citations_is_a_research_frame(plain):
    refs = "".join(f"既往研究[{i}]对此有过讨论。" for i in range(1, 6))
    text = refs + "\n按摩配合刺络放血治疗急性乳腺炎效果确切，且优于单纯按摩治疗。\n" + SOBER
    got = severities(plain.audit_text(text), "AdLaw.Comparative")
    assert got and all(sev == "info" and "research" in ctx for sev, ctx in got), got


def test_a_structured_abstract_is_a_research_frame(plain):
    claim = "结果采用中药缠敷疗法，对肿瘤患者化疗性静脉炎得到治愈。"
    assert severities(plain.audit_text(claim), "AdLaw.CureWord")[0][0] == "warning"  # alone it stands
    text = ("目的 观察中药缠敷疗法治疗化疗性静脉炎的效果。方法 针对一例肿瘤患者采用中药缠敷疗法。"
            + claim + "结论 该疗法可以达到预期治疗效果。\n" + SOBER)
    got = severities(plain.audit_text(text), "AdLaw.CureWord")
    assert got and all(sev == "info" and "research" in ctx for sev, ctx in got), got


def test_a_ministry_named_as_the_source_is_a_source(plain):
    text = SOBER + "\n商务部商务大数据显示，智能健康设备销售额增长20%，用户睡眠质量改善。\n" + SOBER
    codes = {f["code"] for f in plain.audit_text(text)["flags"]}
    assert "Evidence.UnverifiableData" not in codes and "Evidence.VagueSource" not in codes
    # the same figures with no one named are still unsourced
    text = SOBER + "\n数据显示，智能健康设备销售额增长20%，用户睡眠质量改善。\n" + SOBER
    codes = {f["code"] for f in plain.audit_text(text)["flags"]}
    assert "Evidence.UnverifiableData" in codes


def test_study_participants_are_not_garbled_text(plain):
    text = SOBER + "\n接受身体知觉疗法的被试的进食障碍分数改善更多。\n" + SOBER
    assert not [f for f in plain.audit_text(text)["flags"] if f["category"] == "text_corruption"]


def test_a_hospital_named_beside_a_first_in_a_news_report_is_reported(plain):
    text = NEWS_LEAD + "\n澳门协和医院是特区政府兴建的首家大型公立综合医院，今年9月投入使用。\n" + SOBER
    got = severities(plain.audit_text(text), "AdLaw.Absolute")
    assert got and all(sev == "info" and "news" in ctx for sev, ctx in got), got


def test_an_abstract_with_keywords_is_a_research_frame(plain):
    claim = "内分泌：能调整内分泌，抗感染。"
    front = ("耳穴贴压治疗痤疮1例的护理体会\n摘要:本文回顾1例患者的临床资料，总结护理经验。\n"
             "关键词:耳穴贴压;痤疮;中医护理\n")
    text = front + claim + "\n" + SOBER
    got = severities(plain.audit_text(text), "AdLaw.HealthFunction")
    assert got and all(sev == "info" and "research" in ctx for sev, ctx in got), got
    # the abstract alone, no keywords: not a research frame by itself
    alone = "摘要:本文回顾1例患者的临床资料。\n" + claim + "\n" + SOBER
    got = severities(plain.audit_text(alone), "AdLaw.HealthFunction")
    assert got and all("research" not in ctx for _, ctx in got), got


@pytest.mark.parametrize("text", ["一般情况下，丙肝病毒被认为是可治愈的疾病，然而对许多人而言，事实却并非如此。",
                                  "早期宫颈癌普遍认为可以根治。"])
def test_received_opinion_is_hedged(plain, text):
    """被认为/被视为 attribute the claim to received opinion: the author asserts nothing of their own."""
    got = [f for f in plain.audit_text(text)["flags"] if f["category"] == "efficacy_guarantee"]
    assert got and all(f["severity"] == "info" and "hedged" in f.get("context", []) for f in got), got
    # the same claim asserted, alone, stands as written
    got = [f for f in plain.audit_text("早期宫颈癌可以根治。")["flags"] if f["category"] == "efficacy_guarantee"]
    assert got and got[0]["severity"] == "warning"


@pytest.mark.parametrize("text, code", [
    ("国外研究发现，该药可使死亡率下降一半。", "Evidence.VagueSource"),
    ("专家称此药无任何副作用。", "Evidence.VagueSource"),
    ("有研究表明，每天喝绿茶能降低患癌风险。", "AdLaw.EfficacyAssertion"),
])
def test_a_vague_study_is_no_citation_and_warns_in_a_short_text(plain, text, code):
    """A study not told apart (有研究表明, 国外研究发现) cites nothing: in one sentence, with nothing around it
    that says otherwise, the vague source and the claim it carries warn."""
    got = severities(plain.audit_text(text), code)
    assert got and all(sev == "warning" and "cited" not in ctx for sev, ctx in got), got


def test_a_vague_source_in_a_sober_passage_is_info(plain):
    record = plain.audit_text(SOBER + "\n专家表示，秋冬季节要注意保暖，预防感冒。\n" + SOBER)
    got = severities(record, "Evidence.VagueSource")
    assert got and all(sev == "info" for sev, _ in got), got
    # a named source is no vague one
    named = plain.audit_text("《柳叶刀》发表的研究显示，该药可降低死亡风险。")
    assert not severities(named, "Evidence.VagueSource")


def test_a_vague_source_needs_positive_evidence_of_promotion(plain, monkeypatch):
    """In the middle band (over the sober bound, under the threshold) a banned claim about health keeps its
    warning; a vague source, which ordinary answers use too, does not."""
    a = plain.analyse(SOBER + "\n专家表示，补钙最有效的办法是均衡饮食。\n" + SOBER)
    middle, over = _Fixed(0.6), _Fixed(0.95)  # both kept alive: passage scores are cached by the model's id
    monkeypatch.setattr(promotion, "load_model", lambda name: middle)
    start = a.norm.index("专家表示")
    assert promotion.judge(a, start, start + 4, "vague_source", set(), "default") == "unpromoted"
    start = a.norm.index("最有效")
    assert promotion.judge(a, start, start + 3, "absolute_term", set(), "default") is None
    monkeypatch.setattr(promotion, "load_model", lambda name: over)
    start = a.norm.index("专家表示")
    assert promotion.judge(a, start, start + 4, "vague_source", set(), "default") is None


def test_a_claim_in_a_passage_that_doubts_it_is_reported(plain, monkeypatch):
    """A passage that weighs the evidence (看法并不统一, 还需要更多…实验) reports its claims, whatever the
    passage model says of it."""
    over = _Fixed(0.95)
    monkeypatch.setattr(promotion, "load_model", lambda name: over)
    doubted = plain.analyse("有一项研究显示，芦荟凝胶延缓了伤口愈合。不过科学家们的看法并不统一，还需要更多实验。")
    start = doubted.norm.index("研究显示")
    assert promotion.judge(doubted, start, start + 4, "vague_source", set(), "default") == "hedged"
    plain_claim = plain.analyse("有一项研究显示，芦荟凝胶能让伤口更快愈合，效果非常好，赶快试试。")
    start = plain_claim.norm.index("研究显示")
    assert promotion.judge(plain_claim, start, start + 4, "vague_source", set(), "default") is None


def test_the_supreme_courts_name_is_no_superlative(plain):
    """最高 of 最高人民法院 beside 院长 is a name and a title, not an institution claiming a first."""
    sentence = "最高人民法院院长张军，国务院有关部门负责同志到会听取意见、回答询问。"
    a = plain.analyse(sentence)
    start = a.norm.index("有关部门")
    assert not promotion._promotes(a, a.sentence_of(start), start, start + 4)
    a = plain.analyse("该院院长介绍，该院手术量全省最高。")
    start = a.norm.index("全省最高")
    assert promotion._promotes(a, a.sentence_of(start), start, start + 4)
