"""The HTML report's rendering, without a browser: segments, escaping, files, the CLI."""
import json
import re
from html import unescape

import pytest

from pipeline.report.html import document_view, json_for_html, read_results, write_site
from pipeline.report.segments import segments


@pytest.mark.parametrize("text,spans,expected", [
    ("肺癌患者", [], [("肺癌患者", [])]),
    ("肺癌患者", [("A", 0, 2)], [("肺癌", ["A"]), ("患者", [])]),
    ("肺癌患者", [("A", 0, 4), ("B", 1, 2)], [("肺", ["A"]), ("癌", ["A", "B"]), ("患者", ["A"])]),        # nested
    ("肺癌患者", [("A", 0, 3), ("B", 2, 4)], [("肺癌", ["A"]), ("患", ["A", "B"]), ("者", ["B"])]),        # crossing
    ("肺癌患者", [("A", 1, 1), ("B", 3, 9)], [("肺癌患", []), ("者", ["B"])]),                             # empty, clipped
    ("", [("A", 0, 1)], []),
])
def test_segments(text, spans, expected):
    got = segments(text, spans)
    assert [(s.text, s.spans) for s in got] == expected
    assert "".join(s.text for s in got) == text


def test_blocks_keep_the_text_and_cut_at_line_breaks():
    from pipeline.report.segments import block_cuts

    text = "第一段。\n\n第二段" + "很长的句子。" * 800 + "结尾"
    view = document_view(record(text, flags=[flag("F1", 2, 8)]))  # a flag across the break
    rebuilt = "".join("\n" if b.get("br") else "".join(s["text"] for s in b["segs"]) for b in view["blocks"])
    assert rebuilt == text
    assert sum(1 for b in view["blocks"] if b.get("br")) == 2
    assert max(len("".join(s["text"] for s in b["segs"])) for b in view["blocks"] if not b.get("br")) <= 2100
    assert all(text[c - 1] in "\n。" or text[c] == "\n" for c in block_cuts(text))


def record(text, flags=(), entities=(), numbers=(), id="doc.txt"):
    return {"schema": "medclaim/result@1", "id": id, "source": {"sha256": "ab" * 32}, "text": text, "sentences": [],
            "entities": list(entities), "numbers": list(numbers), "claims": [], "flags": list(flags), "errors": []}


def flag(fid, start, end, severity="warning", category="absolute_term", related=()):
    return {"id": fid, "start": start, "end": end, "category": category, "code": "T.Rule", "severity": severity,
            "text": "", "message": "m", "suggestion": None, "reference": None, "claim": None,
            "related": [{"start": s, "end": e} for s, e in related]}


def test_document_view_classes_and_worst_severity():
    r = record("最好的药有效率100%", flags=[flag("F1", 0, 3, "warning"), flag("F2", 1, 7, "error", related=[(7, 11)])],
               entities=[{"start": 3, "end": 4, "label": "DRUG", "text": "药", "source": "lexicon"}],
               numbers=[{"id": "N1", "start": 7, "end": 11, "text": "100%", "kind": "percent", "value": 100, "unit": "%"}])
    segs = {s["text"]: s for b in document_view(r)["blocks"] for s in b.get("segs", [])}
    assert segs["最"]["cls"] == "fl fl-warning"
    assert "fl-error" in segs["好的"]["cls"] and "fl-warning" not in segs["好的"]["cls"]  # the worst wins
    assert "en en-DRUG" in segs["药"]["cls"] and segs["药"]["ids"] == "F2 E1"
    assert segs["100%"]["ids"] == "F2.r0 N1" and "rel" in segs["100%"]["cls"] and "nu" in segs["100%"]["cls"]


def test_json_for_html_cannot_close_the_script_block():
    payload = {"t": "</script><script>alert(1)</script>&amp;\u2028"}
    out = json_for_html(payload)
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == payload


