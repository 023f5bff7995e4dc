"""A rule as data: one YAML file, id ``Pack.Rule``, validated against an allow-list of keys.

Shared keys: ``extends`` (the check type), ``category``, ``severity``, ``message`` (a string, or
``{zh: ..., en: ...}``; ``{match}`` stands for the matched text), ``description``, ``reference``,
``link``, ``suggestion``, ``scope`` (sentence, paragraph, document), ``exceptions``, ``context``
(apply negation/hedge/quotation/question cues, default true), ``outside_promotion`` (the severity a
flag takes in a passage that the advertorial model does not read as promotion: the advertising-law
rules govern advertising, not a sober article's 最常见) and ``examples`` (``positive`` and ``negative``
sentences that ``medclaim rules test`` and the test suite run). Each check type adds its own keys.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..resources import result_schema

SHARED_KEYS = {"extends", "category", "severity", "message", "description", "reference", "link", "suggestion",
               "scope", "exceptions", "context", "outside_promotion", "examples"}
TYPE_KEYS = {
    "existence": {"tokens", "patterns", "define"},
    "substitution": {"swap"},
    "pattern": {"pattern"},
    "proximity": {"first", "second", "max_distance"},
    "conditional": {"first", "requires", "unless"},
    "script": {"script", "params"},
}
SCOPES = ("sentence", "paragraph", "document")
SEVERITIES = ("error", "warning", "info")
PLACEHOLDER = re.compile(r"<([A-Z_]+)>")
FRAGMENT = re.compile(r"<<([A-Z_]+)>>")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the key."""


def categories() -> list[str]:
    return list(result_schema()["$defs"]["category"]["enum"])


