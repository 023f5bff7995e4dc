"""The text ``medclaim pretrain`` learns the shipped character vectors from: the development parts of
the real corpora in ``../shared/corpora/`` and CMeEE's training sentences, never a held-out part.

Held out and left out: the real articles', rumours' and answers', clinical papers' and news
transcripts' fifth by the fixed hash (``benchmarks.real.split.is_held_out``), the real ad claims of the
held-out months, and CMeEE's dev set (the tagger is scored on it).

    .venv/bin/python benchmarks/pretrain/corpus.py /tmp/pretrain.jsonl
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.real.split import ADS, CORPUS, OTHER_SOBER, RUMOURS, ads, ad_copy, is_held_out, load  # noqa: E402

CMEEE_TRAIN = CORPUS.parents[1] / "cmeee" / "CMeEE_train.jsonl"


def texts() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, path in (("real-articles", CORPUS), ("health-rumours", RUMOURS),
                       ("clinical-papers", OTHER_SOBER[0]), ("news-transcripts", OTHER_SOBER[1])):
        out[name] = [r["text"] for r in load(path) if not is_held_out(r["id"])]
    out["real-ads"] = [ad_copy(r["text"]) for r in ads("development", ADS)]
    out["cmeee-train"] = [r["text"] for r in load(CMEEE_TRAIN)]
    return out


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: corpus.py OUTPUT.jsonl")
    parts = texts()
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for name, rows in parts.items():
            f.writelines(json.dumps({"corpus": name, "text": t}, ensure_ascii=False) + "\n" for t in rows)
    for name, rows in parts.items():
        print(f"{name}: {len(rows):,} texts, {sum(map(len, rows)):,} characters")


if __name__ == "__main__":
    main()
