"""Run rule packs over an analysed document and turn their matches into flags."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..analysis import Analysis
from ..flags import Flag
from ..numbers.recognizer import hide_long_runs
from .context import assess
from .model import PLACEHOLDER, Rule, expand_fragments
from .prefilter import with_lookahead
from .promotion import judge
from .scripts import SCRIPTS

SEVERITY_DOWN = {"error": "info", "warning": "info", "info": "info"}
CONTEXT_NOTE = {"zh": {"quoted": "（引述他人的说法，非作者主张）", "hedged": "（推测语气）", "question": "（问句，非断言）",
                       "unpromoted": "（所在段落读来是科普或资讯，不像广告，仅供核对）", "refuting": "（文章在辟谣，此说法仅供核对）",
                       "cited": "（句中引述研究，非推销，仅供核对）", "research": "（文章是研究报告，此说法仅供核对）",
                       "news": "（文章是新闻报道，句中没有推销者的口吻，仅供核对）"},
                "en": {"quoted": " (quoted from others, not the author's claim)", "hedged": " (hedged)",
                       "question": " (asked, not asserted)",
                       "unpromoted": " (the passage reads as information, not promotion; for checking only)",
                       "refuting": " (the article is a fact-check; for checking only)",
                       "cited": " (the sentence reports a study, not a sales claim; for checking only)",
                       "research": " (the text is a research report; for checking only)",
                       "news": " (the text is a news report with no seller's voice in the sentence; for checking only)"}}


class Matcher:
    """A list of terms, regular expressions and placeholders (<DISEASE>, <NUM>, <MONEY>, <PERCENT>)."""

    def __init__(self, items: list[str]) -> None:
        self.labels = [m.group(1) for i in items if (m := PLACEHOLDER.fullmatch(i))]
        regexes = [i for i in items if not PLACEHOLDER.fullmatch(i)]
        self.regex = compile_scan("|".join(f"(?:{r})" for r in regexes)) if regexes else None

    def spans(self, a: Analysis, scope: tuple[int, int]) -> list[tuple[int, int]]:
        out = []
        if self.regex is not None:
            out += [m.span() for m in self.regex.finditer(scan_text(a), scope[0], scope[1]) if m.end() > m.start()]
        for label in self.labels:
            out += spans_within(a, label, scope)
        return sorted(out)


def compile_scan(pattern: str) -> re.Pattern:
    """A rule expression compiled to scan whole texts: behind a look-ahead for the characters its
    matches can start with, where they can be listed (:mod:`pipeline.rules.prefilter`); same matches."""
    return re.compile(with_lookahead(pattern))


def scan_text(a: Analysis) -> str:
    """The text rule expressions run on: the normalised text with over-long digit runs blanked out
    (see :func:`pipeline.numbers.recognizer.hide_long_runs`), made once a document."""
    cached = a.__dict__.get("_scan_text")
    if cached is None:
        cached = a.__dict__["_scan_text"] = hide_long_runs(a.norm)
    return cached


def spans_within(a: Analysis, label: str, scope: tuple[int, int]) -> list[tuple[int, int]]:
    """The placeholder's spans inside ``scope`` (found by bisection: rules ask once a sentence)."""
    spans = placeholder_spans(a, label)
    starts = a.__dict__.setdefault("_placeholder_starts", {})
    if label not in starts:
        starts[label] = [s for s, _ in spans]
    i = bisect.bisect_left(starts[label], scope[0])
    out = []
    while i < len(spans) and spans[i][0] < scope[1]:
        if spans[i][1] <= scope[1]:
            out.append(spans[i])
        i += 1
    return out


def placeholder_spans(a: Analysis, label: str) -> list[tuple[int, int]]:
    """Spans of a placeholder's entities or numbers, sorted."""
    cache = a.__dict__.setdefault("_placeholder_spans", {})
    if label not in cache:
        if label == "NUM":
            spans = [(n.start, n.end) for n in a.numbers]
        elif label == "MONEY":
            spans = [(n.start, n.end) for n in a.numbers if n.kind == "money" or n.dimension == "money"]
        elif label == "PERCENT":
            spans = [(n.start, n.end) for n in a.numbers if n.unit == "%"]
        else:
            spans = [(e.start, e.end) for e in a.entities if e.label == label]
        cache[label] = sorted(spans)
    return cache[label]


