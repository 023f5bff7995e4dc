"""The learned lost-% detector: the shipped model, its structural negatives, the labels real text gives
it, and `medclaim train-percent` on a corpus made here."""
import json
import random

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline import Auditor
from pipeline.checks.percent_model import FEATURE_VERSION, PercentModel, load_model
from pipeline.checks.percent_train import strip_percent
from pipeline.cli import main


@pytest.fixture(scope="module")
def plain():
    """The lexicon and rules without the tagger (the detector does not read it)."""
    return Auditor(model=None)


def lost(auditor, text):
    """The numbers flagged as lost percentages, by their own flag or in ``also`` of another on that span."""
    return [f["text"] for f in auditor.audit_text(text)["flags"] if f["category"] == "percent_lost"
            or any(x["category"] == "percent_lost" for x in f.get("also", []))]


def test_the_shipped_model_loads():
    model = load_model("default")
    assert model is not None and model.meta["feature_version"] == FEATURE_VERSION
    assert model.weights.shape == (2 ** model.bits,) and 0 < model.threshold < 1
    assert model.meta["positives"] > 1000 and model.meta["cross_validation"]["precision"] >= 0.9
    # the document stage ships with it, and it was chosen because it measured better than the first stage alone
    assert model.trees is not None and len(model.trees.roots) == len(model.meta["document_stage"]["roots"])
    assert model.meta["cross_validation"]["recall"] > model.meta["first_stage_cross_validation"]["recall"]


@pytest.mark.parametrize("text, expected", [
    ("两者的相似度高达96。", ["96"]),
    ("个人所得税税率3。", ["3"]),
    ("占比分别为井矿盐87、海盐10、湖盐3。", ["87", "10", "3"]),
    ("阳性率从第47周11.6上升至第52周26.4。", ["11.6", "26.4"]),
    ("细胞活性阈值(>85)。", ["85"]),  # a threshold reason is trusted whatever the model says
])
def test_real_phrasings_of_the_issue(plain, text, expected):
    assert lost(plain, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("该试验的疾病控制率达89.3。", ["89.3"]),
    ("调查显示，其中62的人每周锻炼不足3次。", ["62"]),
    ("治疗组有效率为92.3，显著高于对照组的69.2。", ["92.3", "69.2"]),
    ("体质指数为23.5，血压正常。", []),
    ("共纳入120例患者，平均年龄59岁。", []),
    ("2025年5月，研究在北京启动。", []),
])
def test_the_shipped_model_on_fixed_sentences(plain, text, expected):
    assert lost(plain, text) == expected


@pytest.mark.parametrize("text", [
    "要点如下：\n1. 乳腺结节多为良性。", "研究显示。3 乳腺结节多为良性。", "20世纪，青霉素问世。",
    "见文献[7,8]。", "请拨打010-12345678咨询。", "版本3.1已发布。", "07全国多地出现降温。",
    "大气中碳14的含量变化。", "体内的钾40来自食物。", "每次做50下即可。", "发病率约为1.2/10万。",
    "第4-8名的奖金是6000元。", "将钠含量乘以2.5便得盐含量。", "全世界有37亿50岁以下的人感染。",
    "这项包含13多万上海居民的研究。", "食谱中有 20 多种海藻。", "我国27省市的调查。", "高峰占比是9比1。",
    "增加2型糖尿病风险。", "按100平米一套房估算。", "臭氧浓度0.08-0.6ppm时。",
    "人体体液的正常pH值在7.35到7.45之间。", "不良事件多为1至2级。", "比例大概为3:4:3。",
    "其强度可能不亚于前几年的7·21和6·23。", "只有3%的人认为基地组织与9·11事件有关。",
    "实验样本只有20几个。", "有20来栋10多层的高楼。",
])
def test_structure_never_makes_a_percentage(plain, text):
    assert lost(plain, text) == []


