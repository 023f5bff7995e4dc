"""A positive and a negative case for every numeric check, and the seed article's expectations."""
import pytest

from conftest import assert_valid_record


def flags(auditor, text, category=None):
    """(text, category, suggestion) of each flag of ``category``, whether it speaks for its span or is
    named in another's ``also`` (one numeric flag a span)."""
    record = auditor.audit_text(text, id="t")
    out = [(f["text"], f["category"], f.get("suggestion")) for f in record["flags"]
           if category is None or f["category"] == category]
    if category is not None:
        out += [(f["text"], category, None) for f in record["flags"]
                if any(x["category"] == category for x in f.get("also", []))]
    return out


@pytest.mark.parametrize("text, lost", [
    ("该试验的疾病控制率达89.3。", "89.3"),
    ("客观缓解率52.7,中位生存期为14个月。", "52.7"),
    ("使治疗费用下降90。", "90"),
    ("在小鼠实验中缩小肿瘤80。", "80"),
    ("治疗组有效率为92.3,显著高于对照组的69.2。", "69.2"),
    ("入组患者中,36实现肿瘤消退。", "36"),
    ("细胞活性阈值(>85)。", "85"),
    ("术后复发率降至12.5。", "12.5"),
    ("调查显示,其中62的人每周锻炼不足3次。", "62"),
    ("全国二级以上医院中,已有86开展了日间手术。", "86"),
    ("乳腺癌筛查可使死亡率降低20至30。", "30"),
    ("住院分娩率保持在99.9以上。", "99.9"),
    ("流感样病例占门急诊就诊总数的4.6。", "4.6"),
    ("风险比久坐少的人高出约60。", "60"),
    ("HR=0.62,95CI 0.48-0.80。", "95"),
    ("阳性率约为三十", None),
])
def test_percent_lost_positive(auditor, text, lost):
    found = [t for t, c, s in flags(auditor, text, "percent_lost")]
    if lost is None:
        assert found == []
    else:
        assert lost in found


@pytest.mark.parametrize("text", [
    "2025年共纳入52例患者,随访12周期。",
    "22家医院参与,每位患者接受6次输注。",
    "59岁患者生存期突破4年。",
    "该研究发表于第12期,见第35页。",
    "疾病控制率达89.3%。",
    "NK-92细胞治疗肾癌。",
    "平均年龄为45岁,体重指数为24。",
    "血糖控制在7 mmol/L以下。",
    "不良事件发生率为72.5%,多为1至2级。",
    "孕产妇死亡率下降至8.2/10万。",
    "麻醉意外率为0。",
    "研究采用2:1随机分组。",
    "门诊时间为8:00-17:00,电话0513-85052222。",
])
def test_percent_lost_negative(auditor, text):
    assert flags(auditor, text, "percent_lost") == []


def test_percent_lost_marks_the_number_as_inferred(auditor, validator):
    record = auditor.audit_text("疾病控制率达89.3。", id="t")
    assert_valid_record(record, validator)
    (n,) = [n for n in record["numbers"] if n["text"] == "89.3"]
    assert n["unit"] == "%" and n["unit_inferred"] is True
    (f,) = [f for f in record["flags"] if f["category"] == "percent_lost"]
    assert f["suggestion"] == "89.3%" and f["claim"] == record["claims"][0]["id"]


@pytest.mark.parametrize("text, expect", [
    ("杀伤效率提高了3倍。", True), ("收入翻番。", False), ("风险增加一倍。", False), ("风险增加两倍。", True),
    ("效率是对照组的3倍。", False), ("收入较2020年翻番。", False), ("有效率提升了12%。", False),
])
def test_ambiguous_magnitude(auditor, text, expect):
    assert bool(flags(auditor, text, "ambiguous_magnitude")) is expect


def test_ambiguous_magnitude_of_a_lost_percentage(seed_record):
    """A change over 100 read as a lost percentage is ×(N/100+1) or ×N. Alone, 活性提升300 is left to the
    learned detector, which reads it from the text around it (below the threshold in a one-line text), so
    the rules decide here; in the seed article the detector flags both 300s."""
    from pipeline import Auditor

    rules = Auditor(model=None, percent_model=None)
    assert flags(rules, "活性提升300。", "ambiguous_magnitude")
    ambiguous = [f["text"] for f in seed_record["flags"] if f["category"] == "ambiguous_magnitude"
                 or any(x["category"] == "ambiguous_magnitude" for x in f.get("also", []))]
    assert ambiguous.count("300") == 2
    # one flag a span: the lost sign speaks for the number and names the ambiguous size in ``also``
    both = [f for f in seed_record["flags"] if f["text"] == "300" and f["category"] == "percent_lost"]
    assert both and all(x["category"] == "ambiguous_magnitude" for f in both for x in f["also"])


@pytest.mark.parametrize("text, expect", [
    ("有效率130%。", True), ("死亡人数下降120%。", True), ("体温高达46℃。", True), ("心率为350次/分。", True),
    ("血压为300/320mmHg。", True),
    ("有效率98%。", False), ("活性提升300%。", False), ("体温38.5℃。", False), ("血压140/90mmHg。", False),
])
def test_impossible_value(auditor, text, expect):
    assert bool(flags(auditor, text, "impossible_value")) is expect


@pytest.mark.parametrize("text, expect, suggestion", [
    ("血清CCL-18水平(173.39 vs 188.54 mmol/L)。", True, "pg/mL"),
    ("患者空腹血糖为173 mmol/L。", True, "173 mg/dL"),
    ("回输剂量(2×106/kg)。", True, "2×10⁶/kg"),
    ("患者空腹血糖为7.2 mmol/L。", False, None),
    ("IL-6水平为35 pg/mL。", False, None),
    ("回输剂量(2×10⁶/kg)。", False, None),
])
def test_unit_implausible(auditor, text, expect, suggestion):
    found = flags(auditor, text, "unit_implausible")
    assert bool(found) is expect
    if suggestion:
        assert suggestion in found[0][2]


