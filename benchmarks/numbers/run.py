"""The number recognizer on real articles: what a new grammar adds, and its speed against an earlier one.

    python benchmarks/numbers/run.py [--rev REV] [--articles 200] [--seed 12] [--speed-articles 1000]

Both recognizers run in this process: the working tree's and the one at git revision ``REV`` (its
``pipeline/numbers/`` read with ``git show`` into a temporary package). On ``--articles`` held-out
articles (benchmarks/real/split.py) every number of the new recognizer whose text holds a Chinese
numeral and that the old one did not find with the same span and value is written, with its context,
to ``added.tsv``; a fixed-seed sample of 100 of them goes to ``added_sample.tsv`` for judging by
reading (the ``judgement`` column: ``number`` or ``not``, and why). An existing sample file is kept
(it holds the judgements); delete it to draw a new one. Speed: both recognizers over
``--speed-articles`` development articles, alternated five times, best run of each reported.
"""
from __future__ import annotations

import argparse
import csv
import importlib
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent

from benchmarks.real.split import development, held_out, sample  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402
from pipeline.numbers.recognizer import Recognizer  # noqa: E402

CN_NUMERAL = re.compile(r"[零〇○一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿卅几半]")


def old_recognizer(rev: str):
    """The recognizer of revision ``rev`` as an importable package of its own."""
    tmp = Path(tempfile.mkdtemp(prefix="medclaim-numbers-"))
    pkg = tmp / "numbers_at_rev"
    pkg.mkdir()
    names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", rev, "pipeline/numbers/"],
                           check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        data = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{name}"], check=True,
                              capture_output=True).stdout
        if name.endswith(".py"):
            data = data.replace(b'"pipeline.numbers"', b'"numbers_at_rev"').replace(b"from ..", b"from pipeline.")
        (pkg / Path(name).name).write_bytes(data)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("numbers_at_rev.recognizer").Recognizer()


def speed(new, old, texts: list[str], rounds: int = 5) -> dict:
    chars = sum(len(t) for t in texts)
    best = {"new": float("inf"), "old": float("inf")}
    for _ in range(rounds):
        for name, rec in (("old", old), ("new", new)):
            t0 = time.perf_counter()
            for t in texts:
                rec.find(t)
            best[name] = min(best[name], time.perf_counter() - t0)
    return {"chars": chars, "old_s": best["old"], "new_s": best["new"],
            "old_kchars_s": chars / best["old"] / 1000, "new_kchars_s": chars / best["new"] / 1000,
            "new_over_old": best["new"] / best["old"]}


def added(new, old, articles: list[dict]) -> list[dict]:
    rows = []
    for art in articles:
        norm = normalize(art["text"])
        before = {(n.start, n.end, repr(n.value)) for n in old.find(norm)}
        for n in new.find(norm):
            text = art["text"][n.start:n.end]
            if not CN_NUMERAL.search(norm[n.start:n.end]) or (n.start, n.end, repr(n.value)) in before:
                continue
            ctx = (art["text"][max(0, n.start - 20):n.start] + "【" + text + "】"
                   + art["text"][n.end:n.end + 20]).replace("\n", "⏎").replace("\t", " ")
            rows.append({"id": art["id"], "start": n.start, "end": n.end, "text": text.replace("\n", "⏎"), "kind": n.kind,
                         "value": n.value, "unit": n.unit or "", "approximate": getattr(n, "approximate", False),
                         "context": ctx})
    return rows


def write_tsv(path: Path, rows: list[dict], extra: tuple[str, ...] = ()) -> None:
    if not rows:
        path.write_text("", "utf-8")
        return
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) + list(extra), delimiter="\t", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="7a23921", help="the git revision to compare with")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--speed-articles", type=int, default=1000)
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()

    from pipeline.numbers import lexical

    t0 = time.perf_counter()
    lexical.non_numeric_words()
    lexical._entries()
    print(f"loading the non-numeral words (jieba's dictionary and numeral_words.yml): {time.perf_counter() - t0:.2f} s")
    new, old = Recognizer(), old_recognizer(args.rev)
    rows = added(new, old, sample(held_out(), args.articles, args.seed))
    write_tsv(HERE / "added.tsv", rows)
    judged = HERE / "added_sample.tsv"
    picked = sorted(random.Random(args.seed).sample(range(len(rows)), min(100, len(rows))))
    if not judged.exists():
        write_tsv(judged, [rows[i] for i in picked], extra=("judgement", "why"))
    print(f"held-out articles: {args.articles} (seed {args.seed}); Chinese-numeral numbers added: {len(rows)}")
    if not args.no_speed:
        texts = [normalize(a["text"]) for a in sample(development(), args.speed_articles, args.seed)]
        s = speed(new, old, texts)
        print(f"speed on {len(texts)} development articles ({s['chars']:,} characters), best of 5: "
              f"rev {args.rev} {s['old_kchars_s']:.0f}k chars/s, working tree {s['new_kchars_s']:.0f}k chars/s, "
              f"time ratio {s['new_over_old']:.3f}")


if __name__ == "__main__":
    main()