@pytest.mark.parametrize("text, candidates", [
    ("体质指数控制在20~21之间。", []),  # the range's end takes its start's kind
    ("将钠含量乘以2.5-3便得盐含量。", []),
    ("白面做的面条GI也才只有41。", []),
    ("两者的相关系数高达0.9以上。", []),
    ("CT值高于35说明污染量低。", []),
    ("表面莫氏硬度为3，远低于玉髓。", []),
    ("患病率在20~21之间。", ["20", "21"]),  # a rate's range stays a candidate
    ("其占比重为30。", ["30"]),  # 比重 is also a share: no index
])
def test_indices_measures_and_their_ranges_are_no_candidates(plain, text, candidates):
    from pipeline.checks.percent import percent_candidates

    a = plain.analyse(text)
    assert [a.norm[n.start:n.end] for n, _, _ in percent_candidates(a)] == candidates


def test_rules_alone_without_a_model():
    auditor = Auditor(model=None, percent_model=None)
    assert lost(auditor, "乳腺癌筛查可使死亡率降低20至30。") == ["20", "30"]


@pytest.mark.parametrize("text, stripped, gold", [
    ("有效率89.3%，30-60 %之间", "有效率89.3，30-60 之间", ["89.3", "60"]),
    ("占比５０％。", "占比５０。", ["５０"]),
    ("见 https://zh.wikipedia.org/wiki/%E5%88%A9 和 增长3%", "见 https://zh.wikipedia.org/wiki/E588A9 和 增长3", ["3"]),
])
def test_strip_percent_labels_the_numbers_that_carried_a_sign(text, stripped, gold):
    out, spans = strip_percent(text)
    assert out == stripped and [out[s:e] for s, e in sorted(spans)] == gold


def test_one_sign_removed_keeps_the_others():
    from pipeline.checks.percent_train import drop_sign, signs, versions

    text = "有效率89.3%，对照组62%，见 https://x.org/%E5%88 。"
    found = signs(text)
    assert [text[s:e] for s, e, _ in found] == ["89.3", "62"]  # a URL's encoding is no sign
    dropped, gold = drop_sign(text, found[1])
    assert dropped == "有效率89.3%，对照组62，见 https://x.org/%E5%88 。" and [dropped[s:e] for s, e in gold] == ["62"]
    made = versions(text, 2, key=1)
    assert [kept for _, _, kept in made] == [False, True, True]
    assert {dropped.count("%") for dropped, _, kept in made if kept} == {text.count("%") - 1}  # one sign gone, the URL's kept


def _corpus(n: int, seed: int) -> list[dict]:
    """Articles in which shares carry % signs and counts, ages, years and risk ratios do not."""
    rng = random.Random(seed)
    rates = ["有效率为", "占比约", "发生率达", "比例为", "复发率降至", "阳性率为"]
    docs = []
    for i in range(n):
        parts = []
        for _ in range(6):
            parts.append(f"{rng.choice(rates)}{rng.randint(1, 99)}.{rng.randint(0, 9)}%，")
            parts.append(f"共纳入{rng.randint(20, 900)}例患者，平均年龄{rng.randint(20, 80)}岁。")
            parts.append(f"{rng.randint(2000, 2024)}年起，{rng.randint(2, 40)}家医院参与，相对危险度为{rng.randint(1, 3)}.{rng.randint(0, 9)}{rng.randint(0, 9)}。")
        docs.append({"id": f"d{i}", "text": "".join(parts)})
    return docs


def _write(path, docs) -> str:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    return str(path)


def _train_percent(*args: str):
    return CliRunner().invoke(main, ["train-percent", *args, "--folds", "2", "--bits", "14", "--precision", "0.9"])


