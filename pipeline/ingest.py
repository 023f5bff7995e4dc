"""Inputs to :class:`Document` records: files, folders, stdin and JSON Lines.

Every failure becomes a Document with ``errors`` filled (and no text), so a batch always yields one
record per input and goes on.
"""
from __future__ import annotations

import codecs
import fnmatch
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .boilerplate import strip_edges
from .decode import DecodeError, decode
from .document import Document
from .extract import html_to_text, markdown_to_text

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
           ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl"}
DEFAULT_INCLUDE = tuple(f"*{ext}" for ext in FORMATS)


def iter_documents(paths: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = (),
                   text_field: str = "text", input_format: str = "auto") -> Iterator[Document]:
    """Yield a Document for every input under ``paths`` (files, folders, or ``-`` for stdin)."""
    include = tuple(include) or DEFAULT_INCLUDE
    exclude = tuple(exclude)
    for arg in paths:
        if arg == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", None, input_format, text_field)
            continue
        path = Path(arg)
        if path.is_dir():
            for file, rel in _walk(path, include, exclude):
                yield from read_file(file, rel, text_field, input_format)
        elif path.exists() or path.is_symlink():
            yield from read_file(path, arg, text_field, input_format)
        else:
            yield Document(id=arg, text="", path=arg, errors=[f"{arg}: no such file or folder"])


def _walk(root: Path, include: tuple[str, ...], exclude: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap the walk.
    for dirpath, dirnames, filenames in os.walk(root, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if not any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in include):
                continue
            if any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in exclude):
                continue
            yield full, rel


def read_file(path: Path, doc_id: str, text_field: str = "text", input_format: str = "auto") -> Iterator[Document]:
    shown = str(path)
    fmt = input_format if input_format != "auto" else FORMATS.get(path.suffix.lower(), "txt")
    try:
        if fmt == "jsonl" and path.stat().st_size > STREAM_BYTES:
            yield from _stream_jsonl(path, doc_id, text_field)
            return
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        yield Document(id=doc_id, text="", path=shown, errors=[f"{shown}: cannot read: {reason}"])
        return
    yield from read_bytes(data, doc_id, shown, fmt, text_field)


def read_bytes(data: bytes, doc_id: str, path: str | None, fmt: str = "auto",
               text_field: str = "text") -> Iterator[Document]:
    """Documents from raw bytes of the given format (``auto`` sniffs HTML, else plain text)."""
    shown = path or doc_id
    sha = hashlib.sha256(data).hexdigest()
    base = dict(path=path, sha256=sha)
    try:
        raw, encoding = decode(data)
    except DecodeError as exc:
        yield Document(id=doc_id, text="", format=None if fmt == "auto" else fmt, errors=[f"{shown}: {exc}"], **base)
        return
    if fmt == "auto":
        head = raw.lstrip()[:200].lower()
        fmt = "html" if head.startswith(("<!doctype html", "<html", "<head", "<body", "<div", "<article")) else "txt"
    if fmt == "jsonl":
        yield from _jsonl_documents(raw, doc_id, path, encoding, text_field)
        return
    if not raw.strip():
        yield Document(id=doc_id, text="", format=fmt, encoding=encoding,
                       errors=[f"{shown}: empty file" if not raw else f"{shown}: no text (whitespace only)"], **base)
        return
    if fmt == "html":
        text = html_to_text(raw)
    elif fmt == "md":
        text = markdown_to_text(raw)
    else:
        text = raw
    start, end = strip_edges(text)
    text = text[start:end]
    errors = [] if text else [f"{shown}: no article text found"]
    yield Document(id=doc_id, text=text, format=fmt, encoding=encoding, errors=errors, **base)


def _jsonl_documents(raw: str, doc_id: str, path: str | None, encoding: str, text_field: str) -> Iterator[Document]:
    for lineno, line in enumerate(raw.split("\n"), 1):
        document = _jsonl_document(line.rstrip("\r"), lineno, doc_id, path, encoding, text_field)
        if document is not None:
            yield document


STREAM_BYTES = 16 << 20  # JSON Lines files larger than this are read line by line, not whole
_LINE_SAFE = {"utf-8", "utf-8-sig", "gb18030", "big5"}  # encodings in which byte 0x0A is always a line end


def _stream_jsonl(path: Path, doc_id: str, text_field: str) -> Iterator[Document]:
    """The documents of a large JSON Lines file, read a line at a time: the encoding is detected on
    its first megabyte, so memory holds one line, not the file (a batch file of 300 MB took 1.2 GB
    whole). A line that does not decode in that encoding is detected on its own; a file in an
    encoding whose lines cannot be cut at byte 0x0A (UTF-16) is read whole."""
    shown = str(path)
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
        if b"\x00" in head:  # UTF-16 or UTF-32 (or not text): detection and errors as for any file
            yield from read_bytes(head + fh.read(), doc_id, shown, "jsonl", text_field)
            return
        whole_lines = head[:head.rfind(b"\n") + 1] or head
        try:
            _, encoding = decode(whole_lines)
        except DecodeError as exc:
            yield Document(id=doc_id, text="", format="jsonl", path=shown, errors=[f"{shown}: {exc}"])
            return
        if encoding not in _LINE_SAFE:
            yield from read_bytes(head + fh.read(), doc_id, shown, "jsonl", text_field)
            return
        fh.seek(len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0)
        codec = encoding.removesuffix("-sig")
        for lineno, data in enumerate(fh, 1):
            try:
                line = data.decode(codec)
            except UnicodeDecodeError:
                try:
                    line, _ = decode(data)
                except DecodeError as exc:
                    sha = hashlib.sha256(data).hexdigest()
                    yield Document(id=f"{doc_id}:{lineno}", text="", path=shown, format="jsonl", encoding=encoding,
                                   sha256=sha, line=lineno, errors=[f"{shown}:{lineno}: {exc}"])
                    continue
            document = _jsonl_document(line.rstrip("\r\n"), lineno, doc_id, shown, encoding, text_field)
            if document is not None:
                yield document


def _jsonl_document(line: str, lineno: int, doc_id: str, path: str | None, encoding: str,
                    text_field: str) -> Document | None:
    """The document of one JSON Lines line (None for a blank line)."""
    shown = path or doc_id
    if not line.strip():
        return None
    rid = f"{doc_id}:{lineno}"
    sha = hashlib.sha256(line.encode("utf-8")).hexdigest()
    common = dict(path=path, format="jsonl", encoding=encoding, sha256=sha, line=lineno)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Document(id=rid, text="", errors=[f"{shown}:{lineno}: invalid JSON: {exc.msg}"], **common)
    if not isinstance(record, dict):
        return Document(id=rid, text="", errors=[f"{shown}:{lineno}: expected a JSON object"], **common)
    if record.get("id") is not None:
        rid = str(record["id"])
    text = record.get(text_field)
    if not isinstance(text, str):
        problem = "missing" if text is None else "not a string"
        return Document(id=rid, text="", errors=[f"{shown}:{lineno}: field {text_field!r} is {problem}"], **common)
    errors = [] if text.strip() else [f"{shown}:{lineno}: field {text_field!r} is empty"]
    return Document(id=rid, text=text, errors=errors, **common)
