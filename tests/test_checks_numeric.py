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
    ("113例患者中疾病控制率为89.9%。", True),       # GRIM: no k/113 rounds or cuts to 89.9 (101/113 cuts to 89.3)
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
    ("100例患者中有效率为130%。", True),                     # more than all of 100 people
    # RateFromCounts: a share beside the counts it is made of, to one unit of its last digit
    ("有效率为68.4%(39/57)。", False),
    ("有效率为68.4%(39/75)。", True),
    ("42/48例(78.5%)有效。", True),
    ("死亡率为50%(3/6)。", False),
    ("发病率为41.8/10万(95%)。", False),                        # a rate per population, not k/N
    # CountShare: counts with their shares of the sentence's one total
    ("共纳入120例,其中轻度40例(33.3%),中度50例(41.7%),重度30例(25.0%)。", False),
    ("共纳入120例,其中轻度40例(33.3%),中度50例(41.7%),重度30例(52.0%)。", True),
    ("共计28人,其中3人(11.5%),15人(57.7%),8人(30.8%)。", True),   # the shares are of 26: the total slipped
    ("共调查402人,回收有效问卷370份,其中男184名(49.7%),女186名(50.3%)。", False),  # of the 370 answers
    ("48例患者中42例有效(87.5%)。", False),
    ("48例患者中42例有效(78.5%)。", True),
    ("治疗组48例中有效42例(78.5%)。", True),
    # NamedRate: a named rate and the counts of its outcome
    ("观察组50例,治愈30例,治愈率60.0%。", False),
    ("观察组50例,治愈30例,治愈率66.0%。", True),
    ("共治疗48例,显效30例,有效12例,总有效率为87.5%。", False),
    ("共治疗48例,显效30例,有效12例,总有效率为78.5%。", True),
    ("本组48例,7天死亡6例,30天病死率为15.0%。", False),          # a rate at a time, not of these counts
    # Breakdown: graded outcomes sum to the group
    ("观察组50例,痊愈20例,显效15例,有效10例,无效5例。", False),
    ("观察组50例,痊愈20例,显效15例,有效10例,无效8例。", True),
    # GroupComparison: the direction word against the groups' figures
    ("观察组总有效率为92.0%,对照组为76.0%,观察组明显优于对照组。", False),
    ("观察组总有效率为72.0%,对照组为76.0%,观察组明显优于对照组。", True),
    ("观察组并发症发生率为4.0%,对照组为16.0%,观察组明显优于对照组。", False),  # fewer harms is better
    ("256例急性缺血性卒中患者中,20例(11.7%)复发。", True),      # 20/256 is 7.8%
    ("23例患者中62例(52.2%)伴低血钙。", True),                   # more than its own denominator
    ("259例患者中,134例(51.7%)发生cGVHD,其中轻度68例(50.7%)、中度45例(33.6%)、重度21例(15.7%)。", False),
    ("259例患者中,134例(51.7%)发生cGVHD,其中轻度68例(50.7%)、中度45例(33.6%)、重度21例(25.7%)。", True),
    # totals and parts: events are not totals, a second group's parts are its own, events per arm are not arms
    ("枪击事件共造成2人死亡、9人受伤。", False),
    ("军事行动共导致100名平民死亡、603人受伤。", False),
    ("共入组156例心死亡和998例脑死亡病例。", False),
    ("纳入30例患者(男性11例,女性19例)和30例健康志愿者(男性11例,女性19例)。", False),
    ("332名受试者中,试验组11人、对照组28人发生妊娠期高血压。", False),
    ("肝癌患者共86例(男性56例,女性42例,年龄32~65岁)。", True),
    ("共25名患者曾检测到高血糖,包括A组9人(40.9%)、B组16人(59.3%)。", False),  # shares of each arm
    ("对照组(n=10):尾静脉注射0.9%的生理盐水0.2 mL/20 g。", False),   # a concentration, not a share
    ("14305例患者中4298例(30.04%)发生AKI,1、2、3期分别为2240例(52.1%)、845例(19.7%)及1213例(28.2%)。"
     "AKI患者死亡716人,院内死亡率为16.7%。", False),               # a rate of the subgroup counted between
    ("本组90 d死亡率1.31%低于Zureikat报道的0.8%和2.0%。", False),    # respective values
    ("28.3%在2年内持续频繁就诊,高于国外统计分别约40%和20%。", False),
    # comparison words and numbers they do not govern (real false alarms)
    ("吸烟者(占32%)的发病风险高于不吸烟者,阈值为40%。", False),
    ("膳食指南建议每天盐摄入不超过5克,而居民实际摄入量高于9克。", False),
    ("65岁以上的人群中发病率高于30%。", False),
])
def test_inconsistent_numbers(auditor, text, expect):
    assert bool(flags(auditor, text, "inconsistent_numbers")) is expect


