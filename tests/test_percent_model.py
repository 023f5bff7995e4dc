"""The learned lost-% detector: the shipped model, its structural negatives, the labels real text gives
it, and `medclaim train-percent` on a corpus made here."""
import json
import random

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
    return [f["text"] for f in auditor.audit_text(text)["flags"] if f["category"] == "percent_lost"]


def test_the_shipped_model_loads():
    model = load_model("default")
    assert model is not None and model.meta["feature_version"] == FEATURE_VERSION
    assert model.weights.shape == (2 ** model.bits,) and 0 < model.threshold < 1
    assert model.meta["positives"] > 1000 and model.meta["cross_validation"]["precision"] >= 0.9


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
])
def test_structure_never_makes_a_percentage(plain, text):
    assert lost(plain, text) == []


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


def _corpus(n: int, seed: int) -> list[dict]:
    """Articles in which shares carry % signs and counts, ages and years do not."""
    rng = random.Random(seed)
    rates = ["有效率为", "占比约", "发生率达", "比例为", "复发率降至", "阳性率为"]
    docs = []
    for i in range(n):
        parts = []
        for _ in range(6):
            parts.append(f"{rng.choice(rates)}{rng.randint(1, 99)}.{rng.randint(0, 9)}%，")
            parts.append(f"共纳入{rng.randint(20, 900)}例患者，平均年龄{rng.randint(20, 80)}岁。")
            parts.append(f"{rng.randint(2000, 2024)}年起，{rng.randint(2, 40)}家医院参与，体质指数为{rng.randint(17, 35)}.{rng.randint(0, 9)}。")
        docs.append({"id": f"d{i}", "text": "".join(parts)})
    return docs


def test_train_percent_rebuilds_a_model_from_a_corpus(tmp_path, plain):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    data = tmp_path / "corpus.jsonl"
    data.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in _corpus(40, 1)), "utf-8")
    dev = tmp_path / "dev.jsonl"
    dev.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in _corpus(5, 2)), "utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train-percent", "--data", str(data), "--dev", str(dev), "--output", str(out),
                                       "--folds", "2", "--bits", "14", "--precision", "0.9"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert meta["dev"]["gold"] == 5 * 6 and meta["dev"]["recall"] > 0.5
    assert meta["positives"] == 40 * 6 and meta["bits"] == 14 and "Lost-% detector" in (out / "README.md").read_text("utf-8")
    model = PercentModel.load(out)
    auditor = Auditor(model=None, rules=[], percent_model=str(out))
    assert lost(auditor, "发生率达37.5，共纳入300例患者。") == ["37.5"]
    assert model.threshold == meta["threshold"]
    again = CliRunner().invoke(main, ["train-percent", "--data", str(data), "--output", str(out)])
    assert again.exit_code != 0 and "--overwrite" in again.output


def test_a_folder_that_is_no_model_is_refused(tmp_path):
    import numpy as np

    (tmp_path / "meta.json").write_text(json.dumps({"feature_version": 0, "bits": 4}), "utf-8")
    np.save(tmp_path / "weights.npy", np.zeros(16, dtype=np.float32))
    with pytest.raises(ValueError, match="feature version"):
        PercentModel.load(tmp_path)
    result = CliRunner().invoke(main, ["audit", "-", "--no-model", "--percent-model", str(tmp_path / "nothing")],
                                input="有效率89.3。")
    assert result.exit_code == 2 and "--percent-model" in result.output
