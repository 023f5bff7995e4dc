"""The statistical entity tagger (transformers): corpora readers, training, evaluation, wrapper.

The default model ships inside the package (``models/medclaim-zh``, installed as ``pipeline.models``)
and needs the tagger extra (torch, transformers) to run.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT = "default"
DEFAULT_MODEL = "medclaim-zh"


def default_model_dir() -> Path | None:
    """The shipped model's folder, or None when this install has none."""
    try:
        node = resources.files("pipeline.models") / DEFAULT_MODEL
    except ModuleNotFoundError:  # pragma: no cover - a build without the models package
        return None
    path = Path(str(node))
    return path if (path / "config.json").is_file() else None


def tagger_available() -> bool:
    """Whether the tagger extra is installed (torch and transformers import)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers"))


def resolve_model(model: str | None) -> str | None:
    """``"default"`` -> the shipped model's folder (None without the tagger extra or the model);
    a path stays a path; None stays None."""
    if model != DEFAULT:
        return model
    path = default_model_dir()
    if path is None or not tagger_available():
        return None
    return str(path)
