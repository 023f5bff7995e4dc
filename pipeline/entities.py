"""Lexicon and rule entity tagging, as a spaCy component (``medclaim_lexicon``).

Matching runs on characters, not tokens: Chinese word boundaries from a segmenter often cut through
a term (胃癌NK疗法), so a token-based matcher (spaCy's SpanRuler) would miss terms that a character
matcher finds. Terms go through an Aho-Corasick automaton (pyahocorasick, linear in the text);
patterns and suffix rules are regular expressions. The exact character spans go to the result
record; ``doc.spans["medclaim_entities"]`` holds the same spans widened to token boundaries for
spaCy users.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
from . import _spacy  # noqa: F401  (spaCy without torch: see pipeline/_spacy.py)
from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import LabelLexicon, load_lexicons, normalized_terms
from .segment import doc_norm

SPANS_KEY = "medclaim_entities"


@dataclass(frozen=True, order=True)
class Entity:
    start: int
    end: int
    label: str
    source: str = "lexicon"
    score: float | None = None

    def to_dict(self, text: str) -> dict:
        out = {"start": self.start, "end": self.end, "label": self.label,
               "text": text[self.start:self.end], "source": self.source}
        if self.score is not None:
            out["score"] = round(self.score, 4)
        return out


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class LexiconRuler:
    """Find lexicon terms, patterns and suffix-rule names in a document.

    >>> ruler = LexiconRuler()
    >>> [(e.label, "胃癌NK疗法Ⅱ期试验"[e.start:e.end]) for e in ruler.find("胃癌NK疗法Ⅱ期试验")][:2]
    [('DISEASE', '胃癌'), ('THERAPY', '胃癌NK疗法')]
    """

    def __init__(self, lexicons: list[LabelLexicon] | None = None) -> None:
        self.lexicons = lexicons if lexicons is not None else load_lexicons()
        self.terms = normalized_terms(self.lexicons)
        self.automaton = ahocorasick.Automaton()
        for term, labels in self.terms.items():
            self.automaton.add_word(term, (len(term), tuple(sorted(labels))))
        if self.terms:
            self.automaton.make_automaton()
        self.patterns = [(lex.label, p) for lex in self.lexicons for p in lex.patterns]
        self.suffix_rules = []
        for lex in self.lexicons:
            for rule in lex.suffix_rules:
                alt = "|".join(re.escape(s) for s in sorted(rule.suffixes, key=len, reverse=True))
                self.suffix_rules.append((lex.label, rule, re.compile(f"(?:{alt})")))

    @property
    def labels(self) -> list[str]:
        return sorted({lex.label for lex in self.lexicons})

    def find(self, norm: str) -> list[Entity]:
        """Entities in the normalised text ``norm`` (offsets are valid in the original too)."""
        found: set[Entity] = set()
        if self.terms:
            for end_idx, (length, labels) in self.automaton.iter(norm):
                start, end = end_idx - length + 1, end_idx + 1
                if _is_word_char(norm[start]) and start > 0 and _is_word_char(norm[start - 1]):
                    continue
                if _is_word_char(norm[end - 1]) and end < len(norm) and _is_word_char(norm[end]):
                    continue
                for label in labels:
                    found.add(Entity(start, end, label, "lexicon"))
        for label, pattern in self.patterns:
            for m in pattern.finditer(norm):
                if m.end() > m.start():
                    found.add(Entity(m.start(), m.end(), label, "rule"))
        for label, rule, suffix_re in self.suffix_rules:
            for m in suffix_re.finditer(norm):
                start = m.start()
                limit = max(0, start - rule.max_prefix)
                while start > limit and norm[start - 1] not in rule.stop and not norm[start - 1].isspace():
                    start -= 1
                for word in rule.stop_words:
                    cut = norm.rfind(word, start, m.start())
                    if cut >= 0:
                        start = cut + len(word)
                prefix = norm[start:m.start()]
                if len(prefix) < rule.min_prefix or any(prefix.endswith(r) or prefix == r for r in rule.reject_prefixes):
                    continue
                found.add(Entity(start, m.end(), label, "rule"))
        return _prune(found)

    def __call__(self, doc: Doc) -> Doc:
        ents = self.find(doc_norm(doc))
        doc.user_data["medclaim_entities"] = ents
        spans = []
        for ent in ents:
            span = doc.char_span(ent.start, ent.end, label=ent.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc


def _prune(found: set[Entity]) -> list[Entity]:
    """Drop a match inside a longer one of the same label, and one-character matches inside any."""
    ents = sorted(found, key=lambda e: (e.start, -(e.end - e.start), e.label, e.source))
    kept: list[Entity] = []
    active: list[Entity] = []  # kept matches that may still contain later ones (sweep by start)
    for ent in ents:
        active = [k for k in active if k.end > ent.start]
        inside = [k for k in active if ent.end <= k.end and (k.end - k.start) > (ent.end - ent.start)]
        if any(k.label == ent.label for k in inside) or (ent.end - ent.start == 1 and inside):
            continue
        if any(k.start == ent.start and k.end == ent.end and k.label == ent.label for k in active):
            continue  # the same span from a term and a pattern: keep the first (lexicon sorts before rule)
        kept.append(ent)
        active.append(ent)
    return sorted(kept)


def doc_entities(doc: Doc) -> list[Entity]:
    return list(doc.user_data.get("medclaim_entities", []))


@Language.factory("medclaim_lexicon", default_config={"lexicon_dirs": []})
def make_lexicon_ruler(nlp: Language, name: str, lexicon_dirs: list[str]) -> LexiconRuler:
    return LexiconRuler(load_lexicons(lexicon_dirs))
