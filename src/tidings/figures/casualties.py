"""Killed and injured counts from figures, for the events stage to fill fatalities/injured."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tidings.article import Quantity


class Casualties(NamedTuple):
    killed: int | None
    injured: int | None


def casualties(quantities: Iterable[Quantity], start: int = 0, end: int | None = None) -> Casualties:
    """Killed and injured within `[start, end)`.

    Figures for different counted groups add up ("five soldiers and two civilians were killed"
    -> 7); figures for the same group keep the lowest, as ACLED codes conflicting reports.
    """
    inside = [q for q in quantities if q.start >= start and (end is None or q.end <= end) and not q.derived]
    return Casualties(_total(inside, "killed"), _total(inside, "injured"))


def casualties_in_text(text: str) -> Casualties:
    from tidings.figures.finder import find_figures

    return casualties(find_figures(text))


def _total(quantities: list[Quantity], role: str) -> int | None:
    lowest: dict[str, float] = {}
    for q in quantities:
        if q.role != role or q.value is None:
            continue
        group = (q.counted or role).lower()
        lowest[group] = min(lowest.get(group, q.value), q.value)
    return int(sum(lowest.values())) if lowest else None
