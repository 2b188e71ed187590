"""Reading one number from tokens: digits ("28,500", "3.5 million", "$2bn", "1 1/2"), words
("twenty-three", "a hundred", "two dozen", "half a million") and vague plurals mapped as ACLED
codes them ("tens" 10, "dozens" 12, "hundreds" 100; also "thousands", "tens of thousands", ...).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tidings.figures.lexicon import FRACTION_WORDS
from tidings.figures.tokens import Token

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Scale abbreviations written right after digits ("$5bn", "2.3mln"); "m" and "k" only count as
# scales after a currency sign, elsewhere "5m" is five metres.
SCALE_SUFFIXES = {"bn": 1e9, "mln": 1e6, "mn": 1e6, "tn": 1e12, "trn": 1e12, "billion": 1e9, "million": 1e6}
MONEY_ONLY_SUFFIXES = {"m": 1e6, "k": 1e3, "b": 1e9}
# Vague plurals, mapped as the ACLED codebook maps them for fatalities; qualifier "about".
VAGUE = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
UNICODE_FRACTIONS = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
HYPHENS = {"-", "‐", "‑", "–", "—"}

_ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_EUROPEAN_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_SPACE_THOUSANDS = re.compile(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class NumberCore:
    """A number read from tokens `[first, last]` (inclusive)."""

    value: float | None  # None when the digits are too large to hold as a finite float
    first: int
    last: int
    vague: bool = False  # "dozens", "hundreds of thousands"
    scale: float = 1.0  # the scale word or suffix that was part of it ("3.5 million": 1e6)
    is_word: bool = False  # spelled in words ("five")
    fraction: bool = False  # a share written in words ("two-thirds", "a quarter"): value in 0..1


def digits_value(text: str) -> float | None:
    """Value of a digit string as news wires write them; None if it is not one we can read.

    "1,000" and "1,000.5" use English separators; "1.000.000" (two or more dot groups) is read
    as European thousands; a single "1.000" is read as a decimal, the English convention.
    "1,5" (a European decimal comma) is ambiguous with lists and is not read.
    """
    if _ENGLISH_THOUSANDS.fullmatch(text):
        return _finite(text.replace(",", ""))
    if _EUROPEAN_THOUSANDS.fullmatch(text):
        return _finite(text.replace(".", ""))
    if _SPACE_THOUSANDS.fullmatch(text):
        return _finite(re.sub(r"\D", "", text))
    if _PLAIN.fullmatch(text):
        return _finite(text)
    return None


def is_well_formed(text: str) -> bool:
    """Digits grouped as a news wire groups them (however large): not '1,2,3' or '1.2.3'."""
    return any(p.fullmatch(text) for p in (_ENGLISH_THOUSANDS, _EUROPEAN_THOUSANDS, _SPACE_THOUSANDS, _PLAIN))


def _finite(text: str) -> float | None:
    value = float(text)  # float() of a long digit string is linear and gives inf, never raises
    return value if math.isfinite(value) else None


def read_number(tokens: list[Token], i: int, money: bool = False) -> NumberCore | None:
    """Read the number starting at token `i`, or None if none starts there."""
    if i >= len(tokens):
        return None
    token = tokens[i]
    if token.kind == "num":
        return _read_digits(tokens, i, money)
    if token.kind == "frac":
        return NumberCore(UNICODE_FRACTIONS[token.text], i, i)
    if token.is_word:
        return _read_words(tokens, i)
    return None


def _read_digits(tokens: list[Token], i: int, money: bool) -> NumberCore | None:
    if not is_well_formed(tokens[i].text):
        return None
    value = digits_value(tokens[i].text)
    last = i
    value, last = _add_fraction(tokens, last, value)
    value, last = _add_power(tokens, last, value)
    nxt = _next(tokens, last)
    scale = 1.0
    if nxt is not None and nxt.is_word:
        suffixes = SCALE_SUFFIXES | (MONEY_ONLY_SUFFIXES if money else {})
        if not nxt.spaced and nxt.lower in suffixes:
            scale = suffixes[nxt.lower]
            value, last = _scaled(value, scale), last + 1
        elif nxt.lower in SCALES or nxt.lower in {"mln", "bn"}:
            scale = (SCALES | SCALE_SUFFIXES)[nxt.lower]
            value, last = _scaled(value, scale), last + 1
        elif nxt.lower == "dozen":
            value, last = _scaled(value, 12), last + 1
    elif nxt is not None and nxt.text in HYPHENS and not nxt.spaced:
        after = _next(tokens, last + 1)
        if after is not None and not after.spaced and after.lower in SCALES:
            scale = SCALES[after.lower]
            value, last = _scaled(value, scale), last + 2
    return NumberCore(value, i, last, scale=scale)


def _add_fraction(tokens: list[Token], last: int, value: float | None) -> tuple[float | None, int]:
    """'1½' and '1 1/2'."""
    nxt = _next(tokens, last)
    if nxt is None or value is None:
        return value, last
    if nxt.kind == "frac" and not nxt.spaced:
        return value + UNICODE_FRACTIONS[nxt.text], last + 1
    if nxt.kind == "num" and nxt.spaced and _is_simple_int(nxt.text) and value == int(value):
        slash, denominator = _next(tokens, last + 1), _next(tokens, last + 2)
        if slash is not None and slash.text == "/" and not slash.spaced and denominator is not None \
                and denominator.kind == "num" and not denominator.spaced and _is_simple_int(denominator.text):
            numerator, below = int(nxt.text), int(denominator.text)
            if 0 < numerator < below <= 16:
                return value + numerator / below, last + 3
    return value, last


def _add_power(tokens: list[Token], last: int, value: float | None) -> tuple[float | None, int]:
    """'10^100' (written by people who mean an absurd number): read as a power, None if infinite."""
    caret, exponent = _next(tokens, last), _next(tokens, last + 1)
    if caret is None or caret.text != "^" or caret.spaced or exponent is None or exponent.kind != "num" \
            or exponent.spaced or not _is_simple_int(exponent.text) or value is None:
        return value, last
    power = int(exponent.text[:6])
    try:
        result: float | None = value ** power if len(exponent.text) <= 6 else None
    except OverflowError:
        result = None
    if result is not None and not math.isfinite(result):
        result = None
    return result, last + 2


def _is_simple_int(text: str) -> bool:
    return text.isdigit() and len(text) <= 6


def _scaled(value: float | None, scale: float) -> float | None:
    if value is None:
        return None
    result = value * scale
    return result if math.isfinite(result) else None


def _next(tokens: list[Token], i: int) -> Token | None:
    return tokens[i + 1] if i + 1 < len(tokens) else None


def _read_words(tokens: list[Token], i: int) -> NumberCore | None:
    word = tokens[i].lower
    fraction = _read_word_fraction(tokens, i)
    if fraction is not None:
        return fraction
    if word in VAGUE:
        return _read_vague(tokens, i)
    if word in {"a", "an"}:
        return _read_article_number(tokens, i)
    if word == "half":
        return _read_half(tokens, i)
    if word in UNITS or word in TENS:
        return _read_spelled(tokens, i)
    return None


def _read_word_fraction(tokens: list[Token], i: int) -> NumberCore | None:
    """'two-thirds', 'three quarters', 'a third', 'one-fifth'."""
    word = tokens[i].lower
    numerator = 1 if word in {"a", "one"} else UNITS.get(word)
    if numerator is None or numerator == 0 or numerator > 9:
        return None
    j = i + 1
    if j < len(tokens) and tokens[j].text in HYPHENS and not tokens[j].spaced:
        j += 1
    if j >= len(tokens) or tokens[j].lower not in FRACTION_WORDS:
        return None
    plural = tokens[j].lower.endswith("s")
    if plural != (numerator > 1) or (word == "a" and j != i + 1):
        return None
    return NumberCore(numerator / FRACTION_WORDS[tokens[j].lower], i, j, is_word=True, fraction=True)


def _read_vague(tokens: list[Token], i: int) -> NumberCore:
    """'dozens', 'hundreds', 'tens of thousands', 'hundreds of thousands'."""
    value = float(VAGUE[tokens[i].lower])
    of, scale = _next(tokens, i), _next(tokens, i + 1)
    if of is not None and of.lower == "of" and scale is not None and scale.lower in VAGUE and VAGUE[scale.lower] >= 1000:
        return NumberCore(value * VAGUE[scale.lower], i, i + 2, vague=True, is_word=True)
    return NumberCore(value, i, i, vague=True, is_word=True)


def _read_article_number(tokens: list[Token], i: int) -> NumberCore | None:
    """'a hundred', 'a dozen', 'a thousand', 'an estimated' is not ours (a qualifier)."""
    nxt = _next(tokens, i)
    if nxt is None or not nxt.is_word:
        return None
    if nxt.lower == "dozen":
        return NumberCore(12.0, i, i + 1, is_word=True)
    if nxt.lower == "hundred" or nxt.lower in SCALES:
        core = _read_spelled(tokens, i + 1, start_value=1)
        return NumberCore(core.value, i, core.last, scale=core.scale, is_word=True) if core else None
    return None


def _read_half(tokens: list[Token], i: int) -> NumberCore | None:
    """'half a million', 'half a dozen'."""
    article, scale = _next(tokens, i), _next(tokens, i + 1)
    if article is None or article.lower != "a" or scale is None:
        return None
    if scale.lower == "dozen":
        return NumberCore(6.0, i, i + 2, is_word=True)
    if scale.lower in SCALES:
        return NumberCore(0.5 * SCALES[scale.lower], i, i + 2, scale=SCALES[scale.lower], is_word=True)
    return None


def _read_spelled(tokens: list[Token], i: int, start_value: int = 0) -> NumberCore | None:
    """'twenty-three', 'one hundred and five', 'two dozen', 'three million', 'one and a half'.

    Reads words while each is allowed after the one before (no 'five six'), joined by hyphens
    or 'and' (only after 'hundred' or a scale), and stops at the first word that is not.
    """
    total, current = 0.0, float(start_value)
    previous = "start" if not start_value else "unit"
    j, last = i, None
    scale = 1.0
    while j < len(tokens):
        token = tokens[j]
        word = token.lower
        kind = _word_kind(word)
        if kind is None or not _may_follow(previous, kind, current, word):
            break
        if kind in ("unit", "teen", "tens"):
            current += UNITS.get(word, TENS.get(word, 0))
        elif kind == "hundred":
            current = (current or 1) * 100
            scale = max(scale, 100.0)
        elif kind == "dozen":
            current = (current or 1) * 12
        elif kind == "scale":
            total += (current or 1) * SCALES[word]
            current = 0.0
            scale = SCALES[word]
        previous, last = kind, j
        j = _skip_joiner(tokens, j, kind)
    if last is None:
        return None
    value = total + current
    value, last = _and_a_half(tokens, last, value)
    return NumberCore(value, i, last, scale=scale, is_word=True)


def _word_kind(word: str) -> str | None:
    if word in UNITS:
        return "teen" if UNITS[word] >= 10 else "unit"
    if word in TENS:
        return "tens"
    if word == "hundred":
        return "hundred"
    if word == "dozen":
        return "dozen"
    if word in SCALES:
        return "scale"
    return None


_ALLOWED_AFTER = {
    "start": {"unit", "teen", "tens"},
    "unit": {"hundred", "scale", "dozen"},
    "teen": {"hundred", "scale"},
    "tens": {"unit", "scale"},
    "hundred": {"unit", "teen", "tens", "scale"},
    "scale": {"unit", "teen", "tens"},
    "dozen": set(),
}


def _may_follow(previous: str, kind: str, current: float, word: str) -> bool:
    if kind not in _ALLOWED_AFTER[previous]:
        return False
    if previous == "tens" and kind == "unit" and UNITS[word] == 0:
        return False
    return not (previous == "scale" and kind == "scale")


def _skip_joiner(tokens: list[Token], j: int, kind: str) -> int:
    """Index of the next number word: across a hyphen ('twenty-three') or an 'and' after
    'hundred'/a scale ('one hundred and five'), only when a number word follows it."""
    nxt = _next(tokens, j)
    if nxt is None:
        return j + 1
    after = _next(tokens, j + 1)
    joins = (nxt.text in HYPHENS and not nxt.spaced and kind == "tens") or (nxt.lower == "and" and kind in ("hundred", "scale"))
    if joins and after is not None and _word_kind(after.lower) in ("unit", "teen", "tens"):
        return j + 2
    return j + 1


def _and_a_half(tokens: list[Token], last: int, value: float) -> tuple[float, int]:
    """'one and a half million' -> 1,500,000; 'two and a half' -> 2.5."""
    words = [t.lower for t in tokens[last + 1:last + 4]]
    if words == ["and", "a", "half"]:
        scale = _next(tokens, last + 3)
        if scale is not None and scale.lower in SCALES:
            return (value + 0.5) * SCALES[scale.lower], last + 4
        return value + 0.5, last + 3
    return value, last
