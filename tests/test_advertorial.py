"""The advertorial model: passages, the shipped model, its flag, the severity it gives the
advertising-law rules, the question cue, and the training command."""
from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from pipeline import Auditor
from pipeline.checks.advertorial import (
    FEATURE_VERSION,
    MIN_PASSAGE,
    AdvertorialModel,
    load_model,
    paragraphs,
    passages,
)
from pipeline.cli import main
from pipeline.normalize import normalize

PROMOTION = ("你还在为失眠烦恼吗？这款纯天然草本配方，经权威机构研究证实，只需每晚一杯，三天就能深度入睡，没有任何副作用，"
             "完全安全可靠。已有上万名用户亲身体验，效果好评如潮，赶快行动吧，千万不要错过！")
# An ordinary explanation, long enough to be judged as a passage of its own.
SOBER = ("椰子水中不含脂肪，脂肪全在白色的椰子肉里面。椰子水的主要成分是水，还含有少量的糖和钾、钠等矿物质。"
         "运动后适量饮用可以补充水分，但它并不比白开水更能解渴，糖尿病患者饮用时也要计入每天摄入的糖。"
         "如果椰子水的包装太大，没法一次喝完，开封后应放进冰箱冷藏，并在一两天内喝完。")


@pytest.fixture(scope="module")
def plain():
    return Auditor(model=None)


def test_the_shipped_model_loads():
    model = load_model("default")
    assert isinstance(model, AdvertorialModel)
    assert model.meta["kind"] == "advertorial" and model.meta["feature_version"] == FEATURE_VERSION
    assert 0.5 <= model.threshold < 1
    assert model.weights.shape == (2 ** model.bits,)


def test_passages_join_short_paragraphs_and_keep_offsets():
    text = "短标题\n" + "甲" * 160 + "\n" + "乙" * 200 + "\n尾"
    paras = paragraphs(text)
    assert [text[s:e] for s, e in paras] == ["短标题", "甲" * 160, "乙" * 200, "尾"]
    got = passages(paras)
    assert got[0] == (0, paras[1][1])  # the title joins the paragraph after it
    assert got[1][0] == paras[2][0] and got[1][1] == len(text)  # a short tail joins the passage before it
    assert all(e - s >= MIN_PASSAGE for s, e in got)


def test_the_model_tells_promotion_from_explanation():
    model = load_model("default")  # the audit scores normalised text
    assert model.score(normalize(PROMOTION)) >= model.threshold
    assert model.score(normalize(SOBER)) < model.threshold


def test_one_flag_for_an_advertorial_passage(plain):
    text = PROMOTION + "\n" + PROMOTION.replace("失眠", "便秘")
    record = plain.audit_text(text)
    ads = [f for f in record["flags"] if f["category"] == "advertorial"]
    assert len(ads) == 1  # adjacent passages make one stretch, flagged once
    assert (ads[0]["start"], ads[0]["end"]) == (0, len(text))
    assert ads[0]["severity"] == "warning" and ads[0]["code"] == "AdLaw.Advertorial"
    assert "“" in ads[0]["message"]  # it quotes the most promotional sentences


def test_the_seed_is_one_advertorial(seed_record):
    ads = [f for f in seed_record["flags"] if f["category"] == "advertorial"]
    assert len(ads) == 1


def test_a_sober_article_has_no_advertorial_and_its_superlatives_drop_to_info(plain):
    text = SOBER + "\n" + "到底怎么补最科学？医生建议，最有效的办法是均衡饮食，而不是依赖补充剂。" + SOBER
    record = plain.audit_text(text)
    assert not [f for f in record["flags"] if f["category"] == "advertorial"]
    absolute = [f for f in record["flags"] if f["category"] == "absolute_term"]
    assert absolute, "the rule still reports 最有效 for checking"
    assert all(f["severity"] == "info" for f in absolute)
    assert any("unpromoted" in f.get("context", []) for f in absolute)


def test_a_short_text_keeps_the_rule_severity(plain):
    # too short to judge as a passage: nothing clears it, so an advertisement quoted alone still warns
    record = plain.audit_text("本品最有效，一喝大妈变小姐。")
    assert {f["code"]: f["severity"] for f in record["flags"]}.get("AdLaw.HealthFunction") == "warning"
    assert {f["code"]: f["severity"] for f in record["flags"]}.get("AdLaw.Absolute") == "warning"


@pytest.mark.parametrize("text", ["吃这种药能根治糖尿病？", "喝椰子油能根治糖尿病吗？专家说不能。"])
def test_a_question_asserts_nothing(plain, text):
    flags = [f for f in plain.audit_text(text)["flags"] if f["code"] == "AdLaw.Guarantee"]
    assert flags and all(f["severity"] == "info" and "question" in f["context"] for f in flags)


def test_the_same_claim_asserted_warns(plain):
    flags = [f for f in plain.audit_text("吃这种药能根治糖尿病。")["flags"] if f["code"] == "AdLaw.Guarantee"]
    assert flags and flags[0]["severity"] == "warning"


@pytest.mark.parametrize("text, code", [
    ("这种药方没有任何副作用，完全安全可靠。", "AdLaw.Guarantee"),
    ("赶快使用这种神奇的药方吧！", "AdLaw.CallToAction"),
    ("其疗效已经被证明超过了市面上所有的同类药物。", "AdLaw.Comparative"),
    ("许多使用该药方的家长反映，孩子的咳嗽很快就好了。", "AdLaw.Testimonial"),
    ("用了5天左右就馬上見效。", "AdLaw.HealthFunction"),
    ("据权威机构的研究，手汗症是汗腺过度活跃所致。", "Evidence.VagueSource"),
])
def test_persuasive_phrasing_is_caught(plain, text, code):
    assert code in {f["code"] for f in plain.audit_text(text)["flags"]}


