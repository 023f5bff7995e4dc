"""The statistical tagger: tiny models built from a config in the test, no download, no shared data."""
import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from pipeline.entities import Entity  # noqa: E402
from pipeline.tagger.component import merge  # noqa: E402
from pipeline.tagger.model import Tagger, bio_labels, char_tokenizer, decode, encode  # noqa: E402
from pipeline.tagger.train import train  # noqa: E402

TINY = {"char_dim": 16, "bigram_buckets": 997, "bigram_dim": 8, "lexicon_dim": 8, "hidden_size": 16, "dropout": 0.1}
TINY_BERT = {"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 64}
DRUGS = ["神奇胶囊", "康复灵", "阿司匹林", "二甲双胍", "布洛芬"]
DISEASES = ["糖尿病", "高血压", "冠心病", "胃癌", "肺炎"]
TEMPLATES = ["服用{d}可以治疗{x}。", "{x}患者每天使用{d}。", "医生建议{x}患者停用{d}。", "{d}对{x}有效吗？"]


def fixture_lines(n_repeat=1, answer=None):
    out = []
    for t in TEMPLATES:
        for d, x in zip(DRUGS, DISEASES):
            text = t.format(d=d, x=x)
            spans = [{"start": text.index(d), "end": text.index(d) + len(d), "label": "DRUG"},
                     {"start": text.index(x), "end": text.index(x) + len(x), "label": "DISEASE"}]
            record = {"text": text, "spans": spans}
            if answer:
                record["answer"] = answer
            out.append(record)
    return out * n_repeat


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return str(path)


def test_encode_decode_round_trip():
    text = "服用阿司匹林治疗冠心病。"
    spans = [(2, 6, "DRUG"), (8, 11, "DISEASE")]
    tok = char_tokenizer([text])
    tags = bio_labels(["DISEASE", "DRUG"])
    label2id = {t: i for i, t in enumerate(tags)}
    enc = encode(tok, text, spans, label2id)
    token_tags = [tags[i] if i >= 0 else "O" for i in enc["labels"]]
    assert [(s, e, l) for s, e, l, _ in decode(token_tags, enc["offsets"])] == spans


def test_nested_spans_keep_the_longest():
    tok = char_tokenizer(["肺癌患者"])
    tags = bio_labels(["BODY", "DISEASE"])
    enc = encode(tok, "肺癌患者", [(0, 1, "BODY"), (0, 2, "DISEASE")], {t: i for i, t in enumerate(tags)})
    assert [tags[i] for i in enc["labels"][1:3]] == ["B-DISEASE", "I-DISEASE"]


def test_train_tiny_model_save_and_load(tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "m"), epochs=8, batch_size=4, lr=1e-2, seed=1, scratch=TINY,
                 progress=False, log=lambda m: None, command="test")
    losses = [h["loss"] for h in meta["history"]]
    assert losses[-1] < losses[0]
    config = json.loads((tmp_path / "m" / "config.json").read_text("utf-8"))
    assert config["model_type"] == "medclaim-lstm-crf" and config["lexicon_sources"] == ["jieba", "lexicon.tsv"]
    assert "阿司匹林\tDRUG" in (tmp_path / "m" / "lexicon.tsv").read_text("utf-8")  # the typed terms travel with it
    card = (tmp_path / "m" / "README.md").read_text("utf-8")
    assert "Dev scores" in card and json.loads((tmp_path / "m" / "meta.json").read_text("utf-8"))["seed"] == 1
    from pipeline.cards import CARD_NOTES
    from pipeline.tagger.model import write_card

    (tmp_path / "m" / "README.md").write_text("stale\n" + card + f"\n{CARD_NOTES}\nhow the corpus was cleaned\n", "utf-8")
    write_card(tmp_path / "m", meta)  # as training writes it: the notes below the marker are kept
    assert (tmp_path / "m" / "README.md").read_text("utf-8") == card + f"\n{CARD_NOTES}\nhow the corpus was cleaned\n"
    tagger = Tagger.load(tmp_path / "m")
    # the loaded model scores exactly what the trained one scored at its best epoch
    from pipeline.tagger.corpora import read_corpus
    from pipeline.tagger.train import evaluate_examples

    assert evaluate_examples(tagger, list(read_corpus([data])))["micro"] == meta["dev"]["micro"]
    texts = ["服用布洛芬可以治疗肺炎。", "", "短"]
    first = tagger.predict(texts)
    assert first == Tagger.load(tmp_path / "m").predict(texts)  # load round trip gives the same spans
    assert type(tagger.model).__name__ == "LSTMCRFRuntime"  # the plain-torch runtime loads it ...
    hf = Tagger.load(tmp_path / "m", runtime="transformers")  # ... to the same spans and scores as transformers
    assert type(hf.model).__name__ == "MedclaimTaggerForTokenClassification" and hf.predict(texts) == first
    for text, spans in zip(texts, first):
        for s, e, label, score in spans:
            assert 0 <= s < e <= len(text) and label in ("DRUG", "DISEASE") and 0 <= score <= 1


