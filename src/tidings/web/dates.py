"""Dates as people read them. The pipeline keeps TIMEX3 values ("2024-11-05TMO", "2024-W45",
"2024-SU", "PAST_REF"); the pages, the report and the exports show the date part and how
precise it is, and treat values that name no date ("PAST_REF", "XXXX-11") as unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Anchored, no nested repetition: linear on any input; anything past 40 characters is no date.
_MAX_LEN = 40
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T([A-Z0-9:.]{1,12}))?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})(?:-(WE))?")
_SEASON = re.compile(r"(\d{4})-(SP|SU|FA|AU|WI)")
_QUARTER = re.compile(r"(\d{4})-([QH])([1-4])")
_DECADE = re.compile(r"(\d{3})X?")

SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class ReadableDate:
    """`text`: what a page shows; `day`: the ISO date (first day of a longer period) for sorting."""

    text: str
    precision: str
    day: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "precision": self.precision, "day": self.day}


def _valid(year: int, month: int = 1, day: int = 1) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def readable_date(value: str | None) -> ReadableDate | None:
    """A TIMEX3 date value as (text, precision, first day); None when it names no date."""
    if not value or len(value) > _MAX_LEN:
        return None
    value = value.strip()
    if m := _DAY.fullmatch(value):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if not _valid(y, mo, d):
            return None
        iso = f"{m[1]}-{m[2]}-{m[3]}"
        part = PARTS_OF_DAY.get(m[4] or "")
        return ReadableDate(f"{iso} ({part})" if part else iso, "day", iso)
    if m := _WEEK.fullmatch(value):
        y, week = int(m[1]), int(m[2])
        if not 1 <= week <= 53:
            return None
        try:
            first = date.fromisocalendar(y, week, 6 if m[3] else 1)
        except ValueError:
            return None
        label = f"weekend of week {week}, {y}" if m[3] else f"week {week} of {y}"
        return ReadableDate(label, "week", first.isoformat())
    if m := _SEASON.fullmatch(value):
        return ReadableDate(f"{SEASONS[m[2]]} {m[1]}", "season", f"{m[1]}-01-01")
    if m := _QUARTER.fullmatch(value):
        kind, n = m[2], int(m[3])
        if kind == "H" and n > 2:
            return None
        first_month = (n - 1) * (3 if kind == "Q" else 6) + 1
        return ReadableDate(f"{kind}{n} {m[1]}", "quarter" if kind == "Q" else "half-year", f"{m[1]}-{first_month:02d}-01")
    if m := _MONTH.fullmatch(value):
        y, mo = int(m[1]), int(m[2])
        if not _valid(y, mo):
            return None
        return ReadableDate(f"{MONTHS[mo - 1]} {y}", "month", f"{m[1]}-{m[2]}-01")
    if m := _YEAR.fullmatch(value):
        return ReadableDate(m[1], "year", f"{m[1]}-01-01")
    if m := _DECADE.fullmatch(value):
        return ReadableDate(f"the {m[1]}0s", "decade", f"{m[1]}0-01-01")
    return None


def event_date_view(date_value: str | None, event_date: str | None, precision: str | None) -> dict[str, str] | None:
    """What to show for a stored event's date: its TIMEX value if that names a date, else the
    normalised `event_date` column with its precision; None (unknown) otherwise."""
    found = readable_date(date_value)
    if found:
        return found.to_dict()
    if event_date and (day := readable_date(str(event_date)[:10])):
        label = day.text if not precision or precision == "day" else f"{day.text} ({precision})"
        return {"text": label, "precision": precision or "day", "day": day.day}
    return None


def interval_text(lo: str | None, hi: str | None) -> str | None:
    """'2024-11-05', or '2024-11-04 to 2024-11-06' for a range; None when there is no date."""
    if not lo:
        return None
    return lo if not hi or hi == lo else f"{lo} to {hi}"