@dataclass
class Rule:
    id: str
    extends: str
    category: str
    severity: str
    message: dict[str, str]
    path: str = ""
    description: str = ""
    reference: str | None = None
    link: str | None = None
    suggestion: str | None = None
    scope: str = "sentence"
    exceptions: list[str] = field(default_factory=list)
    context: bool = True
    outside_promotion: str | None = None
    examples: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # the check type's own keys

    @classmethod
    def from_dict(cls, rule_id: str, data: Any, path: str = "<dict>") -> "Rule":
        def fail(key: str, problem: str) -> RuleError:
            return RuleError(f"{path}: key '{key}' {problem}")

        if not isinstance(data, dict):
            raise RuleError(f"{path}: expected a mapping of rule keys")
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*", rule_id):
            raise RuleError(f"{path}: rule id {rule_id!r} must be Pack.Rule (folder and file name in CamelCase)")
        extends = data.get("extends")
        if extends not in TYPE_KEYS:
            raise fail("extends", f"must be one of {', '.join(TYPE_KEYS)}, not {extends!r}")
        allowed = SHARED_KEYS | TYPE_KEYS[extends]
        for key in data:
            if key not in allowed:
                raise RuleError(f"{path}: unknown key '{key}' for a {extends} rule")
        if data.get("category") not in categories():
            raise fail("category", f"must be one of the contract's categories, not {data.get('category')!r}")
        if data.get("severity") not in SEVERITIES:
            raise fail("severity", f"must be error, warning or info, not {data.get('severity')!r}")
        message = data.get("message")
        if isinstance(message, str):
            message = {"zh": message, "en": message}
        if not isinstance(message, dict) or not message or not all(isinstance(v, str) for v in message.values()):
            raise fail("message", "must be a string or a mapping such as {zh: ..., en: ...}")
        bad_lang = set(message) - {"zh", "en"}
        if bad_lang:
            raise fail("message", f"has unknown language {sorted(bad_lang)[0]!r} (zh or en)")
        scope = data.get("scope", "sentence")
        if scope not in SCOPES:
            raise fail("scope", f"must be sentence, paragraph or document, not {scope!r}")
        exceptions = data.get("exceptions") or []
        if not isinstance(exceptions, list) or not all(isinstance(x, str) for x in exceptions):
            raise fail("exceptions", "must be a list of strings")
        examples = data.get("examples") or {}
        if not isinstance(examples, dict) or set(examples) - {"positive", "negative"} or not all(
                isinstance(v, list) and all(isinstance(s, str) for s in v) for v in examples.values()):
            raise fail("examples", "must be {positive: [sentences], negative: [sentences]}")
        outside = data.get("outside_promotion")
        if outside is not None and outside not in SEVERITIES:
            raise fail("outside_promotion", f"must be error, warning or info, not {outside!r}")
        options = {k: data[k] for k in TYPE_KEYS[extends] if k in data}
        _check_options(extends, options, fail)
        return cls(id=rule_id, extends=extends, category=data["category"], severity=data["severity"],
                   message=message, path=path, description=str(data.get("description") or ""),
                   reference=data.get("reference"), link=data.get("link"), suggestion=data.get("suggestion"),
                   scope=scope, exceptions=exceptions, context=bool(data.get("context", True)), outside_promotion=outside,
                   examples={k: list(v) for k, v in examples.items()}, options=options)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"extends": self.extends, "category": self.category, "severity": self.severity,
                               "message": dict(self.message)}
        for key in ("description", "reference", "link", "suggestion"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.scope != "sentence":
            out["scope"] = self.scope
        if self.exceptions:
            out["exceptions"] = list(self.exceptions)
        if not self.context:
            out["context"] = False
        if self.outside_promotion:
            out["outside_promotion"] = self.outside_promotion
        out.update(self.options)
        if self.examples:
            out["examples"] = {k: list(v) for k, v in self.examples.items()}
        return out


def _regex_list(key: str, value: Any, fail) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise fail(key, "must be a non-empty list of strings (terms or regular expressions)")
    for i, item in enumerate(value, 1):
        if PLACEHOLDER.fullmatch(item):
            continue
        try:
            re.compile(item)
        except re.error as exc:
            raise fail(key, f"item {i} is not a valid regular expression: {exc}") from None


def expand_fragments(patterns: list[str], define: dict[str, str]) -> list[str]:
    """An existence rule's patterns with each ``<<NAME>>`` replaced by the rule's ``define: {NAME: regex}``
    (a list of terms written once and used in several patterns)."""
    def one(m: re.Match) -> str:
        if m.group(1) not in define:
            raise KeyError(m.group(1))
        return f"(?:{define[m.group(1)]})"
    return [FRAGMENT.sub(one, p) for p in patterns]


def _check_options(extends: str, options: dict, fail) -> None:
    if extends == "existence":
        if not options.get("tokens") and not options.get("patterns"):
            raise fail("tokens", "or 'patterns' is required for an existence rule")
        define = options.get("define", {})
        if not isinstance(define, dict) or not all(isinstance(k, str) and FRAGMENT.fullmatch(f"<<{k}>>")
                                                   and isinstance(v, str) for k, v in define.items()):
            raise fail("define", "must map NAMES in capitals to regular expressions, used in patterns as <<NAME>>")
        for key in ("tokens", "patterns"):
            if key in options:
                value = options[key]
                if key == "patterns" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                    try:
                        value = expand_fragments(value, define)
                    except KeyError as exc:
                        raise fail("patterns", f"<<{exc.args[0]}>> is not in the rule's define") from None
                _regex_list(key, value if key == "patterns" else [re.escape(t) for t in value], fail)
    elif extends == "substitution":
        swap = options.get("swap")
        if not isinstance(swap, dict) or not swap or not all(isinstance(k, str) and isinstance(v, str) for k, v in swap.items()):
            raise fail("swap", "must be a mapping of text to its replacement")
    elif extends == "pattern":
        pat = options.get("pattern")
        if not isinstance(pat, str):
            raise fail("pattern", "must be a regular expression (entity labels as <DISEASE>, numbers as <NUM>)")
        try:
            re.compile(PLACEHOLDER.sub("x", pat))
        except re.error as exc:
            raise fail("pattern", f"is not a valid regular expression: {exc}") from None
    elif extends == "proximity":
        _regex_list("first", options.get("first"), fail)
        _regex_list("second", options.get("second"), fail)
        dist = options.get("max_distance", 20)
        if not isinstance(dist, int) or dist < 0:
            raise fail("max_distance", "must be a non-negative whole number of characters")
    elif extends == "conditional":
        _regex_list("first", options.get("first"), fail)
        if "requires" not in options and "unless" not in options:
            raise fail("unless", "or 'requires' is required for a conditional rule")
        for key in ("requires", "unless"):
            if key in options:
                _regex_list(key, options[key], fail)
    elif extends == "script":
        from .scripts import SCRIPTS

        if options.get("script") not in SCRIPTS:
            raise fail("script", f"must name a registered script ({', '.join(sorted(SCRIPTS))})")
        if not isinstance(options.get("params", {}), dict):
            raise fail("params", "must be a mapping")