def test_train_percent_rebuilds_a_model_from_a_corpus(tmp_path, plain):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    data = _write(tmp_path / "corpus.jsonl", _corpus(40, 1))
    dev = _write(tmp_path / "dev.jsonl", _corpus(5, 2))
    out = tmp_path / "model"
    result = _train_percent("--data", data, "--dev", dev, "--output", str(out))
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert meta["dev"]["gold"] == 5 * 6 and meta["dev"]["recall"] > 0.5
    assert meta["positives"] == 40 * 6 and meta["bits"] == 14 and "Lost-% detector" in (out / "README.md").read_text("utf-8")
    model = PercentModel.load(out)
    auditor = Auditor(model=None, rules=[], percent_model=str(out))
    assert lost(auditor, "发生率达37.5，共纳入300例患者。") == ["37.5"]
    assert model.threshold == meta["threshold"]
    assert model.trees is not None and (out / "trees.npy").exists() and "document_stage" in meta
    # copies with one sign removed joined the training and were measured at the threshold
    assert meta["one_sign"] == 2 and meta["one_sign_cross_validation"]["copies"] == 40 * 2
    again = CliRunner().invoke(main, ["train-percent", "--data", str(data), "--output", str(out)])
    assert again.exit_code != 0 and "--overwrite" in again.output
    # notes written below the card's marker survive a retrain; the generated part is made anew
    from pipeline.cards import CARD_NOTES

    card = out / "README.md"
    card.write_text(card.read_text("utf-8").replace("Lost-% detector", "STALE") + f"\n{CARD_NOTES}\n\n## Measured by hand\n", "utf-8")
    # without the document stage: the first stage alone, and no stale trees left in the folder
    first = CliRunner().invoke(main, ["train-percent", "--data", str(data), "--output", str(out), "--overwrite",
                                      "--folds", "2", "--bits", "14", "--no-document-stage"])
    assert first.exit_code == 0, first.output
    text = card.read_text("utf-8")
    assert "STALE" not in text and "Lost-% detector" in text and text.count(CARD_NOTES) == 1
    assert text.endswith(f"{CARD_NOTES}\n\n## Measured by hand\n")
    assert not (out / "trees.npy").exists() and PercentModel.load(out).trees is None
    assert lost(Auditor(model=None, rules=[], percent_model=str(out)), "发生率达37.5，共纳入300例患者。") == ["37.5"]


def test_a_folder_that_is_no_model_is_refused(tmp_path):
    import numpy as np

    (tmp_path / "meta.json").write_text(json.dumps({"feature_version": 0, "bits": 4}), "utf-8")
    np.save(tmp_path / "weights.npy", np.zeros(16, dtype=np.float32))
    with pytest.raises(ValueError, match="feature version"):
        PercentModel.load(tmp_path)
    result = CliRunner().invoke(main, ["audit", "-", "--no-model", "--percent-model", str(tmp_path / "nothing")],
                                input="有效率89.3。")
    assert result.exit_code == 2 and "--percent-model" in result.output


def test_the_document_stage_trees_score_as_scikit_learn_does():
    pytest.importorskip("sklearn", reason="the trees are trained with scikit-learn (the train extra)")
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from pipeline.checks.percent_model import Trees

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values take the side the training chose
    y = (np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 3]) > 0.2) ^ (rng.random(600) < 0.1)
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0).fit(X, y)
    trees = Trees.from_sklearn(model)
    assert np.allclose(trees.raw(X), model.decision_function(X))


def test_document_features_read_neighbours_and_the_text():
    import numpy as np

    from pipeline.checks.percent_model import DOCUMENT_FEATURES, Item, document_features

    items = [Item(0, 2, "rate", 1), Item(5, 7), Item(40, 42)]
    X = document_features(items, np.array([2.0, 3.0, -1.0]))
    col = {name: i for i, name in enumerate(DOCUMENT_FEATURES)}
    assert X.shape == (3, len(DOCUMENT_FEATURES))
    assert X[0, col["next_logit"]] == 3.0 and X[0, col["next_gap"]] == 3
    assert X[2, col["prev_logit"]] == 3.0 and X[2, col["prev_gap"]] == 33 and X[2, col["prev2_logit"]] == 2.0
    assert np.isnan(X[0, col["prev_logit"]]) and X[0, col["reason"]] > 0 and X[0, col["decimals"]] == 1
    assert (X[:, col["numbers"]] == 3).all() and (X[:, col["numbers_over_half"]] == 2).all()
    assert (X[:, col["with_reason"]] == 1).all()


