"""The spaCy pipeline medclaim runs: a blank ``zh`` pipeline with medclaim's tokenizer and components.

Stages plug in here, in order: sentences, lexicon entities, then (as they are added) the
statistical tagger and the numbers recognizer. Users who want the components in their own pipeline
add them by name: ``nlp.add_pipe("medclaim_lexicon")``.
"""
from __future__ import annotations

from collections.abc import Iterable

from . import _spacy  # noqa: F401  (spaCy without torch: see pipeline/_spacy.py)
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, LANG
from spacy.language import Language

from . import entities as _entities  # noqa: F401  (registers medclaim_lexicon)
from .lexicon import load_lexicons, normalized_terms
from .segment import MedTokenizer, WordSegmenter


def build_nlp(lexicon_dirs: Iterable[str] = (), user_dict: str | None = None, model_dir: str | None = None) -> Language:
    """A ready pipeline; the lexicon terms also go into the segmenter so they stay whole words.

    With ``model_dir`` the statistical tagger runs after the lexicon and its spans are merged in
    (see :mod:`pipeline.tagger.component`).
    """
    lexicon_dirs = list(lexicon_dirs)
    nlp = spacy.blank("zh")
    nlp.max_length = 2_000_001  # the audit's own limit (pipeline.audit.MAX_CHARS) comes first
    # Each document is audited in a memory zone, so its words become new lexemes every time; the
    # lexical attributes no stage reads are not computed for them (a fifth of the audit). Tokens of
    # this pipeline keep their text and whether they are space or punctuation (token.lower_ and
    # token.norm_ read as the text).
    getters = nlp.vocab.lex_attr_getters
    for attr in [a for a in getters if a not in (IS_SPACE, IS_PUNCT, LANG)]:
        getters.pop(attr)
    terms = normalized_terms(load_lexicons(lexicon_dirs))
    nlp.tokenizer = MedTokenizer(nlp.vocab, WordSegmenter(user_dict, extra_words=[t for t in terms if len(t) > 1]))
    nlp.add_pipe("medclaim_sentencizer")
    nlp.add_pipe("medclaim_lexicon", config={"lexicon_dirs": lexicon_dirs})
    if model_dir:
        from .tagger import component as _component  # noqa: F401  (registers medclaim_tagger)

        nlp.add_pipe("medclaim_tagger", config={"model_dir": str(model_dir)})
    return nlp
