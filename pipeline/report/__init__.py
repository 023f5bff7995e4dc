"""Renderers: every output format is rendered from result records (``medclaim/result@1``)."""
from __future__ import annotations

import json
from collections.abc import Iterable

from ..flags import SEVERITY_RANK


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def render_text(record: dict) -> str:
    """Linter-style lines: ``path:line:col severity category message [code]``."""
    where = record.get("source", {}).get("path") or record["id"]
    if record.get("source", {}).get("format") == "jsonl":
        where = record["id"]
    lines = []
    for flag in record["flags"]:
        line, col = line_col(record["text"], flag["start"])
        extra = f" -> {flag['suggestion']}" if flag.get("suggestion") else ""
        text = flag["text"] if len(flag["text"]) <= 80 else flag["text"][:40] + " … " + flag["text"][-20:]
        text = text.replace("\n", "⏎")  # one line a flag, even for a passage
        lines.append(f"{where}:{line}:{col} {flag['severity']} {flag['category']} "
                     f"{flag['message']}{extra} [{flag['code']}] «{text}»")
    return "\n".join(lines)


def render_json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def render_json(records: Iterable[dict]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2)


def worst_severity(record: dict) -> int:
    return max((SEVERITY_RANK[f["severity"]] for f in record["flags"]), default=0)
