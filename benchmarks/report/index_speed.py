"""The HTML index of a large batch in headless Chromium: how long it takes to open, sort and filter.

    python benchmarks/report/index_speed.py [--docs 20000] [--out /tmp/medclaim-index-bench]

The batch is synthetic: ``--docs`` records of a sentence of the seed article each, with 0 to 6 flags
of varied categories and severities, written with ``write_site`` (the index and every document page).
Chromium (``/usr/bin/chromium``, headless) opens the index; the figures are the navigation's load
event, the time until the first rows are drawn, and the in-page time of a sort by risk, a category
filter, a text filter and a page turn (each measured around the click or input, in the page).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATEGORIES = ["absolute_term", "efficacy_guarantee", "unsourced", "percent_lost", "impossible_value", "advertorial"]
SEVERITY = {"absolute_term": "warning", "efficacy_guarantee": "warning", "unsourced": "info", "percent_lost": "warning",
            "impossible_value": "error", "advertorial": "warning"}


def records(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    base = (ROOT / "seeds" / "000_35dbd2b867d2ec31.txt").read_text("utf-8")
    sentences = [s + "。" for s in base.replace("\n", "").split("。") if len(s) > 4]
    out = []
    for i in range(1, n + 1):
        text = rng.choice(sentences)
        flags = []
        for k in range(rng.randint(0, 6)):
            cat = rng.choice(CATEGORIES)
            s = rng.randrange(0, len(text) - 2)
            flags.append({"id": f"F{k + 1}", "start": s, "end": s + 2, "category": cat, "code": "Bench.Rule",
                          "severity": SEVERITY[cat], "text": text[s:s + 2], "message": "m", "suggestion": None,
                          "reference": None, "claim": None, "related": []})
        out.append({"schema": "medclaim/result@1", "id": f"article-{i:05d}.txt", "source": {"sha256": f"{i:064x}"},
                    "text": text, "sentences": [{"start": 0, "end": len(text)}], "entities": [], "numbers": [],
                    "claims": [], "flags": flags, "errors": []})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--out", default="/tmp/medclaim-index-bench")
    args = ap.parse_args()
    from playwright import sync_api

    from pipeline.report.html import write_site

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    recs = records(args.docs)
    t0 = time.perf_counter()
    write_site(recs, out)
    written = time.perf_counter() - t0
    result = {"documents": args.docs, "write_site_s": round(written, 1),
              "index_bytes": (out / "index.html").stat().st_size}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto((out / "index.html").resolve().as_uri())
        page.wait_for_selector("#docs tbody tr")
        result["open_to_first_rows_s"] = round(time.perf_counter() - t0, 2)
        result["load_event_ms"] = page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0]; return Math.round(n.loadEventEnd); })()")

        def timed(js: str) -> float | None:  # None where this version of the page lacks the control
            got = page.evaluate(f"(() => {{ try {{ const t = performance.now(); {js}; return performance.now() - t; }}"
                                f" catch (e) {{ return null; }} }})()")
            return None if got is None else round(got, 1)

        result["sort_by_risk_ms"] = timed("document.querySelector('th button[data-sort=\"risk\"]').click()")
        result["filter_category_ms"] = timed(
            "const s = document.getElementById('f-cat'); s.value = 'impossible_value'; s.dispatchEvent(new Event('change'))")
        result["filter_text_ms"] = timed(
            "const f = document.getElementById('filter'); f.value = 'article-1'; f.dispatchEvent(new Event('input'))")
        result["next_page_ms"] = timed("document.getElementById('page-next').click()")
        result["rows_in_table"] = page.locator("#docs tbody tr").count()
        result["shown"] = page.inner_text("#shown-count")
        browser.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
