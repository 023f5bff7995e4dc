import pytest

from pipeline.normalize import normalize
from pipeline.sentences import split_sentences


def sents(text):
    norm = normalize(text)
    return [text[s:e] for s, e in split_sentences(norm)]


@pytest.mark.parametrize("text, expected", [
    ("疾病控制率达89.3。其次好!", ["疾病控制率达89.3。", "其次好!"]),
    ("疾病控制率达89.3,显著高于69.2;机制未明。", ["疾病控制率达89.3,显著高于69.2;", "机制未明。"]),
    ("甲；乙。", ["甲；", "乙。"]),
    ("他说：“这很好。”然后走了。", ["他说：“这很好。”", "然后走了。"]),
    ("《规范。标准》发布了。", ["《规范。标准》发布了。"]),
    ("细胞(如NK。T细胞)有效。下一句", ["细胞(如NK。T细胞)有效。", "下一句"]),
    ("第一行\n第二行", ["第一行", "第二行"]),
    ("见Smith et al. 的研究。P<0.05。", ["见Smith et al. 的研究。", "P<0.05。"]),
    ("真的吗？！是的……好。", ["真的吗？！", "是的……", "好。"]),
    ("It works. 然后", ["It works.", "然后"]),
    ("  \n  ", []),
])
def test_sentence_table(text, expected):
    assert sents(text) == expected


def test_unbalanced_bracket_does_not_swallow_the_document():
    text = "(" + "甲。" * 150 + "乙。"
    assert len(sents(text)) > 50
