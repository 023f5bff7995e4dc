"""Corpus readers on good and malformed files, label maps, and span metrics."""
import json

import pytest

from pipeline.tagger.corpora import CorpusError, read_corpus
from pipeline.tagger.labels import label_set, load_label_map
from pipeline.tagger.metrics import span_scores


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def lines(*records):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def test_jsonl_spans_and_review_answers(tmp_path):
    path = write(tmp_path, "a.jsonl", lines(
        {"text": "服用阿司匹林治疗冠心病", "spans": [{"start": 2, "end": 6, "label": "DRUG"}, {"start": 8, "end": 11, "label": "DISEASE"}], "answer": "accept"},
        {"text": "被拒绝的句子", "spans": [], "answer": "reject"},
        {"text": "无实体。", "spans": []}))
    out = list(read_corpus([path]))
    assert [(e.text, e.spans) for e in out] == [("服用阿司匹林治疗冠心病", [(2, 6, "DRUG"), (8, 11, "DISEASE")]), ("无实体。", [])]


@pytest.mark.parametrize("record, message", [
    ("{broken", ":1: invalid JSON"),
    (json.dumps({"spans": []}), ":1: field 'text'"),
    (json.dumps({"text": "短", "spans": [{"start": 0, "end": 5, "label": "DRUG"}]}), "outside the text"),
    (json.dumps({"text": "短句子", "spans": [{"start": 2, "end": 1, "label": "DRUG"}]}), "empty or reversed"),
    (json.dumps({"text": "短句子", "spans": [{"start": 0, "end": 1, "label": "HERB"}]}), "unknown label 'HERB'"),
    (json.dumps({"text": "短句子", "spans": [{"start": 0, "label": "DRUG"}]}), "lacks 'end'"),
])
def test_jsonl_errors_name_file_and_line(tmp_path, record, message):
    path = write(tmp_path, "bad.jsonl", record + "\n")
    with pytest.raises(CorpusError) as err:
        list(read_corpus([path], "jsonl"))
    assert "bad.jsonl" in str(err.value) and message in str(err.value)


def test_cmeee_inclusive_and_exclusive_ends(tmp_path):
    v1 = write(tmp_path, "v1.jsonl", lines({"text": "患者有发热", "entities": [{"start_idx": 3, "end_idx": 4, "type": "sym", "entity": "发热"}]}))
    v2 = write(tmp_path, "v2.jsonl", lines({"text": "患者有发热", "entities": [{"start_idx": 3, "end_idx": 5, "type": "sym", "entity": "发热"}]}))
    assert list(read_corpus([v1], "cmeee"))[0].spans == [(3, 5, "SYMPTOM")]
    assert list(read_corpus([v2], "cmeee-v2"))[0].spans == [(3, 5, "SYMPTOM")]
    with pytest.raises(CorpusError, match=r"v2\.jsonl:1: .*are the ends inclusive"):
        list(read_corpus([v2], "cmeee"))


def test_conll_character_and_word_files(tmp_path):
    chars = write(tmp_path, "c.bio", "服 O\n用 O\n阿 B-DRUG\n司 I-DRUG\n匹 I-DRUG\n林 I-DRUG\n\n发 B-SYMPTOM\n热 I-SYMPTOM\n")
    words = write(tmp_path, "w.conll", "Pfizer B-ORG\nvaccine O\n在 O\n美国 B-LOC\n")
    assert [(e.text, e.spans) for e in read_corpus([chars])] == [("服用阿司匹林", [(2, 6, "DRUG")]), ("发热", [(0, 2, "SYMPTOM")])]
    (ex,) = read_corpus([words])
    assert ex.text == "Pfizer vaccine在美国" and ex.spans == [(0, 6, "ORG"), (15, 17, "LOC")]
    bad = write(tmp_path, "bad.bio", "服 O\n用 I-DRUG\n")
    with pytest.raises(CorpusError, match=r"bad\.bio:2: tag I-DRUG continues no DRUG entity"):
        list(read_corpus([bad]))


def test_doccano_and_label_studio(tmp_path):
    doccano = write(tmp_path, "d.jsonl", lines({"text": "北京协和医院", "label": [[0, 6, "ORG"]]},
                                                {"text": "上海", "entities": [{"start_offset": 0, "end_offset": 2, "label": "LOC"}]}))
    assert [e.spans for e in read_corpus([doccano], "doccano")] == [[(0, 6, "ORG")], [(0, 2, "LOC")]]
    ls = write(tmp_path, "ls.json", json.dumps([{"data": {"text": "张伟教授"}, "annotations": [
        {"result": [{"type": "labels", "value": {"start": 0, "end": 2, "labels": ["PERSON"]}}]}]}], ensure_ascii=False))
    assert [e.spans for e in read_corpus([ls])] == [[(0, 2, "PERSON")]]
    broken = write(tmp_path, "ls2.json", json.dumps({"data": {}}))
    with pytest.raises(CorpusError, match="expected a JSON list"):
        list(read_corpus([broken], "labelstudio"))


def test_label_maps(tmp_path):
    assert load_label_map("msra")["PER"] == "PERSON"
    assert load_label_map("cmedqaner")["crowd"] is None
    assert set(load_label_map("cmeee").values()) <= set(label_set())
    custom = write(tmp_path, "map.yml", "HERB: DRUG\nNOISE: null\n")
    path = write(tmp_path, "h.jsonl", lines({"text": "服用人参", "spans": [{"start": 2, "end": 4, "label": "HERB"},
                                                                           {"start": 0, "end": 1, "label": "NOISE"}]}))
    assert list(read_corpus([path], "jsonl", custom))[0].spans == [(2, 4, "DRUG")]
    bad = write(tmp_path, "bad.yml", "HERB: PLANT\n")
    with pytest.raises(ValueError, match="unknown label 'PLANT'"):
        load_label_map(bad)


def test_every_label_is_documented():
    for label, spec in label_set().items():
        assert spec["definition"] and spec["examples"], label


def test_span_scores():
    gold = [[(0, 2, "DRUG"), (3, 5, "DISEASE")], [(0, 1, "BODY")]]
    pred = [[(0, 2, "DRUG"), (3, 6, "DISEASE")], [(0, 1, "BODY"), (2, 3, "BODY")]]
    s = span_scores(gold, pred)
    assert s["micro"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "support": 3, "predicted": 4}
    assert s["per_label"]["DISEASE"]["f1"] == 0.0 and s["per_label"]["DRUG"]["f1"] == 1.0
