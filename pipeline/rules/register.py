"""Does a sentence read like advertising? A small Naive Bayes model over character n-grams.

Word lists catch the expressions they list; promotion keeps inventing new ones (“让您年轻十岁”,
“一次治疗终身受益”). This model learns the register itself from sentences the project ships in
``seeds/register/`` (promotional: hospital and product promotion, advertising in the form of news
or health knowledge; neutral: sourced news, trial reports, popular science, debunks), so users can
retrain it by adding their own sentences there. Numbers are folded to ``0`` and Latin letters to
``a`` so that it learns the shape of claims, not particular values.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from ..normalize import normalize
from ..resources import seed_path

NGRAMS = (1, 2, 3)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z]+")


def fold(sentence: str) -> str:
    """Numbers to ``0``, Latin words to ``a``."""
    return _LATIN.sub("a", _DIGITS.sub("0", normalize(sentence)))


def features(sentence: str) -> Counter:
    text = f"^{fold(sentence)}$"
    grams: Counter = Counter()
    for n in NGRAMS:
        grams.update(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


@dataclass
class RegisterModel:
    log_prior: dict[str, float]
    log_prob: dict[str, dict[str, float]]
    log_unseen: dict[str, float]

    @classmethod
    def train(cls, examples: list[tuple[str, str]], alpha: float = 0.5) -> "RegisterModel":
        counts: dict[str, Counter] = {}
        docs: Counter = Counter()
        for text, label in examples:
            counts.setdefault(label, Counter()).update(features(text))
            docs[label] += 1
        vocab = set().union(*counts.values())
        log_prob, log_unseen = {}, {}
        for label, c in counts.items():
            total = sum(c.values()) + alpha * (len(vocab) + 1)
            log_prob[label] = {g: math.log((n + alpha) / total) for g, n in c.items()}
            log_unseen[label] = math.log(alpha / total)
        n_docs = sum(docs.values())
        return cls({l: math.log(d / n_docs) for l, d in docs.items()}, log_prob, log_unseen)

    def margin(self, sentence: str, positive: str = "promotional", negative: str = "neutral") -> float:
        """Log-odds of ``positive`` over ``negative`` per character (so long and short sentences compare)."""
        weights, unseen = self._weights(positive, negative)
        text = f"^{fold(sentence)}$"
        grams = [text[i:i + n] for n in NGRAMS for i in range(len(text) - n + 1)]
        score = self.log_prior[positive] - self.log_prior[negative] + sum(map(weights.get, grams, repeat(unseen)))
        return score / max(1, len(sentence))

    def _weights(self, positive: str, negative: str) -> tuple[dict[str, float], float]:
        """Each n-gram's log-probability ratio, and the ratio for an n-gram neither class has seen."""
        cache = self.__dict__.setdefault("_ratios", {})
        if (positive, negative) not in cache:
            pos, neg = self.log_prob[positive], self.log_prob[negative]
            up, un = self.log_unseen[positive], self.log_unseen[negative]
            cache[positive, negative] = ({g: pos.get(g, up) - neg.get(g, un) for g in pos.keys() | neg.keys()}, up - un)
        return cache[positive, negative]

def read_sentences(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def training_examples() -> list[tuple[str, str]]:
    out = []
    for label in ("promotional", "neutral"):
        out += [(s, label) for s in read_sentences(seed_path("register", f"{label}.sents").read_text("utf-8"))]
    return out


@lru_cache(maxsize=1)
def default_model() -> RegisterModel:
    return RegisterModel.train(training_examples())
