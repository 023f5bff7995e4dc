"""The HTML report in a real browser: headless Chromium driven by Playwright (no download: the system's
chromium). Skips where either is missing; CI installs both."""
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("no chromium (apt-get install chromium)", allow_module_level=True)

HOSTILE = ('<script>alert("s")</script> 本品是最好的药，<img src=x onerror="alert(\'i\')"> '
           '<a href="javascript:alert(\'j\')">点此</a> </textarea><textarea> " onmouseover="alert(\'q\')" '
           "<style>body{display:none}</style> <iframe src=\"https://example.com/\"></iframe> 疾病控制率达89.3。")
HOSTILE_ID = '<img src=x onerror=alert("id")>.txt'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from pipeline import Auditor
    from pipeline.ingest import read_file
    from pipeline.report.html import write_site

    auditor = Auditor(model=None)
    records = [auditor.audit_document(d) for d in read_file(SEED, SEED.name)]
    records.append(auditor.audit_text("服用某某胶囊三个月，有效率达百分之百，根治糖尿病。咨询电话123456。", id="second.txt"))
    records.append(auditor.audit_text("今天天气不错。", id="clean.txt"))
    records.append(auditor.audit_text(HOSTILE, id=HOSTILE_ID))
    out = tmp_path_factory.mktemp("report")
    with open(out / "results.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    write_site(records, out)
    return out, records


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def url(path: Path) -> str:
    return path.resolve().as_uri()


def test_index_sort_filter_review_reload_export_import(page, site, tmp_path):
    out, records = site
    page.goto(url(out / "index.html"))
    rows = page.locator("#docs tbody tr")
    assert rows.count() == len(records)
    page.click('th button[data-sort="risk"]')  # numbers sort descending first
    risks = [int(rows.nth(i).get_attribute("data-risk")) for i in range(rows.count())]
    assert risks == sorted(risks, reverse=True) and risks[0] > 0
    assert page.get_attribute('th:has(button[data-sort="risk"])', "aria-sort") == "descending"
    page.fill("#filter", "second")
    assert page.locator("#docs tbody tr:not([hidden])").count() == 1
    page.fill("#filter", "")
    page.select_option("#f-sev", "error")
    shown = page.locator("#docs tbody tr:not([hidden])").count()
    assert shown == sum(1 for r in records if any(f["severity"] == "error" for f in r["flags"]))
    page.select_option("#f-sev", "")
    page.click(f'#docs a:text("{SEED.name}")')
    page.wait_for_selector("#flags")
    seed = records[0]
    flags = sorted(seed["flags"], key=lambda f: (f["start"], f["end"], f["id"]))
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.keyboard.press("r")
    first, second = f"#flag-{flags[0]['id']}", f"#flag-{flags[1]['id']}"
    assert "accepted" in page.get_attribute(first, "class") and "rejected" in page.get_attribute(second, "class")
    assert page.inner_text("#progress") == f"2/{len(flags)} reviewed"
    page.keyboard.press("u")  # undo the reject
    assert "rejected" not in page.get_attribute(second, "class")
    page.keyboard.press("r")
    page.reload()
    assert "accepted" in page.get_attribute(first, "class") and "rejected" in page.get_attribute(second, "class")
    assert page.inner_text("#progress") == f"2/{len(flags)} reviewed"
    with page.expect_download() as info:
        page.click("#export")
    exported = tmp_path / "review.jsonl"
    info.value.save_as(exported)
    (record,) = [json.loads(line) for line in exported.read_text("utf-8").splitlines()]
    assert record["text"] == seed["text"] and record["sha256"] == seed["source"]["sha256"]
    decided = {d["flag"]: d["decision"] for d in record["decisions"] if d["decision"]}
    assert decided == {flags[0]["id"]: "accept", flags[1]["id"]: "reject"}
    assert record["answer"] == "accept" and len(record["spans"]) == len(seed["entities"])
    assert all(record["text"][s["start"]:s["end"]] for s in record["spans"])
    # the export is a corpus the tagger reads
    from pipeline.tagger.corpora import read_corpus

    (example,) = list(read_corpus([exported], "jsonl"))
    assert example.text == seed["text"] and len(example.spans) == len(seed["entities"])
    # forget everything, then import the export back
    page.evaluate("localStorage.clear()")
    page.reload()
    assert page.inner_text("#progress") == f"0/{len(flags)} reviewed"
    page.set_input_files("#import", str(exported))
    page.wait_for_function(f"document.getElementById('progress').textContent.startsWith('2/')")
    assert "rejected" in page.get_attribute(second, "class")
    page.keyboard.press("g")
    page.wait_for_selector("#docs")
    assert page.inner_text("#progress").startswith("2/")
    assert not page.errors


def test_flag_counts_match_results(page, site):
    out, records = site
    page.goto(url(out / "index.html"))
    total = sum(len(r["flags"]) for r in records)
    assert page.inner_text("#progress") == f"0/{total} reviewed"
    for n, record in enumerate(records, 1):
        page.goto(url(out / "docs" / f"{n:05d}.html"))
        assert page.locator("#flags .flag").count() == len(record["flags"])
        assert page.text_content("#text") == record["text"]  # the drawn text is the text, exactly
    assert not page.errors


def test_filters_toggles_and_span_selection(page, site):
    out, records = site
    page.goto(url(out / "docs" / "00001.html"))
    seed = records[0]
    page.select_option("#f-cat", "percent_lost")
    visible = page.locator("#flags .flag:not([hidden])")
    assert visible.count() == sum(1 for f in seed["flags"] if f["category"] == "percent_lost")
    page.select_option("#f-cat", "")
    page.uncheck('input.f-sev[value="warning"]')
    assert visible.count() == sum(1 for f in seed["flags"] if f["severity"] != "warning")
    page.check('input.f-sev[value="warning"]')
    page.fill("#search", "mmol")
    assert visible.count() >= 1
    page.fill("#search", "")
    page.uncheck("#t-entities")
    assert "hide-entities" in page.get_attribute("body", "class")
    unit = next(f for f in seed["flags"] if f["category"] == "unit_implausible")
    page.locator(f'#text .seg[data-ids~="{unit["id"]}"]').first.click()
    assert not page.is_hidden("#selection")
    assert unit["id"] in page.inner_text("#selection")
    assert "current" in page.get_attribute(f"#flag-{unit['id']}", "class")
    page.reload()
    assert not page.is_checked("#t-entities")  # the toggle is remembered
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    page.keyboard.press("]")
    page.wait_for_url("**/00002.html")
    page.keyboard.press("[")
    page.wait_for_url("**/00001.html")
    assert not page.errors


def test_hostile_document_runs_nothing(page, site):
    out, records = site
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    n = len(records)
    page.goto(url(out / "docs" / f"{n:05d}.html"))
    page.wait_for_timeout(300)
    text = page.inner_text("#text")
    assert '<script>alert("s")</script>' in text and "onerror=" in text and "javascript:" in text
    assert page.locator("#text img, #text script, #text a, #text iframe, #text style, #text textarea").count() == 0
    assert HOSTILE_ID in page.inner_text("h1") and HOSTILE_ID in page.title()
    page.locator("#text .seg").first.click()
    page.keyboard.press("j")
    page.goto(url(out / "index.html"))
    assert HOSTILE_ID in page.inner_text("#docs")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert all(u.startswith("file://") for u in requests), requests
    assert not page.errors


def test_seed_screenshot(page, site):
    """A picture of the seed's report for people to look at (saved under out/, not committed)."""
    out, _ = site
    shots = ROOT / "out" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(url(out / "docs" / "00001.html"))
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.screenshot(path=str(shots / "seed-document.png"))
    page.goto(url(out / "index.html"))
    page.screenshot(path=str(shots / "seed-index.png"), full_page=True)
    assert (shots / "seed-document.png").stat().st_size > 10_000


def test_advertorial_passage_is_drawn_once_at_its_start(page, site):
    out, records = site
    seed = records[0]
    ads = [f for f in seed["flags"] if f["category"] == "advertorial"]
    assert len(ads) == 1  # the seed reads as an advertorial: one flag for the passage
    page.goto(url(out / "docs" / "00001.html"))
    marks = page.locator("#text .pmark")
    assert marks.count() == 1
    assert page.locator(f'#text .seg[data-ids~="{ads[0]["id"]}"]').count() == 0  # no shade over the passage
    assert page.locator("#text .para.ad").count() >= 1
    assert page.text_content("#text") == seed["text"]  # the mark adds no text
    marks.first.click()
    assert "current" in page.get_attribute(f"#flag-{ads[0]['id']}", "class")
    page.select_option("#f-cat", "percent_lost")
    assert page.is_hidden("#text .pmark")  # filtered out with its flag
    assert not page.errors


def test_a_large_index_is_paged_and_sorts_and_filters_over_all_documents(page, tmp_path):
    from pipeline.report.html import write_site

    def rec(n):  # risk grows with n: the highest-risk document is the last one written
        flags = [{"id": f"F{k + 1}", "start": 0, "end": 1, "category": "absolute_term" if n % 2 else "unsourced",
                  "code": "T.Rule", "severity": "warning", "text": "最", "message": "m", "suggestion": None,
                  "reference": None, "claim": None, "related": []} for k in range(n % 7)]
        return {"schema": "medclaim/result@1", "id": f"doc-{n:04d}", "source": {"sha256": f"{n:064x}"}, "text": "最好",
                "sentences": [], "entities": [], "numbers": [], "claims": [], "flags": flags, "errors": []}

    records = [rec(n) for n in range(1, 451)]
    write_site(records, tmp_path)
    page.goto(url(tmp_path / "index.html"))
    rows = page.locator("#docs tbody tr")
    assert rows.count() == 200 and page.inner_text("#shown-count") == "450 shown"
    assert page.inner_text("#page-label") == "page 1 of 3"
    page.click("#page-next")
    page.click("#page-next")
    assert rows.count() == 50 and rows.first.get_attribute("data-id") == "doc-0401"
    page.click('th button[data-sort="risk"]')  # over all 450, back to the first page
    assert page.inner_text("#page-label") == "page 1 of 3"
    assert int(rows.first.get_attribute("data-risk")) == max(2 * (n % 7) for n in range(1, 451))
    page.select_option("#f-cat", "unsourced")
    expected = sum(1 for n in range(1, 451) if n % 2 == 0 and n % 7)
    assert page.inner_text("#shown-count") == f"{expected} shown"
    page.fill("#filter", "doc-0446")
    assert rows.count() == 1 and page.is_hidden("#pager")
    assert not page.errors
