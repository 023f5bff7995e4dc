"""The statistical tagger as a spaCy component (``medclaim_tagger``), and how its spans join the lexicon's.

Merge policy (tested): the lexicon and rule spans stay as they are (they are precise and carry the
project's label conventions); a model span is added, with ``source: "model"`` and its score, when its
score is at least ``min_score`` and it does not overlap a lexicon span. Where the two overlap, the
lexicon wins: the model span is dropped, whether its label agrees or not. Nested lexicon spans are
kept; model spans never nest (BIO tagging).
"""
from __future__ import annotations

from .. import _spacy  # noqa: F401  (spaCy without torch: see pipeline/_spacy.py)
from spacy.language import Language
from spacy.tokens import Doc

from ..entities import SPANS_KEY, Entity
from ..segment import sentence_offsets


_OPEN, _CLOSE = "([{（【《“", ")]}）】》”"


def well_formed(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` closes every bracket it opens and does not take in a number's
    digits (日本临床肿瘤学会(JSCO, 缩小70 of 缩小70% or of 缩小70, are not; IL-6 and 维生素B12 are).

    >>> [well_formed(t, 0, n) for t, n in [("日本学会(JSCO)", 8), ("缩小70,", 4), ("IL-6升高", 4), ("维生素B12片", 6)]]
    [False, False, True, True]
    """
    span = text[start:end]
    depth = 0
    for ch in span:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    if depth:
        return False
    digits = len(span) - len(span.rstrip("0123456789"))
    if digits and end < len(text) and (text[end].isdigit() or text[end] in ".%"):
        return False
    return not (0 < digits < len(span) and "\u4e00" <= span[-digits - 1] <= "\u9fff")  # 缩小70: a value, not a name


def merge(lexicon: list[Entity], model: list[Entity], min_score: float = 0.5, text: str | None = None) -> list[Entity]:
    """Lexicon spans plus the model spans that pass ``min_score``.

    A model span that overlaps no lexicon span is added. One that overlaps lexicon spans is added
    only where it contains each of them, is longer than each and, in ``text``, is :func:`well_formed`:
    the lexicon matched a fragment of a longer entity (胰腺 in 胰腺炎, 动脉 in 动脉瘤), and the
    fragments it contains are dropped. Where a lexicon span crosses the model's or is as long (a
    user's term included), or without ``text``, the lexicon's stays and the model's is not added.

    >>> lex = [Entity(1, 3, "DISEASE"), Entity(12, 14, "BODY"), Entity(16, 18, "DRUG")]
    >>> mod = [Entity(0, 2, "DISEASE", "model", 0.9), Entity(5, 8, "DRUG", "model", 0.8),
    ...        Entity(9, 10, "BODY", "model", 0.2), Entity(12, 15, "DISEASE", "model", 0.95),
    ...        Entity(16, 18, "THERAPY", "model", 0.99)]
    >>> [(e.start, e.end, e.label, e.source) for e in merge(lex, mod, text="x" * 20)]
    [(1, 3, 'DISEASE', 'lexicon'), (5, 8, 'DRUG', 'model'), (12, 15, 'DISEASE', 'model'), (16, 18, 'DRUG', 'lexicon')]
    """
    kept = list(lexicon)
    for ent in model:
        if (ent.score or 0.0) < min_score:
            continue
        over = [lx for lx in lexicon if ent.start < lx.end and lx.start < ent.end]
        if over and (text is None or not well_formed(text, ent.start, ent.end)):
            continue
        if any(lx.start < ent.start or lx.end > ent.end or lx.end - lx.start >= ent.end - ent.start for lx in over):
            continue
        if over:
            kept = [k for k in kept if k not in over]
        kept.append(ent)
    return sorted(kept)


class TaggerComponent:
    """Tags each sentence of a Doc with the model and merges the spans into the lexicon's.

    ``prepare(texts)`` tags the sentences of many texts in one pass (sorted by length and padded
    little, so short documents share forward passes); a Doc of one of those texts then takes its
    spans from there instead of running the model alone. The spans are the same either way; a
    score can differ in its last bits, since another batch shape sums in another order. The
    sentences are split here as the tokenizer will split them again for the Doc: each Doc is made
    inside its own memory zone (``Auditor.audit_document``), so Docs cannot be made ahead.
    """

    def __init__(self, model_dir: str, min_score: float = 0.5, batch_size: int = 64) -> None:
        from .model import Tagger

        self.tagger = Tagger.load(model_dir)
        self.model_dir = model_dir
        self.min_score = min_score
        self.batch_size = batch_size
        self._prepared: dict[str, list[Entity]] = {}

    def find(self, text: str, sentences: list[tuple[int, int]]) -> list[Entity]:
        return self.find_many([(text, sentences)])[0]

    def find_many(self, items: list[tuple[str, list[tuple[int, int]]]]) -> list[list[Entity]]:
        """Model entities for each ``(text, sentences)``, every sentence of every text in one pass."""
        pieces, owners = [], []
        for n, (text, sentences) in enumerate(items):
            pieces += [text[s:e] for s, e in sentences]
            owners += [(n, s) for s, _ in sentences]
        found: list[list[Entity]] = [[] for _ in items]
        for (n, s), spans in zip(owners, self.tagger.predict(pieces, batch_size=self.batch_size, sentences=False)):
            found[n] += [Entity(s + a, s + b, label, "model", float(score)) for a, b, label, score in spans]
        return found

    def prepare(self, texts: list[str]) -> None:
        """Tag ``texts`` together ahead of their Docs (sentences as the medclaim tokenizer splits them)."""
        from ..normalize import normalize
        from ..sentences import split_sentences

        todo = list(dict.fromkeys(t for t in texts if t and t not in self._prepared))
        found = self.find_many([(t, split_sentences(normalize(t))) for t in todo])
        self._prepared.update(zip(todo, found))

    def forget(self) -> None:
        self._prepared.clear()

    def __call__(self, doc: Doc) -> Doc:
        model_ents = self._prepared.get(doc.text) if self._prepared else None
        if model_ents is None:
            model_ents = self.find(doc.text, sentence_offsets(doc))
        merged = merge(doc.user_data.get("medclaim_entities", []), model_ents, self.min_score, doc.text)
        doc.user_data["medclaim_entities"] = merged
        spans = [doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand") for e in merged]
        doc.spans[SPANS_KEY] = [s for s in spans if s is not None]
        return doc


@Language.factory("medclaim_tagger", default_config={"model_dir": "", "min_score": 0.5})
def make_tagger(nlp: Language, name: str, model_dir: str, min_score: float) -> TaggerComponent:
    """``nlp.add_pipe("medclaim_tagger")`` runs the shipped model; ``config={"model_dir": DIR}`` another."""
    from . import default_model_dir

    if not model_dir:
        found = default_model_dir()
        if found is None:
            raise ValueError("medclaim_tagger: no model_dir given and this install ships no default model")
        model_dir = str(found)
    return TaggerComponent(model_dir, min_score)
