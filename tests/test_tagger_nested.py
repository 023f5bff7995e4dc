"""The tagger's inner layer: entities inside another (a BODY inside a SYMPTOM, as CMeEE annotates them)."""
import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from click.testing import CliRunner  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.tagger.corpora import Example, read_corpus  # noqa: E402
from pipeline.tagger.model import Tagger, bio_labels, char_tokenizer, encode, inner_spans  # noqa: E402
from pipeline.tagger.train import evaluate_examples, has_nested, train  # noqa: E402

TINY = {"char_dim": 16, "bigram_buckets": 997, "bigram_dim": 8, "lexicon_dim": 8, "hidden_size": 24, "dropout": 0.0}
PARTS = ["腹部", "胸口", "头", "膝关节", "咽喉"]
PAINS = ["疼痛", "肿胀", "不适"]
DRUGS = ["布洛芬", "阿司匹林"]


def nested_records():
    out = []
    for part in PARTS:
        for pain in PAINS:
            for drug in DRUGS:
                text = f"患者{part}{pain}，服用{drug}后好转。"
                s = text.index(part)
                d = text.index(drug)
                out.append({"text": text, "spans": [
                    {"start": s, "end": s + len(part) + len(pain), "label": "SYMPTOM"},
                    {"start": s, "end": s + len(part), "label": "BODY"},
                    {"start": d, "end": d + len(drug), "label": "DRUG"}]})
    return out


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def nested_model(tmp_path_factory):
    root = tmp_path_factory.mktemp("nested")
    data = write_jsonl(root / "train.jsonl", nested_records())
    meta = train([data], data, str(root / "m"), epochs=12, batch_size=6, lr=2e-2, seed=3, scratch=TINY,
                 progress=False, log=lambda m: None)
    return root, data, meta


def test_inner_targets_are_the_spans_inside_the_kept_ones():
    spans = [(2, 6, "SYMPTOM"), (2, 4, "BODY"), (8, 11, "DRUG"), (8, 11, "DISEASE"), (5, 9, "PROCEDURE")]
    # the flat layer keeps the longest then the earliest; a span equal to a kept one, or crossing it, is no inner span
    assert inner_spans(spans) == [(2, 4, "BODY")]
    text = "患者腹部疼痛，服用布洛芬后好转。"
    tags = bio_labels(["BODY", "DRUG", "SYMPTOM"])
    label2id = {t: i for i, t in enumerate(tags)}
    enc = encode(char_tokenizer([text]), text, [(2, 6, "SYMPTOM"), (2, 4, "BODY")], label2id, inner=True)
    outer = [tags[i] for i in enc["labels"][1:-1]]
    inner = [tags[i] for i in enc["inner_labels"][1:-1]]
    assert outer[2:6] == ["B-SYMPTOM", "I-SYMPTOM", "I-SYMPTOM", "I-SYMPTOM"]
    assert inner[2:4] == ["B-BODY", "I-BODY"] and set(inner[:2] + inner[4:]) == {"O"}
    assert enc["labels"][0] == enc["inner_labels"][0] == -100  # [CLS]
    assert "inner_labels" not in encode(char_tokenizer([text]), text, [(2, 4, "BODY")], label2id)


def test_has_nested():
    assert has_nested([Example("患者腹部疼痛", [(2, 6, "SYMPTOM"), (2, 4, "BODY")])])
    assert not has_nested([Example("患者腹部疼痛", [(2, 4, "BODY"), (4, 6, "SYMPTOM")])])
    assert has_nested([Example("甲乙丙丁", [(0, 3, "DISEASE"), (2, 4, "DRUG")])])  # crossing spans too
    assert not has_nested([])


