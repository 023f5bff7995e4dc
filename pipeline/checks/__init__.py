"""Check families. A check is a callable ``check(analysis) -> list[Flag]``.

:func:`default_checks` is the list the auditor runs; the numeric checks and the rule packs register
here as they are added.
"""
from __future__ import annotations

from collections.abc import Callable

from ..analysis import Analysis
from ..flags import Flag

Check = Callable[[Analysis], list[Flag]]


def default_checks(percent_model: str | None = "default") -> list[Check]:
    """The numeric checks, in order (percent_lost first: later checks read the units it infers).
    ``percent_model``: the lost-% detector, ``"default"`` (shipped), a folder, or None (rules alone)."""
    from .consistency import check_consistency
    from .percent import PercentLost, check_ambiguous_magnitude, check_impossible
    from .statistics import check_statistics
    from .units import check_units

    return [PercentLost(percent_model), check_ambiguous_magnitude, check_impossible, check_units, check_consistency,
            check_statistics]
