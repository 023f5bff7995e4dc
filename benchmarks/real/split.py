"""The fixed split of the real corpora in ``../shared/corpora/`` that every real-text benchmark uses.

An article is held out when ``sha256("medclaim-heldout:" + id)`` is 0 modulo 5 (about a fifth of the
corpus, the same on every machine). Rules and models are developed on the other articles only; the
held-out part is read only to report figures.

    from benchmarks.real.split import load, held_out, development
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "real-articles" / "articles.jsonl"
RUMOURS = CORPUS.parents[1] / "health-rumours" / "texts.jsonl"
ADS = CORPUS.parents[1] / "real-ads" / "ads.jsonl"
# Sober text of two other kinds, never read to develop the language rules: clinical papers and news
# broadcast transcripts (the lost-% detector learns from them; no rule was written from them).
OTHER_SOBER = (CORPUS.parents[1] / "clinical-papers" / "articles.jsonl",
               CORPUS.parents[1] / "news-transcripts" / "articles.jsonl")
# The real ad claims are held out by month, as a later period of the same notices would be: the last
# two months of the file (113-11 and 113-12, 136 of 528 quotes) are read only to report.
ADS_HELD_OUT_MONTHS = ("113-11", "113-12")


def is_held_out(article_id: str) -> bool:
    digest = hashlib.sha256(("medclaim-heldout:" + article_id).encode("utf-8")).hexdigest()
    return int(digest, 16) % 5 == 0


def load(path: Path = CORPUS) -> Iterator[dict]:
    if not path.exists():
        raise SystemExit(f"{path}: the {path.parent.name} corpus is missing (it lives in ../shared, beside the checkout)")
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def held_out(path: Path = CORPUS) -> list[dict]:
    return [a for a in load(path) if is_held_out(a["id"])]


def development(path: Path = CORPUS) -> list[dict]:
    return [a for a in load(path) if not is_held_out(a["id"])]


def rumours(part: str, labels: tuple[str, ...] = (), path: Path = RUMOURS) -> list[dict]:
    """The labelled health texts of one part (the same hash as the articles), optionally of some labels."""
    if not path.exists():
        raise SystemExit(f"{path}: the health-rumours corpus is missing (it lives in ../shared, beside the checkout)")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if is_held_out(r["id"]) == (part == "held-out") and (not labels or r["label"] in labels)]


def ads(part: str, path: Path = ADS) -> list[dict]:
    """The real ad claims of one part: ``held-out`` is the months in ``ADS_HELD_OUT_MONTHS``."""
    if not path.exists():
        raise SystemExit(f"{path}: the real-ads corpus is missing (it lives in ../shared, beside the checkout)")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if (r["month"] in ADS_HELD_OUT_MONTHS) == (part == "held-out")]


# The regulator's own marks in a quote: who speaks or what is shown (（主持人口述）, （字幕）, (佐以圖示)),
# and the "…" that joins the fragments it picked out.
_AD_NOTE = re.compile(r"[（(][^（）()]{0,12}(?:口述|口:述|字幕|字卡|留言|影片|旁白|圖|照片|主持人|代言人|OOO)[^（）()]{0,12}[）)]")
_AD_JOIN = re.compile(r"(?:…|\.{3})+")


def ad_copy(text: str) -> str:
    """A quote as the advert's own copy, for learning from: the regulator's notes removed and the
    fragments it joined with "…" separated as sentences, so that a model learns the claims and not
    the notice's layout (real ad pages and listings have neither)."""
    text = _AD_JOIN.sub("。", _AD_NOTE.sub("", text))
    return re.sub(r"。(?:[。，、\s]*。)*", "。", text).strip("。 ") + "。"


OTHER_SOBER_DRAW = 1000  # texts in each draw (half from each corpus)


def other_sober(k: int, seed: int = 2512, after: tuple[int, ...] = ()) -> list[dict]:
    """``k`` texts drawn with ``seed``, half from each corpus of ``OTHER_SOBER``, from the texts left
    by the earlier draws of ``OTHER_SOBER_DRAW`` with the seeds in ``after`` (those were read)."""
    out = []
    for n, path in enumerate(OTHER_SOBER):
        rows = list(load(path))
        for earlier in after:
            drawn = {r["id"] for r in sample(rows, OTHER_SOBER_DRAW // 2, earlier)}
            rows = [r for r in rows if r["id"] not in drawn]
        out += sample(rows, k // 2 + (k % 2 if n == 0 else 0), seed)
    return [{**r, "source": r.get("source", "")} for r in out]


CMEEE = CORPUS.parents[1] / "cmeee"


def health_development() -> list[dict]:
    """Health text of other kinds with % signs, for the lost-% detector to learn from: CMeEE's sentences
    (train and dev: textbook and clinical prose; no part of it is a % benchmark), the development part of
    the rumours and answers, and the development months of the real ad claims as ad copy."""
    out = [{"id": f"cmeee:{name}:{i}", "source": "cmeee", "text": row["text"]}
           for name in ("CMeEE_train.jsonl", "CMeEE_dev.jsonl") for i, row in enumerate(load(CMEEE / name))]
    out += [{"id": r["id"], "source": "rumours", "text": r["text"]} for r in rumours("development")]
    out += [{"id": f"ads:{i}", "source": "ads", "text": ad_copy(r["text"])} for i, r in enumerate(ads("development"))]
    return out


def sample(articles: list[dict], k: int, seed: int) -> list[dict]:
    """``k`` articles drawn with a fixed seed, in corpus order."""
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(articles)), min(k, len(articles))))
    return [articles[i] for i in picked]


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Write a part of the real-articles or health-rumours corpus as JSON Lines.")
    ap.add_argument("part", choices=("development", "held-out", "rumours-development", "rumours-held-out",
                                     "ads-development", "ads-held-out", "papers-development", "news-development",
                                     "health-development"))
    ap.add_argument("output")
    ap.add_argument("--label", action="append", default=[], help="rumours: keep texts of this label (repeatable)")
    ap.add_argument("--month", action="append", default=[], help="ads: keep quotes of this month (repeatable)")
    ap.add_argument("--ad-copy", action="store_true", help="ads: the quotes as ad copy (see ad_copy), for training")
    args = ap.parse_args()
    if args.part == "health-development":
        articles = health_development()
    elif args.part.startswith("ads-"):
        articles = [r for r in ads(args.part.removeprefix("ads-")) if not args.month or r["month"] in args.month]
        if args.ad_copy:
            articles = [{**r, "text": ad_copy(r["text"])} for r in articles]
    elif args.part in ("papers-development", "news-development"):
        # the clinical papers or news transcripts outside their fifth held out by the same hash
        path = OTHER_SOBER[0] if args.part.startswith("papers") else OTHER_SOBER[1]
        articles = [r for r in load(path) if not is_held_out(r["id"])]
    elif args.part.startswith("rumours-"):
        articles = rumours(args.part.removeprefix("rumours-"), tuple(args.label))
    else:
        articles = development() if args.part == "development" else held_out()
    with open(args.output, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(a, ensure_ascii=False) + "\n" for a in articles)
    print(f"{len(articles)} articles to {args.output}")
