"""medclaim: audit numeric, promotional and unverifiable claims in Chinese medical articles."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Auditor", "__version__"]


def __getattr__(name: str):
    # Imported lazily so that `import pipeline` (and the CLI's --help) stays fast.
    if name == "Auditor":
        from .audit import Auditor

        return Auditor
    raise AttributeError(name)
