import codecs
import json
import os

import pytest

from pipeline.boilerplate import is_boilerplate_line, strip_edges
from pipeline.decode import DecodeError, decode
from pipeline.ingest import iter_documents, read_bytes

ARTICLE = ["随着肿瘤免疫治疗的发展，细胞疗法成为研究热点。", "某医院开展的Ⅱ期试验显示，疾病控制率达89.3%。",
           "专家提醒，患者应在正规医院接受治疗。"]


def docs(data, fmt="auto", **kw):
    return list(read_bytes(data, "doc", "doc.txt", fmt, **kw))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_decode_to_the_same_text(encoding):
    text = "\n".join(ARTICLE)
    (doc,) = docs(text.encode(encoding))
    assert doc.text == text and not doc.errors


def test_big5():
    text = "醫院表示，臨床試驗的結果顯示療效顯著。"
    assert decode(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"   \n\t ", "whitespace only"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
])
def test_bad_input_gets_an_error_not_an_exception(data, message):
    (doc,) = docs(data)
    assert doc.text == "" and message in doc.errors[0] and doc.errors[0].startswith("doc.txt:")


def test_seed_footer_is_removed(seed_text):
    start, end = strip_edges(seed_text)
    kept = seed_text[start:end]
    assert kept.endswith("人类对症的战争将迎来真正转折。")
    assert "返回顶部" not in kept and "建议反馈" not in kept
    assert seed_text.startswith(kept)  # a slice, never rewritten


@pytest.mark.parametrize("line, furniture", [
    ("返回顶部", True), ("上一篇：如何预防流感", True), ("首页 | 新闻 | 健康 | 科普", True),
    ("分享到：微信 微博 QQ空间", True), ("© 2024 健康网 版权所有 京ICP备12345678号", True),
    ("责任编辑：王某", True),
    ("NK细胞疗法", False), ("专家提醒：早筛查早治疗", False),
    ("研究显示，疾病控制率达89.3%。", False), ("点击率高的文章未必可靠，读者应关注来源。", False),
])
def test_boilerplate_lines(line, furniture):
    assert is_boilerplate_line(line) is furniture


def test_html_keeps_only_the_article():
    body = "".join(f"<p>{p}</p>" for p in ARTICLE)
    page = (f"<html><head><title>标题</title><script>alert('x')</script><style>p{{color:red}}</style></head>"
            f"<body><nav><a href='/'>首页</a> <a href='/n'>新闻</a></nav><header>健康网</header>"
            f"<article>{body}</article><aside>热门文章</aside>"
            f"<footer>版权所有 © 2025 健康网 京ICP备12345号</footer></body></html>")
    (doc,) = docs(page.encode("utf-8"), "html")
    assert doc.text.split("\n") == ARTICLE
    assert doc.format == "html"


def test_html_fragment_falls_back_to_plain_text():
    (doc,) = docs("<div><p>短文。</p><script>x()</script></div>".encode(), "html")
    assert doc.text == "短文。"


def test_markdown_markup_is_removed():
    (doc,) = docs("# 标题\n\n正文**加粗**，见[链接](http://x)。\n".encode(), "md")
    assert doc.text == "标题\n正文加粗，见链接。"


def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "a", "text": "甲。"}, ensure_ascii=False), "{broken", json.dumps([1]),
             json.dumps({"id": "d", "body": "乙。"}, ensure_ascii=False), "", json.dumps({"text": "丙。"}, ensure_ascii=False)]
    path.write_text("\n".join(lines), encoding="utf-8")
    out = list(iter_documents([str(path)]))
    assert [d.id for d in out] == ["a", f"{path}:2", f"{path}:3", "d", f"{path}:6"]
    assert out[0].text == "甲。" and not out[0].errors
    assert "2: invalid JSON" in out[1].errors[0]
    assert "expected a JSON object" in out[2].errors[0]
    assert "field 'text' is missing" in out[3].errors[0]
    other = list(iter_documents([str(path)], text_field="body"))
    assert [d.text for d in other if d.id == "d"] == ["乙。"]


def test_folder_walk_include_exclude_and_symlink_loop(tmp_path):
    (tmp_path / "a.txt").write_text("甲。", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("乙。", encoding="utf-8")
    (tmp_path / "sub" / "c.bin").write_bytes(b"\x00\x01")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    ids = [d.id for d in iter_documents([str(tmp_path)])]
    assert ids == ["a.txt", "sub/b.md"]
    assert [d.id for d in iter_documents([str(tmp_path)], exclude=["sub/*"])] == ["a.txt"]
    assert [d.id for d in iter_documents([str(tmp_path)], include=["*.md"])] == ["sub/b.md"]


def test_missing_and_unreadable_paths(tmp_path):
    (doc,) = iter_documents([str(tmp_path / "nope.txt")])
    assert "no such file" in doc.errors[0]
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("甲。", encoding="utf-8")
    secret.chmod(0)
    if os.geteuid() == 0:
        pytest.skip("root reads files without permission bits")
    (doc,) = iter_documents([str(secret)])
    assert "cannot read" in doc.errors[0]


def test_decode_rejects_random_bytes():
    import random

    with pytest.raises(DecodeError):
        decode(random.Random(0).randbytes(4000))


def test_large_jsonl_is_streamed_with_the_same_documents(tmp_path, monkeypatch):
    """A JSON Lines file over STREAM_BYTES is read a line at a time; its documents equal those of
    reading it whole, in every encoding, with BOMs, CRLF, blank, broken and foreign-encoded lines."""
    import json

    from pipeline import ingest

    rows = [json.dumps({"id": f"a{i}", "text": f"疾病控制率达{i}.5，患者\u2028好转。"}, ensure_ascii=False) for i in range(50)]
    rows[3] = "{not json"
    rows[7] = ""
    rows[9] = json.dumps({"id": "e", "text": "  "})
    cases = {
        "utf8.jsonl": "\n".join(rows).encode("utf-8"),
        "bom.jsonl": codecs.BOM_UTF8 + "\r\n".join(rows).encode("utf-8"),
        "gb.jsonl": "\n".join(rows).encode("gb18030"),
        "utf16.jsonl": codecs.BOM_UTF16_LE + "\n".join(rows).encode("utf-16-le"),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    # a GB18030 line inside a UTF-8 file: detected on its own
    (tmp_path / "mixed.jsonl").write_bytes(cases["utf8.jsonl"] + b"\n" + json.dumps(
        {"id": "gbk", "text": "高血压患者"}, ensure_ascii=False).encode("gb18030"))
    for name in [*cases, "mixed.jsonl"]:
        path = tmp_path / name
        whole = list(ingest.read_file(path, name))
        monkeypatch.setattr(ingest, "STREAM_BYTES", 0)
        streamed = list(ingest.read_file(path, name))
        monkeypatch.setattr(ingest, "STREAM_BYTES", 16 << 20)
        if name == "mixed.jsonl":  # read whole, the file is not UTF-8 and fails as one; streamed, only its line differs
            assert [d.id for d in streamed][-1] == "gbk" and streamed[-1].text == "高血压患者"
            assert [d.text for d in streamed[:-1]] == [d.text for d in list(ingest.read_file(tmp_path / "utf8.jsonl", "x"))]
            continue
        assert [(d.id, d.text, d.errors, d.line, d.sha256) for d in streamed] == \
            [(d.id, d.text, d.errors, d.line, d.sha256) for d in whole], name
        assert len(streamed) == 49 and "\u2028" in streamed[0].text  # U+2028 inside a string is not a line end
        assert any("invalid JSON" in e for d in streamed for e in d.errors)