class CompiledRule:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        o = rule.options
        self.regex = None
        if rule.extends == "existence":
            alts = [re.escape(t) for t in o.get("tokens", [])] + expand_fragments(o.get("patterns", []), o.get("define", {}))
            self.regex = compile_scan("|".join(f"(?:{x})" for x in sorted(alts, key=len, reverse=True)))
        elif rule.extends == "substitution":
            self.swap = dict(o["swap"])
            self.regex = compile_scan("|".join(re.escape(k) for k in sorted(self.swap, key=len, reverse=True)))
        elif rule.extends == "pattern" and not PLACEHOLDER.search(o["pattern"]):
            self.regex = compile_scan(o["pattern"])
        if rule.extends == "pattern" and self.regex is None:
            # Placeholders stand for the texts of a sentence's entities or numbers, so the exact
            # expression is compiled per sentence; this one, with any text in their place, matches
            # wherever the exact one can and is compiled once: sentences it misses are skipped.
            self.loose = compile_scan(PLACEHOLDER.sub(lambda m: r"(?:[\s\S]+?)", o["pattern"]))
        self.first = Matcher(o["first"]) if "first" in o else None
        self.second = Matcher(o["second"]) if "second" in o else None
        self.requires = Matcher(o["requires"]) if "requires" in o else None
        self.unless = Matcher(o["unless"]) if "unless" in o else None
        self.exceptions = [x for x in rule.exceptions]

    def scopes(self, a: Analysis) -> list[tuple[int, int]]:
        if self.rule.scope == "document":
            return [(0, len(a.norm))]
        if self.rule.scope == "paragraph":
            return a.paragraphs
        return a.sentences

    def hits(self, a: Analysis, engine: "RuleEngine") -> list[tuple[int, int, dict]]:
        kind = self.rule.extends
        out: list[tuple[int, int, dict]] = []
        if self.regex is not None:
            for m in self.regex.finditer(scan_text(a)):
                if m.end() > m.start():
                    extra = {"suggestion": self.swap[m.group(0)]} if kind == "substitution" else {}
                    out.append((m.start(), m.end(), extra))
        elif kind == "pattern":
            for scope in a.sentences:
                if not self.loose.search(scan_text(a), scope[0], scope[1]):
                    continue
                pattern = self._resolve(a, scope)
                if pattern is not None:
                    out += [(m.start(), m.end(), {}) for m in pattern.finditer(scan_text(a), scope[0], scope[1])
                            if m.end() > m.start()]
        elif kind == "proximity":
            dist = self.rule.options.get("max_distance", 20)
            for scope in self.scopes(a):
                firsts = self.first.spans(a, scope)
                if not firsts:
                    continue
                seconds = self.second.spans(a, scope)
                starts = [b[0] for b in seconds]
                longest = max((b[1] - b[0] for b in seconds), default=0)
                for s, e in firsts:
                    # seconds are sorted by start: the first within reach starts no earlier than this
                    i = bisect.bisect_left(starts, s - dist - longest)
                    while i < len(seconds) and seconds[i][0] <= e + dist:
                        b = seconds[i]
                        if b != (s, e) and max(b[0] - e, s - b[1], 0) <= dist:
                            out.append((s, e, {"related": [b]}))
                            break
                        i += 1
        elif kind == "conditional":
            for scope in self.scopes(a):
                firsts = self.first.spans(a, scope)
                if not firsts:
                    continue
                if self.requires is not None and not self.requires.spans(a, scope):
                    continue
                if self.unless is not None and self.unless.spans(a, scope):
                    continue
                kept = sorted(h for h in firsts if not self._excepted(a.norm, h[0], h[1]))
                if kept:  # the condition holds for the scope: one flag, at its first cue
                    out.append((kept[0][0], kept[0][1], {}))
        elif kind == "script":
            out += SCRIPTS[self.rule.options["script"]](a, self.rule, engine)
        return [h for h in out if not self._excepted(a.norm, h[0], h[1])]

    def _resolve(self, a: Analysis, scope: tuple[int, int]) -> re.Pattern | None:
        missing = False

        def sub(m: re.Match) -> str:
            nonlocal missing
            texts = {a.norm[s:e] for s, e in spans_within(a, m.group(1), scope)}
            if not texts:
                missing = True
                return "(?!)"
            return "(?:" + "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)) + ")"

        pattern = PLACEHOLDER.sub(sub, self.rule.options["pattern"])
        return None if missing else _compile(pattern)

    def _excepted(self, norm: str, start: int, end: int) -> bool:
        for exc in self.exceptions:
            lo = max(0, start - len(exc) + 1)
            pos = norm.find(exc, lo, end + len(exc) - 1)
            while pos != -1 and pos <= start:
                if pos + len(exc) >= end:
                    return True
                pos = norm.find(exc, pos + 1, end + len(exc) - 1)
        return False


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern)