def test_document_features_read_the_same_number_and_frame_elsewhere_in_the_text():
    """A headline's 降低30 and the body's 下降了30 are one figure; 男性为30，女性为25， one frame."""
    import numpy as np

    from pipeline.checks.percent_model import DOCUMENT_FEATURES, Item, document_features

    items = [Item(0, 2, written="30", frame="降低|，"), Item(10, 12, written="30", frame="下降|。"),
             Item(20, 22, written="30", frame="性为|,"), Item(30, 32, written="25", frame="性为|,"),
             Item(40, 42, written="7", frame="共有|例")]
    X = document_features(items, np.array([4.0, -1.0, 0.5, -2.0, -3.0]))
    col = {name: i for i, name in enumerate(DOCUMENT_FEATURES)}
    assert X[:, col["same_value_logit"]][:3].tolist() == [0.5, 4.0, 4.0]  # the best of the others
    assert X[:, col["same_value_count"]].tolist() == [2, 2, 2, 0, 0]
    assert np.isnan(X[3:, col["same_value_logit"]]).all()
    assert X[2, col["same_frame_logit"]] == -2.0 and X[3, col["same_frame_logit"]] == 0.5
    assert np.isnan(X[[0, 1, 4], col["same_frame_logit"]]).all()


def test_candidate_items_carry_the_number_as_written_and_its_frame(plain):
    from pipeline.checks.percent import candidate_items, percent_candidates

    a = plain.analyse("男性为30，女性为25，儿童为10。")
    items = candidate_items(a, list(percent_candidates(a)))
    assert [(it.written, it.frame) for it in items] == [("30", "性为|,"), ("25", "性为|,"), ("10", "童为|。")]  # the normalised text: ， is ,


def test_the_document_stage_reads_bare_numbers_only(plain):
    """Numbers written with their % sign are no part of the document stage: it learned from text whose
    signs were all removed, and a writer who writes the signs seldom drops one (counting them as
    percentages made the detector flag 58 bare numbers in the unchanged real articles, against 32)."""
    from pipeline.checks.percent import candidate_items, candidate_probabilities, percent_candidates

    model = load_model("default")
    a = plain.analyse("有效率41%，显著高于对照组的37%。两组共纳入22例，随访3年，缓解率为62。")
    candidates = list(percent_candidates(a))
    assert [a.norm[it.start:it.end] for it in candidate_items(a, candidates)] == ["62"]
    assert len(candidate_probabilities(a, candidates, model)) == 1


def test_a_model_whose_document_stage_is_missing_is_refused(tmp_path):
    import shutil
    from importlib import resources

    from pipeline.checks.percent_model import DEFAULT_MODEL

    with resources.as_file(resources.files("pipeline.models") / DEFAULT_MODEL) as shipped:
        shutil.copytree(shipped, tmp_path / "model")
    (tmp_path / "model" / "trees.npy").unlink()
    with pytest.raises(ValueError, match="trees.npy: not a lost-% document stage"):
        PercentModel.load(tmp_path / "model")
    result = CliRunner().invoke(main, ["audit", "-", "--no-model", "--percent-model", str(tmp_path / "model")],
                                input="有效率89.3。")
    assert result.exit_code == 2 and "document stage" in result.output


def test_the_real_text_benchmark_scores_exact_positions_and_counts_range_starts_apart():
    """benchmarks/real/percent.py: a flag is a hit only on a number that carried the sign; a flag on the
    start of a range whose end carried it stays a false alarm, and is counted apart as well."""
    from benchmarks.real.percent import range_start_of_gold, score

    class Flags:  # flags the numbers given, by their text
        def __init__(self, *numbers):
            self.numbers = numbers

        def audit_text(self, text):
            return {"flags": [{"category": "percent_lost", "start": text.index(n), "end": text.index(n) + len(n)}
                              for n in self.numbers]}

    art = {"id": "a", "source": "s", "text": "占比40-60%，有效率89.3%，共12例。"}
    flags: list = []
    c = score([art], Flags("40", "89.3", "12"), flags=flags)["total"]
    assert (c["gold"], c["tp"], c["fp"], c["fn"], c["fp_range"]) == (2, 1, 2, 1, 1)
    assert [(f["context"].split("【")[1].split("】")[0], f["carried_sign"]) for f in flags] == [
        ("40", False), ("89.3", True), ("12", False)]  # the flags drawn for reading, on the stripped text
    from benchmarks.real.percent import as_published

    published = score([art], Flags("12"), remove=as_published)["total"]
    assert (published["gold"], published["fp"]) == (0, 1)  # signs in place: every flag is for a reader to judge
    text, gold = "占比40-60，共12例", {(5, 7)}
    assert range_start_of_gold(text, (2, 4), gold) and not range_start_of_gold(text, (10, 12), gold)
    assert not range_start_of_gold("占比40-60", (2, 4), set())
    # the same counts by density: the signs removed from each article
    sober = {"id": "b", "source": "s", "text": "共12例。"}
    by = score([art, sober], Flags("12"))["per_density"]
    assert (by["2-3"]["articles"], by["2-3"]["gold"], by["2-3"]["fn"], by["2-3"]["fp"]) == (1, 2, 2, 1)
    assert (by["none"]["articles"], by["none"]["fp"]) == (1, 1) and by["1"]["articles"] == 0


