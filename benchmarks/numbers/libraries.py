"""medclaim's numeral grammar against the numeral parsers on PyPI: cn2an and jionlp.

    python benchmarks/numbers/libraries.py        # pip install cn2an jionlp first

Cases: every numeral of tests/test_numbers_chinese.py's FORMS table that stands alone as a plain
number (kind ``number``, the whole text). A parser reads a case right when its value equals the
table's (for an approximation, 二十几万, the table's value is the lower bound; a parser that gives a
range is read right when its low end equals it). cn2an runs in its ``smart`` mode (its most
permissive); all three get the text normalised as the recognizer gets it (萬 -> 万). jionlp has no
numeral parser in its public API, so its money parser reads each case with
元 after it. Speed: microseconds a numeral, best of five passes over the cases.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.normalize import normalize  # noqa: E402
from pipeline.numbers.cn import parse_numeral  # noqa: E402
from tests.test_numbers_chinese import FORMS  # noqa: E402


def medclaim(s):
    value, _ = parse_numeral(s)
    return value


def cn2an_smart(s):
    import cn2an

    return cn2an.cn2an(s, "smart")


def jionlp_money(s):
    import jionlp

    num = jionlp.parse_money(s + "元")["num"]
    return float(num[0] if isinstance(num, list) else num)


def right(got, want) -> bool:
    if isinstance(want, list) or isinstance(got, list):
        return isinstance(got, list) and isinstance(want, list) and all(abs(g - w) < 1e-9 for g, w in zip(got, want))
    return got is not None and abs(float(got) - float(want)) <= 1e-9 * max(1.0, abs(float(want)))


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    # every parser reads the text as the recognizer does: normalised (萬 -> 万, full-width digits -> ASCII)
    cases = [(normalize(text), value) for text, span, kind, value, _unit, _approx in FORMS
             if kind == "number" and span == text]
    print(f"{len(cases)} plain numerals from the FORMS table")
    print("| parser | read right | share | µs a numeral | wrong or refused (examples) |")
    print("|---|---|---|---|---|")
    for name, parse in (("medclaim parse_numeral", medclaim), ("cn2an 0.5 smart", cn2an_smart),
                        ("jionlp 1.5 parse_money", jionlp_money)):
        ok, misses = 0, []
        for text, want in cases:
            try:
                got = parse(text)
            except Exception:  # noqa: BLE001 - a refusal counts as a miss
                got = None
            if right(got, want):
                ok += 1
            else:
                misses.append(f"{text}→{got}")
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for text, _ in cases:
                try:
                    parse(text)
                except Exception:  # noqa: BLE001
                    pass
            best = min(best, time.perf_counter() - t0)
        print(f"| {name} | {ok}/{len(cases)} | {ok / len(cases):.0%} | {best / len(cases) * 1e6:.0f} | "
              f"{', '.join(misses[:8])} |")


if __name__ == "__main__":
    main()
