"""Lost % signs on real articles: every %/％ removed, ``percent_lost`` scored at the exact positions.

    python benchmarks/real/percent.py [--part held-out|development] [--tagger] [--errors FILE]
    python benchmarks/real/percent.py --one-sign [--part ...]
    python benchmarks/real/percent.py --as-published [--part ...]
    python benchmarks/real/percent.py ... --sample 40 --seed 2712 --sample-out FILE
    python benchmarks/real/percent.py --corpus papers|transcripts [--part ...]

``--corpus`` scores the same way on the held-out (or development) part of another corpus of
``benchmarks.real.split.OTHER_SOBER``: the clinical papers or the news transcripts, whose development
parts the shipped detector learns from as extra text.

``--as-published`` audits the articles with their signs in place: every ``percent_lost`` flag there is
counted as a false alarm (a reader decides whether the writer dropped a sign). ``--sample K`` draws K of
the flags raised (in whichever way the signs were removed) with a fixed seed and writes them with their
context, severity, whether the number carried a sign, and empty ``judgement`` and ``why`` fields to
fill in by reading (``right``: a sign was lost there; ``reads_as_percent``: no sign in the source, but
a percentage to a reader; ``wrong``). An existing sample file is never overwritten.

``--one-sign`` scores the other way a sign goes missing: in every article with two signs or more, one
sign (drawn with a fixed seed per article) is removed and the others kept, as when a writer drops one.
A hit is a flag on that number; every other ``percent_lost`` flag, at any severity, is a false alarm.

A gold span is a number that carried a % sign (the digits before it, a space between allowed; a
URL's percent-encoding, %E4%B8%89, is none); a flag is a hit only when its span is exactly such a number. Flags on any other number are false
alarms; gold numbers without a flag are misses. Figures overall, per source and per density (the
signs removed from an article: 1, 2-3, 4-7, 8 or more; a set chosen for its percentages is dense). One kind of false
alarm is counted apart as well (it stays a false alarm): the start of a range whose end carried the
sign (40-60%: 40 is flagged, 60 had the sign). Once the signs are removed the text cannot tell 40-60%
from 40%-60%, where both numbers carried one. The held-out part
(benchmarks/real/split.py) is for reporting only: ``--errors`` (misses and false alarms with their
context, for reading) is refused there.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import CORPUS, OTHER_SOBER, development, held_out

CORPORA = {"articles": CORPUS, "papers": OTHER_SOBER[0], "transcripts": OTHER_SOBER[1]}
from pipeline.checks.percent_model import RANGE_GAP
from pipeline.checks.percent_train import drop_sign, signs, strip_percent

RANGE_END = re.compile(RANGE_GAP.pattern + r"(\d+(?:,\d{3})*(?:\.\d+)?)")  # the range link, then the end


def range_start_of_gold(text: str, span: tuple[int, int], gold: set[tuple[int, int]]) -> bool:
    """Whether ``span`` starts a range whose end carried the sign (40 in 40-60%)."""
    m = RANGE_END.match(text, span[1])
    return m is not None and (m.start(1), m.end(1)) in gold


def drop_one_sign(text: str, key: str) -> tuple[str, set[tuple[int, int]]] | None:
    """``text`` with one of its % signs removed (chosen by ``key``), and the span of the number that
    carried it; None where the text has fewer than two signs."""
    import hashlib

    found = signs(text)
    if len(found) < 2:
        return None
    return drop_sign(text, found[int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % len(found)])


def all_signs(art: dict) -> tuple[str, set[tuple[int, int]]]:
    """The article with every sign removed, and the spans that carried one."""
    return strip_percent(art["text"])


def one_sign(art: dict) -> tuple[str, set[tuple[int, int]]] | None:
    """The article with one sign removed and the others kept (None with fewer than two signs)."""
    return drop_one_sign(art["text"], "one-sign:" + art["id"])


def as_published(art: dict) -> tuple[str, set[tuple[int, int]]]:
    """The article as written, no sign removed: no gold span."""
    return art["text"], set()


DENSITY = ((0, 0, "none"), (1, 1, "1"), (2, 3, "2-3"), (4, 7, "4-7"), (8, 10 ** 9, "8 or more"))


def density(signs_removed: int) -> str:
    """The bin of an article by how many signs were removed from it."""
    return next(name for low, high, name in DENSITY if low <= signs_removed <= high)


def score(articles: list[dict], auditor, errors: list | None = None, remove=all_signs,
          flags: list | None = None) -> dict:
    """Hits, false alarms and misses per source and per density (signs removed from the article);
    ``remove`` makes each article's text and gold spans."""
    per_source: dict[str, Counter] = {}
    per_density: dict[str, Counter] = {name: Counter() for _, _, name in DENSITY}
    for art in articles:
        made = remove(art)
        if made is None:
            continue
        text, gold = made
        raised = [f for f in auditor.audit_text(text)["flags"] if f["category"] == "percent_lost"]
        flagged = {(f["start"], f["end"]) for f in raised}
        if flags is not None:
            flags += [{"id": art["id"], "source": art["source"], "start": f["start"], "end": f["end"],
                       "severity": f.get("severity"), "carried_sign": (f["start"], f["end"]) in gold,
                       "context": (text[max(0, f["start"] - 40):f["start"]] + "【" + text[f["start"]:f["end"]] + "】"
                                   + text[f["end"]:f["end"] + 25]).replace("\n", "⏎")} for f in raised]
        for c in (per_source.setdefault(art["source"], Counter()), per_density[density(len(gold))]):
            c["gold"] += len(gold)
            c["tp"] += len(flagged & gold)
            c["fp"] += len(flagged - gold)
            c["fn"] += len(gold - flagged)
            c["fp_range"] += sum(range_start_of_gold(text, span, gold) for span in flagged - gold)
            c["articles"] += 1
            c["chars"] += len(text)
        if errors is not None:
            for kind, spans in (("miss", gold - flagged), ("false", flagged - gold)):
                for s, e in sorted(spans):
                    ctx = (text[max(0, s - 30):s] + "【" + text[s:e] + "】" + text[e:e + 20]).replace("\n", "⏎")
                    errors.append(f"{kind}\t{art['id']}\t{ctx}")
    total = sum(per_source.values(), Counter())
    return {"total": total, "per_source": per_source, "per_density": per_density}


