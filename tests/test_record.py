"""The result record: schema-valid, offsets exact, the same whatever the input encoding."""
from pipeline.ingest import read_bytes

from conftest import SEED, assert_valid_record


def test_seed_record_is_valid_and_holds_the_article(seed_record, validator, seed_text):
    assert_valid_record(seed_record, validator)
    text = seed_record["text"]
    assert text.startswith("随着肿瘤免疫治疗的飞速发展")
    assert text.endswith("人类对症的战争将迎来真正转折。")
    assert "返回顶部" not in text and "建议反馈" not in text
    assert seed_record["source"]["sha256"] and seed_record["source"]["format"] == "txt"
    assert len(seed_record["sentences"]) > 30


def test_sentences_cover_the_text_without_overlap(seed_record):
    text = seed_record["text"]
    covered = [False] * len(text)
    last_end = 0
    for s in seed_record["sentences"]:
        assert s["start"] >= last_end
        last_end = s["end"]
        for i in range(s["start"], s["end"]):
            covered[i] = True
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


def test_entity_labels_on_the_seed(seed_record):
    labels = {e["label"] for e in seed_record["entities"]}
    assert {"DISEASE", "DRUG", "THERAPY", "BIOMARKER", "ORG", "PUBLICATION", "TRIAL", "METRIC", "LOC"} <= labels


def test_other_encodings_give_the_same_text_and_sentences(auditor, seed_text, validator):
    records = []
    for encoding in ("utf-8", "gb18030", "utf-16"):
        data = seed_text.encode(encoding)
        (doc,) = read_bytes(data, SEED.name, str(SEED), "txt")
        assert not doc.errors
        record = auditor.audit_document(doc)
        assert_valid_record(record, validator)
        records.append(record)
    assert records[1]["source"]["encoding"] == "gb18030"
    assert records[2]["source"]["encoding"].startswith("utf-16")
    for other in records[1:]:
        assert other["text"] == records[0]["text"]
        assert other["sentences"] == records[0]["sentences"]
        assert other["entities"] == records[0]["entities"]


def test_failed_document_still_gets_a_valid_record(auditor, validator):
    (doc,) = read_bytes(b"", "empty.txt", "empty.txt", "txt")
    record = auditor.audit_document(doc)
    assert_valid_record(record, validator)
    assert record["errors"] == ["empty.txt: empty file"]


def test_tokens_are_optional_and_valid(validator):
    from pipeline import Auditor

    record = Auditor(tokens=True).audit_text("NK-92细胞治疗肾癌。", id="t")
    assert_valid_record(record, validator)
    assert [record["text"][t["start"]:t["end"]] for t in record["tokens"]][:2] == ["NK-92细胞", "治疗"]
