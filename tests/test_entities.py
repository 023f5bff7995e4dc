import pytest

from pipeline.entities import LexiconRuler
from pipeline.lexicon import LabelLexicon, LexiconError, load_lexicon_file, load_lexicons
from pipeline.normalize import normalize


@pytest.fixture(scope="module")
def ruler():
    return LexiconRuler()


def found(ruler, text):
    norm = normalize(text)
    return {(text[e.start:e.end], e.label) for e in ruler.find(norm)}


@pytest.mark.parametrize("text, entity, label", [
    ("晚期胃癌患者", "胃癌", "DISEASE"),
    ("EGFR阳性肺癌", "EGFR阳性肺癌", "DISEASE"),
    ("使用帕博利珠单抗治疗", "帕博利珠单抗", "DRUG"),
    ("一种新药莫瑞替尼上市", "莫瑞替尼", "DRUG"),  # unknown name, drug-stem pattern
    ("接受CAR-T细胞疗法", "CAR-T细胞疗法", "THERAPY"),
    ("血清CCL-18水平", "CCL-18", "BIOMARKER"),
    ("客观缓解率为52.7%", "客观缓解率", "METRIC"),
    ("长三角地区的上海瑞金医院则开发", "上海瑞金医院", "ORG"),
    ("由浙江大学医学院附属第一医院牵头", "浙江大学医学院附属第一医院", "ORG"),
    ("发表于《中华肿瘤杂志》", "《中华肿瘤杂志》", "PUBLICATION"),
    ("注册号NCT01234567", "NCT01234567", "TRIAL"),
    ("其Ⅱ期试验显示", "Ⅱ期试验", "TRIAL"),
    ("张伟教授表示", "张伟", "PERSON"),
    ("在东京开展", "东京", "LOC"),
    ("醫院的肝癌療法", "肝癌", "DISEASE"),  # traditional characters match through normalisation
])
def test_lexicon_table(ruler, text, entity, label):
    assert (entity, label) in found(ruler, text)


@pytest.mark.parametrize("text, entity, label", [
    ("区域性专科医院如南通市肿瘤医院", "区域性专科医院", "ORG"),
    ("NKp46受体", "NK", "BIOMARKER"),  # a Latin term is not matched inside a longer one
    ("多家医院参与", "多家医院", "ORG"),
])
def test_lexicon_negatives(ruler, text, entity, label):
    assert (entity, label) not in found(ruler, text)


def test_nested_entities_of_other_labels_are_kept(ruler):
    ents = found(ruler, "胃癌NK疗法")
    assert ("胃癌", "DISEASE") in ents and ("胃癌NK疗法", "THERAPY") in ents


def test_unknown_key_names_file_and_key(tmp_path):
    bad = tmp_path / "x.yml"
    bad.write_text("label: DRUG\nterm: [a]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"x\.yml: unknown key 'term'"):
        load_lexicon_file(bad)


def test_bad_regex_is_reported(tmp_path):
    bad = tmp_path / "y.yml"
    bad.write_text("label: DRUG\npatterns: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"y\.yml: key 'patterns' item 1"):
        load_lexicon_file(bad)


def test_round_trip_and_user_folder(tmp_path):
    for lex in load_lexicons():
        assert LabelLexicon.from_dict(lex.to_dict()).to_dict() == lex.to_dict()
    (tmp_path / "mine.yml").write_text("label: DRUG\nterms: [神奇胶囊]\n", encoding="utf-8")
    ruler = LexiconRuler(load_lexicons([tmp_path]))
    assert ("神奇胶囊", "DRUG") in found(ruler, "服用神奇胶囊后")


def test_spacy_factory_from_entry_point():
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("medclaim_sentencizer")
    nlp.add_pipe("medclaim_lexicon")
    doc = nlp("肝癌患者接受PD-1抑制剂治疗。第二句。")
    assert {s.label_ for s in doc.spans["medclaim_entities"]} >= {"DISEASE", "DRUG"}
    assert len(list(doc.sents)) == 2
