"""The Python API: an :class:`Auditor` loads the pipeline once and audits many texts.

>>> from pipeline import Auditor
>>> record = Auditor().audit_text("疾病控制率达89.3。", id="demo")
>>> record["sentences"]
[{'start': 0, 'end': 10}]
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from .analysis import Analysis
from .checks.codes import disabled
from .checks import Check, default_checks
from .claims import build_claims
from .numbers.recognizer import Recognizer
from .document import Document, chunks
from .entities import doc_entities
from .flags import merge_same_span
from .ingest import iter_documents
from .nlp import build_nlp
from .resources import SCHEMA_ID
from .rules.engine import RuleEngine
from .rules.loader import load_rules
from .rules.model import Rule
from .segment import doc_norm, sentence_offsets, word_spans
from .tagger import DEFAULT, resolve_model


# One article's limit: a 2,000,000-character page (the HTML report's benchmark size) audits in well
# under a minute; far longer inputs are archives or dumps, not articles, and would need gigabytes.
MAX_CHARS = 2_000_000
CHUNK_CHARS = 50_000  # characters of documents whose sentences the tagger runs in shared passes


class Auditor:
    """Audit texts with one loaded pipeline.

    ``checks`` are the numeric checks (run before claims are built, since they infer units);
    ``rules`` the language rule packs (run after, since some read the claims). Pass ``rules=[]`` to
    run no rule pack, or ``rule_dirs``/``disable`` to add and switch off rules. ``model`` is a trained
    tagger folder (``medclaim train``) whose spans join the lexicon's: ``"default"`` (the default) is
    the model shipped with medclaim, used when the tagger extra is installed; None runs the lexicon
    and rules alone. ``percent_model`` is the lost-% detector (``medclaim train-percent``): the
    shipped one by default, a folder, or None for the rules alone.
    """

    def __init__(self, lexicon_dirs: Iterable[str] = (), checks: list[Check] | None = None,
                 tokens: bool = False, rules: list[Rule] | None = None, rule_dirs: Iterable[str] = (),
                 disable: Iterable[str] = (), lang: str = "zh", model: str | None = DEFAULT,
                 percent_model: str | None = DEFAULT) -> None:
        self.model = resolve_model(model)
        self.nlp = build_nlp(lexicon_dirs, model_dir=self.model)
        self.checks = default_checks(percent_model) if checks is None else checks
        self.tokens = tokens
        self.recognizer = Recognizer()
        self.disable = frozenset(disable)  # rule and check codes and packs switched off
        if rules is None:
            rules = load_rules(list(rule_dirs), list(disable))
        self.rules = RuleEngine(rules, lang=lang, jieba_tokenizer=self.nlp.tokenizer.segmenter.jieba)

    def audit_text(self, text: str, id: str = "<text>") -> dict:
        """Audit one text; returns a result record (``medclaim/result@1``)."""
        return self.audit_document(Document(id=id, text=text))

    def audit_paths(self, paths: Iterable[str], **options) -> Iterator[dict]:
        """Audit files, folders or ``-``; yields one record per document (see :func:`iter_documents`)."""
        yield from self.audit_documents(iter_documents(paths, **options))

    def audit_documents(self, documents: Iterable[Document], chunk_chars: int = CHUNK_CHARS) -> Iterator[dict]:
        """Audit a stream of documents, one record each, in order: the same records as
        :meth:`audit_document` one by one, faster with the tagger, which tags the sentences of a
        chunk of documents (about ``chunk_chars`` characters) in shared forward passes."""
        tagger = self.nlp.get_pipe("medclaim_tagger") if "medclaim_tagger" in self.nlp.pipe_names else None
        if tagger is None:
            yield from map(self.audit_document, documents)
            return
        for chunk in chunks(documents, chunk_chars):
            yield from self._audit_chunk(chunk, tagger)

    def _audit_chunk(self, chunk: list[Document], tagger) -> Iterator[dict]:
        try:
            try:
                tagger.prepare([d.text for d in chunk if d.text and len(d.text) <= MAX_CHARS])
            except Exception:  # noqa: BLE001  (a document that breaks the shared pass is tagged alone, and fails alone)
                tagger.forget()
            for document in chunk:
                yield self.audit_document(document)
        finally:
            tagger.forget()

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(text)
        norm = doc_norm(doc)
        sentences = sentence_offsets(doc)
        entities = doc_entities(doc)
        numbers = self.recognizer.find(norm)
        analysis = Analysis(text=text, norm=norm, doc=doc, sentences=sentences, entities=entities, numbers=numbers)
        return analysis

    def audit_document(self, document: Document) -> dict:
        errors = list(document.errors)
        record = empty_record(document)
        if not document.text:
            record["errors"] = errors
            return record
        if len(document.text) > MAX_CHARS:
            record["errors"] = errors + [f"{document.path or document.id}: too long to audit: {len(document.text):,} "
                                         f"characters (the limit is {MAX_CHARS:,}); split it into articles"]
            return record
        try:
            with self.nlp.memory_zone():
                # spaCy's string store would keep every new word of every document (a batch of
                # millions grows without end); strings made inside the zone go with it. Nothing
                # of the Doc outlives it: the record holds plain offsets and strings.
                parts = self._parts(document.text)
        except Exception as exc:  # one bad document must not stop a batch
            record["errors"] = errors + [f"{document.path or document.id}: analysis failed: {exc.__class__.__name__}: {exc}"]
            return record
        record.update(parts)
        record["errors"] = errors
        return record

    def _parts(self, text: str) -> dict:
        """The record's sentences, (tokens,) entities, numbers, claims and flags for ``text``."""
        record: dict = {}
        analysis = self.analyse(text)
        flags = []
        for check in self.checks:
            flags.extend(f for f in check(analysis) if not disabled(f.code, self.disable))
        # Claims after the checks: they read the units that percent_lost inferred.
        analysis.claims = build_claims(analysis)
        flags.extend(self.rules(analysis))
        flags = merge_same_span(flags)
        _link_flags_to_claims(flags, analysis.claims)
        record["sentences"] = [{"start": s, "end": e} for s, e in analysis.sentences]
        if self.tokens:
            record["tokens"] = [{"start": s, "end": e} for s, e in word_spans(analysis.doc)]
        record["entities"] = [e.to_dict(text) for e in analysis.entities]
        record["numbers"] = [n.to_dict(text) for n in analysis.numbers]
        record["claims"] = [c.to_dict(text) for c in analysis.claims]
        flags.sort(key=lambda f: (f.start, f.end, f.code))
        record["flags"] = [f.to_dict(text, f"F{i + 1}") for i, f in enumerate(flags)]
        return record


