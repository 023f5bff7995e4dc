"""Access to data shipped inside the package (works from a wheel, not only a checkout)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable


def seed_path(*parts: str) -> Traversable:
    """A file or folder under the built-in ``seeds/`` data, e.g. ``seed_path("lexicon")``."""
    node = resources.files("pipeline.seeds")
    for part in parts:
        node = node / part
    return node


@lru_cache(maxsize=None)
def result_schema() -> dict:
    """The result record's JSON Schema (``pipeline/schema/result.schema.json``)."""
    return json.loads((resources.files("pipeline.schema") / "result.schema.json").read_text("utf-8"))


SCHEMA_ID = "medclaim/result@1"


def load_yaml(text: str):
    """YAML parsed safely, with libyaml's C parser where PyYAML was built with it (5x faster than the
    pure-Python one on the rule packs)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def jieba_dictionary_digest() -> str:
    """SHA-256 of jieba's main dictionary file, read and hashed once a process: the disk cache's
    entries built from that dictionary key on it (``pipeline.cache``)."""
    import hashlib

    import jieba

    with jieba.get_dict_file() as fh:
        return hashlib.sha256(fh.read()).hexdigest()
