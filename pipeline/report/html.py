"""The HTML report: a static, self-contained folder rendered from result records alone.

``write_site(records, out_dir)`` writes ``index.html`` (a sortable, filterable table of documents and
summary charts), ``docs/NNNNN.html`` (one page a document: the text with its spans drawn over it and
the flags to review) and ``assets/`` (CSS and JavaScript). It opens from ``file://`` with no network:
a Content-Security-Policy forbids inline script and every request outside the folder. Every piece of
document text goes through Jinja2's autoescaping or ``json_for_html``; the page's data travels as a
JSON block that is never executed.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from ..flags import SEVERITIES
from ..jsonl import json_objects
from .segments import block_cuts, segments
from .svg import bar_chart

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'none'; form-action 'none'; base-uri 'none'")
ASSETS = ("report.css", "common.js", "document.js", "index.js")
RISK_WEIGHTS = {"error": 5, "warning": 2, "info": 1}
INDEX_TEXT_LIMIT = 5_000_000  # characters of document text the index embeds for its corpus-wide export


def json_for_html(data) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` survive.

    >>> json_for_html({"t": "</script><b>&"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("pipeline.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    from markupsafe import Markup

    # safe inside a JSON script block: json_for_html leaves no <, > or & for the HTML parser to see
    env.filters["json_for_html"] = lambda data: Markup(json_for_html(data))
    return env


def risk(record: dict) -> int:
    """Weighted flag count (error 5, warning 2, info 1): the index's "documents by risk"."""
    return sum(RISK_WEIGHTS.get(f["severity"], 0) for f in record.get("flags", []))


def page_name(n: int) -> str:
    return f"docs/{n:05d}.html"


def review_key(record: dict) -> str:
    """The document's sha256 (from its source, else of its text): what its review is stored under."""
    import hashlib

    return record.get("source", {}).get("sha256") or hashlib.sha256(record.get("text", "").encode("utf-8")).hexdigest()


PASSAGE_CATEGORIES = {"advertorial"}  # judged over a passage: drawn once, at the passage


def document_view(record: dict) -> dict:
    """What the document page draws: segments with their covering spans, and the page's data."""
    text = record.get("text", "")
    cuts = block_cuts(text)
    cut_set = set(cuts)
    spans: list[tuple[str, int, int]] = []
    kinds: dict[str, str] = {}
    classes: dict[str, str] = {}
    passages = []  # flags on a whole passage: a mark at its start and a bar beside it, not a shade over it
    for f in record.get("flags", []):
        if f["category"] in PASSAGE_CATEGORIES:
            passages.append(f)
            continue
        spans.append((f["id"], f["start"], f["end"]))
        kinds[f["id"]] = "flag"
        classes[f["id"]] = f"fl fl-{f['severity']}"
        for k, r in enumerate(f.get("related", [])):
            rid = f"{f['id']}.r{k}"
            spans.append((rid, r["start"], r["end"]))
            classes[rid] = "rel"
    entities = []
    for k, e in enumerate(record.get("entities", []), 1):
        eid = f"E{k}"
        spans.append((eid, e["start"], e["end"]))
        classes[eid] = f"en en-{_css_token(e['label'])}"
        entities.append({"id": eid, "start": e["start"], "end": e["end"], "label": e["label"],
                         "source": e.get("source"), "score": e.get("score")})
    for num in record.get("numbers", []):
        spans.append((num["id"], num["start"], num["end"]))
        classes[num["id"]] = "nu"
    marks: dict[int, list[dict]] = {}
    for f in passages:
        marks.setdefault(f["start"], []).append({"id": f["id"], "severity": f["severity"], "title": f["message"]})

    def block(segs: list[dict]) -> dict:
        start = segs[0]["start"]
        return {"segs": segs, "ad": any(f["start"] <= start < f["end"] for f in passages)}

    blocks: list[dict] = []  # {"br": True} for a line break, else {"segs": [...], "ad": in a flagged passage}
    segs: list[dict] = []
    for seg in segments(text, spans, [*cuts, *marks]):
        if seg.text == "\n":
            if segs:
                blocks.append(block(segs))
            blocks.append({"br": True})
            segs = []
            continue
        if segs and seg.start in cut_set:
            blocks.append(block(segs))
            segs = []
        for m in marks.pop(seg.start, ()):
            segs.append({"start": seg.start, "mark": m})
        cls = []
        for sid in seg.spans:
            for c in classes.get(sid, "").split():
                if c not in cls:
                    cls.append(c)
        # the worst severity wins the colour when flags overlap
        sev = [s for s in SEVERITIES if f"fl-{s}" in cls]
        if len(sev) > 1:
            cls = [c for c in cls if not c.startswith("fl-")] + [f"fl-{sev[0]}"]
        segs.append({"start": seg.start, "text": seg.text, "ids": " ".join(seg.spans), "cls": " ".join(cls)})
    if segs:
        blocks.append(block(segs))
    flags = [{k: f.get(k) for k in ("id", "start", "end", "category", "code", "severity", "text", "message",
                                    "suggestion", "reference", "claim", "related", "context", "also")}
             for f in sorted(record.get("flags", []), key=lambda f: (f["start"], f["end"], f["id"]))]
    numbers = [{k: n.get(k) for k in ("id", "start", "end", "kind", "value", "unit")} for n in record.get("numbers", [])]
    categories = sorted({c for f in flags for c in [f["category"], *(x["category"] for x in f.get("also") or [])]})
    return {"blocks": blocks, "categories": categories, "data": {"id": record.get("id"), "sha256": review_key(record),
                                       "flags": flags, "entities": entities, "numbers": numbers,
                                       "labels": sorted({e["label"] for e in entities})}}


