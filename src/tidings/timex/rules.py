"""The patterns that find time expressions, each with the handler that normalises it.

A handler turns one match into one or more `Part`s (a range gives two). Handlers that need the
publication date call `ctx.need_anchor()`; without one the finder keeps the span, unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tidings.timex import calendar as cal
from tidings.timex import lexicon as lex
from tidings.timex.tense import TenseOf


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    type: str
    value: str | None
    mod: str | None = None
    resolved: bool = True


class NeedsAnchor(Exception):
    """The expression is relative and there is no publication date to resolve it against."""


@dataclass
class Context:
    text: str
    anchor: date | None
    tense_of: TenseOf

    def need_anchor(self) -> date:
        if self.anchor is None:
            raise NeedsAnchor
        return self.anchor

    def direction(self, start: int, end: int) -> str:
        return "future" if self.tense_of(start, end) == "future" else "past"


Handler = Callable[[re.Match[str], Context], list[Part]]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    type: str


RULES: list[Rule] = []


def rule(name: str, pattern: str, type_: str) -> Callable[[Handler], Handler]:
    def wrap(fn: Handler) -> Handler:
        RULES.append(Rule(name, re.compile(pattern), fn, type_))
        return fn

    return wrap


def whole(m: re.Match[str], type_: str, value: str | None, mod: str | None = None) -> list[Part]:
    return [Part(m.start(), m.end(), type_, value, mod)]


def group_or_none(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def month_of(raw: str) -> int:
    return lex.MONTHS[raw.rstrip(".").lower()]


def weekday_of(raw: str) -> int:
    return lex.WEEKDAYS[raw.rstrip(".").lower()]


def premod_mod(m: re.Match[str]) -> str | None:
    raw = group_or_none(m, "premod")
    return lex.PREMOD_MODS.get(" ".join(raw.lower().split())) if raw else None


_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’]*)[\s,]*$")


def word_before(text: str, start: int) -> str:
    found = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    return found.group(1) if found else ""


def looks_like_name(text: str, start: int) -> bool:
    """'Theresa May', 'Arab Spring': a capitalised word right before that is not a preposition."""
    before = text[max(0, start - 30) : start]
    if not before.endswith(" ") or before.rstrip().endswith((".", ",", ":", ";", '"', "“", "(")):
        return False
    word = word_before(text, start)
    return bool(word) and word[0].isupper() and word.lower() not in lex.MONTH_OPENERS


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].strip()
    return not before or before[-1] in ".!?\"“\n"


# ---------------------------------------------------------------- absolute dates


@rule("iso_date", r"(?<![\d-])(?P<year>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?![\d-])", "DATE")
def iso_date(m: re.Match[str], ctx: Context) -> list[Part]:
    day = cal.safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
    return whole(m, "DATE", day.isoformat()) if day else []


@rule("numeric_date", r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d/])", "DATE")
def numeric_date(m: re.Match[str], ctx: Context) -> list[Part]:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    day = cal.safe_date(y, a, b) if a <= 12 else cal.safe_date(y, b, a)
    return whole(m, "DATE", day.isoformat()) if day else []


@rule("day_month_year", rf"{lex.day()}\s+(?:of\s+)?{lex.month()},?\s+{lex.year()}", "DATE")
def day_month_year(m: re.Match[str], ctx: Context) -> list[Part]:
    day = cal.safe_date(int(m["year"]), month_of(m["month"]), int(m["day"]))
    return whole(m, "DATE", day.isoformat()) if day else []


@rule("month_day_year", rf"{lex.month()}\s+{lex.day()},?\s+{lex.year()}", "DATE")
def month_day_year(m: re.Match[str], ctx: Context) -> list[Part]:
    return day_month_year(m, ctx)


@rule("month_day", rf"{lex.month()}\s+{lex.day()}(?!,?\s*\d)", "DATE")
def month_day(m: re.Match[str], ctx: Context) -> list[Part]:
    anchor = ctx.need_anchor()
    month, day_no = month_of(m["month"]), int(m["day"])
    year = cal.year_of_month_day(anchor, month, day_no, ctx.direction(m.start(), m.end()))
    day = cal.safe_date(year, month, day_no)
    return whole(m, "DATE", day.isoformat()) if day else []


@rule("day_month", rf"(?<![\d,.]){lex.day()}\s+(?:of\s+)?{lex.month()}(?!,?\s+\d)", "DATE")
def day_month(m: re.Match[str], ctx: Context) -> list[Part]:
    return month_day(m, ctx)


@rule("month_year", rf"(?:{lex.PREMOD}[\s-]+)?{lex.month()},?\s+(?:of\s+)?{lex.year()}", "DATE")
def month_year(m: re.Match[str], ctx: Context) -> list[Part]:
    return whole(m, "DATE", cal.month_value(int(m["year"]), month_of(m["month"])), premod_mod(m))


@rule(
    "month",
    rf"(?:{lex.PREMOD}[\s-]+)?(?:(?P<rel>(?i:last|next|this|coming|past))\s+)?{lex.month()}",
    "DATE",
)
def bare_month(m: re.Match[str], ctx: Context) -> list[Part]:
    raw = m["month"]
    qualified = bool(group_or_none(m, "rel") or group_or_none(m, "premod"))
    if not qualified and not _plausible_bare_month(ctx.text, m.start(), m.end(), raw):
        return []
    anchor = ctx.need_anchor()
    month = month_of(raw)
    rel = (group_or_none(m, "rel") or "").lower()
    possessive = ctx.text[m.end() : m.end() + 2] in ("'s", "’s")
    direction = {"last": "last", "past": "last", "next": "next", "coming": "next", "this": "this"}.get(rel)
    if direction is None:
        direction = "past" if possessive else ctx.direction(m.start(), m.end())
    return whole(m, "DATE", cal.month_value(cal.year_of_month(anchor, month, direction), month), premod_mod(m))


def _plausible_bare_month(text: str, start: int, end: int, raw: str) -> bool:
    if looks_like_name(text, start):
        return False
    if raw == "May":
        # 'May' is a month only after a preposition ("in May", "since May") or before a comma/stop.
        opener = word_before(text, start).lower() in lex.MONTH_OPENERS
        closes = bool(re.match(r"\s*(?:[.,;:)]|['’]s\b|$)", text[end : end + 4]))
        return opener or (closes and not _sentence_start(text, start))
    return True


# ---------------------------------------------------------------- weekdays

_WEEKDAY_DATE = (
    rf"(?:,?\s+{lex.month('m2')}\s+{lex.day('d2')}(?:,?\s+{lex.year('y2')})?"
    rf"|,?\s+{lex.day('d3')}\s+{lex.month('m3')}(?:,?\s+{lex.year('y3')})?)?"
)
_NOT_WEEKDAY_AFTER = re.compile(r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Mail|Independent|Star|Night\s+Live|School|Sport)\b")


@rule(
    "weekday",
    rf"(?:(?P<rel>(?i:last|next|this|coming|past|previous))\s+)?{lex.weekday()}{_WEEKDAY_DATE}(?:\s+{lex.DAY_PART})?",
    "DATE",
)
def weekday(m: re.Match[str], ctx: Context) -> list[Part]:
    rel = (group_or_none(m, "rel") or "").lower()
    if not rel and (looks_like_name(ctx.text, m.start()) or _NOT_WEEKDAY_AFTER.match(ctx.text, m.end("weekday"))):
        return []
    day = _explicit_weekday_date(m, ctx) or _relative_weekday(m, ctx, rel)
    if day is None:
        return []
    part = group_or_none(m, "part")
    if part:
        return whole(m, "TIME", f"{day.isoformat()}T{cal.DAY_PARTS[part.lower()]}")
    return whole(m, "DATE", day.isoformat())


def _explicit_weekday_date(m: re.Match[str], ctx: Context) -> date | None:
    for mg, dg, yg in (("m2", "d2", "y2"), ("m3", "d3", "y3")):
        if group_or_none(m, mg):
            month, day_no = month_of(m[mg]), int(m[dg])
            if group_or_none(m, yg):
                return cal.safe_date(int(m[yg]), month, day_no)
            anchor = ctx.need_anchor()
            return cal.safe_date(cal.year_of_month_day(anchor, month, day_no, ctx.direction(m.start(), m.end())), month, day_no)
    return None


def _relative_weekday(m: re.Match[str], ctx: Context, rel: str) -> date:
    anchor = ctx.need_anchor()
    wd = weekday_of(m["weekday"])
    if rel in ("last", "past", "previous"):
        return cal.weekday_before(anchor, wd)
    if rel in ("next", "coming"):
        return cal.weekday_after(anchor, wd)
    if rel == "this":
        return cal.weekday_this_week(anchor, wd)
    if ctx.direction(m.start(), m.end()) == "future":
        return cal.weekday_on_or_after(anchor, wd)
    return cal.weekday_on_or_before(anchor, wd)


# ---------------------------------------------------------------- years, decades, centuries

_RANGE_JOIN = r"\s*(?:-|–|—|(?i:to|and|until|till|through|thru))\s*"


@rule(
    "year_range",
    rf"(?P<lead>(?i:from|between)\s+)?{lex.year('y1')}{_RANGE_JOIN}(?:{lex.year('y2')}|(?P<short>\d\d)(?![\d%]))",
    "DATE",
)
def year_range(m: re.Match[str], ctx: Context) -> list[Part]:
    first = int(m["y1"])
    if group_or_none(m, "y2"):
        second, end_group = int(m["y2"]), "y2"
    else:
        second, end_group = first // 100 * 100 + int(m["short"]), "short"
    joiner = ctx.text[m.end("y1") : m.start(end_group)].strip().lower()
    if second <= first or second - first > 100 or (joiner in ("and", "to") and not group_or_none(m, "lead") and end_group == "short"):
        return []
    return [
        Part(m.start("y1"), m.end("y1"), "DATE", str(first), "RANGE_START"),
        Part(m.start(end_group), m.end(end_group), "DATE", str(second), "RANGE_END"),
    ]


_COUNTED_AFTER_YEAR = re.compile(
    r"\s+(?:people|persons|troops|soldiers|men|women|children|civilians|votes|units|cases|deaths|jobs|"
    r"homes|houses|employees|workers|residents|refugees|migrants|prisoners|rockets|missiles|drones|"
    r"shells|tons|tonnes|km|kilometers|kilometres|miles|meters|metres|feet|dollars|euros|pounds|"
    r"barrels|rounds|fighters|militants|police|officers|members|students|patients|families|vehicles|"
    r"tanks|points|times|of\s+(?:them|the|whom|which))\b",
    re.IGNORECASE,
)
_NOT_YEAR_BEFORE = re.compile(
    r"(?:No\.|#|number|Route|Highway|Flight|flight|Resolution|resolution|Model|ISO|Windows|Boeing|Airbus|page|pages|room|Room|Article|article|Section|section|about|some|nearly|almost|over|than|around|approximately|roughly)\s*$"
)


@rule("year", rf"(?:{lex.PREMOD}[\s-]+)?{lex.year()}(?![A-Za-z'’]?s\b)", "DATE")
def year(m: re.Match[str], ctx: Context) -> list[Part]:
    if _COUNTED_AFTER_YEAR.match(ctx.text, m.end()) or _NOT_YEAR_BEFORE.search(ctx.text[max(0, m.start() - 16) : m.start()]):
        return []
    if ctx.text[m.end() : m.end() + 1] in (":", "/") or ctx.text[max(0, m.start() - 1) : m.start()] in ("/", ":"):
        return []
    return whole(m, "DATE", m["year"], premod_mod(m))


_DECADE_WORDS = "|".join(lex.DECADE_WORDS)


@rule(
    "decade",
    rf"(?:(?P<the>(?i:the))\s+)?(?:(?P<premod>(?i:early|late|mid))[\s-]+)?(?:(?<![\d,.$])(?P<dec>1[6-9]\d0|20\d0)['’]?s|['’](?P<short>\d)0['’]?s|(?P<word>(?i:{_DECADE_WORDS})))(?![A-Za-z])",
    "DATE",
)
def decade(m: re.Match[str], ctx: Context) -> list[Part]:
    if group_or_none(m, "dec"):
        value = m["dec"][:3]
    elif group_or_none(m, "short"):
        digit = int(m["short"])
        value = f"{20 if digit <= 2 else 19}{digit}"
    else:
        if not group_or_none(m, "the"):
            return []
        value = f"19{lex.DECADE_WORDS[m['word'].lower()]}"
    start = m.start("premod") if group_or_none(m, "premod") else m.start("dec") if group_or_none(m, "dec") else m.start("short") - 1 if group_or_none(m, "short") else m.start()
    return [Part(start, m.end(), "DATE", value, premod_mod(m))]


_ORDINAL_WORDS = "|".join(sorted((w for w in lex.ORDINALS if w.replace("-", "").isalpha() and w not in ("last", "final")), key=len, reverse=True))


@rule(
    "century",
    rf"(?:(?P<premod>(?i:early|late|mid))[\s-]+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>(?i:{_ORDINAL_WORDS})))[\s-]+(?i:century)(?![A-Za-z])",
    "DATE",
)
def century(m: re.Match[str], ctx: Context) -> list[Part]:
    number = int(m["n"]) if group_or_none(m, "n") else lex.ORDINALS[m["w"].lower()]
    if not 1 <= number <= 22:
        return []
    return whole(m, "DATE", f"{number - 1:02d}", premod_mod(m))


# ---------------------------------------------------------------- relative to the publication date


@rule(
    "relative_day",
    rf"(?P<word>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight))(?![A-Za-z])(?:\s+{lex.DAY_PART})?|(?P<rel>(?i:this|last))\s+{lex.day_part('part2')}",
    "DATE",
)
def relative_day(m: re.Match[str], ctx: Context) -> list[Part]:
    anchor = ctx.need_anchor()
    word = " ".join((group_or_none(m, "word") or group_or_none(m, "rel") or "").lower().split())
    part = (group_or_none(m, "part") or group_or_none(m, "part2") or "").lower()
    offsets = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last": -1, "tomorrow": 1,
               "the day before yesterday": -2, "the day after tomorrow": 2}
    if word == "last" and part != "night":
        return []
    day = cal.shift_days(anchor, offsets[word])
    code = cal.DAY_PARTS.get(part or ("night" if word == "tonight" else ""))
    if code:
        return whole(m, "TIME", f"{day.isoformat()}T{code}")
    return whole(m, "DATE", day.isoformat())


@rule(
    "relative_period",
    rf"(?:{lex.PREMOD}\s+)?(?P<rel>(?i:this|last|next|past|coming|previous|current))\s+(?P<unit>(?i:week|weekend|month|quarter|year|decade|century))(?![A-Za-z])(?!\s+(?i:ago))",
    "DATE",
)
def relative_period(m: re.Match[str], ctx: Context) -> list[Part]:
    rel, unit = m["rel"].lower(), m["unit"].lower()
    if rel == "past":
        return whole(m, "DURATION", cal.duration_value(1, unit)) if unit != "weekend" and unit != "quarter" else []
    anchor = ctx.need_anchor()
    step = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1, "coming": 1}[rel]
    return whole(m, "DATE", _period_value(anchor, unit, step), premod_mod(m))


def _period_value(anchor: date, unit: str, step: int) -> str:
    if unit == "year":
        return f"{anchor.year + step:04d}"
    if unit == "month":
        return cal.month_value(*cal.shift_month(anchor.year, anchor.month, step))
    if unit == "week":
        return cal.week_value(cal.shift_days(anchor, 7 * step))
    if unit == "weekend":
        return cal.week_value(cal.shift_days(anchor, 7 * step)) + "-WE"
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + step
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "decade":
        return f"{anchor.year // 10 + step:03d}"
    return f"{anchor.year // 100 + step:02d}"


@rule("the_weekend", r"(?i:the|over\s+the)\s+weekend(?![A-Za-z])", "DATE")
def the_weekend(m: re.Match[str], ctx: Context) -> list[Part]:
    anchor = ctx.need_anchor()
    start = m.start() + m.group().lower().rfind("the")
    if ctx.direction(m.start(), m.end()) == "future":
        value = cal.week_value(anchor) + "-WE"
    else:
        saturday = cal.weekday_on_or_before(anchor, 5)
        value = cal.week_value(saturday) + "-WE"
    return [Part(start, m.end(), "DATE", value)]


_QUALIFIER = r"(?P<q>(?i:about|almost|nearly|roughly|around|approximately|more\s+than|over|less\s+than|under|at\s+least|at\s+most|up\s+to|a\s+mere|some|another|the\s+last|the\s+past|the\s+next|the\s+first|the\s+final|the\s+coming|the\s+following|the\s+previous|the\s+past|past|last|next|first|final|coming|following|previous|recent))"
_QUALIFIER_MODS = {
    "about": "APPROX", "roughly": "APPROX", "around": "APPROX", "approximately": "APPROX",
    "some": "APPROX", "almost": "LESS_THAN", "nearly": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE",
    "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
}


@rule(
    "ago",
    # The space after the count sits inside the optional group: a pattern that may open with `\s*`
    # retries every space of a long run (quadratic on a page of blanks before "ago").
    rf"(?:{_QUALIFIER}\s+)?(?:(?:{lex.number()}|{lex.VAGUE})\s*)?{lex.UNIT_ANY}\s+(?i:ago)(?![A-Za-z])",
    "DATE",
)
def ago(m: re.Match[str], ctx: Context) -> list[Part]:
    unit = lex.unit_name(m["unit"])
    raw = group_or_none(m, "num")
    amount = lex.parse_number(raw) if raw else "X"
    start = m.start("unit") if not raw and not group_or_none(m, "vague") else m.start()
    if amount == "X" or unit in ("second", "minute", "hour") or (isinstance(amount, float) and not amount.is_integer()):
        return [Part(start, m.end(), "DATE", "PAST_REF")]
    anchor = ctx.need_anchor()
    n = int(amount)
    value = _shifted_value(anchor, unit, -n)
    mod = _QUALIFIER_MODS.get(" ".join((group_or_none(m, "q") or "").lower().split()))
    return [Part(m.start(), m.end(), "DATE", value, mod)]


def _shifted_value(anchor: date, unit: str, n: int) -> str:
    if unit == "day":
        return cal.shift_days(anchor, n).isoformat()
    if unit in ("week", "fortnight"):
        return cal.week_value(cal.shift_days(anchor, 7 * n * (2 if unit == "fortnight" else 1)))
    if unit == "month":
        return cal.month_value(*cal.shift_month(anchor.year, anchor.month, n))
    if unit == "year":
        return f"{anchor.year + n:04d}"
    if unit == "decade":
        return f"{(anchor.year + 10 * n) // 10:03d}"
    return f"{(anchor.year + 100 * n) // 100:02d}"


# ---------------------------------------------------------------- durations


@rule(
    "counted_duration",
    rf"(?:(?P<the>(?i:the))\s+)?(?:{_QUALIFIER}\s+)?{lex.number()}[\s-]+{lex.UNIT_ANY}(?P<tail>-old|-long|\s+old|\s+long)?(?![A-Za-z])",
    "DURATION",
)
def counted_duration(m: re.Match[str], ctx: Context) -> list[Part]:
    amount = lex.parse_number(m["num"])
    unit = lex.unit_name(m["unit"])
    if amount == "X" or (m["num"].lower() in ("a", "an") and m["unit"].lower().endswith("s")):
        return []
    if unit == "second" and m["num"].lower() in ("a", "an") and not group_or_none(m, "q"):
        return []
    if isinstance(amount, float) and not amount.is_integer():
        value = _fractional_duration(amount, unit)
    else:
        value = cal.duration_value(int(amount), unit)
    mod = _QUALIFIER_MODS.get(" ".join((group_or_none(m, "q") or "").lower().split()))
    return whole(m, "DURATION", value, mod)


def _fractional_duration(amount: float, unit: str) -> str:
    smaller = {"hour": ("minute", 60), "day": ("hour", 24), "year": ("month", 12), "month": ("day", 30), "week": ("day", 7)}
    if unit in smaller:
        sub, factor = smaller[unit]
        return cal.duration_value(round(amount * factor), sub)
    return cal.duration_value(amount, unit)


@rule(
    "duration_range",
    rf"(?<![\w,.])(?P<first>\d+|(?i:{lex.NUMBER_WORD_ALT}))\s*(?:-|–|(?i:to|and|or))\s*{lex.number()}[\s-]+{lex.UNIT_ANY}",
    "DURATION",
)
def duration_range(m: re.Match[str], ctx: Context) -> list[Part]:
    """"between 12 and 18 months": the first number borrows the unit of the second."""
    unit = lex.unit_name(m["unit"])
    first, second = lex.parse_number(m["first"]), lex.parse_number(m["num"])
    if "X" in (first, second) or not first < second:  # type: ignore[operator]
        return []
    return [
        Part(m.start("first"), m.end("first"), "DURATION", cal.duration_value(int(first), unit), "RANGE_START"),
        Part(m.start("num"), m.end(), "DURATION", cal.duration_value(int(second), unit), "RANGE_END"),
    ]


@rule(
    "vague_duration",
    rf"(?:(?P<the>(?i:the))\s+)?(?:(?P<rel>(?i:past|last|next|coming|following|previous|preceding|first|recent))\s+)?{lex.VAGUE}\s+{lex.UNIT_PLURAL}",
    "DURATION",
)
def vague_duration(m: re.Match[str], ctx: Context) -> list[Part]:
    return whole(m, "DURATION", cal.duration_value("X", lex.unit_name(m["unit"])))


@rule(
    "relative_duration",
    rf"(?P<the>(?i:the)\s+)?(?P<rel>(?i:past|last|next|coming|following|previous|preceding|first|recent|final))\s+{lex.UNIT_ANY}",
    "DURATION",
)
def relative_duration(m: re.Match[str], ctx: Context) -> list[Part]:
    raw_unit = m["unit"].lower()
    unit = lex.unit_name(raw_unit)
    plural = raw_unit.endswith("s") or raw_unit == "centuries"
    the = bool(group_or_none(m, "the"))
    rel = m["rel"].lower()
    if not plural and (not the or unit in ("day", "second", "minute", "hour") or rel in ("first", "final")):
        return []  # "the next day", "last year" (handled as a date), "the first minute"
    if plural and not the and rel in ("first", "last", "final", "next"):
        return []
    return whole(m, "DURATION", cal.duration_value("X" if plural else 1, unit))


@rule(
    "bare_units",
    r"(?<![\w-])(?P<unit>(?i:seconds|minutes|hours|days|weeks|months|years|decades|centuries))(?P<long>[\s-]?(?i:long))?(?![A-Za-z])",
    "DURATION",
)
def bare_units(m: re.Match[str], ctx: Context) -> list[Part]:
    unit = lex.unit_name(m["unit"])
    if unit == "second" and not group_or_none(m, "long"):
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"(?:for|in|within|just|only|mere)\s+$", before):
            return []
    return whole(m, "DURATION", cal.duration_value("X", unit))


@rule("long_units", r"(?<![A-Za-z])(?P<unit>(?i:day|week|month|year))[\s-]?(?i:long)(?![A-Za-z])", "DURATION")
def long_units(m: re.Match[str], ctx: Context) -> list[Part]:
    return whole(m, "DURATION", cal.duration_value(1, m["unit"].lower()))


@rule(
    "clock_duration",
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>[0-5]\d):(?P<s>[0-5]\d)(?![\d:])",
    "DURATION",
)
def clock_duration(m: re.Match[str], ctx: Context) -> list[Part]:
    h, mi, s = int(m["h"]), int(m["mi"]), int(m["s"])
    before = ctx.text[max(0, m.start() - 25) : m.start()].lower()
    if re.search(r"\b(?:in|of|time|clocked|record|finished|finishing|ran|run)\s+$", before):
        value = "PT" + "".join(f"{n}{c}" for n, c in ((h, "H"), (mi, "M"), (s, "S")) if n)
        return whole(m, "DURATION", value or "PT0S")
    if h > 23:
        return []
    anchor = ctx.need_anchor()
    return whole(m, "TIME", f"{anchor.isoformat()}T{h:02d}:{mi:02d}:{s:02d}")


# ---------------------------------------------------------------- clock times

def _tz(group: str) -> str:
    return rf"(?:\s+(?P<{group}>local\s+time|GMT|UTC|ET|EST|EDT|CET|CEST|BST|PT|PST|PDT|(?:Kyiv|Moscow|Kiev|Beijing|Tokyo|Seoul)\s+time))?"


@rule(
    "clock",
    rf"(?<![\d:.])(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>(?i:a\.m\.|p\.m\.|am|pm))(?![A-Za-z]){_tz('tz1')}"
    rf"|(?<![\d:.])(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?![\d:]){_tz('tz')}"
    rf"|(?<![\d:.,])(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s+(?P<tz4>GMT|UTC|hrs|hours\s+local\s+time)"
    rf"|(?P<word>(?i:noon|midnight|midday))(?![A-Za-z])",
    "TIME",
)
def clock(m: re.Match[str], ctx: Context) -> list[Part]:
    if group_or_none(m, "h24") and not group_or_none(m, "tz"):
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(r"\b(?:at|by|from|until|till|around|about|before|after|since)\s+$", before):
            return []
    anchor = ctx.need_anchor()
    hour, minute = _clock_hour_minute(m)
    return whole(m, "TIME", f"{anchor.isoformat()}T{hour:02d}:{minute:02d}")


def _clock_hour_minute(m: re.Match[str]) -> tuple[int, int]:
    if group_or_none(m, "ampm"):
        hour = int(m["h"]) % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
        return hour, int(m["mi"] or 0)
    if group_or_none(m, "h24"):
        return int(m["h24"]), int(m["mi24"])
    if group_or_none(m, "hh"):
        return int(m["hh"]), int(m["mm"])
    return (0, 0) if m["word"].lower() == "midnight" else (12, 0)


# ---------------------------------------------------------------- references, seasons, quarters, sets

_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
    "presently": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
    "previously": "PAST_REF", "formerly": "PAST_REF", "the past": "PAST_REF", "those days": "PAST_REF",
    "long ago": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "future": "FUTURE_REF", "the distant future": "FUTURE_REF",
}
_REF_ALT = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _REFS), key=len, reverse=True))


@rule("reference", rf"(?<![A-Za-z'’-])(?P<ref>(?i:{_REF_ALT}))(?![A-Za-z'’-])", "DATE")
def reference(m: re.Match[str], ctx: Context) -> list[Part]:
    key = " ".join(m["ref"].lower().split())
    if key == "future" and not re.search(r"(?i:\bin|\bfor)\s+$", ctx.text[max(0, m.start() - 6) : m.start()]):
        return []  # "future plans" is not a time
    return whole(m, "DATE", _REFS[key])


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@rule(
    "season",
    rf"(?:{lex.PREMOD}\s+)?(?:(?P<rel>(?i:last|next|this|coming|past))\s+)?(?P<season>(?i:spring|summer|autumn|winter|fall))(?![A-Za-z])(?:\s+(?:of\s+)?{lex.year('sy')})?",
    "DATE",
)
def season(m: re.Match[str], ctx: Context) -> list[Part]:
    code = cal.SEASONS[m["season"].lower()]
    rel = (group_or_none(m, "rel") or "").lower()
    if group_or_none(m, "sy"):
        return whole(m, "DATE", f"{m['sy']}-{code}", premod_mod(m))
    qualified = bool(rel or group_or_none(m, "premod"))
    if not qualified:
        opener = word_before(ctx.text, m.start()).lower()
        if opener not in ("in", "the", "this", "during", "since", "until", "by", "over", "through") or looks_like_name(ctx.text, m.start()):
            return []
    if m["season"].lower() == "fall" and not qualified and word_before(ctx.text, m.start()).lower() != "the":
        return []
    anchor = ctx.need_anchor()
    first_month = _SEASON_START[code]
    direction = {"last": "last", "past": "last", "next": "next", "coming": "next", "this": "this"}.get(rel) or ctx.direction(m.start(), m.end())
    year_no = cal.year_of_month(anchor, first_month, direction)
    start = m.start() if qualified else m.start("season")
    return [Part(start, m.end(), "DATE", f"{year_no:04d}-{code}", premod_mod(m))]


@rule(
    "quarter",
    rf"(?:(?P<the>(?i:the))\s+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))\s+(?i:quarter)(?![A-Za-z])(?:,?\s+(?:of\s+)?{lex.year('qy')})?"
    rf"|(?<![A-Za-z])Q(?P<qn>[1-4])(?:\s+{lex.year('qy2')})?(?![A-Za-z\d])",
    "DATE",
)
def quarter(m: re.Match[str], ctx: Context) -> list[Part]:
    number = lex.ORDINALS[m["ord"].lower()] if group_or_none(m, "ord") else int(m["qn"])
    year_raw = group_or_none(m, "qy") or group_or_none(m, "qy2")
    if year_raw:
        return whole(m, "DATE", f"{year_raw}-Q{number}")
    anchor = ctx.need_anchor()
    current = (anchor.month - 1) // 3 + 1
    direction = ctx.direction(m.start(), m.end())
    year_no = anchor.year
    if direction == "past" and number > current:
        year_no -= 1
    elif direction == "future" and number < current:
        year_no += 1
    return whole(m, "DATE", f"{year_no:04d}-Q{number}")


_SET_ADVERBS = {
    "daily": "XXXX-XX-XX", "nightly": "XXXX-XX-XXTNI", "weekly": "XXXX-WXX", "monthly": "XXXX-XX",
    "annually": "XXXX", "yearly": "XXXX", "hourly": "PT1H", "quarterly": "XXXX-QX",
    "biweekly": "P2W", "fortnightly": "P2W",
}


@rule(
    "set",
    rf"(?P<adv>(?i:{'|'.join(_SET_ADVERBS)}))(?![A-Za-z])"
    rf"|(?P<every>(?i:every|each))\s+(?:(?P<other>(?i:other))\s+)?(?:{lex.weekday('swd')}|(?P<sunit>(?i:second|minute|hour|day|week|month|year|decade|morning|afternoon|evening|night|weekend))(?![A-Za-z]))"
    rf"|(?<![\w-])(?P<times>(?i:once|twice|thrice|\w{{1,12}}\s+times))\s+(?i:a|an|per|each|every)\s+(?P<punit>(?i:second|minute|hour|day|week|month|year))(?![A-Za-z])",
    "SET",
)
def set_expression(m: re.Match[str], ctx: Context) -> list[Part]:
    if group_or_none(m, "adv"):
        return whole(m, "SET", _SET_ADVERBS[m["adv"].lower()])
    if group_or_none(m, "swd"):
        return whole(m, "SET", f"XXXX-WXX-{weekday_of(m['swd']) + 1}")
    unit = (group_or_none(m, "sunit") or group_or_none(m, "punit") or "").lower()
    if unit in cal.DAY_PARTS:
        return whole(m, "SET", f"XXXX-XX-XXT{cal.DAY_PARTS[unit]}")
    if unit == "weekend":
        return whole(m, "SET", "XXXX-WXX-WE")
    step = 2 if group_or_none(m, "other") else 1
    return whole(m, "SET", cal.duration_value(step, unit))


_HOLIDAYS = {
    "christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25),
    "new year's day": (1, 1), "new year’s day": (1, 1), "new year's eve": (12, 31),
    "new year’s eve": (12, 31), "halloween": (10, 31), "valentine's day": (2, 14),
    "valentine’s day": (2, 14),
}
_HOLIDAY_ALT = "|".join(sorted((re.escape(k.title()).replace(r"\ ", r"\s+") for k in _HOLIDAYS), key=len, reverse=True))


@rule("holiday", rf"(?<![A-Za-z])(?P<h>{_HOLIDAY_ALT})(?![A-Za-z])(?:\s+{lex.year('hy')})?", "DATE")
def holiday(m: re.Match[str], ctx: Context) -> list[Part]:
    month, day_no = _HOLIDAYS[" ".join(m["h"].lower().split())]
    if group_or_none(m, "hy"):
        return whole(m, "DATE", f"{m['hy']}-{month:02d}-{day_no:02d}")
    anchor = ctx.need_anchor()
    year_no = cal.year_of_month_day(anchor, month, day_no, ctx.direction(m.start(), m.end()))
    return whole(m, "DATE", f"{year_no:04d}-{month:02d}-{day_no:02d}")
