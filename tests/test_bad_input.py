"""A batch of everything that goes wrong with real input, generated here (nothing large is committed):
every input gets a record, every failure one line on stderr naming its file, the batch completes
with exit code 2, and the good documents' records are what they are when audited alone."""
import json
import os
import random
import re
import subprocess
import sys

import pytest

from conftest import ROOT, SEED

GOOD = {
    "seed.txt": SEED.read_text("utf-8"),
    "plain.txt": "研究显示，总生存期延长了4个月。",
}
CLAIM = "本品根治糖尿病，有效率达到百分之九十五，临床验证安全无副作用。"
FLAG_UNIT = "本院首创疗法根治癌症，有效率达98.5，患者张先生说效果最好。"  # six flags a sentence


def build(folder):
    """The inputs, and what each must give: ``name -> (expected error or None, expected text or None)``."""
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "binary.txt").write_bytes(random.Random(0).randbytes(5000))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes("  \n\t \r\n\u3000 ".encode("utf-8"))
    (folder / "huge.txt").write_bytes(("疾病控制率达89.3，" * 800_000).encode("utf-8"))  # 20 MB, one line
    (folder / "gbk.txt").write_bytes(CLAIM.encode("gbk"))
    big5_text = "本品根治糖尿病，有效率達到百分之九十五，臨床驗證安全無副作用。"
    (folder / "big5.txt").write_bytes(big5_text.encode("big5"))
    (folder / "utf16.txt").write_bytes(CLAIM.encode("utf-16"))
    (folder / "utf16be.txt").write_bytes(CLAIM.encode("utf-16-be"))  # no byte-order mark
    raw = CLAIM.encode("utf-8")
    (folder / "invalid.txt").write_bytes(raw[:20] + b"\xff\xfe\xc3" + raw[20:])
    (folder / "nul.txt").write_bytes(raw.replace("，".encode(), b"\x00", 1))
    nested = "<html><body>" + "<div>" * 5000 + "<p>疾病控制率达89.3，患者获益。</p>" + "</div>" * 5000 + "</body></html>"
    (folder / "deep.html").write_text(nested, encoding="utf-8")
    lines = [json.dumps({"id": "ok-1", "text": "有效率130%。"}, ensure_ascii=False), "{broken",
             json.dumps({"id": "ok-2", "text": "根治癌症。"}, ensure_ascii=False), "[1, 2]", '{"id": "no-text"}',
             '{"id": "cut", "text": "疾病控制率']
    (folder / "broken.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: walked once, not forever
    (folder / "digits.txt").write_text("有效率达" + "9" * 10_000 + "%。", encoding="utf-8")
    (folder / "flags.txt").write_text(FLAG_UNIT * 1700, encoding="utf-8")
    unreadable = folder / "secret.txt"
    unreadable.write_text("不可读", encoding="utf-8")
    unreadable.chmod(0)
    as_root = os.geteuid() == 0  # root reads it anyway
    return {
        "seed.txt": (None, None),  # its page footer is cut off: checked against a lone audit below
        "plain.txt": (None, GOOD["plain.txt"]),
        "binary.txt": ("binary file", None), "empty.txt": ("empty file", None),
        "blank.txt": ("no text (whitespace only)", None), "huge.txt": ("too long to audit", None),
        "gbk.txt": (None, CLAIM), "big5.txt": (None, big5_text), "utf16.txt": (None, CLAIM),
        "utf16be.txt": (None, CLAIM), "invalid.txt": ("not text", None), "nul.txt": ("binary file", None),
        "deep.html": (None, "疾病控制率达89.3，患者获益。"),
        "broken.jsonl#ok-1": (None, "有效率130%。"), "broken.jsonl:2": ("invalid JSON", None),
        "broken.jsonl#ok-2": (None, "根治癌症。"), "broken.jsonl:4": ("expected a JSON object", None),
        "broken.jsonl:5": ("field 'text' is missing", None), "broken.jsonl:6": ("invalid JSON", None),
        "loop_a.txt": ("cannot read: Too many levels of symbolic links", None),
        "loop_b.txt": ("cannot read: Too many levels of symbolic links", None),
        "dangling.txt": ("cannot read: No such file or directory", None),
        "digits.txt": (None, "有效率达" + "9" * 10_000 + "%。"),
        "flags.txt": (None, FLAG_UNIT * 1700),
        "secret.txt": (None, "不可读") if as_root else ("cannot read: Permission denied", None),
    }


def key_of(record, folder):
    path = record["source"].get("path") or record["id"]
    name = os.path.relpath(path, folder)
    if name.endswith(".jsonl"):
        if not record["errors"]:
            return f"{name}#{record['id']}"
        line = re.search(r"[.]jsonl:(\d+):", record["errors"][0]).group(1)
        return f"{name}:{line}"
    return name


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_of_bad_input_completes_with_a_record_for_each(tmp_path, jobs, validator):
    folder = tmp_path / "in"
    folder.mkdir()
    expected = build(folder)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", str(folder), "-o", str(out), "--no-model",
                           "--jobs", str(jobs), "--doc-timeout", "300", "-q"],
                          capture_output=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 2  # documents failed; the batch completed
    records = [json.loads(line) for line in (out / "results.jsonl").read_text("utf-8").splitlines()]
    got = {key_of(r, folder): r for r in records}
    assert sorted(got) == sorted(expected), set(got) ^ set(expected)
    for record in records:
        validator.validate(record)

    err_lines = proc.stderr.decode("utf-8").splitlines()
    for name, (error, text) in expected.items():
        record = got[name]
        if error is None:
            assert record["errors"] == [], name
            assert text is None or record["text"] == text, name
        else:
            assert len(record["errors"]) == 1 and error in record["errors"][0], (name, record["errors"])
            assert record["text"] == "" or error == "too long to audit", name
            # one line on stderr, naming the file
            mine = [line for line in err_lines if record["errors"][0] in line]
            assert len(mine) == 1 and name.split("#")[0].split(":")[0] in mine[0], name
    assert len(err_lines) == sum(1 for e, _ in expected.values() if e)  # nothing else: no tracebacks

    assert len(got["flags.txt"]["flags"]) >= 8_000  # thousands of flags in one document
    assert got["gbk.txt"]["flags"] and got["gbk.txt"]["flags"] == got["utf16.txt"]["flags"]
    assert [n for n in got["digits.txt"]["numbers"] if len(n["text"]) > 40] == []  # not a quantity

    # the good documents are audited as they would be alone
    from pipeline import Auditor

    auditor = Auditor(model=None)
    for name in ("seed.txt", "plain.txt", "gbk.txt", "big5.txt", "utf16.txt", "deep.html", "flags.txt"):
        alone = auditor.audit_text(got[name]["text"], id=got[name]["id"])
        for part in ("sentences", "entities", "numbers", "claims", "flags"):
            assert got[name][part] == alone[part], (name, part)
