"""Numbers that are not figures: dates, years, clock times, ordinals and identifiers."""

from __future__ import annotations

import re

from tidings.figures.lexicon import (
    CLOCK_WORDS,
    COUNT_NOUNS_AFTER_YEARLIKE,
    GLUED_SUFFIXES,
    ID_ABBREVIATIONS,
    ID_LABELS,
    MEASURE_UNITS,
    MONTHS,
    ONE_AFTER,
    ONE_BEFORE,
    ORDINAL_SUFFIXES,
)
from tidings.figures.numbers import HYPHENS, NumberCore
from tidings.figures.tokens import Token

_YEAR = re.compile(r"\d{4}")
# Bare 4-digit numbers in this range read as years unless a hedge, a currency or a count noun says otherwise.
YEAR_MIN, YEAR_MAX = 1000, 2100
_COMPOUND_JOINERS = HYPHENS | {"/", ":", "."}


def _at(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def is_not_a_figure(tokens: list[Token], core: NumberCore, hedged: bool, range_end: bool = False) -> bool:
    """True when the number read at `core` is a date, a year, a time, an ordinal or an id.
    `range_end`: the number is the high end of a range ('20-30'), glued to the low end."""
    first = tokens[core.first]
    if first.kind == "num":
        return _digits_are_not_a_figure(tokens, core, hedged, range_end)
    if first.lower == "one" and core.first == core.last:
        return _one_is_a_pronoun(tokens, core)
    return False


def _digits_are_not_a_figure(tokens: list[Token], core: NumberCore, hedged: bool, range_end: bool) -> bool:
    checks = [_is_ordinal_or_glued, _is_clock_time, _is_day_of_month]
    if not range_end:
        checks += [_is_identifier, _is_in_compound]
    if any(check(tokens, core) for check in checks):
        return True
    return not hedged and _is_year(tokens, core)


def _is_ordinal_or_glued(tokens: list[Token], core: NumberCore) -> bool:
    """'1st', '1990s', '5G', but not '5km' or '$5bn'."""
    nxt = _at(tokens, core.last + 1)
    if nxt is None or nxt.spaced or not nxt.is_word:
        return False
    word = nxt.lower
    return word in ORDINAL_SUFFIXES or word == "s" or (word not in GLUED_SUFFIXES and word not in MEASURE_UNITS)


def _is_clock_time(tokens: list[Token], core: NumberCore) -> bool:
    nxt, after = _at(tokens, core.last + 1), _at(tokens, core.last + 2)
    if nxt is None:
        return False
    if nxt.text == ":" and not nxt.spaced and after is not None and after.kind == "num":
        return True
    if nxt.is_word and nxt.lower in CLOCK_WORDS and (nxt.lower != "h" or not nxt.spaced):
        return True
    return nxt.lower in {"a", "p"} and after is not None and after.text == "." and not after.spaced


def _is_identifier(tokens: list[Token], core: NumberCore) -> bool:
    """'F-16', 'G7', 'Article 5', 'No. 3', '#4'."""
    first = tokens[core.first]
    prev, before = _at(tokens, core.first - 1), _at(tokens, core.first - 2)
    if prev is None:
        return False
    if not first.spaced and prev.is_word:
        return True
    if not first.spaced and prev.text in HYPHENS and before is not None and before.is_word and not prev.spaced:
        return True
    if prev.text == "#":
        return True
    if prev.is_word and prev.lower in ID_LABELS:
        return True
    return prev.text == "." and before is not None and before.lower in ID_ABBREVIATIONS


def _is_day_of_month(tokens: list[Token], core: NumberCore) -> bool:
    text = tokens[core.first].text
    if core.first != core.last or not text.isdigit() or len(text) > 2 or not 1 <= int(text) <= 31:
        return False
    prev, before = _at(tokens, core.first - 1), _at(tokens, core.first - 2)
    nxt, after = _at(tokens, core.last + 1), _at(tokens, core.last + 2)
    if prev is not None and prev.lower in MONTHS:
        return True
    if prev is not None and prev.text == "." and before is not None and before.lower in MONTHS:
        return True
    if nxt is not None and nxt.lower in MONTHS:
        return True
    return nxt is not None and nxt.lower == "of" and after is not None and after.lower in MONTHS


def _is_in_compound(tokens: list[Token], core: NumberCore) -> bool:
    """Digits glued to other digits by '-', '/', ':' or '.': '2024-11-05', '9/11', '24/7'."""
    prev, before = _at(tokens, core.first - 1), _at(tokens, core.first - 2)
    glued_before = prev is not None and not prev.spaced and prev.text in _COMPOUND_JOINERS and before is not None \
        and before.kind == "num" and not tokens[core.first].spaced
    nxt, after = _at(tokens, core.last + 1), _at(tokens, core.last + 2)
    glued_after = nxt is not None and not nxt.spaced and nxt.text in {"/", ":"} and after is not None \
        and after.kind == "num" and not after.spaced
    return glued_before or glued_after


def _is_year(tokens: list[Token], core: NumberCore) -> bool:
    first = tokens[core.first]
    if core.first != core.last or not _YEAR.fullmatch(first.text) or not YEAR_MIN <= int(first.text) <= YEAR_MAX:
        return False
    nxt = _at(tokens, core.last + 1)
    if nxt is None or not nxt.is_word:
        return True
    return nxt.lower not in COUNT_NOUNS_AFTER_YEARLIKE and nxt.lower not in MEASURE_UNITS


def _one_is_a_pronoun(tokens: list[Token], core: NumberCore) -> bool:
    """'One of the concerns', 'no one', 'one another', 'one-off'."""
    prev, nxt = _at(tokens, core.first - 1), _at(tokens, core.last + 1)
    if prev is not None and prev.lower in ONE_BEFORE:
        return True
    if nxt is None or not nxt.is_word:
        return True
    return nxt.lower in ONE_AFTER or nxt.text in HYPHENS
