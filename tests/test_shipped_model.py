"""The model shipped in models/medclaim-zh: it loads, runs by default, and (where CMeEE is present) scores."""
import pytest

from conftest import CMEEE

pytest.importorskip("torch")
pytest.importorskip("transformers")

from pipeline.tagger import default_model_dir, resolve_model  # noqa: E402

MODEL = default_model_dir()
pytestmark = pytest.mark.skipif(MODEL is None, reason="this install ships no default model")


def test_default_model_is_used_by_default():
    from pipeline import Auditor

    assert resolve_model("default") == str(MODEL)
    auditor = Auditor()
    assert auditor.model == str(MODEL)
    record = auditor.audit_text("患者接受帕博利珠单抗联合化疗后，咳嗽和发热明显缓解。", id="t")
    labels = {(e["text"], e["label"]) for e in record["entities"]}
    assert any(label in ("DRUG", "THERAPY") for _, label in labels)
    assert all(e.get("score", 1.0) >= 0.5 for e in record["entities"] if e["source"] == "model")
    assert Auditor(model=None).model is None


def test_card_and_size():
    import json

    meta = json.loads((MODEL / "meta.json").read_text("utf-8"))
    assert meta["command"].startswith("medclaim train") and meta["dev"]["micro"]["f1"] > 0.5
    assert "Dev scores" in (MODEL / "README.md").read_text("utf-8")
    size = sum(p.stat().st_size for p in MODEL.iterdir())
    assert size < 30_000_000


@pytest.mark.skipif(not (CMEEE / "CMeEE_dev.jsonl").exists(), reason="CMeEE is not in ../shared/corpora/cmeee")
def test_cmeee_dev_sample_scores():
    """A quality floor on the first 500 dev sentences (the full figure is in benchmarks/tagger)."""
    from itertools import islice

    from pipeline.tagger.corpora import read_corpus
    from pipeline.tagger.model import Tagger
    from pipeline.tagger.train import evaluate_examples

    examples = list(islice(read_corpus([CMEEE / "CMeEE_dev.jsonl"], "cmeee"), 500))
    scores = evaluate_examples(Tagger.load(MODEL), examples)
    assert scores["micro"]["f1"] >= 0.5, scores["micro"]


def test_runtime_and_transformers_agree_on_real_text():
    """The shipped model through the plain-torch runtime and through transformers: the same spans and
    scores on the seed article and sentences of other kinds."""
    from conftest import SEED

    from pipeline.tagger.model import Tagger

    texts = [SEED.read_text("utf-8"), "二甲双胍可使2型糖尿病患者的胃癌风险降低21.5%（HR=0.79，95%CI 0.65-0.96）。",
             "北京协和医院张伟教授团队在《柳叶刀》发表PD-1抑制剂联合化疗的III期试验结果。", "", "  \n"]
    runtime, hf = Tagger.load(MODEL), Tagger.load(MODEL, runtime="transformers")
    assert type(runtime.model).__name__ == "LSTMCRFRuntime"
    found, other = runtime.predict(texts), hf.predict(texts)
    # the same spans; scores equal up to float rounding (torch may sum in another order under load)
    assert [[s[:3] for s in row] for row in found] == [[s[:3] for s in row] for row in other]
    assert all(abs(a[3] - b[3]) < 1e-5 for r1, r2 in zip(found, other) for a, b in zip(r1, r2))
    assert sum(map(len, found)) > 10