def test_training_is_deterministic_with_a_seed(tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    runs = [train([data], data, str(tmp_path / f"m{i}"), epochs=2, batch_size=4, seed=7, scratch=TINY,
                  progress=False, log=lambda m: None)["history"] for i in range(2)]
    strip = [[{k: v for k, v in h.items() if k != "seconds"} for h in run] for run in runs]
    assert strip[0] == strip[1]


def test_base_model_from_a_local_folder(tmp_path):
    from transformers import BertConfig, BertModel

    texts = [r["text"] for r in fixture_lines()]
    base = tmp_path / "base"
    tok = char_tokenizer(texts)
    BertModel(BertConfig(vocab_size=tok.vocab_size, **TINY_BERT)).save_pretrained(base)
    tok.save_pretrained(base)
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "ft"), base_model=str(base), epochs=1, batch_size=8, max_steps=3,
                 progress=False, log=lambda m: None)
    assert meta["base_model"] == str(base) and (tmp_path / "ft" / "config.json").exists()


def test_review_loop_accepted_spans_are_learned(tmp_path):
    """Spans accepted in a review export train a model that then finds them."""
    export = write_jsonl(tmp_path / "review.jsonl", fixture_lines(answer="accept") +
                         [{"text": "这一条被拒绝了。", "spans": [], "answer": "reject"}])
    train([export], export, str(tmp_path / "r"), epochs=25, batch_size=4, lr=1e-2, seed=3, scratch=TINY,
          progress=False, log=lambda m: None)
    tagger = Tagger.load(tmp_path / "r")
    records = fixture_lines()
    found = tagger.predict([r["text"] for r in records])
    gold = {(i, s["start"], s["end"], s["label"]) for i, r in enumerate(records) for s in r["spans"]}
    got = {(i, s, e, l) for i, spans in enumerate(found) for s, e, l, _ in spans}
    assert len(gold & got) / len(gold) >= 0.8


def test_merge_policy():
    text = "胰腺炎与阿司匹林及医院"
    lex = [Entity(0, 2, "BODY"), Entity(4, 8, "DRUG")]
    model = [Entity(0, 3, "DISEASE", "model", 0.99), Entity(4, 7, "DRUG", "model", 0.9),
             Entity(9, 11, "ORG", "model", 0.3), Entity(3, 4, "ORG", "model", 0.8)]
    merged = [(e.start, e.end, e.label, e.source) for e in merge(lex, model, min_score=0.5, text=text)]
    # 胰腺 was a fragment of the model's 胰腺炎, which replaces it; the lexicon's longer drug stays over
    # the model's shorter one inside it; a model span under the score is left out; one on its own is added
    assert merged == [(0, 3, "DISEASE", "model"), (3, 4, "ORG", "model"), (4, 8, "DRUG", "lexicon")]
    # without the text (well-formedness unknown) the lexicon's spans stay, as before
    assert [(e.start, e.end) for e in merge(lex, model, min_score=0.5)] == [(0, 2), (3, 4), (4, 8)]


