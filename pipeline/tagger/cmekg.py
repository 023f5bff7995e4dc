"""Typed medical terms from PyCMeKG (the Chinese Medical Knowledge Graph package on PyPI, MIT licence).

The package ships its graph as a pickle of ``{subject: {predicate: [objects]}}``. A pickle can run
code when loaded, so it is read with an unpickler that refuses every global: only dicts, lists and
strings come out. The rules that turn predicates into medclaim labels are data, in
``maps/cmekg.yml``.
"""
from __future__ import annotations

import io
import pickle
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..resources import load_yaml


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"refused to load {module}.{name}: only plain containers and strings are allowed")


def load_plain_pickle(path: str | Path) -> object:
    """Unpickle ``path`` allowing no classes or functions at all (a malicious pickle raises)."""
    data = Path(path).read_bytes()
    try:
        return _PlainUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError) as exc:
        raise ValueError(f"{path}: not a plain pickle ({exc})") from None


def installed_pickle() -> Path:
    """The graph file of the installed PyCMeKG package (``pip install pycmekg``)."""
    import importlib.util

    spec = importlib.util.find_spec("pyCMeKG")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("PyCMeKG is not installed (pip install pycmekg), or pass --pickle PATH")
    path = Path(list(spec.submodule_search_locations)[0]) / "model" / "cmekg.pkl"
    if not path.exists():
        raise ValueError(f"{path}: the PyCMeKG graph file is missing")
    return path


@lru_cache(maxsize=1)
def rules() -> dict:
    return load_yaml((resources.files("pipeline.tagger") / "maps" / "cmekg.yml").read_text("utf-8"))


_CLEAN = re.compile(r"[（(\[［].*?[)）\]］]")
_NOISE = re.compile(r"^[\d.%％]+$|主要成[份分]|\d+(\.\d+)?(毫克|克|mg|g|ml|毫升)")


def _clean(term: object) -> str | None:
    """A usable surface form: bracketed qualifiers dropped, 2 to 20 characters, no list punctuation."""
    if not isinstance(term, str):
        return None
    term = _CLEAN.sub("", term).strip().strip('"“”')
    term = re.sub("(等等|等)$", "", term)
    if not 2 <= len(term) <= 20 or any(ch in term for ch in "，,、；;。：:/ ") or _NOISE.search(term):
        return None
    return term


def terms_from_graph(graph: object, source: str = "<graph>") -> dict[str, set[str]]:
    """Term -> medclaim labels, by the rules in ``maps/cmekg.yml``.

    >>> g = {"二甲双胍": {"成份": ["盐酸二甲双胍"], "适应症": ["2型糖尿病"]}, "2型糖尿病": {"常见症状": ["多尿"]}}
    >>> sorted((t, sorted(l)) for t, l in terms_from_graph(g).items())
    [('2型糖尿病', ['DISEASE']), ('二甲双胍', ['DRUG']), ('多尿', ['SYMPTOM']), ('盐酸二甲双胍', ['DRUG'])]
    """
    if not isinstance(graph, dict):
        raise ValueError(f"{source}: expected a mapping of subject to predicates")
    r = rules()
    table: dict[str, set[str]] = {}

    def add(term, label):
        term = _clean(term)
        if term:
            table.setdefault(term, set()).add(label)

    subject_label = {}
    for subject, preds in graph.items():
        if not isinstance(preds, dict):
            continue
        for label, keys in r["subjects"].items():
            if any(k in preds for k in keys):
                subject_label[subject] = label
                add(subject, label)
                break
    for subject, preds in graph.items():
        if not isinstance(preds, dict):
            continue
        for pred, values in preds.items():
            values = values if isinstance(values, list) else [values]
            label = r["objects"].get(pred)
            for value in values:
                if label:
                    add(value, label)
                elif pred in r["objects_if_subject"] and value in subject_label:
                    add(value, subject_label[value])
    for term in list(table):
        for suffix, label in r["suffixes"].items():
            if term.endswith(suffix):
                table[term] = {label}
    for label, pattern in r.get("object_patterns", {}).items():
        rx = re.compile(pattern)
        for term, labels in table.items():
            if "BIOMARKER" in labels and rx.search(term):
                labels.discard("BIOMARKER")
                labels.add(label)
    return table