def test_site_escapes_everything(tmp_path):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'</textarea>'
    r = record(hostile + "最", flags=[flag("F1", len(hostile), len(hostile) + 1)], id=hostile)
    r["flags"][0]["message"] = hostile
    r["flags"][0]["suggestion"] = hostile
    write_site([r], tmp_path)
    for page in (tmp_path / "index.html", tmp_path / "docs" / "00001.html"):
        html = page.read_text("utf-8")
        assert "<script>alert" not in html and "<img" not in html and hostile not in html
        assert html.count("</textarea>") == html.count("<textarea")  # only the page's own note box
        if page.name == "index.html":  # the index carries documents as data that its script draws with textContent
            data = json.loads(re.search(r'<script type="application/json" id="medclaim-data">(.*?)</script>', html, re.S).group(1))
            assert data["rows"][0]["id"] == hostile
        else:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        scripts = re.findall(r"<script[^>]*>", html)
        assert all('src="' in s or 'type="application/json"' in s for s in scripts)  # no inline script
        assert "Content-Security-Policy" in html and "script-src 'self'" in unescape(html)
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_site_files_and_stale_pages(tmp_path):
    write_site([record("甲"), record("乙"), record("丙")], tmp_path)
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["00001.html", "00002.html", "00003.html"]
    assert {p.name for p in (tmp_path / "assets").iterdir()} == {"report.css", "common.js", "document.js", "index.js"}
    write_site([record("甲")], tmp_path)
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["00001.html"]
    page = (tmp_path / "docs" / "00001.html").read_text("utf-8")
    assert 'id="nav-next"' not in page and 'href="../index.html"' in page


def test_index_counts_and_charts(tmp_path):
    records = [record("最好", flags=[flag("F1", 0, 1, "error", "impossible_value"), flag("F2", 1, 2, "info", "unsourced")]),
               record("无", id="b.txt")]
    write_site(records, tmp_path)
    html = (tmp_path / "index.html").read_text("utf-8")
    assert html.count("<svg") == 3 and "impossible_value" in html
    data = json.loads(re.search(r'<script type="application/json" id="medclaim-data">(.*?)</script>', html, re.S).group(1))
    assert [r["risk"] for r in data["rows"]] == [6, 0] and data["rows"][0]["categories"] == {"impossible_value": 1, "unsourced": 1}
    assert [d["id"] for d in data["documents"]] == ["doc.txt", "b.txt"] and data["documents"][0]["text"] == "最好"


def test_read_results_names_the_broken_line(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(record("甲")) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"results.jsonl:2: invalid JSON"):
        list(read_results(path))
    path.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"results.jsonl:1: not a medclaim result record"):
        list(read_results(path))


def test_report_command_refuses_to_overwrite(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(record("最好")) + "\n", encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["report", str(results), "-o", str(tmp_path / "r")])
    assert ok.exit_code == 0 and (tmp_path / "r" / "index.html").exists()
    again = runner.invoke(main, ["report", str(results), "-o", str(tmp_path / "r")])
    assert again.exit_code == 2 and "--overwrite" in again.output
    assert runner.invoke(main, ["report", str(results), "-o", str(tmp_path / "r"), "--overwrite"]).exit_code == 0
    results.write_text("{broken\n", encoding="utf-8")
    bad = runner.invoke(main, ["report", str(results), "-o", str(tmp_path / "s")])
    assert bad.exit_code == 2 and "results.jsonl:1: invalid JSON" in bad.output


def test_audit_writes_the_report(tmp_path):
    from pipeline.cli import run_audit

    src = tmp_path / "a.txt"
    src.write_text("疾病控制率达89.3。", encoding="utf-8")
    out = tmp_path / "out"
    assert run_audit([str(src)], fmt="jsonl", out_dir=str(out), no_model=True, fail_on="never", quiet=True,
                     stdout=open(tmp_path / "o", "w")) == 0
    assert (out / "results.jsonl").exists() and (out / "index.html").exists() and (out / "docs" / "00001.html").exists()
    err = open(tmp_path / "e", "w")
    assert run_audit([str(src)], out_dir=str(out), no_model=True, stdout=open(tmp_path / "o", "w"), stderr=err) == 2
    err.close()
    assert "exists; pass --resume to continue that run or --overwrite" in (tmp_path / "e").read_text()
