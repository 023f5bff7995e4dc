"""The HTML report with a large document in headless Chromium: render, load and scroll times.

    python benchmarks/report/run.py [--chars 2000000] [--flags 5000] [--out /tmp/medclaim-report-bench]

The document is synthetic: sentences drawn from the seed article until it reaches ``--chars``
characters, with ``--flags`` flags spread evenly over it (a fifth of them overlapping another),
an entity every 100 characters and a number every 200. Results go to stdout as JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def synthetic_record(chars: int, n_flags: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    base = (ROOT / "seeds" / "000_35dbd2b867d2ec31.txt").read_text("utf-8")
    sentences = [s + "。" for s in base.replace("\n", "").split("。") if s]
    parts, size = [], 0
    while size < chars:
        s = rng.choice(sentences)
        parts.append(s)
        size += len(s)
        if rng.random() < 0.1:
            parts.append("\n")
            size += 1
    text = "".join(parts)[:chars]
    severities = ["error", "warning", "info"]
    categories = ["percent_lost", "absolute_term", "unsourced", "efficacy_guarantee", "unit_implausible"]
    flags = []
    step = len(text) // n_flags
    for i in range(n_flags):
        start = i * step + (step // 2 if i % 5 == 0 else 0) + rng.randrange(0, max(1, step // 4))
        end = min(len(text), start + rng.randrange(2, 40))
        flags.append({"id": f"F{i + 1}", "start": start, "end": end, "category": categories[i % 5], "code": f"Bench.Rule{i % 7}",
                      "severity": severities[i % 3], "text": text[start:end], "message": "合成的标记，用于测量",
                      "suggestion": None, "reference": None, "claim": None,
                      "related": [{"start": max(0, start - 30), "end": max(2, start - 25)}] if i % 4 == 0 else []})
    entities = [{"start": s, "end": s + 3, "label": "DISEASE", "text": text[s:s + 3], "source": "lexicon"}
                for s in range(0, len(text) - 3, 100)]
    numbers = [{"id": f"N{k + 1}", "start": s, "end": s + 2, "text": text[s:s + 2], "kind": "number", "value": 1, "unit": None}
               for k, s in enumerate(range(50, len(text) - 2, 200))]
    return {"schema": "medclaim/result@1", "id": "large.txt", "source": {"sha256": hashlib.sha256(text.encode()).hexdigest()},
            "text": text, "sentences": [], "entities": entities, "numbers": numbers, "claims": [], "flags": flags,
            "errors": []}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=2_000_000)
    parser.add_argument("--flags", type=int, default=5000)
    parser.add_argument("--out", default="/tmp/medclaim-report-bench")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from pipeline.report.html import write_site

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    record = synthetic_record(args.chars, args.flags)
    t0 = time.perf_counter()
    write_site([record], out)
    render = time.perf_counter() - t0
    page_file = out / "docs" / "00001.html"
    result = {"chars": len(record["text"]), "flags": len(record["flags"]), "entities": len(record["entities"]),
              "numbers": len(record["numbers"]), "render_s": round(render, 2),
              "page_mb": round(page_file.stat().st_size / 1e6, 2)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_function("document.getElementById('progress').textContent.indexOf('reviewed') >= 0")
        result["load_s"] = round(time.perf_counter() - t0, 2)
        # j moves to the next flag and scrolls it into view, as a reviewer would: the time from the
        # key to the next painted frame, averaged over 100 presses
        result["j_ms"] = page.evaluate("""async () => {
            const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
            let total = 0;
            for (let i = 0; i < 100; i++) {
                const t = performance.now();
                document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
                await frame();
                total += performance.now() - t;
            }
            return Math.round(total / 100); }""")
        # scrolling a screen at a time through the first 200 screens: time to the next painted frame
        result["scroll_screen_ms"] = page.evaluate("""async () => {
            const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
            const el = document.scrollingElement; el.scrollTop = 0; await frame();
            let total = 0;
            for (let i = 0; i < 200; i++) {
                const t = performance.now();
                el.scrollTop += 800;
                await frame();
                total += performance.now() - t;
            }
            return Math.round(total / 200); }""")
        t0 = time.perf_counter()
        page.select_option("#f-cat", "percent_lost")
        page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        result["filter_s"] = round(time.perf_counter() - t0, 2)
        browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
