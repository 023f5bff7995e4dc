"""CSV and SARIF outputs, the numeric checks' codes in `rules list`/`show` and `--disable`."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.checks.codes import CHECK_CODES
from pipeline.cli import main, run_audit
from pipeline.report.formats import CSV_FIELDS

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_35dbd2b867d2ec31.txt"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return False


def audit(paths, **options) -> str:
    out = Tty()
    run_audit([str(p) for p in paths], stdout=out, stderr=Tty(), fail_on="never", no_model=True, quiet=True,
              jobs=1, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed_jsonl() -> dict:
    return json.loads(audit([SEED], fmt="jsonl"))


def test_csv_has_a_row_per_flag_and_reads_back(seed_jsonl):
    text = audit([SEED], fmt="csv")
    assert "\r\n" in text and not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    flags = seed_jsonl["flags"]
    assert len(rows) == len(flags) and list(rows[0]) == CSV_FIELDS
    for row, flag in zip(rows, flags):
        assert (row["code"], row["severity"], row["message"], row["text"]) == \
               (flag["code"], flag["severity"], flag["message"], flag["text"])
        assert (int(row["start"]), int(row["end"])) == (flag["start"], flag["end"])
        start = flag["start"]
        assert int(row["line"]) == seed_jsonl["text"].count("\n", 0, start) + 1
    assert any("\n" in r["text"] or "," in r["message"] or '"' in r["message"] for r in rows)  # quoting exercised


def test_csv_byte_order_mark_on_request():
    assert audit([SEED], fmt="csv", csv_bom=True).startswith("\ufeffdocument,path,line")


def test_sarif_is_valid_and_points_at_each_flag(tmp_path, seed_jsonl):
    # pydantic-sarif's classes are generated from the SARIF 2.1.0 JSON schema and forbid unknown keys
    schema = pytest.importorskip("pydantic_sarif.model").StaticAnalysisResultsFormatSarifVersion210JsonSchema
    log = json.loads(audit([SEED, tmp_path / "missing.txt"], fmt="sarif"))
    schema.model_validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert "AdLaw.Absolute" in ids and "Numbers.PercentLost" in ids and len(ids) == len(set(ids))
    assert all(r["help"]["text"] and r["defaultConfiguration"]["level"] in ("error", "warning", "note") for r in rules)
    results = run["results"]
    assert len(results) == len(seed_jsonl["flags"])
    for res, flag in zip(results, seed_jsonl["flags"]):
        assert ids[res["ruleIndex"]] == res["ruleId"] == flag["code"]
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[flag["severity"]]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert (region["charOffset"], region["charLength"]) == (flag["start"], flag["end"] - flag["start"])
        assert region["snippet"]["text"] == flag["text"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("000_35dbd2b867d2ec31.txt")
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False  # the missing file is a tool execution notification
    assert any("missing.txt" in n["message"]["text"] for n in invocation["toolExecutionNotifications"])


def test_every_numeric_code_is_listed():
    source = "".join(p.read_text("utf-8") for p in (ROOT / "pipeline" / "checks").glob("*.py"))
    emitted = set(re.findall(r'"((?:Numbers|Units|Consistency|Statistics)\.[A-Za-z]+)"', source))
    assert emitted <= set(CHECK_CODES), emitted - set(CHECK_CODES)
    listed = CliRunner().invoke(main, ["rules", "list"]).output
    assert all(code in listed for code in CHECK_CODES)
    shown = CliRunner().invoke(main, ["rules", "show", "Units.AnalyteUnit"])
    assert shown.exit_code == 0 and "unit_implausible" in shown.output


def test_a_numeric_check_can_be_switched_off(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("疾病控制率达89.3。该药有效率为72%，显著高于对照组的81%。", encoding="utf-8")
    codes = {f["code"] for f in json.loads(audit([src], fmt="jsonl"))["flags"]}
    assert {"Numbers.PercentLost", "Consistency.ComparisonWords"} <= codes
    off = {f["code"] for f in json.loads(audit([src], fmt="jsonl", disable=["Numbers.PercentLost"]))["flags"]}
    assert "Numbers.PercentLost" not in off and "Consistency.ComparisonWords" in off
    pack = {f["code"] for f in json.loads(audit([src], fmt="jsonl", disable=["Consistency"]))["flags"]}
    assert not any(c.startswith("Consistency.") for c in pack)


def test_a_missing_input_fails_before_the_pipeline_loads(monkeypatch, tmp_path):
    from pipeline import batch

    def never(self):
        raise AssertionError("the pipeline was built for nothing to read")

    monkeypatch.setattr(batch.AuditorSpec, "build", never)
    err = Tty()
    code = run_audit([str(tmp_path / "nope.txt")], stdout=Tty(), stderr=err, quiet=True, jobs=1)
    assert code == 2 and err.getvalue().strip() == f"medclaim: {tmp_path / 'nope.txt'}: no such file or folder"


def test_flags_on_one_span_are_merged_with_every_rule_named(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("本院治疗肝癌，治愈率高达100%。", encoding="utf-8")
    record = json.loads(audit([src], fmt="jsonl"))
    spans = [(f["start"], f["end"]) for f in record["flags"]]
    assert len(spans) == len(set(spans))  # one flag a span
    cure = next(f for f in record["flags"] if f["text"] == "治愈率高达100%")
    named = {cure["code"], *(x["code"] for x in cure.get("also", []))}
    assert {"AdLaw.CureRate", "AdLaw.Guarantee", "Evidence.Unsourced"} <= named
    assert cure["severity"] == "warning"  # the most severe stays in front
    row = next(r for r in csv.DictReader(io.StringIO(audit([src], fmt="csv"), newline="")) if r["text"] == cure["text"])
    assert set(row["also"].split()) == named - {cure["code"]}


@pytest.mark.parametrize("text, quote", [("使用后效果提高了3倍。", "“效果提高了3倍”")])
def test_messages_quote_whole_words(tmp_path, text, quote):
    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    assert any(f["message"].startswith(quote) for f in json.loads(audit([src], fmt="jsonl"))["flags"])
