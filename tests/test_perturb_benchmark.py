"""The perturbation benchmark of the consistency checks (benchmarks/numbers/perturb.py): its slips change
one number the way slips happen, and a slip that breaks a relation is one the check then finds."""
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.numbers import perturb  # noqa: E402


@pytest.mark.parametrize("seed", range(30))
def test_a_slip_changes_one_number_in_one_way(seed):
    rng = random.Random(seed)
    kind, new = perturb.slip("68.4", rng)
    assert new != "68.4"
    if kind == "decimal":
        assert new == "684"
    elif kind == "transpose":
        assert sorted(new) == sorted("68.4")
    else:
        assert kind == "digit" and len(new) == 4 and sum(x != y for x, y in zip(new, "68.4")) == 1


def test_the_operands_of_a_ratio_and_a_statistic():
    from pipeline import Auditor

    auditor = Auditor(model=None)
    text = "有效率为68.4%(39/57),F(2,40)=3.1,P=0.056。"
    a = auditor.analyse(text)
    by_text = {text[n.start:n.end]: n for n in a.numbers}
    ratio = next(n for t, n in by_text.items() if "39/57" in t)
    assert [text[s:e] for s, e in perturb.operand_spans(text, ratio)] == ["39", "57"]
    stat = next(n for n in a.numbers if n.kind == "statistic" and n.label == "F")
    assert [text[s:e] for s, e in perturb.operand_spans(text, stat)] == ["3.1"]


@pytest.mark.parametrize("text, code", [
    ("有效率为68.4%(39/57)。", "Consistency.RateFromCounts"),
    ("共纳入120例,其中轻度40例(33.3%),中度50例(41.7%),重度30例(25.0%)。", "Consistency.CountShare"),
    ("治疗组有效率91%,显著高于对照组的81%。", "Consistency.ComparisonWords"),
])
def test_a_slip_that_breaks_the_relation_is_found(text, code):
    from pipeline import Auditor

    auditor = Auditor(model=None)
    a, rels = perturb.all_relations(auditor, text)
    rel = next(r for r in rels if r.code == code)
    assert rel.holds and not perturb.flagged(auditor, text, code)
    values = perturb.values_of(text, rel)
    broken = 0
    for seed in range(20):
        new, kind, changed = perturb.perturb(text, rel, values, random.Random(seed))
        assert new != text
        if not rel.test(changed):
            broken += 1
            assert perturb.flagged(auditor, new, code), (kind, new)
    assert broken
