"""Words and regex fragments for time expressions.

Every fragment is a plain alternation or a bounded repetition, so the combined patterns run in
linear time on any input (no nested unbounded quantifiers).
"""

from __future__ import annotations

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "half": 0.5, "couple": 2,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "last": 4, "final": 4,
}
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}
# Words that make a span vague ("a few days" -> PXD).
VAGUE_WORDS = ("a few", "few", "several", "some", "many", "a couple of", "a number of", "countless", "recent", "coming", "past")

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\."
_MONTH_ABBR_BARE = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_WEEKDAY_FULL = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_ABBR = r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\."

NUMBER_WORD_ALT = "|".join(
    sorted((w for w in NUMBER_WORDS if w not in ("a", "an", "half", "couple")), key=len, reverse=True)
)


def month(group: str = "month") -> str:
    """A month name (capitalised; abbreviations need their full stop unless a day follows)."""
    return rf"(?P<{group}>{_MONTH_FULL}|{_MONTH_ABBR}|(?:{_MONTH_ABBR_BARE})(?=\s+\d))(?![A-Za-z])"


def weekday(group: str = "weekday") -> str:
    return rf"(?P<{group}>{_WEEKDAY_FULL}|{_WEEKDAY_ABBR}|(?:{_WEEKDAY_FULL.upper()}))(?![A-Za-z])"


def day(group: str = "day") -> str:
    return rf"(?P<{group}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"


def year(group: str = "year") -> str:
    return rf"(?<![\d,.$£€])(?P<{group}>1[6-9]\d\d|20\d\d)(?![\d%]|,\d|\.\d)"


def number(group: str = "num") -> str:
    """A count: digits (with thousands commas), a number word, or 'a'/'an'."""
    words = rf"(?:{NUMBER_WORD_ALT})(?:-(?:{NUMBER_WORD_ALT}))?"
    return rf"(?<![\w,.])(?P<{group}>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?i:{words})|(?i:a\s+half|an?|a\s+couple\s+of|a\s+dozen))"


VAGUE = r"(?P<vague>(?i:a\s+few|few|several|some|many|a\s+couple\s+of|a\s+number\s+of|countless))"

UNIT_SINGULAR = r"(?P<unit>(?i:second|minute|hour|day|week|fortnight|month|year|decade|century))"
UNIT_ANY = r"(?P<unit>(?i:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries))(?![A-Za-z])"
UNIT_PLURAL = r"(?P<unit>(?i:seconds|minutes|hours|days|weeks|fortnights|months|years|decades|centuries))(?![A-Za-z])"

def day_part(group: str = "part") -> str:
    return rf"(?P<{group}>(?i:morning|afternoon|evening|night))(?![A-Za-z])"


DAY_PART = day_part()

# Modifiers before a month, season or year: "early October", "the end of 2023", "mid-2024".
PREMOD = r"(?P<premod>(?i:early|late|mid|earlier|later|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|end\s+of|start\s+of|beginning\s+of|middle\s+of))"
PREMOD_MODS = {
    "early": "START", "late": "END", "mid": "MID", "earlier": None, "later": None,
    "the end of": "END", "end of": "END", "the start of": "START", "start of": "START",
    "the beginning of": "START", "beginning of": "START", "the middle of": "MID", "middle of": "MID",
    "the first half of": "START", "the second half of": "END",
}

# Capitalised words that may precede a bare month or weekday without making it a name
# ("Last May" is a date, "Theresa May" is not).
MONTH_OPENERS = frozenset(
    ["in", "on", "since", "by", "until", "till", "from", "to", "before", "after", "during", "through", "throughout", "last", "next", "this", "early", "late", "mid", "of", "and", "or", "but", "as", "that", "when", "until", "between", "around", "about", "for", "at", "a", "an", "the", "every", "each", "said", "says", "under", "over", "with", "without", "since", "late", "early"]
)


def parse_number(raw: str) -> float | str:
    """Digits or words to a number; vague quantities to 'X'."""
    text = " ".join(raw.lower().replace(",", "").split())
    if text in ("a couple of", "a couple"):
        return 2
    if text == "a half":
        return 0.5
    if text == "a dozen":
        return 12
    try:
        return float(text)
    except ValueError:
        pass
    total = 0.0
    for part in text.split("-"):
        if part not in NUMBER_WORDS:
            return "X"
        total += NUMBER_WORDS[part]
    return total


def unit_name(raw: str) -> str:
    word = raw.lower()
    if word == "centuries":
        return "century"
    return word[:-1] if word.endswith("s") else word
