"""Publication dates as inputs write them, turned into ISO dates (`YYYY-MM-DD`).

Only unambiguous forms are read: ISO dates, `5 November 2024`, `Nov. 5, 2024`, RFC 822 feed
dates. Numeric day/month orders (`05/11/2024`) are ambiguous and are not guessed.
"""

from __future__ import annotations

import re
from datetime import date

from tidings.errors import E, TidingsError

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ISO = re.compile(r"(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})(?![\d])")
_MONTH_FIRST = re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.IGNORECASE)
_DAY_FIRST = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.IGNORECASE)
# What may follow a date on a date line: a time, a zone, "updated", separators.
_TIME_TAIL = re.compile(r"^[\sT,|•·–—-]*(?:(?:at\s+)?\d{1,2}(?::\d{2}){0,2}(?:\.\d+)?\s*(?:[ap]\.?m\.?)?)?[\sT]*(?:(?-i:[A-Z]{1,4})|[+-]\d{2}:?\d{2})?[\s)]*$", re.IGNORECASE)


def parse_date(text: str, whole: bool = False) -> str | None:
    """The ISO date written at the start of `text`; with `whole`, only if nothing but a time follows."""
    stripped = text.strip()[:200]
    for pattern in (_ISO, _MONTH_FIRST, _DAY_FIRST):
        match = pattern.match(stripped)
        if not match:
            continue
        if whole and not _TIME_TAIL.match(stripped[match.end() :]):
            return None
        return _iso(match)
    return None


def require_date(value: str, what: str) -> str:
    """An ISO date from a user's option, or E014."""
    parsed = parse_date(value, whole=True)
    if parsed is None:
        raise TidingsError(E.E014, value=value, what=what)
    return parsed


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = int(groups["mon"]) if groups.get("mon") else _MONTHS[groups["month"].lower()]
    try:
        return date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:
        return None
