import jieba
import pytest

from pipeline.segment import WordSegmenter


@pytest.fixture(scope="module")
def seg():
    return WordSegmenter(extra_words=["疾病控制率"])


@pytest.mark.parametrize("text, whole", [
    ("NK-92细胞治疗肾癌", "NK-92"),
    ("第四代CAR-NK临床试验", "CAR-NK"),
    ("通过体外IL-7/IL-15双因子刺激", "IL-7/IL-15"),
    ("使用PD-1抑制剂解除抑制", "PD-1抑制剂"),
    ("回输剂量(2×10⁶/kg)", "2×10⁶/kg"),
    ("风险比0.61(95%CI 0.48-0.77)", "95%CI"),
    ("风险比0.61(95%CI 0.48-0.77)", "0.48-0.77"),
    ("纳入1,204例患者", "1,204"),
    ("疾病控制率达89.3", "89.3"),
    ("活性提升300%", "300%"),
    ("剂量500mg/d口服", "500mg/d"),
])
def test_terms_stay_whole(seg, text, whole):
    assert whole in seg.cut(text)


def test_words_tile_the_text(seg):
    text = "疾病控制率达89.3, 显著高于 69.2!"
    assert "".join(seg.cut(text)) == text


def test_domain_words_do_not_leak_into_global_jieba(seg):
    assert "细胞因子风暴" in seg.jieba.FREQ
    jieba.initialize()
    assert "细胞因子风暴" not in jieba.dt.FREQ


def test_spacy_doc_text_is_the_input(auditor):
    text = "ＮＫ细胞  疗法。\n\n第二句 有 空格"
    doc = auditor.nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space][:2] == ["ＮＫ细胞", "疗法"]  # the full-width form matches the dictionary term
