"""Check families. A check is a callable ``check(analysis) -> list[Flag]``.

:func:`default_checks` is the list the auditor runs; the numeric checks and the rule packs register
here as they are added.
"""
from __future__ import annotations

from collections.abc import Callable

from ..analysis import Analysis
from ..flags import Flag

Check = Callable[[Analysis], list[Flag]]


def default_checks() -> list[Check]:
    return []
