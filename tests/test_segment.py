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


def test_jieba_pieces_give_the_words_of_the_whole_text():
    import jieba

    from pipeline.segment import _JIEBA_BREAK, jieba_pieces

    # the break characters are those outside jieba's own run class (but "\r", which starts "\r\n")
    assert all(bool(_JIEBA_BREAK.fullmatch(c)) == (not jieba.re_han_default.fullmatch(c) and c != "\r")
               for c in map(chr, range(0x10000)))
    seg = WordSegmenter()
    text = ("研究显示，NK细胞疗法的疾病控制率达89.3%。\r\n患者（52例）中位生存期延长 4 个月；" * 60)
    whole = [w for w in seg.jieba.cut(text, HMM=True)]
    pieces = [w for s, e in jieba_pieces(text, 200) for w in seg.jieba.cut(text[s:e], HMM=True)]
    assert pieces == whole
    assert all(e - s <= 200 for s, e in jieba_pieces(text, 200))
    run = "癌" * 2500  # no break at all: cut at the limit
    assert jieba_pieces(run, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_the_compiled_segmenter_cuts_as_jieba(monkeypatch, seed_text):
    pytest.importorskip("rjieba")
    from pipeline.segment import WordSegmenter

    fast = WordSegmenter()
    monkeypatch.setenv("MEDCLAIM_SEGMENTER", "jieba")
    plain = WordSegmenter()
    assert (fast.backend, plain.backend) == ("rjieba", "jieba")
    texts = [seed_text, "北京协和医院的研究显示，二甲双胍可使2型糖尿病患者的胃癌风险降低21.5%。",
             "NK-92细胞活性提升300%，PD-1抑制剂联合CAR-NK治疗，疾病控制率达89.3。", "甲" * 3000]
    for text in texts:
        assert fast.cut(text) == plain.cut(text)


def test_an_audit_without_the_tagger_never_imports_torch():
    import subprocess
    import sys

    code = ("import sys\nfrom pipeline import Auditor\nAuditor(model=None).audit_text('有效率达90%')\n"
            "print('torch' in sys.modules, 'scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]  # nor scipy.stats, until a text gives a test statistic
