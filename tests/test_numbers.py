"""The recognizer: kind, value, unit and exact offsets, table-driven."""
import pytest
from hypothesis import given, strategies as st

from pipeline.normalize import normalize
from pipeline.numbers.cn import parse_number, to_chinese
from pipeline.numbers.recognizer import Recognizer

R = Recognizer()


def first(text):
    found = R.find(normalize(text))
    assert found, text
    n = found[0]
    return text[n.start:n.end], n.kind, n.value, n.unit


@pytest.mark.parametrize("text, expected", [
    ("纳入1,204例", ("1,204例", "count", 1204, "例")),
    ("共１２３例", ("１２３例", "count", 123, "例")),
    ("三千五百人", ("三千五百人", "count", 3500, "人")),
    ("两万名", ("两万名", "count", 20000, "人")),
    ("3.5万元", ("3.5万元", "money", 35000, "CNY")),
    ("1.2亿元", ("1.2亿元", "money", 120000000, "CNY")),
    ("零点五毫克", ("零点五毫克", "measurement", 0.5, "mg")),
    ("降温−3℃", ("−3℃", "temperature", -3, "℃")),
    ("达89.3%", ("89.3%", "percent", 89.3, "%")),
    ("达89.3％", ("89.3％", "percent", 89.3, "%")),
    ("百分之三十", ("百分之三十", "percent", 30, "%")),
    ("千分之五", ("千分之五", "percent", 5, "‰")),
    ("七成患者", ("七成", "percent", 70, "%")),
    ("七八成患者", ("七八成", "range", [70, 80], "%")),
    ("打7折", ("打7折", "percent", 70, "%")),
    ("上升2个百分点", ("2个百分点", "percentage_point", 2, "pp")),
    ("三分之一", ("三分之一", "ratio", 1 / 3, None)),
    ("约1/3", ("1/3", "ratio", 1 / 3, None)),
    ("72-96小时", ("72-96小时", "range", [72, 96], "hour")),
    ("15%～20%", ("15%～20%", "range", [15, 20], "%")),
    ("1500-2000港币/次", ("1500-2000港币/次", "range", [1500, 2000], "HKD/次")),
    ("两三个月", ("两三个月", "range", [2, 3], "month")),
    ("3至5年", ("3至5年", "range", [3, 5], "year")),
    ("95%CI 0.48-0.77", ("95%CI 0.48-0.77", "interval", [0.48, 0.77], None)),
    ("95% CI：0.80-1.10", ("95% CI：0.80-1.10", "interval", [0.8, 1.1], None)),
    ("提高了3倍", ("3倍", "multiple", 3, "×")),
    ("翻了两番", ("翻了两番", "multiple", 4, "×")),
    ("翻番", ("翻番", "multiple", 2, "×")),
    ("2×10⁶/kg", ("2×10⁶/kg", "dose", 2000000, "个/kg")),
    ("2×10^6个/kg", ("2×10^6个/kg", "dose", 2000000, "个/kg")),
    ("2x10(6)/kg", ("2x10(6)/kg", "dose", 2000000, "个/kg")),
    ("10的6次方", ("10的6次方", "number", 1000000, None)),
    ("2×106/kg", ("2×106/kg", "dose", 2000000, "个/kg")),
    ("173.39 mmol/L", ("173.39 mmol/L", "measurement", 173.39, "mmol/L")),
    ("5 mg/dL", ("5 mg/dL", "measurement", 5, "mg/dL")),
    ("300 pg/mL", ("300 pg/mL", "measurement", 300, "pg/mL")),
    ("2 mg/kg", ("2 mg/kg", "dose", 2, "mg/kg")),
    ("75 mg/m²", ("75 mg/m²", "dose", 75, "mg/m²")),
    ("血压140/90mmHg", ("140/90mmHg", "measurement", [140, 90], "mmHg")),
    ("59岁", ("59岁", "age", 59, "岁")),
    ("12周期", ("12周期", "count", 12, "周期")),
    ("6次", ("6次", "count", 6, "次")),
    ("$200", ("$200", "money", 200, "USD")),
    ("HK$1,500", ("HK$1,500", "money", 1500, "HKD")),
    ("5000日元", ("5000日元", "money", 5000, "JPY")),
    ("2025年5月", ("2025年5月", "date", "2025-05", None)),
    ("2026年", ("2026年", "date", "2026", None)),
    ("2019-03-01", ("2019-03-01", "date", "2019-03-01", None)),
    ("二〇二五年", ("二〇二五年", "date", "2025", None)),
    ("P<0.05", ("P<0.05", "p_value", 0.05, None)),
    ("p=0.031", ("p=0.031", "p_value", 0.031, None)),
    ("P=0020", ("P=0020", "p_value", 20, None)),                 # its point lost: the check says so
    ("(P=0,71)", ("P=0,71", "p_value", 0.71, None)),             # a decimal comma
    ("p=8.0*10-3）", ("p=8.0*10-3", "p_value", 0.008, None)),    # an exponent whose caret was lost
    ("P=2.1×10⁻⁵", ("P=2.1×10⁻⁵", "p_value", 2.1e-05, None)),
    ("P=3e-4", ("P=3e-4", "p_value", 0.0003, None)),
    ("P=36.2%", ("36.2%", "percent", 36.2, "%")),               # a proportion called p
    ("t=2.31", ("t=2.31", "statistic", 2.31, None)),
    ("F(2,57)=4.1", ("F(2,57)=4.1", "statistic", 4.1, None)),
    ("χ²=6.2", ("χ²=6.2", "statistic", 6.2, None)),
    ("HR=0.61", ("HR=0.61", "statistic", 0.61, None)),
    ("n=1,204", ("n=1,204", "count", 1204, None)),
    ("第四代", ("第四", "ordinal", 4, None)),
    ("按2:1随机分组", ("2:1", "ratio", 2, None)),
    ("门诊时间8:00-17:00", ("8:00", "date", "T08:00", None)),
])
def test_recognizer_table(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text", ["NK-92细胞", "IL-15激动剂", "CD16a", "COVID-19", "PD-1抑制剂", "十分重要"])
def test_digits_in_names_and_words_are_not_numbers(text):
    assert R.find(normalize(text)) == []


def test_ambiguity_of_times_is_kept_for_the_check():
    (n,) = R.find("提高了3倍")
    assert n.kind == "multiple" and n.value == 3


def test_lost_exponent_is_marked():
    (n,) = R.find("回输剂量2×106/kg")
    assert n.note == "lost_exponent"


@pytest.mark.parametrize("cn, value", [("三千五百", 3500), ("两万", 20000), ("十二", 12), ("零点五", 0.5),
                                       ("3.5万", 35000), ("2千万", 20000000), ("1.2亿", 120000000),
                                       ("三亿五千万", 350000000), ("一百零五", 105), ("二〇二五", 2025)])
def test_chinese_numerals(cn, value):
    assert parse_number(cn) == value


@given(st.integers(min_value=0, max_value=10 ** 12))
def test_chinese_numerals_round_trip(n):
    assert parse_number(to_chinese(n)) == n


@given(st.text(max_size=200))
def test_recognizer_never_fails_or_leaves_the_text(text):
    norm = normalize(text)
    last = -1
    for n in R.find(norm):
        assert 0 <= n.start < n.end <= len(text)
        assert n.start >= last
        last = n.end


@pytest.mark.parametrize("text, expected", [
    ("细菌总数不超过 100 000 个/克", ("100 000 个", "count", 100000, "个")),
    ("全国1 765户农民", ("1 765户", "count", 1765, "户")),
    ("共 1 234 567 人", ("1 234 567 人", "count", 1234567, "人")),
    ("5 000年", ("5 000年", "duration", 5000, "year")),
])
def test_thousands_grouped_by_a_space_are_one_number(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text, values", [
    ("200 180 160 140 位置误差", [200, 180, 160]),  # a chart's axis, flattened
    ("表1 100例患者", [1, 100]),  # a table's label, then a count
    ("Total events 336 229", [336, 229]),  # a table row: no Chinese word after
    ("分别为12和345", [12, 345]),
])
def test_numbers_beside_each_other_stay_apart(text, values):
    assert [n.value for n in R.find(normalize(text))][:len(values)] == values
