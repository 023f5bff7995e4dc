"""Entity lexicons as data: one YAML file per label under ``seeds/lexicon/`` (or a user's folder).

A file holds ``label`` (required), ``description``, ``terms`` (exact strings), ``patterns`` (regular
expressions over the normalised text) and ``suffix_rules`` (names ending in a head word such as 医院
or 大学, grown leftwards up to a stop character). Unknown keys and bad values raise
:class:`LexiconError` naming the file and the key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .normalize import normalize
from .resources import load_yaml, seed_path

ALLOWED_KEYS = {"label", "description", "terms", "patterns", "suffix_rules"}
SUFFIX_RULE_KEYS = {"suffixes", "min_prefix", "max_prefix", "stop", "stop_words", "reject_prefixes"}
_LABEL = re.compile(r"^[A-Z][A-Z_]*$")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the problem."""


@dataclass
class SuffixRule:
    suffixes: list[str]
    min_prefix: int = 2
    max_prefix: int = 12
    stop: str = "的,，。;:!?()（）“”《》 \n"
    stop_words: list[str] = field(default_factory=list)
    reject_prefixes: list[str] = field(default_factory=list)


@dataclass
class LabelLexicon:
    label: str
    terms: list[str] = field(default_factory=list)
    patterns: list[re.Pattern] = field(default_factory=list)
    suffix_rules: list[SuffixRule] = field(default_factory=list)
    description: str = ""
    path: str = ""

    @classmethod
    def from_dict(cls, data: Any, path: str = "<dict>") -> "LabelLexicon":
        if not isinstance(data, dict):
            raise LexiconError(f"{path}: expected a mapping at the top level")
        unknown = set(data) - ALLOWED_KEYS
        if unknown:
            raise LexiconError(f"{path}: unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(ALLOWED_KEYS))})")
        label = data.get("label")
        if not isinstance(label, str) or not _LABEL.match(label):
            raise LexiconError(f"{path}: key 'label' must be an upper-case name such as DISEASE")
        terms = data.get("terms") or []
        if not isinstance(terms, list) or not all(isinstance(t, (str, int)) for t in terms):
            raise LexiconError(f"{path}: key 'terms' must be a list of strings")
        patterns = []
        for i, pat in enumerate(data.get("patterns") or []):
            try:
                patterns.append(re.compile(str(pat)))
            except re.error as exc:
                raise LexiconError(f"{path}: key 'patterns' item {i + 1} is not a valid regular expression: {exc}") from None
        rules = []
        for i, raw in enumerate(data.get("suffix_rules") or []):
            if not isinstance(raw, dict):
                raise LexiconError(f"{path}: key 'suffix_rules' item {i + 1} must be a mapping")
            bad = set(raw) - SUFFIX_RULE_KEYS
            if bad:
                raise LexiconError(f"{path}: unknown key {sorted(bad)[0]!r} in suffix_rules item {i + 1}")
            if not raw.get("suffixes"):
                raise LexiconError(f"{path}: suffix_rules item {i + 1} needs 'suffixes'")
            rules.append(SuffixRule(**raw))
        return cls(label=label, terms=[str(t) for t in terms], patterns=patterns, suffix_rules=rules,
                   description=str(data.get("description") or ""), path=path)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"label": self.label}
        if self.description:
            out["description"] = self.description
        out["terms"] = list(self.terms)
        if self.patterns:
            out["patterns"] = [p.pattern for p in self.patterns]
        if self.suffix_rules:
            out["suffix_rules"] = [vars(r).copy() for r in self.suffix_rules]
        return out


def load_lexicon_file(path: str | Path) -> LabelLexicon:
    try:
        data = load_yaml(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: invalid YAML: {str(exc).splitlines()[0]}") from None
    return LabelLexicon.from_dict(data, str(path))


def load_lexicons(folders: list[str | Path] | None = None) -> list[LabelLexicon]:
    """The built-in lexicons, then those in ``folders`` (files merge with the same label)."""
    out = []
    builtin = seed_path("lexicon")
    for node in sorted(builtin.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".yml"):
            try:
                data = load_yaml(node.read_text("utf-8"))
            except yaml.YAMLError as exc:  # pragma: no cover - shipped data is tested
                raise LexiconError(f"lexicon/{node.name}: invalid YAML: {exc}") from None
            out.append(LabelLexicon.from_dict(data, f"lexicon/{node.name}"))
    for folder in folders or []:
        folder = Path(folder)
        if not folder.is_dir():
            raise LexiconError(f"{folder}: not a folder of lexicon .yml files")
        out.extend(load_lexicon_file(p) for p in sorted(folder.glob("*.yml")))
    return out


def normalized_terms(lexicons: list[LabelLexicon]) -> dict[str, set[str]]:
    """Normalised term -> labels."""
    table: dict[str, set[str]] = {}
    for lex in lexicons:
        for term in lex.terms:
            term = normalize(term.strip())
            if term:
                table.setdefault(term, set()).add(lex.label)
    return table