def _texts(n: int, seed: int, promotional: bool) -> list[str]:
    rng = random.Random(seed)
    products = ["草本茶", "益生菌", "按摩仪", "保健酒", "养生膏"]
    promo = ["只需每天一杯，{p}让您告别失眠，没有任何副作用！", "上万名用户亲测有效，{p}好评如潮，赶快抢购！",
             "{p}采用祖传秘方，效果神奇，限时优惠，千万不要错过！"]
    sober = ["研究人员对{p}进行了随机对照试验，结果尚需更多研究证实。", "医生提醒，{p}不能代替药物，服用前请咨询医生。",
             "监管部门抽检了市面上的{p}，部分产品标签不规范。"]
    pool = promo if promotional else sober
    return ["".join(rng.choice(pool).format(p=rng.choice(products)) for _ in range(8)) for _ in range(n)]


def test_train_advertorial_rebuilds_a_model(tmp_path):
    pytest.importorskip("sklearn")
    pos, neg = tmp_path / "pos.jsonl", tmp_path / "neg.jsonl"
    pos.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in _texts(30, 1, True)), "utf-8")
    neg.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in _texts(60, 2, False)), "utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train-advertorial", "--positive", str(pos), "--negative", str(neg),
                                       "--output", str(out), "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"weights.npy", "meta.json", "README.md"}
    model = AdvertorialModel.load(out)
    assert model.meta["cross_validation"]["recall"] > 0.9
    assert model.score(_texts(1, 3, True)[0]) > model.score(_texts(1, 4, False)[0])
    again = CliRunner().invoke(main, ["train-advertorial", "--positive", str(pos), "--negative", str(neg),
                                      "--output", str(out)])
    assert again.exit_code != 0 and "--overwrite" in again.output  # a model is never replaced unasked
    from pipeline.cards import CARD_NOTES

    (out / "README.md").write_text((out / "README.md").read_text("utf-8") + f"\n{CARD_NOTES}\nhand notes\n", "utf-8")
    rebuilt = CliRunner().invoke(main, ["train-advertorial", "--positive", str(pos), "--negative", str(neg),
                                        "--output", str(out), "--folds", "3", "--overwrite"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert (out / "README.md").read_text("utf-8").endswith(f"{CARD_NOTES}\nhand notes\n")  # kept on retrain


def test_a_folder_that_is_no_advertorial_model_is_refused(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"kind": "percent", "feature_version": 2}), "utf-8")
    with pytest.raises(ValueError, match=str(tmp_path)):
        AdvertorialModel.load(tmp_path)


def test_a_fact_check_reports_the_claims_it_refutes_at_info(auditor):
    """Two refutation words make the text a fact-check: the advertising-law rules report at info,
    marked refuting, and no passage is flagged advertorial; one such word is not enough."""
    claim = "本品能根治糖尿病，无任何副作用，赶快抢购！"
    plain = auditor.audit_text(claim)
    assert any(f["severity"] == "warning" and f["code"] == "AdLaw.Guarantee" for f in plain["flags"])
    checked = auditor.audit_text(claim + "\n专家辟谣：这种说法没有科学依据。")
    guarantee = [f for f in checked["flags"] if f["code"] == "AdLaw.Guarantee"]
    assert guarantee and all(f["severity"] == "info" and "refuting" in f["context"] for f in guarantee)
    assert all(f["severity"] == "info" for f in checked["flags"] if f["code"].startswith("AdLaw."))
    once = auditor.audit_text(claim + "\n有人说这是谣言。")
    assert any(f["severity"] == "warning" and f["code"] == "AdLaw.Guarantee" for f in once["flags"])


def test_refutation_cues_are_counted_once_a_text():
    from pipeline.checks.advertorial import refutes

    class A:
        def __init__(self, norm):
            self.norm = norm

    assert refutes(A("这是谣言。网传的说法没有科学依据。")) and not refutes(A("这是谣言。"))
    assert not refutes(A("研究显示绿茶的抗氧化能力较强。"))


def test_a_passage_that_weighs_the_evidence_is_no_advertorial(plain, monkeypatch):
    """A passage over the model's threshold that doubts what it reports (看法并不统一, 还需要更多…实验)
    weighs the evidence: it is no advert. The same passage without the doubt is flagged."""
    from pipeline.checks import advertorial

    claim = "有一些小规模的实验显示这种凝胶涂抹伤口有助于伤口恢复，还能促进血液循环和杀菌。"
    doubt = "不过，科学家们的看法并不统一，要搞清楚这一作用，还需要更多、设计更严密的实验。"
    model = advertorial.load_model("default")

    class Over:  # every passage over the threshold, as the sceptical aloe passage scored
        threshold, meta = model.threshold, model.meta

        def score(self, text):
            return 0.99

    monkeypatch.setattr(advertorial, "load_model", lambda name="default": Over())
    body = (claim * 3) + "\n"
    flagged = [f for f in plain.audit_text(body + body)["flags"] if f["code"] == "AdLaw.Advertorial"]
    assert len(flagged) == 1
    quiet = [f for f in plain.audit_text(body + claim + doubt + "\n" + body)["flags"] if f["code"] == "AdLaw.Advertorial"]
    assert quiet == []
