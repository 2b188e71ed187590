"""Infer a missing publication date from the text, only when the evidence is unambiguous.

The evidence is a dated caption (a photo taken on day D) plus weekday references in past-tense
text ("said Tuesday") that all fall within a day or so after D. The publication date is then
the latest day those weekdays name. Anything less (no caption date, two different caption
dates, no weekday, weekdays that do not fit) gives no guess: the caller must not make one up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tidings.timex import calendar as cal
from tidings.timex import lexicon as lex
from tidings.timex.find import Timex, find_timexes
from tidings.timex.tense import TenseOf, text_tense_of

# A news photo is published with the story within a couple of days of being taken; a wider lag
# would let almost any set of weekdays "agree" with the caption (a week fits every weekday).
MAX_CAPTION_LAG_DAYS = 2

_FULL_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_BARE_WEEKDAY = re.compile(
    rf"^{lex.weekday()}(?:\s+{lex.DAY_PART})?$"
)


@dataclass(frozen=True)
class PublishedGuess:
    date: date
    evidence: list[str]


def infer_published(
    text: str,
    caption_spans: Sequence[tuple[int, int]] | None = None,
    tense_of: TenseOf | None = None,
    timexes: Sequence[Timex] | None = None,
) -> PublishedGuess | None:
    """The publication date the text implies, with its evidence, or None when unsure.

    `caption_spans` are the article's captions; without them every full date in the text
    counts as a possible caption date."""
    tense_of = tense_of or text_tense_of(text)
    found = list(timexes) if timexes is not None else find_timexes(text, None, tense_of)
    dated = _caption_dates(found, caption_spans)
    if len({value for value, _ in dated}) != 1:
        return None
    caption_day = date.fromisoformat(dated[0][0])
    weekdays = [(t, lex.WEEKDAYS[m["weekday"].rstrip(".").lower()]) for t in found if (m := _BARE_WEEKDAY.match(t.text))]
    weekdays = [(t, wd) for t, wd in weekdays if not _in_spans(t, caption_spans) and tense_of(t.start, t.end) != "future"]
    if not weekdays:
        return None
    published = _earliest_consistent_day(caption_day, [wd for _, wd in weekdays])
    if published is None:
        return None
    evidence = [f"caption date '{dated[0][1].text}' = {caption_day.isoformat()}"]
    evidence += [
        f"'{t.text}' at {t.start} = {cal.weekday_on_or_before(published, wd).isoformat()}" for t, wd in weekdays
    ]
    return PublishedGuess(published, evidence)


def _caption_dates(found: Sequence[Timex], caption_spans: Sequence[tuple[int, int]] | None) -> list[tuple[str, Timex]]:
    full = [(t.value, t) for t in found if t.value and _FULL_DATE.match(t.value)]
    if caption_spans:
        full = [(v, t) for v, t in full if _in_spans(t, caption_spans)]
    return full


def _in_spans(timex: Timex, spans: Sequence[tuple[int, int]] | None) -> bool:
    return bool(spans) and any(s <= timex.start and timex.end <= e for s, e in spans or ())


def _earliest_consistent_day(caption_day: date, weekdays: Sequence[int]) -> date | None:
    """The first day P >= caption_day such that every weekday, read as the latest such day on or
    before P, falls on or after the caption day."""
    for lag in range(MAX_CAPTION_LAG_DAYS + 1):
        candidate = caption_day + timedelta(days=lag)
        if all(cal.weekday_on_or_before(candidate, wd) >= caption_day for wd in weekdays):
            return candidate
    return None