class RuleEngine:
    """``RuleEngine(rules, lang)(analysis) -> list[Flag]``; usable as one of the auditor's checks."""

    def __init__(self, rules: list[Rule], lang: str = "zh", jieba_tokenizer=None) -> None:
        self.rules = rules
        self.lang = lang
        self.jieba = jieba_tokenizer
        self.compiled = [CompiledRule(r) for r in rules]
        # the advertorial model that sets outside_promotion severities: the one the advertorial rule names
        self.promotion_model = next((r.options.get("params", {}).get("model", "default") for r in rules
                                     if r.extends == "script" and r.options.get("script") == "advertorial"), "default")
        from ..checks.advertorial import load_model
        from .model import RuleError

        try:
            load_model(self.promotion_model)
        except ValueError as exc:
            raise RuleError(f"AdLaw.Advertorial params.model: {exc}") from None
        self._word_tags: dict[str, str] | None = None

    def word_tags(self) -> dict[str, str]:
        """Part-of-speech tags of jieba's dictionary words (loaded on first use)."""
        if self._word_tags is None:
            import jieba.posseg

            self._word_tags = jieba.posseg.POSTokenizer(self.jieba).word_tag_tab if self.jieba else {}
        return self._word_tags

    def __call__(self, a: Analysis) -> list[Flag]:
        flags: list[Flag] = []
        for compiled in self.compiled:
            rule = compiled.rule
            seen = set()
            for start, end, extra in compiled.hits(a, self):
                if (start, end) in seen:
                    continue
                seen.add((start, end))
                flag = self._flag(a, rule, start, end, extra)
                if flag is not None:
                    flags.append(flag)
        return flags

    def _flag(self, a: Analysis, rule: Rule, start: int, end: int, extra: dict) -> Flag | None:
        labels: set[str] = set()
        if rule.context:
            labels = assess(a.norm, a.sentence_of(start), a.paragraph_of(start), start, end,
                            cache=a.__dict__.setdefault("_context", {}))
            if "negated" in labels:
                return None
        severity = rule.severity
        message = rule.message.get(self.lang) or next(iter(rule.message.values()))
        if "match" in extra:
            quote = extra["match"]
        else:
            qs, qe = a.word_edges(start, end)
            quote = a.text[qs:qe]
        message = message.replace("{match}", quote)
        notes = CONTEXT_NOTE["en" if self.lang == "en" else "zh"]
        if "quoted" in labels:
            severity = SEVERITY_DOWN[severity]
            message += notes["quoted"]
        elif "question" in labels:
            severity = SEVERITY_DOWN[severity]
            message += notes["question"]
        elif "hedged" in labels:
            message += notes["hedged"]
        if rule.outside_promotion and severity != rule.outside_promotion:
            reason = judge(a, start, end, rule.category, labels, self.promotion_model)
            if reason is not None:
                severity = rule.outside_promotion
                labels.add(reason)
                if reason != "hedged":  # hedged has its note already
                    message += notes[reason]
        return Flag(start, end, rule.category, rule.id, severity, message,
                    suggestion=extra.get("suggestion", rule.suggestion), reference=rule.reference,
                    related=extra.get("related", []), context=sorted(labels))
