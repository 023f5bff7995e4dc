"""Language flags on real text: how many sentences carry a warning, and how many warnings are right.

    python benchmarks/real/language.py [--part held-out|development] [--no-model]
        [--sample 100 | --sample-labelled 100] [--seed N --sample-out FILE.jsonl] [--judged FILE.jsonl]

Three measures, each on a part held out by article (``benchmarks/real/split.py``, the same hash for
both corpora) unless ``--part development`` is given:

- **Real articles** (``../shared/corpora/real-articles/``, mostly sober fact-checks, popular science
  and news): the share of sentences that carry a warning or error, over all flags and over the
  language categories alone (every category but the six numeric ones).
- **Labelled health texts** (``../shared/corpora/health-rumours/``): the share of persuasive rumours
  that carry a warning in a language category (recall), and of ordinary answers that do (false
  alarms).
- **Real ad claims** (``../shared/corpora/real-ads/``, quoted by a regulator in penalty notices;
  held out by month, ``split.ADS_HELD_OUT_MONTHS``): the share of quotes that carry a warning or
  error (any category, and language categories alone), per the law each broke. The procedure-only
  rows (no approval, an unlicensed seller) are counted apart: the text is not why they were fined.
- **A random sample of warning/error flags** on the real articles (``--sample K --seed N``), written
  with their context as JSON Lines for a person to judge: each line gets ``"judgement": "right"`` or
  ``"wrong"`` and a one-line ``"why"``. ``--judged FILE`` reads such a file back and prints the
  precision per category (and per label, for flags drawn from the labelled texts with
  ``--sample-labelled K``: a rumour or an ordinary answer is short, whole text, and its flags are
  judged the same way; on the real ad claims with ``--sample-ads K``: is the flagged span the claim
  that makes the advert illegal, with the right category?). A sample that was used to change the rules is never the one reported:
  after changes, draw a fresh one with a new seed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real.split import ads, development, held_out, other_sober, rumours, sample

NUMERIC = {"percent_lost", "ambiguous_magnitude", "impossible_value", "unit_implausible",
           "inconsistent_numbers", "stats_inconsistent"}
GATE = {"warning", "error"}


def gated(record: dict, language_only: bool) -> list[dict]:
    return [f for f in record["flags"] if f["severity"] in GATE
            and not (language_only and f["category"] in NUMERIC)]


def sentences_flagged(record: dict, flags: list[dict]) -> int:
    """Sentences that a flag overlaps (a passage-wide flag counts for each sentence it points at)."""
    hit = 0
    for s in record["sentences"]:
        if any(f["start"] < s["end"] and f["end"] > s["start"] for f in flags):
            hit += 1
    return hit


def context(text: str, start: int, end: int, width: int = 60) -> str:
    return (text[max(0, start - width):start] + "【" + text[start:end] + "】" + text[end:end + width]).replace("\n", "⏎")


def audit_articles(auditor, articles: list[dict]) -> tuple[Counter, list[dict]]:
    c: Counter = Counter()
    drawn: list[dict] = []
    for art in articles:
        rec = auditor.audit_text(art["text"], id=art["id"])
        c["articles"] += 1
        c["sentences"] += len(rec["sentences"])
        all_flags, lang = gated(rec, False), gated(rec, True)
        c["sentences_any"] += sentences_flagged(rec, all_flags)
        c["sentences_language"] += sentences_flagged(rec, lang)
        c["articles_language"] += bool(lang)
        for f in all_flags:
            c["flags"] += 1
            c[f"cat:{f['category']}:{f['severity']}"] += 1
            drawn.append({"id": art["id"], "source": art["source"], "category": f["category"], "code": f["code"],
                          "severity": f["severity"], "text": f["text"], "start": f["start"], "end": f["end"],
                          "context": context(rec["text"], f["start"], f["end"])})
    return c, drawn


def audit_rumours(auditor, rows: list[dict]) -> tuple[dict[str, Counter], list[dict]]:
    out: dict[str, Counter] = {}
    drawn: list[dict] = []
    for r in rows:
        rec = auditor.audit_text(r["text"], id=r["id"])
        c = out.setdefault(r["label"], Counter())
        c["texts"] += 1
        lang = gated(rec, True)
        c["flagged"] += bool(lang)
        c.update({f["code"] for f in lang})
        for f in gated(rec, False):
            drawn.append({"id": r["id"], "source": f"labelled:{r['label']}", "category": f["category"],
                          "code": f["code"], "severity": f["severity"], "text": f["text"], "start": f["start"],
                          "end": f["end"], "context": context(rec["text"], f["start"], f["end"])})
    return out, drawn


# The articles a fine cites for procedure alone (no approval, not the approved text, an unlicensed
# seller): the quoted text is not why the advert was illegal (real-ads README).
PROCEDURE_ONLY = ("醫療器材管理法第40條", "醫療器材管理法第41條", "藥事法第66條")


def audit_ads(auditor, rows: list[dict]) -> tuple[dict[str, Counter], list[dict]]:
    """Quotes with a warning/error (any category, and language alone), by claim and procedure-only law."""
    out: dict[str, Counter] = {}
    drawn: list[dict] = []
    for r in rows:
        rec = auditor.audit_text(r["text"], id=r["id"])
        kind = "procedure-only" if r["law"].startswith(PROCEDURE_ONLY) else "claim"
        for key in (kind, f"{kind}:{r['category']}"):
            c = out.setdefault(key, Counter())
            c["texts"] += 1
            c["warned"] += bool(gated(rec, False))
            c["warned_language"] += bool(gated(rec, True))
            c["warned_rules"] += any(f["code"] != "AdLaw.Advertorial" for f in gated(rec, True))
            c.update({f["code"] for f in gated(rec, False)} if ":" not in key else ())
        for f in gated(rec, False):
            drawn.append({"id": r["id"], "source": f"ad:{r['category']}", "category": f["category"],
                          "code": f["code"], "severity": f["severity"], "text": f["text"], "start": f["start"],
                          "end": f["end"], "context": context(rec["text"], f["start"], f["end"])})
    return out, drawn


def print_ads(part: str, per: dict[str, Counter]) -> None:
    print(f"real ad claims, {part}:")
    for key in sorted(per, key=lambda k: (":" in k, k)):
        c = per[key]
        line = (f"  {key}: {c['warned']}/{c['texts']} carry a warning/error = {c['warned'] / c['texts']:.1%}"
                f" (language categories {c['warned_language'] / c['texts']:.1%}; by a rule, the advertorial model's"
                f" passage flag aside, {c['warned_rules'] / c['texts']:.1%})")
        if ":" not in key:
            line += "  (" + ", ".join(f"{k} {v}" for k, v in c.most_common() if k not in ("texts", "warned", "warned_language", "warned_rules")) + ")"
        print(line)


def write_sample(drawn: list[dict], k: int, seed: int | None, out: str | None, what: str) -> None:
    """Draw ``k`` flags at random (the seed printed) and write them, unjudged, as JSON Lines."""
    seed = seed if seed is not None else int(time.time()) % 100000
    picked = random.Random(seed).sample(drawn, min(k, len(drawn)))
    print(f"sample of {what}: {len(picked)} of {len(drawn)} warning/error flags, seed {seed}")
    if out:
        with open(out, "x", encoding="utf-8") as f:
            for n, row in enumerate(picked, 1):
                key = hashlib.sha256(f"{row['id']}:{row['start']}:{row['code']}".encode()).hexdigest()[:8]
                f.write(json.dumps({"n": n, "key": key, **row, "judgement": "", "why": ""}, ensure_ascii=False) + "\n")
        print(f"  written to {out}")


def report_judged(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    per: dict[str, Counter] = {}
    for r in rows:
        if r.get("judgement") not in ("right", "wrong"):
            raise SystemExit(f"{path}: flag {r.get('n')} has no judgement (right or wrong)")
        per.setdefault(r["category"], Counter())[r["judgement"]] += 1
    total = sum(per.values(), Counter())
    print(f"{path.name}: {total['right']}/{len(rows)} judged right = {total['right'] / len(rows):.1%}")
    print("| category | flags | right | precision |")
    print("|---|---|---|---|")
    for cat, c in sorted(per.items(), key=lambda kv: -sum(kv[1].values())):
        n = c["right"] + c["wrong"]
        print(f"| {cat} | {n} | {c['right']} | {c['right'] / n:.2f} |")
    by_source: dict[str, Counter] = {}
    for r in rows:
        if str(r.get("source", "")).startswith("labelled:"):
            by_source.setdefault(r["source"].removeprefix("labelled:"), Counter())[r["judgement"]] += 1
    for label, c in sorted(by_source.items()):
        n = c["right"] + c["wrong"]
        print(f"flags on {label} texts: {c['right']}/{n} right")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("held-out", "development"), default="held-out")
    ap.add_argument("--no-model", action="store_true", help="audit without the statistical tagger")
    ap.add_argument("--sample", type=int, default=0, help="draw this many warning/error flags at random")
    ap.add_argument("--seed", type=int, help="the sample's seed (printed; default: drawn from the clock)")
    ap.add_argument("--sample-out", help="where the sample goes (JSON Lines); refused if it exists")
    ap.add_argument("--sample-labelled", type=int, default=0,
                    help="draw this many warning/error flags at random from the labelled texts instead (seed and "
                         "output as for --sample)")
    ap.add_argument("--language-sample", action="store_true",
                    help="--sample draws from the language categories' warnings alone (not the numeric checks')")
    ap.add_argument("--sample-ads", type=int, default=0,
                    help="draw this many warning/error flags at random from the real ad claims instead")
    ap.add_argument("--skip-ads", action="store_true")
    ap.add_argument("--skip-articles", action="store_true", help="development only: measure the ads and the labelled texts alone")
    ap.add_argument("--other-sober", type=int, default=0, metavar="K",
                    help="audit K texts of the clinical papers and news transcripts (half each, seed 2512) instead of "
                         "the real articles: sober text no rule was developed on")
    ap.add_argument("--other-sober-seed", type=int, default=2512, help="with --other-sober: the draw's seed")
    ap.add_argument("--other-sober-after", type=int, action="append", default=[], metavar="SEED",
                    help="with --other-sober: leave out the texts of an earlier draw of 1,000 with this seed, which "
                         "were read (repeatable): 2512, then 2513 were read to develop")
    ap.add_argument("--judged", help="a judged sample: print its precision per category and stop")
    ap.add_argument("--skip-rumours", action="store_true")
    ap.add_argument("--limit", type=int, help="development only: audit this many articles drawn with seed 1")
    ap.add_argument("--rest-of", type=int, help="development only: audit the articles that --limit N does not draw")
    ap.add_argument("--show", help="development only: write every warning/error flag with its context here")
    args = ap.parse_args()
    if args.judged:
        report_judged(Path(args.judged))
        return
    if args.sample_labelled and (args.sample or args.skip_rumours):
        raise SystemExit("--sample-labelled draws from the labelled texts: not with --sample or --skip-rumours")
    if args.sample_ads and (args.sample or args.sample_labelled or args.skip_ads):
        raise SystemExit("--sample-ads draws from the real ad claims: not with --sample, --sample-labelled or --skip-ads")
    if args.sample_out and Path(args.sample_out).exists():
        raise SystemExit(f"{args.sample_out}: exists; a judged sample is never overwritten")
    from pipeline import Auditor

    auditor = Auditor(model=None) if args.no_model else Auditor()
    if (args.limit or args.show or args.rest_of) and args.part == "held-out":
        raise SystemExit("--limit, --rest-of and --show are for development: the held-out part is read only to report")
    articles = held_out() if args.part == "held-out" else development()
    if args.other_sober:
        articles = other_sober(args.other_sober, seed=args.other_sober_seed, after=tuple(args.other_sober_after))
    if args.limit:
        articles = sample(articles, args.limit, seed=1)
    elif args.rest_of:
        picked = {a["id"] for a in sample(articles, args.rest_of, seed=1)}
        articles = [a for a in articles if a["id"] not in picked]
    if args.skip_articles and args.part == "held-out":
        raise SystemExit("--skip-articles is for development: the held-out figures are reported together")
    if not args.skip_ads:
        per_ad, ad_drawn = audit_ads(auditor, ads(args.part))
        print_ads(args.part, per_ad)
        if args.show:
            Path(args.show + ".ads").write_text("".join(f"{r['code']}\t{r['severity']}\t{r['id']}\t{r['context']}\n"
                                                        for r in ad_drawn), "utf-8")
    drawn: list[dict] = []
    if not args.skip_articles:
        t0 = time.perf_counter()
        c, drawn = audit_articles(auditor, articles)
        what = "clinical papers and news transcripts" if args.other_sober else f"real articles, {args.part}"
        print(f"{what}: {c['articles']} articles, {c['sentences']} sentences, "
              f"{'--no-model' if args.no_model else 'tagger on'}, {time.perf_counter() - t0:.0f} s")
        print(f"  sentences with a warning/error, any category: {c['sentences_any']} = {c['sentences_any'] / c['sentences']:.2%}")
        print(f"  sentences with a warning/error, language categories: {c['sentences_language']} = "
              f"{c['sentences_language'] / c['sentences']:.2%}")
        print(f"  articles with a language warning: {c['articles_language']} = {c['articles_language'] / c['articles']:.1%}")
        print("  warning/error flags by category: " + ", ".join(
            f"{k[4:]} {v}" for k, v in sorted(c.items(), key=lambda kv: -kv[1]) if k.startswith("cat:")))
        if args.show:
            Path(args.show).write_text("".join(f"{r['code']}\t{r['severity']}\t{r['id']}\t{r['context']}\n" for r in drawn), "utf-8")
    if not args.skip_rumours:
        per, labelled_drawn = audit_rumours(auditor, rumours(args.part))
        print(f"labelled health texts, {args.part}:")
        for label in ("rumour", "ordinary", "unrelated"):
            r = per.get(label, Counter())
            if r["texts"]:
                codes = ", ".join(f"{k} {v}" for k, v in r.most_common() if k not in ("texts", "flagged"))
                print(f"  {label}: {r['flagged']}/{r['texts']} carry a language warning = {r['flagged'] / r['texts']:.1%}  ({codes})")
    if args.sample:
        if args.language_sample:
            drawn = [d for d in drawn if d["category"] not in NUMERIC]
        write_sample(drawn, args.sample, args.seed, args.sample_out,
                     "clinical papers and news transcripts" if args.other_sober else f"the real articles, {args.part}")
    if args.sample_ads:
        write_sample(ad_drawn, args.sample_ads, args.seed, args.sample_out, f"the real ad claims, {args.part}")
    if args.sample_labelled:
        write_sample(labelled_drawn, args.sample_labelled, args.seed, args.sample_out,
                     f"the labelled texts, {args.part}")

if __name__ == "__main__":
    main()