@pytest.mark.parametrize("text, expect", [
    ("113例患者中疾病控制率为89.3%。", True),       # GRIM: no k/113 rounds to 89.3
    ("30例患者中有效率为58.3%。", True),
    ("52例患者中疾病控制率为92.3%。", False),       # 48/52
    ("共纳入86例,其中男52例、女41例。", True),
    ("3年无失败生存率为85.3%(n=480)。", False),            # a survival estimate, not k/n
    ("共有86例患者完成随访,失访率为6.5%。", False),        # a share of the enrolled, not of 86
    ("共纳入93例,其中男52例、女41例。", False),
    ("共纳入60例,其中72例有效。", True),
    ("共纳入60例,治疗后48例有效。", False),
    ("1年生存率为80%,3年生存率为85%。", True),
    ("1年生存率为85%,3年生存率为60%。", False),
    ("治疗组有效率72%,显著高于对照组的81%。", True),
    ("治疗组有效率91%,显著高于对照组的81%。", False),
    ("治疗组复发率12%,优于对照组的20%。", False),
])
def test_inconsistent_numbers(auditor, text, expect):
    assert bool(flags(auditor, text, "inconsistent_numbers")) is expect


@pytest.mark.parametrize("text, expect", [
    ("两组比较,t(57)=2.31,p=0.31。", True),
    ("两组比较,t(57)=2.31,p=0.024。", False),
    ("χ²(1)=6.2,P>0.05。", True),
    ("χ²(1)=6.2,P<0.05。", False),
    ("F(2,57)=4.1,p=0.022。", False),
    ("z=1.2,P<0.01。", True),
    ("HR=0.91(95%CI 0.48-0.77)。", True),
    ("HR=0.61(95%CI 0.48-0.77),P=0.21。", True),
    ("HR=0.95(95%CI 0.80-1.10),P=0.03。", True),
    ("HR=0.61(95%CI 0.48-0.77),P<0.001。", False),
    ("OR=2.5(95%CI 1.2-5.1),P=0.01。", False),
])
def test_stats_inconsistent(auditor, text, expect):
    assert bool(flags(auditor, text, "stats_inconsistent")) is expect


SEED_LOST = ["300", "89.3", "90", "52.7", "71.4", "80", "70", "92.3", "69.2", "36", "300", "85", "70", "90"]


def test_seed_article(seed_record, validator):
    assert_valid_record(seed_record, validator)
    text = seed_record["text"]
    lost = [f["text"] for f in seed_record["flags"] if f["category"] == "percent_lost"]
    assert lost == SEED_LOST
    for f in seed_record["flags"]:
        if f["category"] == "percent_lost":
            assert f["suggestion"] == f["text"] + "%"
    units = [f for f in seed_record["flags"] if f["category"] == "unit_implausible"]
    assert units and all("CCL-18" in text[max(0, f["start"] - 30):f["start"]] for f in units)
    flagged = {(f["start"], f["end"]) for f in seed_record["flags"]}
    for n in seed_record["numbers"]:
        if n["kind"] in ("date", "count", "age"):
            assert (n["start"], n["end"]) not in flagged, n


def test_claims_have_metric_subject_and_sources(auditor):
    record = auditor.audit_text("南通大学附属肿瘤医院针对52例卵巢癌的研究显示:NK-CIK细胞联合化疗组疾病控制率92.3,"
                                "显著高于单纯化疗组的69.2。", id="t")
    claims = {c["metric"]: c for c in record["claims"] if c["metric"]}
    c = claims["疾病控制率"]
    assert c["subject"] == "NK-CIK细胞联合化疗组" and c["relation"] == "reach"
    assert c["evidence_level"] == "none_stated"
    assert c["sample_size"] == 52 and "南通大学附属肿瘤医院" in c["sources"]
    (pair,) = [cl for cl in record["claims"] if cl["relation"] == "compare"]
    assert [n["text"] for n in record["numbers"] if n["id"] in pair["numbers"]] == ["92.3", "69.2"]


@pytest.mark.parametrize("text, subject, metric", [
    ("依据患者特征调整细胞培养因子组合,使NK细胞活性提升300%。", None, "细胞活性"),
    ("CT显示肝内肿瘤缩小70%。", None, "肿瘤缩小"),
    ("使用帕博利珠单抗治疗后,客观缓解率为45%。", "帕博利珠单抗", "客观缓解率"),
    ("明确细胞活性阈值(>85%)、回输剂量(2×10⁶/kg)。", None, None),
    ("血清CCL-18水平(173.39 vs 188.54 mmol/L)。", None, "CCL-18"),
])
def test_claim_subject_and_metric(auditor, text, subject, metric):
    record = auditor.audit_text(text, id="t")
    claim = record["claims"][-1]
    assert claim["subject"] == subject and claim["metric"] == metric


@pytest.mark.parametrize("text, level", [
    ("该Ⅱ期试验显示,疾病控制率达89.3%。", "phase_2"),
    ("在小鼠实验中,肿瘤缩小80%。", "preclinical_animal"),
    ("一项随机对照试验显示,有效率为60%。", "rct"),
    ("有效率为60%。", "none_stated"),
])
def test_claim_evidence_level(auditor, text, level):
    assert auditor.audit_text(text, id="t")["claims"][0]["evidence_level"] == level
