"""Word segmentation: jieba with medclaim's domain dictionary, behind a spaCy tokenizer.

Each :class:`WordSegmenter` owns a private ``jieba.Tokenizer`` (never jieba's global one), so a
user's own jieba settings and medclaim's dictionary do not leak into each other. The cutting itself
runs in rjieba (jieba's algorithm in Rust) when it is installed, loaded with exactly the words and
frequencies of that tokenizer, so it cuts as jieba does (on 4,331 real articles, one article cut a
repeated character differently: 买买买); the pure-Python tokenizer stays the fallback and the
dictionary the other stages read. ``MEDCLAIM_SEGMENTER=jieba`` forces the fallback. Numeric
expressions and Latin-digit terms are cut out before jieba sees the text and stay whole: ``NK-92``,
``CAR-NK``, ``IL-7/IL-15``, ``PD-1抑制剂`` (a dictionary term), ``2×10⁶/kg``, ``95%CI``.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable

import jieba
import numpy
from . import _spacy  # noqa: F401  (spaCy without torch: see pipeline/_spacy.py)
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .normalize import normalize
from .resources import jieba_dictionary_digest, seed_path
from .sentences import split_sentences

jieba.setLogLevel(60)  # jieba prints its cache messages through logging; keep stderr for medclaim

_NUM = r"[+\-−±]?\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
_EXP = r"(?:\s?[×xX*]\s?10(?:\^[+\-−]?\d+|[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\([+\-−]?\d+\)|\d{1,2}(?=/)))"
_NUMERIC = (
    rf"{_NUM}(?:{_EXP}|[×xX*]\d+(?!\d))?(?:\s?[%‰])?"
    rf"(?:\s?[-~–]\s?{_NUM}{_EXP}?(?:\s?[%‰])?)?"
    r"(?:\s?CI\b)?"
    r"(?:[a-zA-Zμµ]{1,4}(?![A-Za-z]))?(?:/(?:kg|m²|m2|[μµmnpd]?[gLl]|mol|IU|U|d|h|min))?"
)
_WHITESPACE = re.compile(r"\s{2,}")
_LATIN = r"[A-Za-zα-ωΑ-Ω][A-Za-z0-9α-ωΑ-Ω]*(?:[-/+.][A-Za-z0-9α-ωΑ-Ω]+)*"
_DIGIT_LATIN = r"\d+-\d*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"


class WordSegmenter:
    """Cut normalised text into words, keeping numbers and Latin-digit terms whole.

    >>> [w for w in WordSegmenter().cut("NK-92细胞活性提升300%")]
    ['NK-92', '细胞', '活性', '提升', '300%']
    """

    def __init__(self, user_dict: str | None = None, extra_words: Iterable[str] = ()) -> None:
        words = list(_read_dict(user_dict))
        words.extend((w, None) for w in extra_words)
        self.jieba, protected = _dictionary(words)
        alts = [re.escape(w) + (r"(?![A-Za-z0-9])" if w[-1].isascii() and w[-1].isalnum() else "")
                for w in protected]
        alts += [_DIGIT_LATIN, _NUMERIC, _LATIN]
        self._protected = re.compile("|".join(f"(?:{a})" for a in alts))
        self._compiled = compiled_cutter(self.jieba)
        self.backend = "rjieba" if self._compiled is not None else "jieba"

    def _cut(self, text: str) -> list[str]:
        if self._compiled is not None:
            return self._compiled.cut(text, True)
        return list(self.jieba.cut(text, HMM=True))

    def spans(self, text: str, boundaries: Iterable[int] = ()) -> list[tuple[int, int]]:
        """Word offsets tiling ``text``; every offset in ``boundaries`` (sentence edges) is a word edge.

        One jieba pass over the whole text gives the cut points; cut points inside a protected term
        (a number, a Latin-digit name, a dictionary term with Latin letters) or inside a run of
        whitespace are dropped, the edges of protected terms and the given boundaries are added.
        """
        n = len(text)
        blocked = bytearray(n + 1)
        points = {0, n}
        pos = 0
        for start, end in jieba_pieces(text):
            pos = start
            for word in self._cut(text[start:end]):
                pos += len(word)
                points.add(pos)
        for m in self._protected.finditer(text):
            s, e = m.span()
            if e > s:
                blocked[s + 1:e] = b"\x01" * (e - s - 1)
                points.add(s)
                points.add(e)
        for m in _WHITESPACE.finditer(text):
            s, e = m.span()
            blocked[s + 1:e] = b"\x01" * (e - s - 1)
            points.add(s)
            points.add(e)
        cuts = sorted({p for p in points if not blocked[p]} | {b for b in boundaries if 0 <= b <= n})
        return list(zip(cuts, cuts[1:]))

    def cut(self, text: str) -> list[str]:
        norm = normalize(text)
        return [text[s:e] for s, e in self.spans(norm)]


class JiebaDictionary(jieba.Tokenizer):
    """A private ``jieba.Tokenizer`` with medclaim's words added, and ``standalone``: how often each
    character stands alone as a word (see :func:`standalone_ratio`)."""
    standalone: dict[str, float]


def _dictionary(words: list[tuple[str, int | None]]) -> tuple[JiebaDictionary, list[str]]:
    """jieba's tokenizer with ``words`` added (those that must stay whole are returned instead, longest
    first). Its frequency table comes from medclaim's disk cache when one was built from the same
    dictionaries: loading it takes a tenth of a second, building it (jieba's own cache read, the
    words added) about a second."""
    import sys

    from .cache import cached

    def build():
        tok = jieba.Tokenizer()
        tok.initialize()
        protected = []
        for word, freq in words:
            if _needs_protection(word):
                protected.append(word)
            else:
                tok.add_word(word, freq)
        return tok.FREQ, tok.total, sorted(set(protected), key=len, reverse=True), standalone_ratio(tok.FREQ)

    inputs = [jieba_dictionary_digest(), "\n".join(f"{w}\t{f}" for w, f in words)]
    freq, total, protected, standalone = cached("jieba-dictionary", inputs, build, code=[sys.modules[__name__]])
    tok = JiebaDictionary()
    tok.FREQ, tok.total, tok.standalone = freq, total, standalone
    tok.initialized = True
    return tok, protected


def standalone_ratio(freq: dict[str, int]) -> dict[str, float]:
    """How often a character stands alone as a word in a jieba frequency table, against inside words.

    Bound morphemes (化, 症, 癌, 疗) almost never stand alone; one left alone by the segmenter is a
    sign that the characters around it were lost.
    """
    inside: dict[str, int] = {}
    for word, f in freq.items():
        if f and len(word) > 1:
            for ch in set(word):
                inside[ch] = inside.get(ch, 0) + f
    return {ch: freq.get(ch, 0) / (freq.get(ch, 0) + n) for ch, n in inside.items()}


def compiled_cutter(tokenizer: "jieba.Tokenizer"):
    """An rjieba cutter holding ``tokenizer``'s words and frequencies, or None (not installed, or
    ``MEDCLAIM_SEGMENTER=jieba``)."""
    if os.environ.get("MEDCLAIM_SEGMENTER", "auto") == "jieba":
        return None
    try:
        import rjieba
    except ImportError:
        return None
    cutter = rjieba.Jieba.empty()
    for word, freq in tokenizer.FREQ.items():
        if freq > 0:  # jieba's FREQ also holds every word's prefixes, at 0
            cutter.add_word(word, freq, None)
    return cutter


# jieba cuts Han/alphanumeric runs (its re_han_default) and yields every other character on its own,
# so cutting the text after such a character changes nothing; "\r" is left out (jieba keeps "\r\n" whole).
_JIEBA_BREAK = re.compile(r"[^\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-\r]")
JIEBA_PIECE = 1000  # characters: jieba's HMM copies its paths at every step, quadratic in an unbroken run


def jieba_pieces(text: str, limit: int = JIEBA_PIECE) -> list[tuple[int, int]]:
    """Pieces of ``text`` of at most ``limit`` characters for jieba, cut after a character jieba yields
    on its own where there is one (the words come out as from the whole text); a run of ``limit``
    characters with none (a garbled page) is cut where it reaches the limit.

    >>> jieba_pieces("甲乙，丙丁", 4)
    [(0, 3), (3, 5)]
    """
    out, start, n = [], 0, len(text)
    while n - start > limit:
        cut = None
        for m in _JIEBA_BREAK.finditer(text, start + limit // 4, start + limit):
            cut = m.end()
        end = cut if cut is not None else start + limit
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _needs_protection(word: str) -> bool:
    """jieba's dictionary cannot hold words with spaces, and splits Latin-digit mixes itself."""
    return any(c.isascii() and (c.isalnum() or c in "-/+. ") for c in word)