@pytest.mark.parametrize("text, code", [
    ("有效率为68.4%(39/57)。", "Consistency.RateFromCounts"),
    ("共纳入120例,其中轻度40例(33.3%),中度50例(41.7%),重度30例(25.0%)。", "Consistency.CountShare"),
    ("48例患者中42例有效(87.5%)。", "Consistency.CountShare"),
    ("观察组50例,治愈30例,治愈率60.0%。", "Consistency.NamedRate"),
    ("共治疗48例,显效30例,有效12例,总有效率为87.5%。", "Consistency.NamedRate"),
    ("观察组50例,痊愈20例,显效15例,有效10例,无效5例。", "Consistency.Breakdown"),
    ("观察组总有效率为92.0%,对照组为76.0%,观察组明显优于对照组。", "Consistency.GroupComparison"),
    ("观察组并发症发生率为4.0%,对照组为16.0%,观察组明显优于对照组。", "Consistency.GroupComparison"),
    ("两组比较,t=2.1,P=0.2。", "Statistics.PValue"),
])
def test_quiet_cases_are_computed_and_hold(auditor, text, code):
    """The quiet cases above are quiet because the relation was read and holds, not because it was not read."""
    from pipeline.checks import consistency, statistics

    analysis = auditor.analyse(text)
    held = [r.holds for r in consistency.relations(analysis) + statistics.relations(analysis) if r.code == code]
    assert held and all(held)


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
    ("两组比较,t=6.21,P=0.35。", True),         # no df: at one df t=6.21 still gives P≈0.10
    ("两组比较,t=2.1,P=0.2。", False),          # P=0.28 at one df: some df fits
    ("组间比较χ²=0.12,P<0.001。", True),        # no df: P ≥ 0.72 whatever they are
    ("组间比较χ²=6.21,P=0.35。", False),        # many df give P=0.35
    ("差异有统计学意义(χ²=4.352,P=0020)。", True),  # P above 1: its point lost
    ("模块相关(r=0.54,p=8.0*10-3)。", False),       # an exponent with its caret lost: 0.008, not 8
    ("查阅文献P=36.2%,q=1-p。", False),             # a proportion named p
    ("解剖性切除对预后无明显影响(χ2=0.57,P=0.44)。", False),  # χ²(1)=0.57 gives 0.450: P cut, not wrong
    ("无显著差异(t=0.528/P=0.598,t=0. 777/P=0.439)。", False),  # 0. 777: a split point, not t=0
    ("总体效应 z=0,75 (P=0.45)。", False),          # a decimal comma
    ("Test for overall effect Z= 366 (P = 0.0002)", True),   # as written; the message says the point is lost
    ("(χ2=9.823 P=0.002 χ2=5.450. P=0.020)", False),  # the first P is the first χ²'s
    ("(χ2=3.481,P=0.032)。", True),                 # no df gives a χ² of 3.481 a P below 0.062
    ("K-S正态检验,动脉血糖值(Z=0.666 P=0.767)。", False),  # a Kolmogorov-Smirnov Z is not normal
    ("交互效应显著[F(11,374)=3.64,p=0.014]。", True),
    ("方差分析采用Greenhouse-Geisser法校正自由度及P值。交互效应显著[F(11,374)=3.64,p=0.014]。", False),
    ("方差分析采用Greenhouse-Geisser法校正自由度及P值。交互效应显著[F(2,114)=3.65,p=0.31]。", True),
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
    ("依据患者特征调整细胞培养因子组合,使NK细胞活性提升300%。", None, "NK细胞活性"),
    ("CT显示肝内肿瘤缩小70%。", None, "肿瘤缩小"),
    ("使用帕博利珠单抗治疗后,客观缓解率为45%。", "帕博利珠单抗", "客观缓解率"),
    ("明确细胞活性阈值(>85%)、回输剂量(2×10⁶/kg)。", None, None),
    ("血清CCL-18水平(173.39 vs 188.54 mmol/L)。", None, "血清CCL-18"),
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
