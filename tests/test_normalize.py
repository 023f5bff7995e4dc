import pytest
from hypothesis import given, strategies as st

from pipeline.normalize import normalize


@pytest.mark.parametrize("raw, expected", [
    ("达８９．３％", "达89.3%"),
    ("（ＮＫ）细胞；", "(NK)细胞;"),
    ("醫院療法", "医院疗法"),
    ("2×10⁶/kg", "2×10⁶/kg"),  # superscripts carry the exponent and stay
    ("37.5℃", "37.5℃"),
    ("Ⅱ期试验", "Ⅱ期试验"),
])
def test_normalize_table(raw, expected):
    assert normalize(raw) == expected


@given(st.text())
def test_normalize_keeps_length(text):
    assert len(normalize(text)) == len(text)