def test_extra_text_is_learned_in_a_copy_of_its_own(tmp_path):
    """With --extra each feature is learned shared and per corpus; an audit reads the shared weights and
    the data's copy (percent_model.AUDIT_DOMAIN)."""
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    from pipeline.checks.percent_model import AUDIT_DOMAIN, hashed

    data, extra = _write(tmp_path / "corpus.jsonl", _corpus(40, 1)), _write(tmp_path / "extra.jsonl", _corpus(20, 3))
    out = tmp_path / "model"
    result = _train_percent("--data", data, "--extra", extra, "--output", str(out))
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert meta["domain_copies"] is True and "a copy of its corpus's own" in (out / "README.md").read_text("utf-8")
    model = PercentModel.load(out)
    from pipeline.checks.percent import percent_candidates

    analysed = Auditor(model=None, rules=[], percent_model=None).analyse("发生率达37.5，共纳入300例患者。")
    feats = next(f for n, _, f in percent_candidates(analysed) if analysed.norm[n.start:n.end] == "37.5")
    with_copies = model.bias + model.weights[hashed(feats, model.bits, AUDIT_DOMAIN)].sum()
    shared_only = model.bias + model.weights[hashed(feats, model.bits)].sum()
    assert model.logit(feats) == pytest.approx(with_copies) and with_copies != pytest.approx(shared_only)
    assert lost(Auditor(model=None, rules=[], percent_model=str(out)), "发生率达37.5，共纳入300例患者。") == ["37.5"]
    # without --extra there are no copies
    alone = _train_percent("--data", data, "--output", str(tmp_path / "alone"))
    assert alone.exit_code == 0 and json.loads((tmp_path / "alone" / "meta.json").read_text("utf-8"))["domain_copies"] is False


@pytest.fixture(scope="module")
def bare():
    """The analysis alone: no tagger, no rules, no lost-% model (the features need none)."""
    return Auditor(model=None, rules=[], percent_model=None)


def _structure(auditor, text):
    from pipeline.checks.percent import percent_candidates

    a = auditor.analyse(text)
    keep = ("listhead=", "rangeend=", "measure=")
    return {a.norm[n.start:n.end]: tuple(f for f in feats if f.startswith(keep))
            for n, _, feats in percent_candidates(a)}


def test_a_list_and_a_range_read_as_one_kind_of_quantity(bare):
    items = _structure(bare, "合并蒿花粉过敏的比例分别为75、67、61和51。")
    assert items["75"][0] == "listhead=none"  # the list's first item: its own reason
    assert all(items[k][0] == "listhead=rate" for k in ("67", "61", "51"))
    ends = _structure(bare, "乳清蛋白变性率达40-60。")
    assert ends["60"][1] == "rangeend=rate" and ends["40"][1] == "rangeend=None"  # the start's reason, the end's
    apart = _structure(bare, "有效率为75，病程为12周。")
    assert apart["75"][:2] == ("listhead=none", "rangeend=none")


