"""The lay-text gold spans behind the tagger's lay-health figures (benchmarks/tagger/lay_gold.py) are
well formed, and where the corpora are present they still match the texts they were read from."""
import json
from pathlib import Path

import pytest

from benchmarks.tagger import lay_gold

ROWS = [json.loads(line) for line in lay_gold.GOLD.read_text("utf-8").splitlines() if line.strip()]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def test_every_drawn_text_is_annotated_once_with_the_four_labels():
    assert len(ROWS) == (lay_gold.N_RUMOURS + lay_gold.N_ARTICLES) * len(lay_gold.SEEDS)
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    n_spans = 0
    for row in ROWS:
        spans = sorted(row["spans"])
        for (s, e, label, surface), nxt in zip(spans, spans[1:] + [None]):
            assert label in lay_gold.LABELS
            assert e - s == len(surface) > 0
            assert nxt is None or e <= nxt[0], (row["id"], surface, nxt)  # flat: no overlaps
        n_spans += len(spans)
    assert n_spans > 500


def test_both_parts_hold_texts_and_spans():
    parts = {p: [r for r in ROWS if lay_gold.part(r["id"]) == p] for p in ("dev", "test")}
    assert all(len(rows) >= 10 for rows in parts.values())
    assert all(sum(len(r["spans"]) for r in rows) >= 100 for rows in parts.values())


def test_a_text_is_cut_at_a_sentence_end():
    assert lay_gold.cut("第一句。" * 100) == "第一句。" * 75
    assert lay_gold.cut("没有句号" * 100) == ("没有句号" * 100)[:300]


@pytest.mark.skipif(not (SHARED / "health-rumours" / "texts.jsonl").exists()
                    or not (SHARED / "real-articles" / "articles.jsonl").exists(), reason="../shared corpora missing")
def test_the_gold_spans_match_the_drawn_texts():
    docs = lay_gold.texts()
    assert [d["id"] for d in docs] == [r["id"] for r in ROWS]
    gold = lay_gold.read_gold(docs)  # raises on any span whose characters differ
    assert sum(map(len, gold.values())) == sum(len(r["spans"]) for r in ROWS)


def test_a_changed_text_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "x", "spans": [[0, 2, "BODY", "肝脏"]]}) + "\n", "utf-8")
    monkeypatch.setattr(lay_gold, "GOLD", path)
    with pytest.raises(SystemExit, match="reads '肺部'"):
        lay_gold.read_gold([{"id": "x", "text": "肺部"}])


def test_self_training_keeps_the_sentences_the_model_is_sure_of():
    from benchmarks.tagger.self_train import select

    sentences = ["患者头痛。", "天气晴朗。", "可能是偏头疼。", "服用布洛芬后好转。"]
    predictions = [[(2, 4, "SYMPTOM", 0.97)], [], [(3, 6, "DISEASE", 0.6)], [(2, 5, "DRUG", 0.95), (6, 8, "SYMPTOM", 0.1)]]
    rows = select(sentences, predictions, n=10, confident=0.9, with_spans_only=False)
    assert [r["text"] for r in rows] == ["患者头痛。", "天气晴朗。", "服用布洛芬后好转。"]  # the unsure one is left out
    assert rows[2]["spans"] == [{"start": 2, "end": 5, "label": "DRUG"}]  # a span under 0.3 is not kept
    assert rows[1]["spans"] == []
    only = select(sentences, predictions, n=10, confident=0.9, with_spans_only=True)
    assert [r["text"] for r in only] == ["患者头痛。", "服用布洛芬后好转。"]
    assert len(select(sentences, predictions, n=1, confident=0.9, with_spans_only=False)) == 1


def test_the_audit_entities_are_scored_with_the_four_labels_only():
    docs = [{"id": "x", "text": "高血压患者服用阿司匹林后出现头痛,北京协和医院报告。"}]
    (found,) = lay_gold.audited(None, docs)  # the lexicon and rules alone (audit --no-model)
    assert found and all(label in lay_gold.LABELS for _, _, label in found)
    assert (0, 3, "DISEASE") in found


def test_the_merge_sample_draws_what_only_one_audit_holds(tmp_path):
    from benchmarks.tagger.merge import lexicon_first, sample
    from pipeline.entities import Entity

    text = "胰腺炎反复发作"
    before = {"id": "d", "text": text, "entities": [{"start": 0, "end": 2, "label": "BODY"}]}
    after = {"id": "d", "text": text, "entities": [{"start": 0, "end": 3, "label": "DISEASE"}]}
    paths = []
    for name, row in (("b.jsonl", before), ("a.jsonl", after)):
        (tmp_path / name).write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "s.jsonl"
    sample(*paths, str(out), k=5, seed=1)
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["side"], r["span"], r["context"]) for r in rows] == [
        ("old", "胰腺", "【胰腺】炎反复发作"), ("new", "胰腺炎", "【胰腺炎】反复发作")]
    with pytest.raises(SystemExit, match="exists"):
        sample(*paths, str(out), k=5, seed=1)
    # the merge before: any overlap kept the model's span out
    lex, mod = [Entity(0, 2, "BODY")], [Entity(0, 3, "DISEASE", "model", 0.9)]
    assert [(e.start, e.end) for e in lexicon_first(lex, mod)] == [(0, 2)]
