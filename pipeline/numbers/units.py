"""The unit table (``units.yml``) and the regular expression of every spelling in it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..resources import load_yaml


@dataclass(frozen=True)
class Unit:
    name: str        # normalised unit written in records, e.g. "mmol/L", "HKD", "month"
    kind: str        # the number kind it gives: measurement, dose, money, duration, age, count, temperature
    dimension: str
    factor: float = 1.0


@dataclass(frozen=True)
class UnitTable:
    by_alias: dict[str, Unit]
    prefixes: dict[str, str]
    pattern: str          # alternation of aliases, longest first
    prefix_pattern: str

    def lookup(self, alias: str) -> Unit:
        return self.by_alias[alias]


@lru_cache(maxsize=None)
def unit_table() -> UnitTable:
    data = load_yaml((resources.files("pipeline.numbers") / "units.yml").read_text("utf-8"))
    by_alias: dict[str, Unit] = {}
    for key, spec in data["units"].items():
        unknown = set(spec) - {"kind", "dimension", "aliases", "canonical", "factor"}
        if unknown:
            raise ValueError(f"units.yml: unknown key {sorted(unknown)[0]!r} in unit {key!r}")
        unit = Unit(spec.get("canonical", key), spec["kind"], spec["dimension"], float(spec.get("factor", 1)))
        for alias in spec["aliases"]:
            by_alias[str(alias)] = unit
    for word in data.get("classifiers", []):
        by_alias.setdefault(str(word), Unit(str(word), "count", "items"))
    unknown = set(data) - {"units", "classifiers", "prefixes"}
    if unknown:
        raise ValueError(f"units.yml: unknown key {sorted(unknown)[0]!r}")
    prefixes = {str(p): code for code, ps in data.get("prefixes", {}).items() for p in ps}

    def alternation(words) -> str:
        parts = []
        for w in sorted(words, key=len, reverse=True):
            esc = re.escape(w)
            # a Latin unit must not run on into a word: 5 mg, not the 's' of '5 studies'
            parts.append(esc + (r"(?![A-Za-z])" if w[-1].isascii() and w[-1].isalpha() else ""))
        return "|".join(parts)

    return UnitTable(by_alias, prefixes, alternation(by_alias), alternation(prefixes))
