"""Corpus readers: annotated text in several formats to ``Example(text, spans)``.

Formats: ``jsonl`` (medclaim spans, also what the HTML report's review export writes:
``{"text", "spans": [{"start", "end", "label"}], "answer"}``), ``cmeee`` (CMeEE v1 JSON with inclusive
``end_idx``) and ``cmeee-v2`` (exclusive ends), ``conll`` (BIO, one character or word per line with
its tag, blank lines between sentences), ``doccano`` (JSONL with ``label: [[start, end, label]]`` or
``entities``), ``labelstudio`` (a JSON export of tasks). Every reader rejects malformed input with a
:class:`CorpusError` naming the file and line.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..jsonl import json_objects
from .labels import label_set, load_label_map

FORMATS = ("jsonl", "cmeee", "cmeee-v2", "conll", "doccano", "labelstudio")


class CorpusError(ValueError):
    """Malformed corpus input; the message names the file and line."""


@dataclass
class Example:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    source: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "spans": [{"start": s, "end": e, "label": l} for s, e, l in self.spans]}


def detect_format(path: str | Path) -> str:
    path = Path(path)
    name = path.name.lower()
    if name.endswith((".conll", ".bio", ".bmes", ".tsv", ".txt")):
        return "conll"
    if name.endswith(".json"):
        head = path.read_text("utf-8", errors="replace").lstrip()[:2000]
        return "labelstudio" if '"annotations"' in head or '"data"' in head else "cmeee"
    with path.open(encoding="utf-8", errors="replace") as fh:
        first = next((line for line in fh if line.strip()), "")
    if '"start_idx"' in first or '"entities"' in first and '"type"' in first:
        return "cmeee"
    if '"label"' in first and '"spans"' not in first:
        return "doccano"
    return "jsonl"


def read_corpus(paths: Iterable[str | Path], fmt: str = "auto", label_map: str | None = None) -> Iterator[Example]:
    """Examples from every file in ``paths``; labels go through ``label_map`` when one is given."""
    for path in paths:
        path = Path(path)
        kind = detect_format(path) if fmt == "auto" else fmt
        if kind not in FORMATS:
            raise CorpusError(f"{path}: unknown format {kind!r} (one of {', '.join(FORMATS)})")
        mapping = load_label_map(label_map) if label_map else (load_label_map("cmeee") if kind.startswith("cmeee") else None)
        reader = {"jsonl": _jsonl, "cmeee": _cmeee, "cmeee-v2": _cmeee, "conll": _conll,
                  "doccano": _doccano, "labelstudio": _labelstudio}[kind]
        try:
            for example in reader(path, kind):
                yield _map_labels(example, mapping)
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _map_labels(example: Example, mapping: dict | None) -> Example:
    known = label_set()
    spans = []
    for s, e, label in example.spans:
        if mapping is not None:
            if label not in mapping:
                raise CorpusError(f"{example.source}: label {label!r} is not in the label map")
            label = mapping[label]
            if label is None:
                continue
        elif label not in known:
            raise CorpusError(f"{example.source}: unknown label {label!r} (use --label-map to map it)")
        spans.append((s, e, label))
    example.spans = spans
    return example


def _check_spans(text: str, spans: list[tuple[int, int, str]], where: str) -> None:
    for s, e, label in spans:
        if not isinstance(s, int) or not isinstance(e, int) or isinstance(s, bool) or isinstance(e, bool):
            raise CorpusError(f"{where}: span offsets must be whole numbers, got {s!r}, {e!r}")
        if s < 0 or e > len(text):
            raise CorpusError(f"{where}: span {s}-{e} ({label}) is outside the text of length {len(text)}")
        if e <= s:
            raise CorpusError(f"{where}: span {s}-{e} ({label}) is empty or reversed")


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    return json_objects(path, CorpusError)


def _text_of(record: dict, where: str, key: str = "text") -> str:
    text = record.get(key)
    if not isinstance(text, str):
        raise CorpusError(f"{where}: field {key!r} is missing or not a string")
    return text


def _jsonl(path: Path, kind: str) -> Iterator[Example]:
    for lineno, record in _json_lines(path):
        where = f"{path}:{lineno}"
        if record.get("answer") in ("reject", "ignore"):
            continue
        text = _text_of(record, where)
        raw = record.get("spans", [])
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            raise CorpusError(f"{where}: field 'spans' must be a list of objects")
        try:
            spans = [(x["start"], x["end"], x["label"]) for x in raw]
        except KeyError as exc:
            raise CorpusError(f"{where}: a span lacks {exc.args[0]!r}") from None
        _check_spans(text, spans, where)
        yield Example(text, spans, where)


def _json_list(path: Path, what: str) -> list:
    """A whole-file JSON list (CMeEE .json, Label Studio exports)."""
    try:
        records = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    if not isinstance(records, list):
        raise CorpusError(f"{path}: expected a JSON list of {what}")
    return records


def _cmeee(path: Path, kind: str) -> Iterator[Example]:
    inclusive = kind == "cmeee"
    if path.suffix.lower() == ".json":
        items = list(enumerate(_json_list(path, "sentences"), 1))
    else:
        items = list(_json_lines(path))
    for lineno, record in items:
        where = f"{path}:{lineno}"
        if not isinstance(record, dict):
            raise CorpusError(f"{where}: expected a JSON object")
        text = _text_of(record, where)
        spans = []
        for ent in record.get("entities", []):
            try:
                s, e, label = ent["start_idx"], ent["end_idx"], ent["type"]
            except (KeyError, TypeError):
                raise CorpusError(f"{where}: an entity lacks start_idx, end_idx or type") from None
            if isinstance(e, int):
                e = e + 1 if inclusive else e
            spans.append((s, e, label))
        for (s, e, label), ent in zip(spans, record.get("entities", [])):
            if "entity" in ent and isinstance(s, int) and isinstance(e, int) and text[s:e] != ent["entity"]:
                ends = "inclusive (v1)" if inclusive else "exclusive (V2)"
                raise CorpusError(f"{where}: span {s}-{e} reads {text[s:e]!r}, not {ent['entity']!r}; "
                                  f"are the ends {ends}? (--format cmeee or cmeee-v2)")
        try:
            _check_spans(text, spans, where)
        except CorpusError as exc:
            ends = "inclusive (v1)" if inclusive else "exclusive (V2)"
            raise CorpusError(f"{exc}; are the ends {ends}? (--format cmeee or cmeee-v2)") from None
        yield Example(text, spans, where)


def _conll(path: Path, kind: str) -> Iterator[Example]:
    tokens: list[tuple[str, str, int]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            stripped = line.rstrip("\n").rstrip("\r")
            if not stripped.strip():
                if tokens:
                    yield _bio_example(tokens, path)
                    tokens = []
                continue
            if stripped.startswith("-DOCSTART-"):
                continue
            parts = stripped.split()
            if len(parts) < 2:
                raise CorpusError(f"{path}:{lineno}: expected a token and its tag")
            tokens.append((parts[0], parts[-1], lineno))
    if tokens:
        yield _bio_example(tokens, path)


def _bio_example(tokens: list[tuple[str, str, int]], path: Path) -> Example:
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    current: list | None = None
    for i, (token, tag, lineno) in enumerate(tokens):
        # Latin words in a word-level file are separated by a space; Chinese characters are not.
        if i and token[:1].isascii() and token[:1].isalnum() and text_parts[-1][-1:].isascii() and text_parts[-1][-1:].isalnum():
            text_parts.append(" ")
            pos += 1
        start = pos
        text_parts.append(token)
        pos += len(token)
        prefix, _, label = tag.partition("-")
        if tag == "O":
            current = None
            continue
        if prefix in ("B", "S"):
            current = [start, pos, label]
            spans.append(current)
            if prefix == "S":
                current = None
        elif prefix in ("I", "M", "E"):
            if current is None or current[2] != label:
                raise CorpusError(f"{path}:{lineno}: tag {tag} continues no {label} entity (after O or another type)")
            current[1] = pos
            if prefix == "E":
                current = None
        else:
            raise CorpusError(f"{path}:{lineno}: tag {tag!r} is not BIO/BIOES (B-X, I-X, E-X, S-X or O)")
    text = "".join(text_parts)
    return Example(text, [(s, e, l) for s, e, l in spans], f"{path}:{tokens[0][2]}")


def _doccano(path: Path, kind: str) -> Iterator[Example]:
    for lineno, record in _json_lines(path):
        where = f"{path}:{lineno}"
        text = _text_of(record, where, "text" if "text" in record else "data")
        raw = record.get("label", record.get("labels"))
        spans = []
        if raw is not None:
            if not isinstance(raw, list):
                raise CorpusError(f"{where}: field 'label' must be a list of [start, end, label]")
            for item in raw:
                if not (isinstance(item, list) and len(item) == 3):
                    raise CorpusError(f"{where}: each label must be [start, end, label]")
                spans.append(tuple(item))
        for ent in record.get("entities", []):
            try:
                spans.append((ent["start_offset"], ent["end_offset"], ent["label"]))
            except (KeyError, TypeError):
                raise CorpusError(f"{where}: an entity lacks start_offset, end_offset or label") from None
        _check_spans(text, spans, where)
        yield Example(text, spans, where)


def _labelstudio(path: Path, kind: str) -> Iterator[Example]:
    for i, task in enumerate(_json_list(path, "tasks"), 1):
        where = f"{path}: task {i}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise CorpusError(f"{where}: expected an object with 'data'")
        text = _text_of(task["data"], where)
        annotations = task.get("annotations") or task.get("completions") or []
        spans = []
        if annotations:
            for result in annotations[-1].get("result", []):  # the latest annotation wins
                value = result.get("value", {})
                if "start" not in value or "labels" not in value:
                    continue
                for label in value["labels"]:
                    spans.append((value["start"], value["end"], label))
        _check_spans(text, spans, where)
        yield Example(text, spans, where)


def load_dataset(paths: list[str], fmt: str = "auto", label_map: str | None = None):
    """The examples as a ``datasets.Dataset``, built by a generator (streamed to an Arrow cache, so a
    large corpus is not held in memory) and ready for ``.map(..., num_proc=N)``."""
    import datasets

    def generate(paths, fmt, label_map):
        for ex in read_corpus(paths, fmt, label_map):
            yield {"text": ex.text, "starts": [s for s, _, _ in ex.spans], "ends": [e for _, e, _ in ex.spans],
                   "labels": [l for _, _, l in ex.spans]}

    return datasets.Dataset.from_generator(generate, gen_kwargs={"paths": [str(p) for p in paths], "fmt": fmt,
                                                                 "label_map": label_map})