def _read_dict(path: str | None) -> Iterable[tuple[str, int | None]]:
    source = seed_path("dict", "medical.dict") if path is None else Path(path)
    text = source.read_text("utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        yield parts[0], freq


class MedTokenizer:
    """spaCy tokenizer: sentences first, then words inside each sentence, offsets into the raw text.

    ``doc.text`` is exactly the input; whitespace becomes tokens (or a token's trailing space), so
    every character offset the stages report is an offset in the document.
    """

    def __init__(self, vocab: Vocab, segmenter: WordSegmenter | None = None) -> None:
        self.vocab = vocab
        self.segmenter = segmenter or WordSegmenter()

    def __call__(self, text: str) -> Doc:
        norm = normalize(text)
        sentences = split_sentences(norm)
        spans = self.segmenter.spans(norm, [p for span in sentences for p in span])
        sentence_starts = {s for s, _ in sentences}
        starts = {k for k, (s, _) in enumerate(spans) if s in sentence_starts}
        words: list[str] = []
        spaces: list[bool] = []
        sent_starts: list[bool] = []
        for k, (s, e) in enumerate(spans):
            word = text[s:e]
            if word == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                continue
            words.append(word)
            spaces.append(False)
            sent_starts.append(k in starts or not sent_starts)
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
        doc.user_data["medclaim_norm"] = norm
        doc.user_data["medclaim_sentences"] = sentences
        doc.user_data["medclaim_sent_starts"] = True
        return doc


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """The medclaim sentences of ``doc`` as character offsets (computed if the tokenizer did not)."""
    sents = doc.user_data.get("medclaim_sentences")
    if sents is None:
        sents = split_sentences(doc_norm(doc))
        doc.user_data["medclaim_sentences"] = sents
    return sents


def word_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character offsets of the doc's words, whitespace tokens left out (read from spaCy's arrays,
    not token by token: a token is whitespace when every character of it is, counted with a running
    sum over the text)."""
    if not len(doc):
        return []
    norm = doc_norm(doc)
    spans = doc.to_array([IDX, LENGTH]).astype(numpy.int64)
    starts, ends = spans[:, 0], spans[:, 0] + spans[:, 1]
    blank = numpy.concatenate([[0], numpy.cumsum(whitespace_mask(norm))])
    keep = ((blank[ends] - blank[starts]) != (ends - starts)) | (ends == starts)  # "".isspace() is False
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def code_points(text: str) -> numpy.ndarray:
    """The text's code points as an array (one element a character, as Python indexes it)."""
    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)


