"""What the checks that read numbers flag on real articles, with this recognizer and an earlier one.

    python benchmarks/numbers/checks.py [--rev REV] [--part held-out|development] [--limit N]

Audits the articles (``--no-model``: the numeric checks do not depend on the tagger; the working
tree's lost-% detector off unless ``--percent-model`` names one, so that the recognizers are compared) twice: with
medclaim at git revision ``REV`` (a temporary ``git worktree``, run in a subprocess with that tree on
``sys.path``) and with the working tree. Prints every numeric check's flag count for both, and writes
each flag that one run has and the other has not, with its context, to ``checks_diff.tsv``.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NUMERIC = ("percent_lost", "ambiguous_magnitude", "impossible_value", "unit_implausible", "inconsistent_numbers",
           "stats_inconsistent")

AUDIT = r"""
import json, sys
from pipeline import Auditor
try:
    auditor = Auditor(model=None, percent_model=None if sys.argv[3] == "none" else sys.argv[3])
except TypeError:  # a revision before the lost-% detector
    auditor = Auditor(model=None)
out = open(sys.argv[2], "w", encoding="utf-8")
for line in open(sys.argv[1], encoding="utf-8"):
    art = json.loads(line)
    record = auditor.audit_text(art["text"], id=art["id"])
    for f in record["flags"]:
        out.write(json.dumps({"id": art["id"], "start": f["start"], "end": f["end"], "category": f["category"],
                              "code": f.get("code"), "severity": f["severity"]}, ensure_ascii=False) + "\n")
"""


def run(tree: Path, articles: Path, out: Path, percent_model: str = "none") -> list[dict]:
    subprocess.run([sys.executable, "-c", AUDIT, str(articles), str(out), percent_model], check=True, cwd=tree,
                   env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="7a23921")
    ap.add_argument("--part", choices=("held-out", "development"), default="held-out")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--percent-model", default="none",
                    help="the working tree's lost-%% detector (default none: the rules, as at the earlier revision)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.real.split import development, held_out

    articles = held_out() if args.part == "held-out" else development()
    if args.limit:
        articles = articles[:args.limit]
    texts = {a["id"]: a["text"] for a in articles}
    with tempfile.TemporaryDirectory(prefix="medclaim-checks-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "articles.jsonl"
        corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), "utf-8")
        old_tree = tmp / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old_tree), args.rev],
                       check=True)
        try:
            before = run(old_tree, corpus, tmp / "before.jsonl")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)], check=True)
        after = run(ROOT, corpus, tmp / "after.jsonl", args.percent_model)

    def numeric(flags):
        return [f for f in flags if f["category"] in NUMERIC]

    b, a = numeric(before), numeric(after)
    print(f"{len(articles)} {args.part} articles; numeric flags at {args.rev}: {len(b)}, working tree: {len(a)}")
    cb, ca = Counter((f["category"], f["severity"]) for f in b), Counter((f["category"], f["severity"]) for f in a)
    print("| check | severity | before | after |")
    print("|---|---|---|---|")
    for key in sorted(set(cb) | set(ca)):
        print(f"| {key[0]} | {key[1]} | {cb[key]} | {ca[key]} |")
    key = lambda f: (f["id"], f["start"], f["end"], f["category"], f["code"])  # noqa: E731
    kb, ka = {key(f) for f in b}, {key(f) for f in a}
    rows = []
    for side, only in (("before only", kb - ka), ("after only", ka - kb)):
        for art, s, e, cat, code in sorted(only):
            text = texts[art]
            rows.append({"side": side, "id": art, "start": s, "end": e, "category": cat, "code": code,
                         "context": (text[max(0, s - 25):s] + "【" + text[s:e] + "】" + text[e:e + 25]).replace("\n", "⏎")})
    with (HERE / "checks_diff.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["side", "id", "start", "end", "category", "code", "context"],
                           delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"flags that differ: {len(rows)} (benchmarks/numbers/checks_diff.tsv)")


if __name__ == "__main__":
    main()
