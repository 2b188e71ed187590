"""Calendar arithmetic on an anchor date, producing TIMEX3 value strings."""

from __future__ import annotations

from datetime import date, timedelta

# TIMEX3 duration unit letters, and whether they sit after the `T` time designator.
UNIT_CODES: dict[str, tuple[str, bool]] = {
    "second": ("S", True),
    "minute": ("M", True),
    "hour": ("H", True),
    "day": ("D", False),
    "week": ("W", False),
    "fortnight": ("W", False),
    "month": ("M", False),
    "year": ("Y", False),
    "decade": ("DE", False),
    "century": ("CE", False),
}

# TIMEX3 codes for parts of the day and seasons.
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}


def duration_value(amount: str | int | float, unit: str) -> str:
    """`P3M`, `PT24H`, `PXD`; a fortnight counts as two weeks."""
    code, is_time = UNIT_CODES[unit]
    if unit == "fortnight" and amount != "X":
        amount = 2 * float(amount)
    if isinstance(amount, float):
        amount = int(amount) if amount.is_integer() else amount
    return f"PT{amount}{code}" if is_time else f"P{amount}{code}"


def day_value(day: date) -> str:
    return day.isoformat()


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(day: date) -> str:
    iso_year, week, _ = day.isocalendar()
    return f"{iso_year:04d}-W{week:02d}"


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def weekday_on_or_before(anchor: date, weekday: int) -> date:
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def weekday_on_or_after(anchor: date, weekday: int) -> date:
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)


def weekday_before(anchor: date, weekday: int) -> date:
    return anchor - timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)


def weekday_after(anchor: date, weekday: int) -> date:
    return anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)


def weekday_this_week(anchor: date, weekday: int) -> date:
    return anchor - timedelta(days=anchor.weekday()) + timedelta(days=weekday)


def year_of_month(anchor: date, month: int, direction: str) -> int:
    """Which year a bare month means. `past`: latest on or before the anchor's month;
    `future`: earliest on or after; `last`/`next`: strictly before/after; `this`: same year."""
    if direction == "past":
        return anchor.year if month <= anchor.month else anchor.year - 1
    if direction == "future":
        return anchor.year if month >= anchor.month else anchor.year + 1
    if direction == "last":
        return anchor.year if month < anchor.month else anchor.year - 1
    if direction == "next":
        return anchor.year if month > anchor.month else anchor.year + 1
    return anchor.year


def year_of_month_day(anchor: date, month: int, day: int, direction: str) -> int:
    """Like `year_of_month` for a month and day ("November 4") without a year."""
    here = (anchor.month, anchor.day)
    if direction in ("past", "last"):
        return anchor.year if (month, day) <= here else anchor.year - 1
    if direction in ("future", "next"):
        return anchor.year if (month, day) >= here else anchor.year + 1
    return anchor.year


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def shift_days(anchor: date, days: int) -> date:
    return anchor + timedelta(days=days)
