"""One number, many spellings: a value written in Chinese numerals, in their financial or traditional
characters, in digits mixed with 万 and 亿, with spaces between its characters, or as a share in any
of its forms, is read as one number with one value (fixed-seed samples of values)."""
import random

import pytest

from pipeline.normalize import normalize
from pipeline.numbers.cn import to_chinese
from pipeline.numbers.recognizer import Recognizer

R = Recognizer()
RNG = random.Random(2812)
VALUES = sorted({*RNG.sample(range(1, 10_000), 60), *RNG.sample(range(10_000, 10 ** 8), 60),
                 *RNG.sample(range(10 ** 8, 10 ** 12), 40), 10, 11, 20, 100, 101, 110, 1000, 1001, 1010, 10_000,
                 10_001, 10_010, 100_000, 100_010, 10 ** 8, 10 ** 8 + 1, 10 ** 8 + 10_000})
FINANCIAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
TRADITIONAL = str.maketrans("万亿", "萬億")


def one(text):
    """The one number read in ``text``."""
    norm = normalize(text)
    found = R.find(norm)
    assert len(found) == 1 and (found[0].start, found[0].end) == (0, len(norm)), (text, [(norm[n.start:n.end], n.value) for n in found])
    return found[0]


def mixed(n):
    """n in digits and 万/亿 as Chinese writes it: 1234万5678, 56万零300, 3亿4000万."""
    high, rest = divmod(n, 10_000)
    if high >= 10_000:
        if rest:
            return None
        yi, wan = divmod(high, 10_000)
        return f"{yi}亿" + (f"{wan}万" if wan else "")
    if not high:
        return str(n)
    return f"{high}万" + ("" if not rest else f"{rest}" if rest >= 1000 else f"零{rest}")


@pytest.mark.parametrize("n", VALUES)
def test_every_spelling_of_a_number_has_its_value(n):
    cn = to_chinese(n)
    forms = {cn, cn.translate(TRADITIONAL), str(n), f"{n:,}"}
    if len(cn) > 1:
        forms.add(cn.translate(FINANCIAL))  # 拾 alone is a common character (叶拾), never read
    if mixed(n):
        forms.add(mixed(n))
    if len(cn) > 1:
        forms.add(" ".join(cn))  # 一 百 五 十 二
    for form in forms:
        assert one(form).value == n, form


@pytest.mark.parametrize("k", [1, 2, 5, 12, 15, 30, 45, 50, 76, 99, 100, 120])
def test_every_spelling_of_a_share_has_its_value(k):
    cn = to_chinese(k)
    for form in (f"{k}%", f"{k}％", f"百分之{k}", f"百分之{cn}", f"百 分之 {k}", f"佰分之{cn.translate(FINANCIAL)}"):
        n = one(form)
        assert (n.kind, n.value, n.unit) == ("percent", k, "%"), form
    for form in (f"{k}‰", f"千分之{k}", f"千分之{cn}", f"仟分之{cn.translate(FINANCIAL)}"):
        n = one(form)
        assert (n.kind, n.value, n.unit) == ("percent", k, "‰"), form
    for form in (f"{k}个百分点", f"{cn}个百分点"):
        n = one(form)
        assert (n.kind, n.value, n.unit) == ("percentage_point", k, "pp"), form


@pytest.mark.parametrize("whole, tenths", [(0, 5), (3, 1), (12, 5), (99, 9), (250, 4)])
def test_decimals_in_both_scripts_agree(whole, tenths):
    expected = whole + tenths / 10
    cn = f"{to_chinese(whole)}点{to_chinese(tenths)}"
    for form in (f"{whole}.{tenths}", cn, f"负{cn}", f"-{whole}.{tenths}"):
        value = one(form).value
        assert value == pytest.approx(-expected if form[0] in "负-" else expected), form


@pytest.mark.parametrize("tenths, pct", [(1, 10), (3, 30), (7, 70), (9, 90)])
def test_tenths_as_cheng_and_zhe_agree_with_percent(tenths, pct):
    cn = to_chinese(tenths)
    for form in (f"{cn}成", f"{tenths}成"):
        assert (one(form).kind, one(form).value) == ("percent", pct), form
    for form in (f"{cn}折", f"{tenths}折", f"打{tenths}折"):
        assert (one(form).kind, one(form).value) == ("percent", pct), form


@pytest.mark.parametrize("num, den", [(1, 2), (1, 3), (2, 3), (3, 4), (157, 3)])
def test_fractions_in_every_form_agree(num, den):
    for form in (f"{den}分之{num}", f"{to_chinese(den)}分之{to_chinese(num)}", f"{num}/{den}"):
        assert one(form).value == pytest.approx(num / den), form
    for form in (f"负{den}分之{num}", f"-{num}/{den}", f"负{den}分之负{num}"):
        sign = 1 if form.count("负") == 2 else -1
        assert one(form).value == pytest.approx(sign * num / den), form