def score_one_sign(articles: list[dict], auditor, errors: list | None = None) -> dict:
    return score(articles, auditor, errors, remove=one_sign)


def figures(c: Counter) -> str:
    recall = c["tp"] / c["gold"] if c["gold"] else float("nan")
    flagged = c["tp"] + c["fp"]
    precision = c["tp"] / flagged if flagged else float("nan")
    return f"{c['gold']} | {c['tp']} | {c['fp']} | {c['fn']} | {recall:.3f} | {precision:.3f} | {c['fp_range']}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("held-out", "development"), default="held-out")
    ap.add_argument("--corpus", choices=tuple(CORPORA), default="articles",
                    help="the real articles (default), the clinical papers or the news transcripts")
    ap.add_argument("--tagger", action="store_true", help="audit with the shipped tagger (default: --no-model)")
    ap.add_argument("--errors", help="write misses and false alarms here (development part only)")
    ap.add_argument("--percent-model", default="default", help="the lost-%% detector: default, a folder, or none")
    ap.add_argument("--one-sign", action="store_true", help="drop one sign of each article instead of all of them")
    ap.add_argument("--as-published", action="store_true", help="audit the articles with their signs in place")
    ap.add_argument("--sample", type=int, default=0, help="draw this many of the flags for reading")
    ap.add_argument("--seed", type=int, default=2712, help="the sample's seed")
    ap.add_argument("--sample-out", help="where --sample writes them (JSON Lines; never overwritten)")
    args = ap.parse_args()
    if bool(args.sample) != bool(args.sample_out):
        raise SystemExit("--sample and --sample-out go together")
    if args.sample_out and Path(args.sample_out).exists():
        raise SystemExit(f"{args.sample_out}: exists; choose another file for the sample")
    if args.one_sign and args.as_published:
        raise SystemExit("--one-sign and --as-published are two ways to read the articles: choose one")
    if args.errors and args.part == "held-out":
        raise SystemExit("--errors reads the held-out part's errors: use --part development")
    from pipeline import Auditor

    percent_model = None if args.percent_model == "none" else args.percent_model
    auditor = Auditor(percent_model=percent_model) if args.tagger else Auditor(model=None, percent_model=percent_model)
    path = CORPORA[args.corpus]
    articles = held_out(path) if args.part == "held-out" else development(path)
    errors: list | None = [] if args.errors else None
    t0 = time.perf_counter()
    flags: list | None = [] if args.sample else None
    remove = one_sign if args.one_sign else as_published if args.as_published else all_signs
    result = score(articles, auditor, errors, remove=remove, flags=flags)
    took = time.perf_counter() - t0
    mode = " (one sign dropped)" if args.one_sign else " (as published)" if args.as_published else ""
    print(f"{args.corpus}, {args.part}{mode}: {result['total']['articles']} texts, "
          f"{result['total']['chars']:,} characters, "
          f"{'tagger on' if args.tagger else '--no-model'}, lost-% model {args.percent_model}, {took:.0f} s")
    print("| source | gold | hits | false alarms | misses | recall | precision | false alarms on a range's start, its end signed |")
    print("|---|---|---|---|---|---|---|---|")
    for source, c in sorted(result["per_source"].items()):
        print(f"| {source} | {figures(c)} |")
    print(f"| **all** | {figures(result['total'])} |")
    print()
    print("| signs removed from the article | articles | gold | hits | false alarms | misses | recall | precision "
          "| false alarms on a range's start, its end signed |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, c in result["per_density"].items():
        if c["articles"]:
            print(f"| {name} | {c['articles']} | {figures(c)} |")
    if errors is not None:
        Path(args.errors).write_text("\n".join(errors) + "\n", "utf-8")
        print(f"{len(errors)} errors written to {args.errors}")
    if flags is not None:
        import random

        picked = sorted(random.Random(args.seed).sample(range(len(flags)), min(args.sample, len(flags))))
        rows = [{"n": i + 1, **flags[j], "judgement": "", "why": ""} for i, j in enumerate(picked)]
        Path(args.sample_out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        print(f"{len(rows)} of {len(flags)} flags (seed {args.seed}) written to {args.sample_out}")


if __name__ == "__main__":
    main()