@pytest.mark.parametrize("text, number, measure", [
    ("麦芽糊精的升糖指数一般在 80 到 100 之间", "100", True),
    ("CT值越大（比如高于30或者35）", "35", True),
    ("心率维持在 152 以内", "152", True),
    ("一般达到最大心率的 60～70 为中等强度", "70", False),  # a share of the heart rate
    ("有效率达到 70", "70", False),
])
def test_a_measure_named_in_the_clause_is_a_feature(bare, text, number, measure):
    assert f"measure={measure}" in _structure(bare, text)[number]


def test_heart_rate_and_frequency_are_not_rates(bare):
    from pipeline.checks.percent import lost_percent_reason

    for text, reason in (("心率维持在152", None), ("呼吸频率为20", None), ("有效率为75", "rate")):
        a = bare.analyse(text)
        n = [m for m in a.numbers if m.kind == "number"][0]
        assert lost_percent_reason(a, n, False) == reason, text



def test_the_reader_scores_in_numpy_as_torch_does():
    """The character reader ships as arrays and runs in NumPy; its log-odds are the torch network's (the
    mean over the fold models, as they ship stacked)."""
    torch = pytest.importorskip("torch")
    import numpy as np

    from pipeline.checks.percent_reader import Reader, _Net, encode, window

    text = "治疗组有效率为87.5，对照组为61，共纳入120例患者，平均年龄45岁。"
    spans = [(text.index("87.5"), text.index("87.5") + 4), (text.index("61"), text.index("61") + 2),
             (text.index("120"), text.index("120") + 3)]
    windows = [window(text, s, e) for s, e in spans]
    vocab = {c: i + 4 for i, c in enumerate(sorted(set(text) - set("0123456789")) + ["0"])}
    reasons = {"": 1, "rate": 2}
    torch.manual_seed(0)
    nets = [_Net(len(vocab) + 4, 3, 8).eval() for _ in range(2)]
    X = torch.tensor(encode(windows, vocab))
    R = torch.tensor([2, 1, 1])
    with torch.no_grad():
        expected = np.mean([net(X, R, torch.zeros(3)).numpy() for net in nets], axis=0)
    arrays = {k: np.stack([net.export()[k] for net in nets]) for k in nets[0].export()}
    got = Reader(vocab, reasons, arrays).logits(windows, ["rate", None, None])
    assert got.shape == (3,) and np.allclose(got, expected, atol=1e-4)
    assert Reader(vocab, reasons, arrays).logits([], []).shape == (0,)


def test_pretrained_character_vectors_start_the_readers_table():
    """Pretrained vectors of another size are brought to the reader's by their principal components and
    scaled to unit spread; the folded digit 0 gets the digits' mean, unknown characters keep no row."""
    import numpy as np

    from pipeline.checks.percent_reader import EMBED, pretrained_table

    rng = np.random.default_rng(3)
    chars = list("率为达0123456789零") + [f"字{i}" for i in range(200)]
    vectors = rng.normal(size=(len(chars), 128)) * 5.0
    vectors[chars.index("零")] = vectors[chars.index("0")]  # the digit 0's own vector, under another name
    vectors[[chars.index(d) for d in "123456789"]] = vectors[chars.index("1")]
    vocab = {"率": 4, "0": 5, "猫": 6, "为": 7, "零": 8, "1": 9}
    ids, rows = pretrained_table(vocab, chars, vectors)
    assert sorted(ids.tolist()) == [4, 5, 7, 8, 9] and rows.shape == (5, EMBED)
    row = {i: r for i, r in zip(ids.tolist(), rows)}
    assert np.allclose(row[5], (row[8] + 9 * row[9]) / 10, atol=1e-4)  # the ten digits' mean
    _, table = pretrained_table({c: i for i, c in enumerate(chars) if c != "0"}, chars, vectors)
    assert np.allclose(table.std(axis=0), 1.0, atol=0.05)  # unit spread a dimension, as a fresh embedding
    # smaller vectors are padded with zeros, not stretched
    ids, rows = pretrained_table(vocab, chars, vectors[:, :16])
    assert rows.shape == (5, EMBED) and not rows[:, 16:].any()


