"""Outputs for the tools batch auditors already run: CSV for spreadsheets, SARIF 2.1.0 for
code-scanning dashboards. Both are rendered from result records, like every other output.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from . import line_col

CSV_FIELDS = ["document", "path", "line", "column", "start", "end", "category", "code", "severity", "message",
              "suggestion", "reference", "text", "also"]
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def where(record: dict) -> str:
    """The file a record's offsets point into, or its id (a JSON Lines record, stdin)."""
    source = record.get("source", {})
    if source.get("format") == "jsonl" or not source.get("path"):
        return record["id"]
    return source["path"]


class CsvWriter:
    """One row per flag (RFC 4180: CRLF line ends, fields quoted where needed), a header first."""

    def __init__(self, stream, bom: bool = False) -> None:
        self.stream = stream
        if bom:  # for spreadsheet programs that read UTF-8 only after a byte-order mark
            stream.write("\ufeff")
        self.writer = csv.writer(stream, lineterminator="\r\n")
        self.writer.writerow(CSV_FIELDS)

    def write(self, record: dict) -> None:
        for row in csv_rows(record):
            self.writer.writerow(row)


def csv_rows(record: dict) -> list[list]:
    rows = []
    for f in record["flags"]:
        line, col = line_col(record["text"], f["start"])
        rows.append([record["id"], record.get("source", {}).get("path", ""), line, col, f["start"], f["end"],
                     f["category"], f["code"], f["severity"], f["message"], f.get("suggestion") or "",
                     f.get("reference") or "", f["text"], " ".join(x["code"] for x in f.get("also", []))])
    return rows


def render_csv(records: Iterable[dict], bom: bool = False) -> str:
    out = io.StringIO(newline="")
    writer = CsvWriter(out, bom)
    for record in records:
        writer.write(record)
    return out.getvalue()


def sarif_rules(rules, checks) -> list[dict]:
    """``tool.driver.rules``: every rule-pack rule and numeric check that ran."""
    out = []
    for rule in rules:
        help_text = rule.description or rule.message.get("en", "")
        if rule.reference:
            help_text += f" ({rule.reference})"
        out.append({"id": rule.id, "name": rule.id.replace(".", ""),
                    "shortDescription": {"text": (rule.message.get("en") or next(iter(rule.message.values()))).replace("{match}", "…")},
                    "fullDescription": {"text": rule.description or rule.message.get("zh", "")},
                    "help": {"text": help_text},
                    "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
                    "properties": {"category": rule.category, **({"reference": rule.reference} if rule.reference else {})}})
    for code in checks:
        out.append({"id": code.id, "name": code.id.replace(".", ""), "shortDescription": {"text": code.en},
                    "fullDescription": {"text": code.zh}, "help": {"text": f"{code.en} / {code.zh}"},
                    "defaultConfiguration": {"level": SARIF_LEVEL[code.severity]},
                    "properties": {"category": code.category}})
    return out


def render_sarif(records: Iterable[dict], rules, checks, version: str) -> dict:
    """A SARIF 2.1.0 log: one run, one result per flag, failed documents as tool notifications."""
    descriptors = sarif_rules(rules, checks)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results, notifications = [], []
    for record in records:
        uri = where(record)
        for err in record.get("errors", []):
            notifications.append({"level": "error", "message": {"text": err},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
        text = record["text"]
        for f in record["flags"]:
            line, col = line_col(text, f["start"])
            end_line, end_col = line_col(text, f["end"])
            result = {"ruleId": f["code"], "level": SARIF_LEVEL[f["severity"]], "message": {"text": f["message"]},
                      "locations": [{"physicalLocation": {
                          "artifactLocation": {"uri": uri},
                          "region": {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col,
                                     "charOffset": f["start"], "charLength": f["end"] - f["start"],
                                     "snippet": {"text": f["text"]}}}}],
                      "properties": {"category": f["category"], "document": record["id"], "flag": f["id"],
                                     **({"suggestion": f["suggestion"]} if f.get("suggestion") else {}),
                                     **({"also": [x["code"] for x in f["also"]]} if f.get("also") else {})}}
            if f["code"] in index:
                result["ruleIndex"] = index[f["code"]]
            results.append(result)
    run = {"tool": {"driver": {"name": "medclaim", "version": version, "semanticVersion": version,
                               "rules": descriptors}},
           "columnKind": "unicodeCodePoints",
           "invocations": [{"executionSuccessful": not notifications,
                            **({"toolExecutionNotifications": notifications} if notifications else {})}],
           "results": results}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
