"""PyCMeKG import: a restricted unpickler and the predicate-to-label rules, on graphs made here."""
import os
import pickle

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.tagger.cmekg import load_plain_pickle, terms_from_graph
from pipeline.tagger.features import read_term_file

GRAPH = {
    "二甲双胍片": {"成份": ["盐酸二甲双胍"], "适应症": ["2型糖尿病", "头晕"], "不良反应": ["恶心等"]},
    "2型糖尿病": {"常见症状": ["多尿", "口渴"], "就诊科室": ["内分泌科"], "检查": ["血糖", "腹部B超"],
               "常见发病部位": ["胰腺"], "治疗": ["胰岛素治疗"]},
    "肺结核": {"并发症": ["咯血（大量）"], "相关疾病": ["结核杆菌感染"], "ICD10": ["A15"]},
    "噪声": {"成份": ["主要成份为酮康唑20毫克", "79%", "x"]},
}


@pytest.mark.parametrize("term,labels", [
    ("二甲双胍片", {"DRUG"}), ("盐酸二甲双胍", {"DRUG"}), ("2型糖尿病", {"DISEASE"}), ("多尿", {"SYMPTOM"}),
    ("恶心", {"SYMPTOM"}), ("内分泌科", {"ORG"}), ("血糖", {"BIOMARKER"}), ("腹部B超", {"PROCEDURE"}),
    ("胰腺", {"BODY"}), ("胰岛素治疗", {"THERAPY"}), ("咯血", {"DISEASE"}), ("肺结核", {"DISEASE"}),
])
def test_terms_and_labels(term, labels):
    assert terms_from_graph(GRAPH)[term] == labels


@pytest.mark.parametrize("term", ["头晕", "主要成份为酮康唑20毫克", "79%", "x", "结核杆菌感染"])
def test_left_out(term):
    # 头晕: an indication that is no known subject; the rest: noise; 结核杆菌感染 keeps DISEASE, not MICROBE
    table = terms_from_graph(GRAPH)
    assert term not in table or table[term] == {"DISEASE"}


class Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_restricted_unpickler_refuses_code(tmp_path):
    bad = tmp_path / "bad.pkl"
    bad.write_bytes(pickle.dumps({"x": Boom()}))
    with pytest.raises(ValueError, match="bad.pkl: not a plain pickle .*refused to load"):
        load_plain_pickle(bad)


def test_cli_export(tmp_path):
    src = tmp_path / "g.pkl"
    src.write_bytes(pickle.dumps(GRAPH))
    out = tmp_path / "terms.tsv"
    runner = CliRunner()
    result = runner.invoke(main, ["lexicon", "cmekg", "--pickle", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert read_term_file(out)["多尿"] == {"SYMPTOM"}
    again = runner.invoke(main, ["lexicon", "cmekg", "--pickle", str(src), "--output", str(out)])
    assert again.exit_code != 0 and "--overwrite" in again.output
    src.write_bytes(b"not a pickle")
    broken = runner.invoke(main, ["lexicon", "cmekg", "--pickle", str(src), "--output", str(out), "--overwrite"])
    assert broken.exit_code != 0 and "g.pkl: not a plain pickle" in broken.output