def _css_token(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in label)


def _summary(record: dict, n: int) -> dict:
    flags = record.get("flags", [])
    sev = Counter(f["severity"] for f in flags)
    return {"n": n, "href": page_name(n), "id": record.get("id", f"#{n}"),
            "sha256": review_key(record), "chars": len(record.get("text", "")),
            "error": sev["error"], "warning": sev["warning"], "info": sev["info"], "flags": len(flags),
            "risk": risk(record), "categories": dict(Counter(c for f in flags for c in [f["category"], *(x["category"] for x in f.get("also", []))]).most_common()),
            "flag_ids": [f["id"] for f in flags], "failed": bool(record.get("errors"))}


def write_site(records: Iterable[dict], out_dir: str | Path, title: str = "medclaim report",
               total: int | None = None) -> Path:
    """Render the report for ``records`` into ``out_dir`` (created; existing report files replaced).

    Records are read once, one at a time; give ``total`` (the number of records) to stream them,
    otherwise they are counted first. Pages of a previous, longer report in the folder are removed.
    """
    out = Path(out_dir)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    env = _env()
    doc_tpl, index_tpl = env.get_template("document.html.j2"), env.get_template("index.html.j2")
    if total is None:
        records = list(records)
        total = len(records)
    summaries, corpus, total_chars = [], [], 0
    by_category: Counter = Counter()
    by_rule: Counter = Counter()
    totals: Counter = Counter()
    for n, record in enumerate(records, 1):
        view = document_view(record)
        summary = _summary(record, n)
        summaries.append(summary)
        nav = {"prev": page_name(n - 1)[5:] if n > 1 else None, "next": page_name(n + 1)[5:] if n < total else None,
               "n": n, "total": total}
        _write(out / page_name(n), doc_tpl.render(csp=CSP, record=record, view=view, nav=nav, title=title,
                                                   severities=SEVERITIES))
        for f in record.get("flags", []):
            by_category[f["category"]] += 1
            by_rule[f["code"]] += 1
            totals[f["severity"]] += 1
        total_chars += len(record.get("text", ""))
        entry = {"id": record.get("id"), "sha256": summary["sha256"],
                 "flags": [[f["id"], f["code"], f["category"], f["severity"]] for f in view["data"]["flags"]]}
        if total_chars <= INDEX_TEXT_LIMIT:
            entry.update(text=record.get("text", ""),
                         entities=[[e["start"], e["end"], e["label"]] for e in view["data"]["entities"]])
        corpus.append(entry)
    if total_chars > INDEX_TEXT_LIMIT:  # too large to carry: the index exports decisions, pages export spans
        for c in corpus:
            c.pop("text", None)
            c.pop("entities", None)
    for stale in out.glob("docs/*.html"):
        if stale.stem.isdigit() and int(stale.stem) > total:
            stale.unlink()
    buckets = _risk_buckets([s["risk"] for s in summaries])
    charts = [("flags-by-category", "Flags by category", bar_chart(by_category.most_common(), "Flags by category")),
              ("top-rules", "Rules that fire most", bar_chart(by_rule.most_common(10), "Rules that fire most")),
              ("docs-by-risk", "Documents by risk", bar_chart(buckets, "Documents by risk"))]
    _write(out / "index.html", index_tpl.render(
        csp=CSP, title=title, docs=summaries, charts=charts, totals=totals, n_flags=sum(totals.values()),
        categories=sorted(by_category), severities=SEVERITIES,
        corpus={"documents": corpus, "complete": total_chars <= INDEX_TEXT_LIMIT,
                "rows": [{k: s[k] for k in ("n", "id", "href", "chars", "error", "warning", "info", "risk",
                                            "categories", "sha256", "failed")} for s in summaries]}))
    static = resources.files("pipeline.report") / "static"
    for name in ASSETS:
        _write(out / "assets" / name, (static / name).read_text("utf-8"))
    return out / "index.html"


def _risk_buckets(risks: list[int]) -> list[tuple[str, int]]:
    edges = [(0, 0, "0"), (1, 4, "1–4"), (5, 14, "5–14"), (15, 39, "15–39"), (40, 99, "40–99"), (100, None, "100+")]
    return [(label, sum(1 for r in risks if r >= lo and (hi is None or r <= hi))) for lo, hi, label in edges]


def _write(path: Path, text: str) -> None:
    """Write atomically: a report being viewed is never seen half-written."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for sharing
    os.replace(tmp, path)


def count_results(path: str | Path) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def read_results(path: str | Path) -> Iterator[dict]:
    """Records from a ``results.jsonl``, one at a time; a broken line raises ValueError naming file and line."""
    for n, record in json_objects(path):
        if "text" not in record or "flags" not in record:
            raise ValueError(f"{path}:{n}: not a medclaim result record")
        yield record