def test_nested_data_gives_an_inner_layer_that_finds_the_inner_spans(nested_model):
    root, data, meta = nested_model
    assert meta["inner_layer"] is True
    assert json.loads((root / "m" / "config.json").read_text("utf-8"))["inner_layer"] is True
    card = (root / "m" / "README.md").read_text("utf-8")
    assert "inner layer" in card and "nested spans scored" in card
    examples = list(read_corpus([data]))
    tagger = Tagger.load(root / "m")
    nested = evaluate_examples(tagger, examples)
    flat = evaluate_examples(tagger, examples, nested=False)
    assert nested["nested"] and not flat["nested"]
    # the flat layer cannot hold the BODY inside each SYMPTOM; the inner layer finds them
    assert flat["per_label"].get("BODY", {}).get("recall", 0.0) == 0.0
    assert nested["per_label"]["BODY"]["recall"] >= 0.8
    assert nested["micro"]["recall"] > flat["micro"]["recall"]
    text = "患者头不适，服用布洛芬后好转。"
    spans = tagger.predict([text], nested=True)[0]
    outer = [s for s in tagger.predict([text])[0]]
    assert set(outer) < set(spans)
    for s, e, label, score in set(spans) - set(outer):  # each inner span lies strictly inside an outer one
        assert any(os <= s and e <= oe and (s, e) != (os, oe) for os, oe, _, _ in outer) and 0 <= score <= 1


def test_the_runtime_and_transformers_give_the_same_nested_spans(nested_model):
    root, _, _ = nested_model
    texts = ["患者胸口肿胀，服用阿司匹林后好转。", "患者膝关节疼痛。", ""]
    plain = Tagger.load(root / "m")
    hf = Tagger.load(root / "m", runtime="transformers")
    assert type(plain.model).__name__ == "LSTMCRFRuntime"
    assert plain.predict(texts, nested=True) == hf.predict(texts, nested=True)
    assert plain.predict(texts) == hf.predict(texts)


def test_flat_data_or_no_nested_gives_no_inner_layer(tmp_path):
    records = [{"text": r["text"], "spans": [s for s in r["spans"] if s["label"] != "BODY"]} for r in nested_records()]
    data = write_jsonl(tmp_path / "flat.jsonl", records)
    meta = train([data], data, str(tmp_path / "flat"), epochs=1, batch_size=8, seed=1, scratch=TINY, progress=False,
                 log=lambda m: None)
    assert meta["inner_layer"] is False and not Tagger.load(tmp_path / "flat").has_inner_layer
    nested = write_jsonl(tmp_path / "nested.jsonl", nested_records())
    meta = train([nested], nested, str(tmp_path / "off"), epochs=1, batch_size=8, seed=1, scratch=TINY,
                 progress=False, log=lambda m: None, nested=False)
    assert meta["inner_layer"] is False
    tagger = Tagger.load(tmp_path / "off")
    assert tagger.predict(["患者头疼痛。"], nested=True) == tagger.predict(["患者头疼痛。"])


def test_continuing_a_nested_model_keeps_its_inner_layer(nested_model, tmp_path):
    root, data, _ = nested_model
    meta = train([data], data, str(tmp_path / "ft"), base_model=str(root / "m"), epochs=1, batch_size=8, seed=1,
                 progress=False, log=lambda m: None)
    assert meta["inner_layer"] is True and Tagger.load(tmp_path / "ft").has_inner_layer
    from safetensors.torch import load_file

    base, cont = load_file(str(root / "m" / "model.safetensors")), load_file(str(tmp_path / "ft" / "model.safetensors"))
    assert base["inner_classifier.weight"].shape == cont["inner_classifier.weight"].shape


def test_evaluate_cli_scores_nested_spans_only_where_the_data_has_them(nested_model):
    root, data, _ = nested_model
    runner = CliRunner()
    auto = runner.invoke(main, ["evaluate", "--model", str(root / "m"), "--data", data])
    assert auto.exit_code == 0, auto.output
    assert "nested spans scored" in auto.output
    flat = runner.invoke(main, ["evaluate", "--model", str(root / "m"), "--data", data, "--flat", "--json"])
    assert flat.exit_code == 0 and json.loads(flat.output)["nested"] is False
