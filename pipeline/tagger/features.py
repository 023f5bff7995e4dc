"""Lexicon features for the tagger, carried in BERT's token-type embeddings.

A model trained from scratch on a small corpus has never seen most medical terms. Each character
gets a feature id that combines where it sits in a jieba word (B, M, E, S) and which lexicon label
covers it (none, or one of the lexicon's labels, longest match first), in the manner of
"soft lexicon" features for Chinese NER. The id goes in as ``token_type_ids``, so the model stays
a plain ``BertForTokenClassification``; ``config.medclaim_features`` records that it needs them.
"""
from __future__ import annotations

from functools import lru_cache

from ..normalize import normalize

SEG_TAGS = 4  # B, M, E, S
LEX_LABELS = ["BIOMARKER", "BODY", "DEVICE", "DISEASE", "DRUG", "LOC", "METRIC", "MICROBE", "ORG", "PERSON",
              "PROCEDURE", "PUBLICATION", "SYMPTOM", "THERAPY", "TRIAL"]
N_LEX = len(LEX_LABELS) + 1
N_TYPES = SEG_TAGS * N_LEX
NAME = "seg+lex"
# With a gazetteer (entity names from the training corpus, saved with the model) a third factor is added.
N_TYPES_GAZ = N_TYPES * N_LEX
NAME_GAZ = "seg+lex+gaz"


class FeatureExtractor:
    def __init__(self, gazetteer: dict[str, str] | None = None) -> None:
        from ..entities import LexiconRuler
        from ..lexicon import load_lexicons, normalized_terms
        from ..segment import WordSegmenter

        terms = normalized_terms(load_lexicons())
        self.segmenter = WordSegmenter(extra_words=[t for t in terms if len(t) > 1])
        self.ruler = LexiconRuler()
        self.label_index = {label: i + 1 for i, label in enumerate(LEX_LABELS)}
        self.gazetteer = None
        if gazetteer:
            import ahocorasick

            self.gazetteer = ahocorasick.Automaton()
            for term, label in gazetteer.items():
                term = normalize(term)
                if len(term) > 1 and label in self.label_index:
                    self.gazetteer.add_word(term, (len(term), self.label_index[label]))
            self.gazetteer.make_automaton()

    def char_features(self, text: str) -> list[int]:
        norm = normalize(text)
        seg = [0] * len(text)
        for s, e in self.segmenter.spans(norm):
            if e - s == 1:
                seg[s] = 3
            else:
                seg[s] = 0
                for i in range(s + 1, e - 1):
                    seg[i] = 1
                seg[e - 1] = 2
        lex = [0] * len(text)
        for ent in sorted(self.ruler.find(norm), key=lambda e: e.end - e.start):
            index = self.label_index.get(ent.label, 0)
            for i in range(ent.start, ent.end):
                lex[i] = index  # longer spans are written last and win
        base = [seg[i] * N_LEX + lex[i] for i in range(len(text))]
        if self.gazetteer is None:
            return base
        gaz = [0] * len(text)
        matches = sorted(((end - n + 1, end + 1, index) for end, (n, index) in self.gazetteer.iter(norm)),
                         key=lambda m: m[1] - m[0])
        for start, end, index in matches:
            for i in range(start, end):
                gaz[i] = index
        return [base[i] * N_LEX + gaz[i] for i in range(len(text))]


@lru_cache(maxsize=1)
def extractor() -> FeatureExtractor:
    return FeatureExtractor()


def token_type_ids(text: str, offsets: list, features: FeatureExtractor | None = None) -> list[int]:
    """Feature ids for tokens with these character offsets (0 for special tokens)."""
    feats = (features or extractor()).char_features(text)
    return [feats[a] if b > a else 0 for a, b in offsets]


def build_gazetteer(examples) -> dict[str, str]:
    """Entity names of a corpus with their most frequent label (names of two characters or more)."""
    from collections import Counter, defaultdict

    votes: dict[str, Counter] = defaultdict(Counter)
    for ex in examples:
        for s, e, label in ex.spans:
            if e - s > 1:
                votes[ex.text[s:e]][label] += 1
    return {term: c.most_common(1)[0][0] for term, c in votes.items()}