def whitespace_mask(text: str) -> numpy.ndarray:
    """Per character, whether ``str.isspace`` holds for it."""
    return numpy.isin(code_points(text), _whitespace())


@lru_cache(maxsize=1)
def _whitespace() -> numpy.ndarray:
    # every character for which str.isspace holds lies below U+3001 (the last is U+3000)
    return numpy.array([c for c in range(0x3001) if chr(c).isspace()], dtype=numpy.uint32)


def doc_norm(doc: Doc) -> str:
    norm = doc.user_data.get("medclaim_norm")
    # The length of the doc's text from its last token (doc.text would rebuild the whole string).
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if norm is None or len(norm) != length:
        norm = normalize(doc.text)
        doc.user_data["medclaim_norm"] = norm
    return norm


class Sentencizer:
    """Pipeline component: marks ``token.is_sent_start`` from medclaim's sentence boundaries."""

    def __call__(self, doc: Doc) -> Doc:
        if doc.user_data.get("medclaim_sent_starts"):
            return doc  # medclaim's tokenizer already set the boundaries (has_annotation would scan every token)
        starts = {s for s, _ in sentence_offsets(doc)}
        values = numpy.array([[1 if (t.idx in starts or t.i == 0) else -1] for t in doc], dtype="int64")
        if len(doc):
            doc.from_array([SENT_START], values.view("uint64"))
        return doc


@Language.factory("medclaim_sentencizer")
def make_sentencizer(nlp: Language, name: str) -> Sentencizer:
    return Sentencizer()
