"""Date intervals: what a TIMEX value or a publication date allows an event's date to be."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# An event reported without its own date happened at most this many days before publication
# (news reports the last few days; a week covers weekly round-ups). Chosen by hand.
REPORT_LAG_DAYS = 7


@dataclass(frozen=True)
class Interval:
    lo: date
    hi: date

    @property
    def days(self) -> int:
        return (self.hi - self.lo).days + 1

    def gap_days(self, other: Interval) -> int:
        """0 when the intervals overlap, else the days between them."""
        if self.hi < other.lo:
            return (other.lo - self.hi).days
        if other.hi < self.lo:
            return (self.lo - other.hi).days
        return 0

    def to_list(self) -> list[str]:
        return [self.lo.isoformat(), self.hi.isoformat()]

    @classmethod
    def from_list(cls, pair: list[str] | None) -> Interval | None:
        return cls(date.fromisoformat(pair[0]), date.fromisoformat(pair[1])) if pair else None


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def interval_of(value: str | None) -> Interval | None:
    """`2024-11-05` -> that day, `2024-W45` -> its week, `2024-11` -> the month, `2024` -> the year."""
    if not value:
        return None
    try:
        return _parse(value.strip())
    except ValueError:
        return None


def _parse(value: str) -> Interval | None:
    if m := _DAY.match(value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return Interval(day, day)
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return Interval(monday, monday + timedelta(days=6))
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        return Interval(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    if m := _YEAR.match(value):
        return Interval(date(int(m[1]), 1, 1), date(int(m[1]), 12, 31))
    return None


def published_window(published: str | None) -> Interval | None:
    day = interval_of(published[:10]) if published else None
    return Interval(day.lo - timedelta(days=REPORT_LAG_DAYS), day.hi) if day else None