def test_fit_readers_starts_every_fold_table_from_the_encoder():
    pytest.importorskip("torch")
    import numpy as np

    from pipeline.checks.percent_reader import fit_readers, pretrained_table, window

    text = "有效率为87.5，对照组为61，有效率为60，共纳入120例患者，有效率为33。"
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("87.5", "61", "60", "120", "33")]
    windows = [window(text, s, e) for s, e in spans] * 2
    labels = np.array([1, 0, 1, 0, 1] * 2, bool)
    rng = np.random.default_rng(0)

    class Encoder:
        chars = sorted(set(text))
        char_vectors = rng.normal(size=(len(chars), 128)).astype(np.float32)

    plan = [(np.arange(5), np.arange(5, 10)), (np.arange(5, 10), np.arange(5))]
    reader, _ = fit_readers(windows, [None] * 10, labels, np.zeros(10, bool), plan, epochs=0, hidden=4,
                            encoder=Encoder)
    ids, rows = pretrained_table(reader.vocab, Encoder.chars, Encoder.char_vectors)
    assert len(ids) == len(reader.vocab)  # every character of the text is known to the encoder
    for fold in range(2):
        assert np.allclose(reader.arrays["chars"][fold][ids], rows, atol=1e-6)
    scratch, _ = fit_readers(windows, [None] * 10, labels, np.zeros(10, bool), plan, epochs=0, hidden=4)
    assert not np.allclose(scratch.arrays["chars"][0][ids], rows, atol=1e-2)


def test_the_reader_weight_benchmark_weighs_only_what_the_audit_reads():
    """benchmarks/real/percent_weights.py: w = 0.5 is the audit's mean; numbers under READ_FROM keep the
    stages' log-odds whatever the weight."""
    import numpy as np

    from benchmarks.real.percent_weights import weighted
    from pipeline.checks.percent_reader import READ_FROM, combine

    scores = {"detector": np.array([READ_FROM / 2, 0.3, 0.9]), "reader": np.array([5.0, -1.0, 2.0])}
    half = weighted(scores, 0.5)
    assert np.allclose(1 / (1 + np.exp(-half[1:])), combine(scores["detector"][1:], scores["reader"][1:]))
    for w in (0.0, 1.0):
        assert np.isclose(weighted(scores, w)[0], np.log(READ_FROM / 2 / (1 - READ_FROM / 2)))
    assert np.allclose(weighted(scores, 1.0)[1:], scores["reader"][1:])


def test_train_percent_with_the_reader_ships_it_and_without_removes_it(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    data = _write(tmp_path / "corpus.jsonl", _corpus(40, 1))
    out = tmp_path / "model"
    result = _train_percent("--data", data, "--output", str(out), "--reader-epochs", "1")
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert meta["reader"]["folds"] == 2 and (out / "reader.npz").exists()
    assert "without_reader_cross_validation" in meta
    model = PercentModel.load(out)
    assert model.reader is not None
    auditor = Auditor(model=None, rules=[], percent_model=str(out))
    assert lost(auditor, "发生率达37.5，共纳入300例患者。") == ["37.5"]
    # a damaged reader is refused with the folder named
    (out / "reader.npz").write_bytes(b"not an archive")
    with pytest.raises(ValueError, match=str(out)):
        PercentModel.load(out)
    again = _train_percent("--data", data, "--output", str(out), "--overwrite", "--no-reader")
    assert again.exit_code == 0, again.output
    assert not (out / "reader.npz").exists() and PercentModel.load(out).reader is None


def test_the_reader_reads_only_numbers_the_stages_give_a_chance():
    """Numbers the two stages put under READ_FROM keep the stages' probability (the threshold was chosen
    the same way in training); the others get the mean of the two log-odds."""
    import numpy as np

    from pipeline.checks.percent_model import Item
    from pipeline.checks.percent_reader import READ_FROM, combine

    read = []

    class Fixed:
        def logits(self, windows, reasons):
            read.extend(windows)
            return np.full(len(windows), 3.0)

    model = PercentModel(np.zeros(4), 0.0, 0.5, 2, {}, None, Fixed())
    items = [Item(4, 6), Item(10, 12)]  # 30 and 20
    logits = np.array([np.log(READ_FROM / 2), 0.0])  # no document stage: the first stage's probabilities
    got = model.probabilities(items, logits, 0, "发生率达30，共纳入20例患者")
    assert got[0] == pytest.approx((READ_FROM / 2) / (1 + READ_FROM / 2))
    assert got[1] == pytest.approx(combine(np.array([0.5]), np.array([3.0]))[0])
    assert len(read) == 1 and read[0][1] == "20"


def test_a_document_feature_missing_everywhere_does_not_stop_training(tmp_path):
    """In a small corpus no number may be written twice: that document feature is missing in every row of
    a fold, which scikit-learn's binning cannot take. It trains as a constant."""
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    import numpy as np

    from pipeline.checks.percent_model import DOCUMENT_FEATURES
    from pipeline.checks.percent_train import _fit_trees

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, len(DOCUMENT_FEATURES)))
    X[:, DOCUMENT_FEATURES.index("same_value_logit")] = np.nan
    y = X[:, 0] > 0
    model = _fit_trees(X, y, 13)
    assert (model.predict(X) == y).mean() > 0.9
    data = _write(tmp_path / "corpus.jsonl", _corpus(30, 3))  # one of whose folds has that feature missing everywhere
    result = _train_percent("--data", data, "--output", str(tmp_path / "model"), "--no-reader")
    assert result.exit_code == 0, result.output