def _link_flags_to_claims(flags, claims) -> None:
    """Each flag gets the first claim (in claim order) whose span holds it.

    Claims end at their numbers' ends, so their ends increase in claim order; the claims that end
    at or after a flag are a suffix, and the first of them that starts by the flag's start is the
    one. ``reach[i]``, the smallest start from claim i on, says whether any is left to find.
    """
    ends = [c.end for c in claims]
    if any(b < a for a, b in zip(ends, ends[1:])):  # not in end order: the plain scan
        for flag in flags:
            flag.claim = next((c.id for c in claims if c.start <= flag.start and flag.end <= c.end), flag.claim)
        return
    reach = [0] * len(claims)
    low = None
    for i in range(len(claims) - 1, -1, -1):
        low = claims[i].start if low is None else min(low, claims[i].start)
        reach[i] = low
    for flag in flags:
        i = bisect.bisect_left(ends, flag.end)
        while i < len(claims) and reach[i] <= flag.start:
            if claims[i].start <= flag.start:
                flag.claim = claims[i].id
                break
            i += 1


def empty_record(document: Document) -> dict:
    record = {"schema": SCHEMA_ID, "id": document.id, "source": document.source(), "text": document.text,
              "sentences": [], "entities": [], "numbers": [], "claims": [], "flags": [], "errors": []}
    return record
