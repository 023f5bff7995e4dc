"""Continuing a medclaim tagger (``--base-model DIR|default``) and starting one from pretrained vectors
(``medclaim pretrain``, ``--encoder``): tiny models and texts made in the test."""
import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from click.testing import CliRunner  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.tagger import finetune  # noqa: E402
from pipeline.tagger.model import Tagger  # noqa: E402
from pipeline.tagger.train import train  # noqa: E402
from test_tagger import TINY, fixture_lines, write_jsonl  # noqa: E402

QUIET = {"progress": False, "log": lambda m: None}


def new_corpus():
    """Sentences with new characters and a new label (SYMPTOM) beside the base's DRUG."""
    out = []
    for drug, symptom in [("阿司匹林", "头痛"), ("布洛芬", "发热"), ("康复灵", "咳嗽"), ("二甲双胍", "乏力")]:
        for t in ("{d}能缓解{s}吗？", "出现{s}时服用{d}。", "{s}患者慎用{d}。"):
            text = t.format(d=drug, s=symptom)
            out.append({"text": text, "spans": [
                {"start": text.index(drug), "end": text.index(drug) + len(drug), "label": "DRUG"},
                {"start": text.index(symptom), "end": text.index(symptom) + len(symptom), "label": "SYMPTOM"}]})
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("base")
    data = write_jsonl(tmp / "t.jsonl", fixture_lines(3))
    meta = train([data], data, str(tmp / "m"), epochs=10, batch_size=4, lr=1e-2, seed=1, scratch=TINY, **QUIET)
    assert meta["dev"]["micro"]["f1"] > 0.9  # a base that knows its corpus
    return tmp / "m"


def test_continuing_keeps_labels_vocabulary_and_weights_and_adds_new_ones(base, tmp_path):
    from safetensors.torch import load_file

    data = write_jsonl(tmp_path / "new.jsonl", new_corpus())
    old = finetune.BaseTagger(base)
    meta = train([data], data, str(tmp_path / "ft"), base_model=str(base), epochs=1, batch_size=4, max_steps=1, lr=1e-9,
                 seed=2, **QUIET)
    new = finetune.BaseTagger(tmp_path / "ft")
    assert new.tags[:len(old.tags)] == old.tags and set(new.tags) - set(old.tags) == {"B-SYMPTOM", "I-SYMPTOM"}
    assert new.tokens[:len(old.tokens)] == old.tokens and {"头", "痛", "咳"} <= set(new.tokens[len(old.tokens):])
    assert meta["continued"]["labels_added"] == ["SYMPTOM"] and meta["continued"]["characters_added"] > 0
    assert meta["arch"] == "lstm-crf" and new.sources == old.sources
    # at a vanishing learning rate the kept rows are still the base model's
    before, after = load_file(str(base / "model.safetensors")), load_file(str(tmp_path / "ft" / "model.safetensors"))
    for name, value in before.items():
        kept = after[name][tuple(slice(0, n) for n in value.shape)]
        assert torch.allclose(kept, value, atol=1e-5), name
    card = (tmp_path / "ft" / "README.md").read_text("utf-8")
    assert "continued from the base" in card and "SYMPTOM" in card
    spans = Tagger.load(tmp_path / "ft").predict(["服用阿司匹林可以治疗胃癌。"])[0]
    assert all(label in ("DRUG", "DISEASE", "SYMPTOM") for _, _, label, _ in spans)


def test_continuing_learns_the_new_label(base, tmp_path):
    data = write_jsonl(tmp_path / "new.jsonl", new_corpus() * 3)
    meta = train([data], data, str(tmp_path / "ft"), base_model=str(base), epochs=8, batch_size=4, lr=1e-2, seed=3,
                 **QUIET)
    assert meta["dev"]["per_label"]["SYMPTOM"]["f1"] > 0.5, meta["dev"]["per_label"]
    # what the base knew is still there: the old corpus's drugs, and its diseases, a label the new corpus lacks
    old = write_jsonl(tmp_path / "old.jsonl", fixture_lines())
    from pipeline.tagger.corpora import read_corpus
    from pipeline.tagger.train import evaluate_examples

    scores = evaluate_examples(Tagger.load(tmp_path / "ft"), list(read_corpus([old])))
    assert scores["per_label"]["DRUG"]["f1"] > 0.8 and scores["per_label"]["DISEASE"]["f1"] > 0.8, scores["per_label"]


def test_base_model_default_names_the_shipped_tagger(tmp_path):
    from pipeline.tagger import default_model_dir

    shipped = default_model_dir()
    if shipped is None:
        pytest.skip("no shipped tagger in this install")
    data = write_jsonl(tmp_path / "new.jsonl", new_corpus())
    out = tmp_path / "ft"
    result = CliRunner().invoke(main, ["train", "--train", data, "--dev", data, "--base-model", "default", "--epochs", "1",
                                       "--max-steps", "2", "--output", str(out), "-q"])
    assert result.exit_code == 0, result.output
    kept = finetune.BaseTagger(shipped)
    new = finetune.BaseTagger(out)
    assert new.tags[:len(kept.tags)] == kept.tags and new.tokens[:len(kept.tokens)] == kept.tokens
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert meta["base_model"] == str(shipped) and "SYMPTOM" in meta["continued"]["labels_kept"] + meta["continued"]["labels_added"]


