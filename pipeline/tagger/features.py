"""Lexicon features for the from-scratch tagger, in the manner of "soft lexicon" features for Chinese NER.

A model trained on a few thousand sentences has never seen most medical terms. Every lexicon word
that matches the text marks each character it covers with where the character sits in it (B, M, E,
or S for a one-character word) and the word's group, so a character gets a multi-hot vector of
``4 x groups``. The groups:

- ``WORD``: jieba's dictionary and medclaim's domain dictionary (untyped words of 2+ characters);
- one group per medclaim label, from the typed lexicon: the built-in lexicon, plus term files given
  with ``--lexicon`` (e.g. the PyCMeKG export of ``medclaim lexicon cmekg``);
- ``GAZ-<label>``, with ``--gazetteer``: the entity names of the training corpus itself.

The typed terms and the gazetteer are saved with the model (``lexicon.tsv``, ``gazetteer.json``), so
a model always sees the features it was trained with.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy

from ..normalize import normalize

POSITIONS = 4  # B, M, E, S
LABELS = ["BIOMARKER", "BODY", "DEVICE", "DISEASE", "DRUG", "LOC", "METRIC", "MICROBE", "ORG", "PERSON",
          "PROCEDURE", "PUBLICATION", "SYMPTOM", "THERAPY", "TRIAL"]
GROUPS = ["WORD"] + LABELS + [f"GAZ-{label}" for label in LABELS]
SIZE = POSITIONS * len(GROUPS)
_GROUP = {g: i for i, g in enumerate(GROUPS)}


def read_term_file(path: str | Path) -> dict[str, set[str]]:
    """A typed term file: one ``term<TAB>LABEL`` a line (``#`` comments); errors name file and line."""
    table: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip():
                raise ValueError(f"{path}:{n}: expected 'term<TAB>LABEL'")
            if parts[1] not in LABELS:
                raise ValueError(f"{path}:{n}: unknown label {parts[1]!r} (one of {', '.join(LABELS)})")
            table.setdefault(parts[0].strip(), set()).add(parts[1])
    return table


def write_term_file(path: str | Path, table: dict[str, set[str]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for term in sorted(table):
            for label in sorted(table[term]):
                fh.write(f"{term}\t{label}\n")


def builtin_terms() -> dict[str, set[str]]:
    """The built-in lexicon's terms (``seeds/lexicon``) with their labels."""
    from ..lexicon import load_lexicons, normalized_terms

    return normalized_terms(load_lexicons())


def dictionary_words() -> Iterable[str]:
    """jieba's main dictionary and the domain dictionary: untyped words."""
    import jieba

    from ..resources import seed_path

    with jieba.get_dict_file() as fh:
        for line in fh:
            word = line.decode("utf-8").split(" ", 1)[0].strip()
            if word:
                yield word
    for line in seed_path("dict", "medical.dict").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split()[0]


def _automaton(groups: dict[str, tuple[int, ...]]):
    import ahocorasick

    if not groups:
        return None
    automaton = ahocorasick.Automaton()
    for term, ids in groups.items():
        automaton.add_word(term, (len(term), ids))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _word_automaton():
    """The untyped dictionary words: built once a process and kept in medclaim's disk cache (building
    takes a second or two, loading a tenth of that)."""
    import sys

    from ..cache import cached
    from ..resources import jieba_dictionary_digest, seed_path

    inputs = [jieba_dictionary_digest(), seed_path("dict", "medical.dict").read_bytes()]
    return cached("word-automaton", inputs,
                  lambda: _automaton({w: (0,) for w in map(normalize, dictionary_words()) if len(w) > 1}),
                  code=[sys.modules[__name__], sys.modules[normalize.__module__]])


def typed_automaton(typed: dict[str, set[str]] | None, gazetteer: dict[str, str] | None):
    """The automaton of typed terms (group per label) and gazetteer names (``GAZ-`` groups)."""
    groups: dict[str, set[int]] = {}
    for term, labels in (typed or {}).items():
        term = normalize(term)
        for label in labels:
            if term and label in _GROUP:
                groups.setdefault(term, set()).add(_GROUP[label])
    for term, label in (gazetteer or {}).items():
        term = normalize(term)
        if len(term) > 1 and f"GAZ-{label}" in _GROUP:
            groups.setdefault(term, set()).add(_GROUP[f"GAZ-{label}"])
    return _automaton({t: tuple(sorted(ids)) for t, ids in groups.items()})


class LexiconFeatures:
    """``LexiconFeatures(typed, gazetteer).char_features(text)`` -> a (len(text), SIZE) 0/1 array."""

    def __init__(self, typed: dict[str, set[str]] | None = None, gazetteer: dict[str, str] | None = None,
                 words: bool = True, automaton=None) -> None:
        """``automaton``: the typed automaton already built (then ``typed`` and ``gazetteer`` are unused)."""
        self.automata = [automaton if automaton is not None else typed_automaton(typed, gazetteer)]
        if words:
            self.automata.append(_word_automaton())
        self.automata = [a for a in self.automata if a is not None]

    def active(self, text: str) -> list[tuple[int, int]]:
        """``(character, feature)`` pairs that are on, for ``text``."""
        if not self.automata or not text:
            return []
        out = []
        norm = normalize(text)
        for end, (n, ids) in (m for a in self.automata for m in a.iter(norm)):
            start = end - n + 1
            for g in ids:
                base = g * POSITIONS
                if n == 1:
                    out.append((start, base + 3))
                    continue
                out.append((start, base))
                out.extend((i, base + 1) for i in range(start + 1, end))
                out.append((end, base + 2))
        return out

    def char_features(self, text: str) -> numpy.ndarray:
        feats = numpy.zeros((len(text), SIZE), dtype=numpy.uint8)
        for i, f in self.active(text):
            feats[i, f] = 1
        return feats

    def token_features(self, text: str, offsets: list) -> list[tuple[int, int]]:
        """``(token, feature)`` pairs for tokens with these character offsets (special tokens get none)."""
        first = {a: t for t, (a, b) in enumerate(offsets) if b > a}
        return [(first[i], f) for i, f in self.active(text) if i in first]


def dense(pairs: list[list[tuple[int, int]]], width: int):
    """A (batch, width, SIZE) float tensor from per-row ``(token, feature)`` pairs."""
    import torch

    out = numpy.zeros((len(pairs), width, SIZE), dtype=numpy.float32)
    rows = [b for b, row in enumerate(pairs) for _ in row]
    if rows:
        flat = numpy.array([p for row in pairs for p in row], dtype=numpy.int64)
        out[rows, flat[:, 0], flat[:, 1]] = 1.0
    return torch.from_numpy(out)


def build_gazetteer(examples) -> dict[str, str]:
    """Entity names of a corpus with their most frequent label (names of two characters or more)."""
    from collections import Counter, defaultdict

    votes: dict[str, Counter] = defaultdict(Counter)
    for ex in examples:
        for s, e, label in ex.spans:
            if e - s > 1:
                votes[ex.text[s:e]][label] += 1
    return {term: c.most_common(1)[0][0] for term, c in votes.items()}


def save(folder: Path, typed: dict[str, set[str]], gazetteer: dict[str, str] | None) -> list[str]:
    """Write the model's typed terms and gazetteer; returns the feature sources for the config."""
    write_term_file(folder / "lexicon.tsv", typed)
    sources = ["jieba", "lexicon.tsv"]
    if gazetteer:
        (folder / "gazetteer.json").write_text(json.dumps(gazetteer, ensure_ascii=False), "utf-8")
        sources.append("gazetteer.json")
    return sources


def load(folder: Path, sources: list[str]) -> LexiconFeatures:
    """A saved model's features; the typed automaton comes from medclaim's disk cache when it holds one
    built from the same files."""
    import sys

    from ..cache import cached

    files = [folder / name for name in ("lexicon.tsv", "gazetteer.json") if name in sources]

    def build():
        typed = read_term_file(folder / "lexicon.tsv") if "lexicon.tsv" in sources else {}
        gaz = json.loads((folder / "gazetteer.json").read_text("utf-8")) if "gazetteer.json" in sources else None
        return typed_automaton(typed, gaz)

    automaton = cached("typed-automaton", ["\t".join(sources)] + [f.read_bytes() for f in files], build,
                       code=[sys.modules[__name__], sys.modules[normalize.__module__]])
    return LexiconFeatures(words="jieba" in sources, automaton=automaton)
