"""The label set (``labels.yml``) and mapping tables from other annotation schemes (``maps/``)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..resources import load_yaml


@lru_cache(maxsize=None)
def label_set() -> dict[str, dict]:
    return load_yaml((resources.files("pipeline.tagger") / "labels.yml").read_text("utf-8"))


def load_label_map(name_or_path: str) -> dict[str, str | None]:
    """A mapping table: a built-in name (cmeee, msra, cmedqaner) or a YAML file of ``source: TARGET``."""
    path = Path(name_or_path)
    if path.suffix in (".yml", ".yaml") and path.exists():
        text, shown = path.read_text("utf-8"), str(path)
    else:
        node = resources.files("pipeline.tagger") / "maps" / f"{name_or_path}.yml"
        if not node.is_file():
            raise ValueError(f"--label-map {name_or_path}: no such file or built-in map (cmeee, msra, cmedqaner)")
        text, shown = node.read_text("utf-8"), f"maps/{name_or_path}.yml"
    data = load_yaml(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{shown}: expected a mapping of source label to medclaim label")
    known = set(label_set())
    for source, target in data.items():
        if target is not None and target not in known:
            raise ValueError(f"{shown}: label {source!r} maps to unknown label {target!r}")
    return {str(k): v for k, v in data.items()}
