"""The committed judgements behind the quality figures in benchmarks/RESULTS.md are complete: every
sampled flag carries a verdict and a reason, and the precision script reads them back."""
import json
from pathlib import Path

import pytest

JUDGED = Path(__file__).resolve().parents[1] / "benchmarks" / "real" / "judged"
FILES = sorted(JUDGED.glob("*.jsonl"))
VERDICTS = {"right", "wrong", "reads_as_percent"}  # the last: a lost-% false alarm that a reader takes as a percentage


def test_there_are_judgements():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_flag_is_judged_with_a_reason(path):
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    assert rows
    for row in rows:
        assert row["judgement"] in VERDICTS, (path.name, row.get("n"))
        assert row["why"].strip(), (path.name, row.get("n"))
        assert row["context"].strip(), (path.name, row.get("n"))
    assert len({r["n"] for r in rows}) == len(rows)


def test_the_precision_script_reads_a_judged_sample(capsys):
    from benchmarks.real.language import report_judged

    report_judged(JUDGED / "language_labelled_21401.jsonl")
    out = capsys.readouterr().out
    assert "90/100 judged right" in out and "flags on rumour texts: 90/100 right" in out
    assert "| advertorial | 41 | 34 | 0.83 |" in out


def test_an_unjudged_sample_is_refused(tmp_path):
    from benchmarks.real.language import report_judged

    path = tmp_path / "sample.jsonl"
    path.write_text(json.dumps({"n": 1, "category": "advertorial", "judgement": "", "why": ""}) + "\n", "utf-8")
    with pytest.raises(SystemExit, match="no judgement"):
        report_judged(path)


TAGGER_JUDGED = JUDGED.parents[1] / "tagger" / "judged"


@pytest.mark.parametrize("path", sorted(TAGGER_JUDGED.glob("*.jsonl")), ids=lambda p: p.name)
def test_tagger_comparisons_are_judged_and_match_the_results(path):
    """Each span only one tagger found carries a verdict and a reason; the counts in
    benchmarks/tagger/RESULTS.md are the file's."""
    from collections import Counter

    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    assert rows and len({r["n"] for r in rows}) == len(rows)
    for row in rows:
        assert row["verdict"] in ("right", "wrong") and row["why"].strip() and row["context"].strip(), row["n"]
        assert row["side"] in ("old", "new") and row["span"] in row["context"]
    c = Counter((r["side"], r["verdict"]) for r in rows)
    results = (TAGGER_JUDGED.parent / "RESULTS.md").read_text("utf-8")
    row = next(line for line in results.splitlines() if f"`{path.stem}.*`" in line)
    assert f"{c['old', 'right']} / {c['old', 'wrong']}" in row and f"{c['new', 'right']} / {c['new', 'wrong']}" in row
