import io
import json
import subprocess
import sys

import pytest

from pipeline.cli import run_audit

from conftest import ROOT, assert_valid_record


class Tty(io.StringIO):
    def isatty(self):
        return False


def run(*paths, **kw):
    out, err = Tty(), Tty()
    code = run_audit(list(paths), stdout=out, stderr=err, **kw)
    return code, out.getvalue(), err.getvalue()


def test_jsonl_on_the_seed_folder(validator):
    code, out, err = run(str(ROOT / "seeds"), fmt="jsonl")
    lines = out.strip().splitlines()
    assert len(lines) == 1  # the data files under seeds/ are not articles
    record = json.loads(lines[0])
    assert_valid_record(record, validator)
    assert record["id"] == "000_35dbd2b867d2ec31.txt"
    assert code in (0, 1)
    assert "1 document(s)" in err


def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text("研究显示疗效显著。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    code, out, err = run(str(tmp_path), fmt="jsonl", fail_on="never")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["bin.txt", "empty.txt", "good.txt"]
    assert records[2]["sentences"] and not records[2]["errors"]
    assert code == 2
    stderr_lines = [l for l in err.splitlines() if "bin.txt" in l or "empty.txt" in l]
    assert len(stderr_lines) == 2 and all(l.startswith("medclaim: ") for l in stderr_lines)


def test_output_dir_is_never_silently_overwritten(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("甲。", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, _ = run(str(src), out_dir=str(out_dir), fail_on="never")
    assert code == 0
    first = (out_dir / "results.jsonl").read_text("utf-8")
    assert json.loads(first)["text"] == "甲。"
    code, _, err = run(str(src), out_dir=str(out_dir))
    assert code == 2 and "--overwrite" in err
    code, _, _ = run(str(src), out_dir=str(out_dir), overwrite=True, fail_on="never")
    assert code == 0


def test_json_format_is_a_list(tmp_path):
    src = tmp_path / "a.md"
    src.write_text("# 标题\n\n正文。", encoding="utf-8")
    code, out, _ = run(str(src), fmt="json")
    data = json.loads(out)
    assert isinstance(data, list) and data[0]["source"]["format"] == "md"


def test_bad_lexicon_folder_fails_with_one_line(tmp_path):
    (tmp_path / "bad.yml").write_text("label: x\n", encoding="utf-8")
    code, _, err = run(str(ROOT / "seeds"), lexicon_dirs=[str(tmp_path)])
    assert code == 2 and "bad.yml" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_console_script_reads_stdin():
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", "-", "--format", "jsonl", "-q"],
                          input="疾病控制率达89.3。".encode("gb18030"), capture_output=True, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    record = json.loads(proc.stdout.decode("utf-8"))
    assert record["id"] == "<stdin>" and record["text"] == "疾病控制率达89.3。"
    assert proc.stderr == b""


def test_no_report_writes_the_results_only(tmp_path):
    import io

    from pipeline.cli import run_audit

    out = tmp_path / "out"
    err = io.StringIO()
    code = run_audit([str(ROOT / "seeds")], out_dir=str(out), report=False, no_model=True, fail_on="never",
                     stdout=io.StringIO(), stderr=err)
    assert code == 0 and (out / "results.jsonl").exists() and not (out / "index.html").exists()
    assert "report in" not in err.getvalue() and "results in" in err.getvalue()
