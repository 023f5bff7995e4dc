"""The consistency and statistics checks on real sentences, as they are and with one number changed.

    python benchmarks/numbers/perturb.py [--part held-out|development] [--limit N] [--seed 2812]

Texts: the real articles, clinical papers and news transcripts of ``--part`` (benchmarks/real/split.py's
fixed hash; the held-out part was not read while the checks were written). Each text is audited as
medclaim audits it (no tagger: the numeric checks do not read it) and every relation a check can
compute is collected (``pipeline.checks.consistency.relations`` and ``statistics.relations``).

- **Unchanged text**: per check, the relations computed and how many do not hold (each is a flag).
  Those flags are read by a person: ``perturb_flags_<part>.jsonl`` holds them with their context.
- **Negatives**: the snippets (from the sentence of a relation's first number to that of its last)
  whose relation holds, and where no relation of the same check fails, audited again alone; a flag
  of that check there is a false alarm.
- **Positives**: each negative with one of the relation's numbers changed the way slips happen: one
  digit replaced, two digits transposed, a decimal point dropped, or the two compared numbers swapped
  (the wrong group). A change is kept only where the relation's arithmetic (``Relation.test``) no longer
  holds with the new value; the check must then flag the changed snippet (its code, or in ``also``).
  A snippet that raised a false alarm unchanged makes no positive. A relation that holds only by what
  the rest of its document says (a sphericity correction named in the methods) is counted apart
  (``needs_document``): alone, its snippet is another text.

Writes ``perturb_<part>.json`` (figures per check) beside this file and prints a table.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent

from benchmarks.real.split import CORPUS, OTHER_SOBER, is_held_out, load  # noqa: E402
from pipeline import Auditor  # noqa: E402
from pipeline.checks import consistency, statistics  # noqa: E402

DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
SLASH = re.compile(r"([0-9]+)\s?/\s?([0-9]+)")


def texts(part: str, limit: int | None) -> list[dict]:
    out = []
    for path in (CORPUS, *OTHER_SOBER):
        rows = [r for r in load(path) if is_held_out(r["id"]) == (part == "held-out")]
        out += rows[:limit] if limit else rows
    return out


def operand_spans(text: str, n) -> list[tuple[int, int]] | None:
    """Where the digits of number ``n`` stand: k and N of a k/N; the value of a statistic (its last
    run of digits: F(2,40)=3.1); the first run otherwise. None where the text is no plain number."""
    raw = text[n.start:n.end]
    if n.kind == "ratio":
        m = SLASH.fullmatch(raw.strip())
        return [(n.start + m.start(1), n.start + m.end(1)), (n.start + m.start(2), n.start + m.end(2))] if m else None
    runs = list(DIGITS.finditer(raw))
    if not runs or re.search(r"\d\.\s", raw):
        return None
    m = runs[-1] if n.kind == "statistic" else runs[0]
    return [(n.start + m.start(), n.start + m.end())]


def values_of(text: str, rel) -> list | None:
    out = []
    for n in rel.numbers:
        spans = operand_spans(text, n)
        if spans is None:
            return None
        vals = [float(text[s:e]) for s, e in spans]
        if n.kind == "statistic" and isinstance(n.value, (int, float)) and n.value < 0:
            vals = [-vals[0]]
        out.append(tuple(vals) if n.kind == "ratio" else vals[0])
    return out


def slip(digits: str, rng: random.Random) -> tuple[str, str] | None:
    """One slip of a digit string: (kind, new string)."""
    kinds = ["digit", "transpose"] + (["decimal"] if "." in digits else [])
    kind = rng.choice(kinds)
    places = [i for i, c in enumerate(digits) if c.isdigit()]
    if kind == "decimal":
        return kind, digits.replace(".", "")
    if kind == "transpose":
        pairs = [(i, j) for i, j in zip(places, places[1:]) if j == i + 1 and digits[i] != digits[j]]
        if not pairs:
            kind = "digit"
        else:
            i, j = rng.choice(pairs)
            return kind, digits[:i] + digits[j] + digits[i] + digits[j + 1:]
    i = rng.choice(places)
    choices = [d for d in "0123456789" if d != digits[i] and not (i == 0 and d == "0" and len(places) > 1)]
    return kind, digits[:i] + rng.choice(choices) + digits[i + 1:]


def perturb(text: str, rel, values: list, rng: random.Random) -> tuple[str, str, list] | None:
    """(changed text, the slip's kind, the relation's values after it), or None."""
    spans = [operand_spans(text, n) for n in rel.numbers]
    if rel.code in ("Consistency.ComparisonWords", "Consistency.GroupComparison") and rng.random() < 0.5:
        (a0, a1), (b0, b1) = spans[0][0], spans[1][0]  # the wrong group: the two numbers swapped
        new = text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]
        return new, "swap", [values[1], values[0]] + list(values[2:])
    flat = [(i, j, span) for i, ss in enumerate(spans) for j, span in enumerate(ss)]
    i, j, (s, e) = rng.choice(flat)
    kind, digits = slip(text[s:e], rng)
    new_value = float(digits)
    changed = list(values)
    if isinstance(changed[i], tuple):
        changed[i] = tuple(new_value if k == j else v for k, v in enumerate(changed[i]))
    else:
        changed[i] = -new_value if changed[i] < 0 else new_value
    return text[:s] + digits + text[e:], kind, changed


def all_relations(auditor: Auditor, text: str):
    a = auditor.analyse(text)
    for check in auditor.checks:  # the lost-% detector infers units the checks read
        check(a)
    return a, consistency.relations(a) + statistics.relations(a)


def flagged(auditor: Auditor, text: str, code: str) -> bool:
    record = auditor.audit_text(text)
    return any(f["code"] == code or any(x["code"] == code for x in f.get("also", [])) for f in record["flags"])


def snippet(a, rel) -> tuple[int, int]:
    s = min(a.sentence_of(n.start)[0] for n in rel.numbers)
    e = max(a.sentence_of(n.start)[1] for n in rel.numbers)
    return s, e


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("held-out", "development"), default="held-out")
    ap.add_argument("--limit", type=int, default=None, help="texts of each corpus (default: all)")
    ap.add_argument("--seed", type=int, default=2812)
    ap.add_argument("--misses", help="write the missed positives and the false alarms here (JSON Lines)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    auditor = Auditor(model=None)
    rows = texts(args.part, args.limit)
    computed, violated = Counter(), Counter()
    neg, neg_alarm, pos, pos_found, needs_document = Counter(), Counter(), Counter(), Counter(), Counter()
    by_slip = defaultdict(Counter)
    flags_out, misses = [], []
    for row in rows:
        text = row["text"]
        a, rels = all_relations(auditor, text)
        bad = defaultdict(list)  # the snippets of relations that do not hold, by check
        for rel in rels:
            if not rel.holds:
                bad[rel.code].append(snippet(a, rel))
        for rel in rels:
            computed[rel.code] += 1
            if not rel.holds:
                violated[rel.code] += 1
                f = rel.flag
                flags_out.append({"id": row["id"], "code": rel.code, "text": text[f.start:f.end], "message": f.message,
                                  "context": text[max(0, f.start - 80):f.end + 40]})
                continue
            s, e = snippet(a, rel)
            if e - s > 400 or any(s < e2 and s2 < e for s2, e2 in bad[rel.code]):
                continue  # too long to read alone, or holding a flag of the same check already
            if re.search(r"\d\.\s*$", text[max(0, s - 4):s]):
                continue  # the sentence was cut inside a number (61. 70%, a space after the point)
            piece = text[s:e]
            local = [n for n in rel.numbers]
            moved = type(rel)(rel.code, tuple(_moved(n, -s) for n in local), rel.holds, rel.flag, rel.test)
            values = values_of(piece, moved)
            if values is None:
                continue
            alone = {(r.numbers[-1].start + s, r.numbers[-1].end + s)
                     for r in all_relations(auditor, piece)[1] if r.code == rel.code and not r.holds}
            if alone - {(r.numbers[-1].start, r.numbers[-1].end) for r in rels if r.code == rel.code and not r.holds}:
                needs_document[rel.code] += 1  # it holds by what the rest of the document says
                continue  # (Greenhouse-Geisser named in the methods): alone, the snippet is another text
            neg[rel.code] += 1
            if flagged(auditor, piece, rel.code):
                neg_alarm[rel.code] += 1
                misses.append({"id": row["id"], "code": rel.code, "what": "false alarm", "text": piece})
                continue  # a flag on the changed snippet would say nothing about the change
            if rel.test is None:
                continue
            made = perturb(piece, moved, values, rng)
            if made is None:
                continue
            new, kind, values = made
            try:
                still = rel.test(values)
            except (ZeroDivisionError, ValueError, TypeError):
                continue
            if still:
                continue  # the slip left the arithmetic true: nothing to find
            pos[rel.code] += 1
            hit = flagged(auditor, new, rel.code)
            pos_found[rel.code] += hit
            if not hit:
                misses.append({"id": row["id"], "code": rel.code, "what": f"missed {kind}", "text": new,
                               "values": values})
            by_slip[rel.code][(kind, hit)] += 1
    codes = sorted(set(computed) | set(pos))
    result = {"part": args.part, "texts": len(rows), "seed": args.seed, "checks": {}}
    print(f"{len(rows)} texts ({args.part})")
    print(f"{'check':34} {'computed':>8} {'flagged':>8} {'negatives':>9} {'false alarms':>12} {'positives':>9} {'recall':>7}")
    for code in codes:
        fa = neg_alarm[code] / neg[code] if neg[code] else None
        rec = pos_found[code] / pos[code] if pos[code] else None
        result["checks"][code] = {"computed": computed[code], "flagged_unchanged": violated[code],
                                  "needs_document": needs_document[code],
                                  "negatives": neg[code], "false_alarms": neg_alarm[code], "false_alarm_rate": fa,
                                  "positives": pos[code], "found": pos_found[code], "recall": rec,
                                  "by_slip": {f"{k}:{'found' if h else 'missed'}": c for (k, h), c in by_slip[code].items()}}
        print(f"{code:34} {computed[code]:8} {violated[code]:8} {neg[code]:9} "
              f"{neg_alarm[code]:5} ({fa if fa is not None else 0:.3f}) {pos[code]:9} "
              f"{rec if rec is not None else float('nan'):7.3f}")
    (HERE / f"perturb_{args.part}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    with open(HERE / f"perturb_flags_{args.part}.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(x, ensure_ascii=False) + "\n" for x in flags_out)
    if args.misses:
        with open(args.misses, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(x, ensure_ascii=False) + "\n" for x in misses)


def _moved(n, delta: int):
    from dataclasses import replace

    return replace(n, start=n.start + delta, end=n.end + delta)


if __name__ == "__main__":
    main()