def test_a_model_span_replaces_lexicon_fragments_only_when_well_formed():
    lex = [Entity(0, 4, "ORG"), Entity(5, 9, "ORG")]
    text = "日本学会(JSCO)报告肿瘤缩小70,"
    crossing = [Entity(0, 9, "ORG", "model", 0.95)]  # 日本学会(JSCO: the bracket left open
    assert [(e.start, e.end) for e in merge(lex, crossing, text=text)] == [(0, 4), (5, 9)]
    lex2 = [Entity(12, 14, "DISEASE")]
    with_number = [Entity(12, 18, "BODY", "model", 0.9)]  # 肿瘤缩小70: a value taken in
    assert [(e.start, e.end, e.label) for e in merge(lex2, with_number, text=text)] == [(12, 14, "DISEASE")]
    whole = [Entity(0, 10, "ORG", "model", 0.95)]  # 日本学会(JSCO): brackets closed, fragments replaced
    assert [(e.start, e.end) for e in merge(lex, whole, text=text)] == [(0, 10)]


def test_cli_train_and_evaluate(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    runner = CliRunner()
    out = tmp_path / "cli"
    dev2 = write_jsonl(tmp_path / "d2.jsonl", fixture_lines()[:3])
    result = runner.invoke(main, ["train", "--train", data, "--dev", data, "--dev", dev2, "--output", str(out),
                                  "--epochs", "1", "--max-steps", "2", "--terms", f"{data}=made up for the test", "-q"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert [d["examples"] for d in meta["data"]] == [20, 20, 3]   # train, then both dev files
    assert "made up for the test" in (out / "README.md").read_text("utf-8")
    bad_terms = runner.invoke(main, ["train", "--train", data, "--dev", data, "--output", str(tmp_path / "x"),
                                     "--terms", "no equals sign"])
    assert bad_terms.exit_code != 0 and "FILE=TEXT" in bad_terms.output
    again = runner.invoke(main, ["train", "--train", data, "--dev", data, "--output", str(out), "--epochs", "1"])
    assert again.exit_code != 0 and "--overwrite" in again.output
    scores = runner.invoke(main, ["evaluate", "--model", str(out), "--data", data, "--json"])
    assert scores.exit_code == 0 and "micro" in json.loads(scores.stdout)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    failed = runner.invoke(main, ["evaluate", "--model", str(out), "--data", str(bad)])
    assert failed.exit_code != 0 and "bad.jsonl:1: invalid JSON" in failed.output


def test_auditor_with_a_model(tmp_path, validator):
    from pipeline import Auditor

    from conftest import assert_valid_record

    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    train([data], data, str(tmp_path / "m"), epochs=25, batch_size=4, lr=1e-2, seed=3, scratch=TINY,
          progress=False, log=lambda m: None)
    record = Auditor(model=str(tmp_path / "m")).audit_text("服用康复灵可以治疗冠心病。", id="t")
    assert_valid_record(record, validator)
    sources = {(e["text"], e["source"]) for e in record["entities"]}
    assert ("冠心病", "lexicon") in sources  # the lexicon keeps its span
    assert ("康复灵", "model") in sources    # the model adds what the lexicon does not know


def test_audit_cli_model_option(tmp_path):
    import io

    from pipeline.cli import run_audit

    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    train([data], data, str(tmp_path / "m"), epochs=2, batch_size=8, seed=3, scratch=TINY, progress=False,
          log=lambda m: None)
    src = tmp_path / "a.txt"
    src.write_text("服用康复灵可以治疗冠心病。", encoding="utf-8")

    class Out(io.StringIO):
        def isatty(self):
            return False

    out = Out()
    code = run_audit([str(src)], fmt="jsonl", model_dir=str(tmp_path / "m"), fail_on="never", stdout=out, stderr=Out())
    assert code == 0 and json.loads(out.getvalue())["entities"]
    out2, err2 = Out(), Out()
    code = run_audit([str(src)], fmt="jsonl", model_dir=str(tmp_path / "missing"), stdout=out2, stderr=err2)
    assert code == 2 and "no such model folder" in err2.getvalue()


def test_small_bert_from_scratch(tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "b"), arch="bert", epochs=2, batch_size=8, seed=3, scratch=TINY_BERT,
                 progress=False, log=lambda m: None)
    assert meta["arch"] == "bert" and not (tmp_path / "b" / "lexicon.tsv").exists()
    (spans,) = Tagger.load(tmp_path / "b").predict(["服用神奇胶囊治疗冠心病。"])
    assert all(0 <= s < e <= 12 for s, e, _, _ in spans)


def test_lexicon_features():
    from pipeline.tagger.features import GROUPS, POSITIONS, LexiconFeatures

    feats = LexiconFeatures({"阿司匹林": {"DRUG"}, "肝癌": {"DISEASE"}}, {"治疗肝癌": "PROCEDURE"})
    on = set(feats.active("服用阿司匹林治疗肝癌"))
    drug = GROUPS.index("DRUG") * POSITIONS
    assert {(2, drug), (3, drug + 1), (4, drug + 1), (5, drug + 2)} <= on          # B M M E
    disease = GROUPS.index("DISEASE") * POSITIONS
    assert {(8, disease), (9, disease + 2)} <= on
    gaz = GROUPS.index("GAZ-PROCEDURE") * POSITIONS
    assert (6, gaz) in on and (9, gaz + 2) in on
    assert (0, 0) in on and (1, 2) in on                                            # 服用: a dictionary word
    assert not any(f // POSITIONS == GROUPS.index("DRUG") for i, f in on if i < 2)
    assert feats.char_features("服用").shape == (2, POSITIONS * len(GROUPS))


def test_term_file_errors_name_file_and_line(tmp_path):
    from pipeline.tagger.features import read_term_file

    good = tmp_path / "t.tsv"
    good.write_text("# comment\n阿司匹林\tDRUG\n阿司匹林\tTHERAPY\n", encoding="utf-8")
    assert read_term_file(good) == {"阿司匹林": {"DRUG", "THERAPY"}}
    for body, message in [("阿司匹林 DRUG\n", "t2.tsv:1: expected"), ("ok\tDRUG\nx\tPILL\n", "t2.tsv:2: unknown label")]:
        (tmp_path / "t2.tsv").write_text(body, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            read_term_file(tmp_path / "t2.tsv")


def test_long_text_is_tagged_past_the_model_window(tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    train([data], data, str(tmp_path / "w"), epochs=25, batch_size=4, lr=1e-2, seed=3, scratch=TINY,
          progress=False, log=lambda m: None)
    sentence = "服用布洛芬可以治疗肺炎。"
    text = sentence * 100  # 1,200 characters: more than one window
    (spans,) = Tagger.load(tmp_path / "w").predict([text])
    starts = {s for s, e, label, _ in spans if text[s:e] == "布洛芬" and label == "DRUG"}
    assert max(starts) > 1000 and len(starts) >= 90


def test_crf_matches_brute_force():
    import itertools

    from pipeline.tagger.crf import CRF

    tags = bio_labels(["A", "B"])
    crf = CRF(tags)
    torch.manual_seed(0)
    with torch.no_grad():
        for p in crf.parameters():
            p.normal_()
    emissions = torch.randn(4, 4, len(tags)) * 3
    # rows of different lengths, not sorted: decoding reorders them longest first internally
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [1, 1, 1, 0]]).bool()
    start, trans = crf._scores()
    marginals, paths = crf.marginals(emissions, mask), crf.decode(emissions, mask)
    for b in range(4):
        n = int(mask[b].sum())
        weights = {}
        for seq in itertools.product(range(len(tags)), repeat=n):
            score = start[seq[0]] + emissions[b, 0, seq[0]] + crf.end[seq[-1]]
            score = score + sum(trans[seq[i - 1], seq[i]] + emissions[b, i, seq[i]] for i in range(1, n))
            weights[seq] = float(score.detach())
        log_z = torch.logsumexp(torch.tensor(list(weights.values())), 0)
        best = max(weights, key=weights.get)
        assert paths[b] == list(best)
        assert not tags[best[0]].startswith("I-")  # a forbidden start never wins
        expected = torch.zeros(n, len(tags))
        for seq, w in weights.items():
            for i, k in enumerate(seq):
                expected[i, k] += float(torch.exp(torch.tensor(w) - log_z))
        assert torch.allclose(marginals[b, :n], expected, atol=1e-4)
        gold = torch.tensor([list(best) + [0] * (4 - n)])
        nll = crf.loss(emissions[b:b + 1], gold, mask[b:b + 1]).item()
        assert abs(nll - (float(log_z) - weights[best])) < 1e-3


def test_gazetteer_feature(tmp_path):
    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "g"), epochs=2, batch_size=8, seed=3, scratch=TINY, gazetteer=True,
                 progress=False, log=lambda m: None)
    assert "gazetteer.json" in meta["hyperparameters"]["lexicon_features"]
    names = json.loads((tmp_path / "g" / "gazetteer.json").read_text("utf-8"))
    assert names["神奇胶囊"] == "DRUG" and names["冠心病"] == "DISEASE"
    tagger = Tagger.load(tmp_path / "g")
    assert tagger.features is not None and "gazetteer.json" in tagger.model.config.lexicon_sources
    (spans,) = tagger.predict(["服用神奇胶囊治疗冠心病。"])
    assert all(0 <= s < e <= 12 for s, e, _, _ in spans)


def test_char_encoder_matches_the_tokenizer():
    from pipeline.tagger.model import CharEncoder

    texts = ["NK细胞 活性\u3000提升300%", "\x1c甲\x1f乙\x85丙", "a\u2003b\u200bc\u00a0d\te\nf", "😀癌症\U00020000",
             "", "   ", "疾病控制率" * 150, "PD-1抑制剂 Keytruda®"]
    tokenizer = char_tokenizer(texts + ["😀"])
    fast = CharEncoder.of(tokenizer)
    assert fast is not None
    ids, mask, offsets = fast.encode(texts)
    enc = tokenizer(texts, truncation=True, max_length=512, padding=True, return_offsets_mapping=True,
                    return_tensors="pt")
    assert ids.tolist() == enc["input_ids"].tolist()
    assert mask.tolist() == enc["attention_mask"].tolist()
    assert offsets == enc["offset_mapping"].tolist()


def test_char_encoder_is_used_only_for_a_character_tokenizer(tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    from pipeline.tagger.model import CharEncoder

    tok = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "[PAD]": 1, "甲乙": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    words = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]")
    assert CharEncoder.of(words) is None


def test_runtime_loads_only_what_it_can_and_matches_transformers(tmp_path):
    """The plain-torch runtime takes a from-scratch model with a character tokenizer; its state dict and
    encodings equal the transformers model's; a folder it cannot take goes through transformers."""
    import torch

    from pipeline.tagger.layers import LSTMCRFRuntime, runtime_loadable
    from pipeline.tagger.model import CharEncoder

    data = write_jsonl(tmp_path / "train.jsonl", fixture_lines())
    train([data], data, str(tmp_path / "m"), epochs=1, batch_size=4, seed=2, scratch=TINY, progress=False,
          log=lambda m: None)
    hf = Tagger.load(tmp_path / "m", runtime="transformers")
    plain = LSTMCRFRuntime.load(tmp_path / "m")
    assert plain.state_dict().keys() == hf.model.state_dict().keys()
    assert all(torch.equal(v, hf.model.state_dict()[k]) for k, v in plain.state_dict().items())
    assert CharEncoder.from_files(tmp_path / "m") == CharEncoder.of(hf.tokenizer)
    assert runtime_loadable(tmp_path / "m") and not runtime_loadable(tmp_path)
    with pytest.raises(ValueError, match="runtime"):
        Tagger.load(tmp_path / "m", runtime="onnx")
    # a tokenizer that is not one token a character: the runtime declines, transformers loads it
    settings = json.loads((tmp_path / "m" / "tokenizer.json").read_text("utf-8"))
    settings["normalizer"] = {"type": "Lowercase"}
    (tmp_path / "m" / "tokenizer.json").write_text(json.dumps(settings), "utf-8")
    assert CharEncoder.from_files(tmp_path / "m") is None
    assert type(Tagger.load(tmp_path / "m").model).__name__ == "MedclaimTaggerForTokenClassification"


def test_default_audit_never_imports_transformers():
    """The shipped model runs on torch alone: an audit's start-up does not pay for transformers."""
    import subprocess
    import sys

    from pipeline.tagger import default_model_dir

    if default_model_dir() is None:
        pytest.skip("this install ships no default model")
    code = ("import sys\nfrom pipeline import Auditor\na = Auditor()\na.audit_text('服用阿司匹林治疗冠心病')\n"
            "found = a.nlp.get_pipe('medclaim_tagger').tagger.predict(['服用阿司匹林治疗冠心病'])\n"
            "print('transformers' in sys.modules, bool(found[0]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_adversarial_step_adds_the_perturbed_loss_and_puts_the_tables_back(tmp_path):
    """--adversarial: the character and bigram tables are moved along their gradient for a second loss,
    whose gradient is added to the batch's, and restored exactly."""
    from pipeline.tagger.train import _adversarial_step

    data = write_jsonl(tmp_path / "t.jsonl", fixture_lines())
    meta = train([data], data, str(tmp_path / "m"), epochs=1, batch_size=4, seed=3, scratch=TINY, progress=False,
                 log=lambda m: None, adversarial=1.0)
    assert meta["adversarial"] == 1.0 and json.loads((tmp_path / "m" / "meta.json").read_text("utf-8"))["adversarial"] == 1.0
    assert "adversarial training: the character and bigram tables moved by 1.0" in (tmp_path / "m" / "README.md").read_text("utf-8")
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(str(tmp_path / "m"))
    model.train()
    torch.manual_seed(0)
    tagger = Tagger.load(tmp_path / "m", runtime="transformers")
    text = "服用布洛芬可以治疗肺炎。"
    spans = [(2, 5, "DRUG"), (9, 11, "DISEASE")]
    enc = encode(tagger.tokenizer, text, spans, {l: i for i, l in enumerate(tagger.model.config.id2label.values())})
    from pipeline.tagger.train import _collate

    row = {"input_ids": enc["input_ids"], "labels": enc["labels"],
           "lexicon": [list(f) for f in tagger.features.token_features(text, enc["offsets"])]}
    batch = _collate([row], [0], tagger.tokenizer.pad_token_id, True)
    model.dropout.p = 0.0
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    model(**batch).loss.backward()
    clean = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    _adversarial_step(model, batch, 1.0)
    for n, p in model.named_parameters():
        assert torch.allclose(p.detach(), before[n], atol=1e-6), n  # the tables are back where they were (to rounding)
    grown = [n for n, p in model.named_parameters() if p.grad is not None and not torch.allclose(p.grad, clean[n])]
    assert "chars.weight" in grown and "classifier.weight" in grown  # the perturbed loss's gradient was added
    model.zero_grad()
    _adversarial_step(model, batch, 1.0)  # no gradient yet: nothing to follow, nothing changes
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())


def test_a_text_is_tagged_sentence_by_sentence():
    from pipeline.tagger.model import sentence_windows

    text = "第一句话。第二句话!\n\n" + "长" * 1200 + "。"
    pieces = sentence_windows(text)
    assert pieces[:2] == [(0, 5), (5, 10)]
    assert all(e - s <= 500 for s, e in pieces) and pieces[-1][1] == len(text)
    assert "".join(text[s:e] for s, e in pieces) == text.replace("\n", "")


def test_evaluate_leaves_out_spans_under_min_score(tmp_path):
    from pipeline.tagger.corpora import Example
    from pipeline.tagger.train import evaluate_examples

    class Fixed:
        has_inner_layer = False

        def predict(self, texts, batch_size=64, nested=False):
            return [[(0, 2, "DRUG", 0.9), (3, 5, "BODY", 0.3)] for _ in texts]

    examples = [Example("布洛芬和胃部", [(0, 2, "DRUG"), (3, 5, "BODY")], "x")]
    assert evaluate_examples(Fixed(), examples)["micro"]["f1"] == 1.0
    low = evaluate_examples(Fixed(), examples, min_score=0.5)
    assert low["micro"]["recall"] == 0.5 and low["micro"]["precision"] == 1.0 and low["min_score"] == 0.5
