"""Imported first by every module that imports spaCy (see :func:`spacy_without_torch`)."""
from __future__ import annotations

import sys


def spacy_without_torch() -> None:
    """Import spaCy without letting thinc import torch (0.9 s, and most of an audit's memory).

    thinc imports torch when it is installed, to offer PyTorch layers medclaim does not use; the
    tagger imports torch itself when a model is loaded. torch is hidden only while spaCy is first
    imported, and only if nothing has imported either yet.
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails while this stands
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


spacy_without_torch()
