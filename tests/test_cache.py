"""medclaim's disk cache (pipeline.cache) and the start-up data kept in it."""
import os

import pytest

from pipeline import cache


def test_cached_builds_once_then_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDCLAIM_CACHE", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"词": (2, (0,))}

    assert cache.cached("t", [b"dict v1"], build) == {"词": (2, (0,))}
    assert cache.cached("t", [b"dict v1"], build) == {"词": (2, (0,))}
    assert len(calls) == 1 and len(list(tmp_path.glob("t-*.pickle"))) == 1
    # other inputs: built again, and the entry of the old inputs is removed
    assert cache.cached("t", [b"dict v2"], build) == {"词": (2, (0,))}
    assert len(calls) == 2 and len(list(tmp_path.glob("t-*.pickle"))) == 1
    # the builder's own source is part of the key
    assert cache.key_of("t", [b"x"], code=[cache]) != cache.key_of("t", [b"x"])


def test_a_broken_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDCLAIM_CACHE", str(tmp_path))
    cache.cached("t", ["a"], lambda: [1, 2, 3])
    (entry,) = tmp_path.glob("t-*.pickle")
    entry.write_bytes(b"\x80\x05 truncated")
    assert cache.cached("t", ["a"], lambda: [4]) == [4]
    assert cache.cached("t", ["a"], lambda: [5]) == [4]  # the rebuilt entry replaced the broken one


def test_off_and_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDCLAIM_CACHE", "off")
    assert cache.cache_dir() is None
    assert cache.cached("t", ["a"], lambda: 1) == 1
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MEDCLAIM_CACHE", str(blocker / "sub"))
    assert cache.cached("t", ["a"], lambda: 2) == 2  # cannot write: the value all the same
    monkeypatch.delenv("MEDCLAIM_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "medclaim"


def test_segmenter_from_the_cache_cuts_as_built(tmp_path, monkeypatch):
    """The jieba dictionary loaded from the cache equals the one built: same words, frequencies,
    protected terms and standalone ratios, and the same cuts."""
    from pipeline.segment import WordSegmenter, standalone_ratio

    monkeypatch.setenv("MEDCLAIM_CACHE", str(tmp_path))
    built = WordSegmenter(extra_words=["卡瑞利珠单抗", "CAR-NK"])
    assert list(tmp_path.glob("jieba-dictionary-*.pickle"))
    loaded = WordSegmenter(extra_words=["卡瑞利珠单抗", "CAR-NK"])
    monkeypatch.setenv("MEDCLAIM_CACHE", "off")
    fresh = WordSegmenter(extra_words=["卡瑞利珠单抗", "CAR-NK"])
    assert loaded.jieba.FREQ == fresh.jieba.FREQ and loaded.jieba.total == fresh.jieba.total
    assert loaded._protected.pattern == fresh._protected.pattern == built._protected.pattern
    assert loaded.jieba.standalone == standalone_ratio(fresh.jieba.FREQ)
    assert loaded.jieba.standalone["癌"] < 0.2  # a bound morpheme
    text = "患者接受卡瑞利珠单抗联合CAR-NK治疗，对癌的疾病控制率达89.3。"
    assert loaded.cut(text) == fresh.cut(text) and "卡瑞利珠单抗" in loaded.cut(text)
    monkeypatch.setenv("MEDCLAIM_SEGMENTER", "jieba")  # the pure-Python fallback runs on the loaded table
    assert WordSegmenter(extra_words=["卡瑞利珠单抗", "CAR-NK"]).cut(text) == fresh.cut(text)


def test_lexicon_features_from_the_cache_equal_the_built(tmp_path, monkeypatch):
    from pipeline.tagger import features

    lex = tmp_path / "m"
    lex.mkdir()
    features.write_term_file(lex / "lexicon.tsv", {"阿司匹林": {"DRUG"}, "冠心病": {"DISEASE"}})
    text = "服用阿司匹林预防冠心病的患者"
    monkeypatch.setenv("MEDCLAIM_CACHE", "off")
    fresh = features.load(lex, ["lexicon.tsv"]).active(text)
    monkeypatch.setenv("MEDCLAIM_CACHE", str(tmp_path / "c"))
    assert features.load(lex, ["lexicon.tsv"]).active(text) == fresh  # built and written
    assert features.load(lex, ["lexicon.tsv"]).active(text) == fresh  # loaded
    assert fresh and len(list((tmp_path / "c").glob("typed-automaton-*.pickle"))) == 1
    # a changed term file is never answered from the old entry
    features.write_term_file(lex / "lexicon.tsv", {"阿司匹林": {"DRUG"}})
    assert features.load(lex, ["lexicon.tsv"]).active(text) != fresh


def test_tests_do_not_write_the_users_cache():
    assert os.environ.get("MEDCLAIM_CACHE") and "medclaim-cache-" in os.environ["MEDCLAIM_CACHE"] \
        or pytest.skip("MEDCLAIM_CACHE was set by the caller")