def test_base_model_that_is_not_a_model_is_a_clear_error(tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "config.json").write_text(json.dumps({"model_type": "medclaim-lstm-crf", "id2label": {"0": "O"}}))
    result = CliRunner().invoke(main, ["train", "--train", data, "--dev", data, "--base-model", str(tmp_path / "empty"),
                                       "--output", str(tmp_path / "out"), "-q"])
    assert result.exit_code != 0 and ("not a medclaim" in result.output or "no character tokenizer" in result.output)


TEXT = ("阿司匹林可以缓解头痛和发热。布洛芬也能缓解头痛。高血压患者应定期测量血压。糖尿病患者要控制血糖。\n"
        "二甲双胍是治疗糖尿病的常用药物。胃癌的早期症状不明显。肺炎患者常有发热和咳嗽。\n") * 30


def test_pretrain_writes_vectors_that_start_a_tagger(tmp_path):
    pytest.importorskip("gensim")
    from pipeline.tagger.pretrain import Encoder

    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    write_jsonl(tmp_path / "b.jsonl", [{"text": "服用康复灵可以治疗冠心病。"}] * 20 + [{"other": 1}])
    out = tmp_path / "enc"
    result = CliRunner().invoke(main, ["pretrain", str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl"), "--output", str(out),
                                       "--char-dim", "16", "--bigram-dim", "8", "--epochs", "2", "--min-count", "1", "-q"])
    assert result.exit_code == 0, result.output
    enc = Encoder.load(out)
    assert enc.char_vectors.shape == (len(enc.chars), 16) and enc.bigram_vectors.shape == (len(enc.bigrams), 8)
    assert {"阿", "康", "冠"} <= set(enc.chars) and "头痛" in enc.bigrams
    assert "word2vec" in (out / "README.md").read_text("utf-8")
    # the tagger starts from them: every pretrained character in its vocabulary gets its vector
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "m"), encoder=str(out), epochs=1, batch_size=4, max_steps=1, lr=1e-9,
                 seed=1, scratch=TINY, **QUIET)
    assert meta["pretrained_rows"]["chars"] == len(enc.chars) and meta["pretrained_rows"]["bigram_buckets"] > 0
    tokens = finetune.BaseTagger(tmp_path / "m").tokens
    assert set(enc.chars) <= set(tokens)  # characters seen only in the pretraining text have rows too
    from safetensors.torch import load_file

    table = load_file(str(tmp_path / "m" / "model.safetensors"))["chars.weight"]
    i, j = tokens.index("阿"), enc.chars.index("阿")
    cos = torch.nn.functional.cosine_similarity(table[i], torch.from_numpy(enc.char_vectors[j]), dim=0)
    assert cos > 0.99
    assert "pretrained vectors" in (tmp_path / "m" / "README.md").read_text("utf-8")