def test_alike_text_is_learned_in_the_articles_copy_and_extra_text_in_its_own(tmp_path):
    """train(alike_texts=...) learns health text of the audited register in the copy an audit reads
    (percent_model.AUDIT_DOMAIN); extra text learns in the ``extra`` copy, which an audit never reads."""
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    from pipeline.checks.percent import percent_candidates
    from pipeline.checks.percent_model import AUDIT_DOMAIN, hashed
    from pipeline.checks.percent_train import train

    data = [d["text"] for d in _corpus(30, 1)]
    other = [f"本品治愈率高达{n}.5%，服用{n % 7 + 2}天见效。" for n in range(10, 70)]
    bits = 18
    analysed = Auditor(model=None, rules=[], percent_model=None).analyse("本品治愈率高达37.5，服用3天见效。")
    feats = next(f for n, _, f in percent_candidates(analysed) if analysed.norm[n.start:n.end] == "37.5")
    own = [f for f in feats if "治愈" in f]  # features the articles never show
    assert own
    weights = {}
    for name, options in (("alike", {"alike_texts": other}), ("extra", {"extra_texts": other})):
        out = tmp_path / name
        meta = train(data, out, folds=2, bits=bits, reader=False, target_precision=0.9, log=lambda _: None, **options)
        assert meta["domain_copies"] is True
        assert (meta["alike_documents"], meta["extra_documents"]) == ((60, 0) if name == "alike" else (0, 60))
        weights[name] = PercentModel.load(out).weights
    main_copy = [s for s in hashed(own, bits, AUDIT_DOMAIN) if s not in hashed(own, bits)]
    extra_copy = [s for s in hashed(own, bits, "extra") if s not in hashed(own, bits)]
    assert np.abs(weights["alike"][main_copy]).sum() > 0 and np.abs(weights["alike"][extra_copy]).sum() == 0
    assert np.abs(weights["extra"][extra_copy]).sum() > 0 and np.abs(weights["extra"][main_copy]).sum() == 0


def test_the_range_benchmark_finds_ranges_and_ties_their_ends(bare):
    """benchmarks/real/percent_ranges.py: a range of two bare numbers is one pair of candidates; tying
    raises the start, the end or both to the higher end's score."""
    from benchmarks.real.percent_ranges import range_pairs, tied

    pairs, count = range_pairs(["有效率为30-50%，共纳入120例患者。", "阳性率为12%，复发率为8%。"], bare)
    assert pairs == [(0, 1)] and count >= 4
    scores = np.array([0.1, 2.0, 0.5])
    assert tied(scores, [(0, 1)], "start").tolist() == [2.0, 2.0, 0.5]
    assert tied(scores, [(0, 1)], "end").tolist() == [0.1, 2.0, 0.5]
    assert tied(np.array([3.0, 1.0]), [(0, 1)], "both").tolist() == [3.0, 3.0]