def test_pretrain_bad_input_is_one_clear_line(tmp_path):
    pytest.importorskip("gensim")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "好"}\n{not json\n', "utf-8")
    result = CliRunner().invoke(main, ["pretrain", str(bad), "--output", str(tmp_path / "o"), "-q"])
    assert result.exit_code != 0 and "bad.jsonl:2: not JSON" in result.output
    (tmp_path / "o2").mkdir()
    (tmp_path / "o2" / "keep.txt").write_text("x")
    good = tmp_path / "g.txt"
    good.write_text(TEXT, "utf-8")
    result = CliRunner().invoke(main, ["pretrain", str(good), "--output", str(tmp_path / "o2"), "-q"])
    assert result.exit_code != 0 and "--overwrite" in result.output and (tmp_path / "o2" / "keep.txt").exists()


def test_encoder_with_a_base_model_is_refused(base, tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    with pytest.raises(ValueError, match="--encoder"):
        train([data], data, str(tmp_path / "x"), base_model=str(base), encoder=str(tmp_path), **QUIET)


def test_frozen_encoder_tables_stay_as_pretrained(tmp_path):
    pytest.importorskip("gensim")
    from safetensors.torch import load_file

    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    enc = tmp_path / "enc"
    assert CliRunner().invoke(main, ["pretrain", str(tmp_path / "a.txt"), "--output", str(enc), "--char-dim", "16",
                                     "--bigram-dim", "8", "--epochs", "1", "--min-count", "1", "-q"]).exit_code == 0
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    runs = {}
    for frozen in (True, False):
        out = tmp_path / f"m{frozen}"
        meta = train([data], data, str(out), encoder=str(enc), freeze_encoder=frozen, epochs=1, batch_size=4, lr=1e-2,
                     seed=1, scratch=TINY, **QUIET)
        assert meta["freeze_encoder"] is frozen
        runs[frozen] = load_file(str(out / "model.safetensors"))
    from pipeline.tagger.pretrain import Encoder

    vectors = Encoder.load(enc)
    tokens = finetune.BaseTagger(tmp_path / "mTrue").tokens

    def agreement(table):  # the lowest cosine between a character's row and its pretrained vector
        rows = torch.stack([table[tokens.index(c)] for c in vectors.chars])
        return float(torch.nn.functional.cosine_similarity(rows, torch.from_numpy(vectors.char_vectors), dim=1).min())

    assert agreement(runs[True]["chars.weight"]) > 0.9999  # frozen: the rows are still the vectors
    assert agreement(runs[False]["chars.weight"]) < 0.999  # trained: the corpus moved them


def test_language_model_pretrains_the_taggers_own_layers(tmp_path):
    """`pretrain --method lm` learns the tagger's tables and BiLSTM as a character language model; a
    tagger started from it has its vocabulary first (the bigram buckets keep their meaning) and its
    weights in place, the lexicon features' inputs fresh."""
    from safetensors.torch import load_file

    from pipeline.tagger.charlm import LanguageModel

    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    out = tmp_path / "lm"
    result = CliRunner().invoke(main, ["pretrain", str(tmp_path / "a.txt"), "--method", "lm", "--output", str(out),
                                       "--char-dim", "16", "--bigram-dim", "8", "--hidden", "24", "--epochs", "3",
                                       "--min-count", "1", "-q"])
    assert result.exit_code == 0, result.output
    lm = LanguageModel.load(out)
    losses = [h["loss"] for h in lm.meta["history"]]
    assert len(losses) == 3 and losses[-1] < losses[0]  # it learns the text
    assert lm.architecture == {"char_dim": 16, "bigram_dim": 8, "bigram_buckets": 50_000, "hidden_size": 24}
    assert not any(k.startswith(("ahead", "behind")) for k in lm.state)  # the prediction heads are not kept
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "m"), encoder=str(out), epochs=1, batch_size=4, max_steps=1, lr=1e-9,
                 seed=1, scratch={**TINY, "hidden_size": 24, "bigram_buckets": 50_000}, **QUIET)
    assert meta["pretrained_rows"] == {"chars": len(lm.tokens), "lstm_tensors": 8}
    tokens = finetune.BaseTagger(tmp_path / "m").tokens
    assert tokens[:len(lm.tokens)] == lm.tokens and "康" in tokens  # the corpus's new characters after them
    state = load_file(str(tmp_path / "m" / "model.safetensors"))
    for name in ("encoder.weight_hh_l0", "encoder.weight_hh_l0_reverse", "encoder.bias_ih_l0"):
        assert torch.allclose(state[name], lm.state[name], atol=1e-5)
    pretrained = lm.state["encoder.weight_ih_l0"]
    assert state["encoder.weight_ih_l0"].shape[1] > pretrained.shape[1]  # + the lexicon features' columns
    assert torch.allclose(state["encoder.weight_ih_l0"][:, :pretrained.shape[1]], pretrained, atol=1e-5)
    assert torch.allclose(state["bigrams.weight"], lm.state["bigrams.weight"], atol=1e-5)
    assert "pretrained language model" in (tmp_path / "m" / "README.md").read_text("utf-8")
    # the layers' sizes come from the language model; asking for others is a clear error
    with pytest.raises(ValueError, match="its layers are"):
        train([data], data, str(tmp_path / "x"), encoder=str(out), epochs=1, scratch={"hidden_size": 32}, **QUIET)


def test_language_model_folder_errors_name_the_folder(tmp_path):
    from pipeline.tagger.charlm import LanguageModel
    from pipeline.tagger.pretrain import PretrainError

    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    out = tmp_path / "lm"
    assert CliRunner().invoke(main, ["pretrain", str(tmp_path / "a.txt"), "--method", "lm", "--output", str(out),
                                     "--char-dim", "8", "--bigram-dim", "4", "--hidden", "8", "--min-count", "1",
                                     "-q"]).exit_code == 0
    (out / "tokens.txt").write_text("[PAD]\n[UNK]\n", "utf-8")
    with pytest.raises(PretrainError, match="lm: tokens.txt and model.safetensors do not match"):
        LanguageModel.load(out)
    with pytest.raises(PretrainError, match="not a medclaim character language model"):
        LanguageModel.load(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes('{"text": "好"}\n'.encode() + '{"text": "坏"}\n'.encode("utf-8")[:-4] + b"\n")
    result = CliRunner().invoke(main, ["pretrain", str(bad), "--method", "lm", "--output", str(tmp_path / "o"), "-q"])
    assert result.exit_code != 0 and "bad.jsonl:2: not UTF-8 text" in result.output
