"""Find figures in text: a hedge, a number (or a range), a unit, and the thing counted.

`find_figures(text)` returns one `Quantity` per figure, with `text[start:end] == quantity.text`.
The span runs from the hedge (or currency sign) to the end of the counted phrase:
"up to 12,000 North Korean combat troops", "$5 million", "more than 5 miles".

Values: `value` is the stated number (for a range, its low end, as ACLED codes the most
conservative figure); `low`/`high` bound it where the text does ("at least 10" -> low 10,
"up to 12" -> high 12, "5-7" -> 5..7, exact -> both equal the value; "about" leaves both None).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from tidings.article import Quantity
from tidings.figures.exclude import is_not_a_figure
from tidings.figures.lexicon import (
    CASUALTY_ROLES,
    COMMON_VERBS,
    CURRENCY_CODES,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    MEASURE_PHRASES,
    MEASURE_UNITS,
    QUALIFIER_PHRASES,
    ROLE_AFTER,
    ROLE_BEFORE,
    ROLE_GAP_MAX,
    ROLE_GAP_WORDS,
    ROLE_NOUNS,
    STOP_WORDS,
    TIME_UNITS,
    TOLL_WORDS,
    TRAILING_QUALIFIERS,
    TROOP_NOUNS,
)
from tidings.figures.numbers import HYPHENS, TENS, UNITS, VAGUE, NumberCore, read_number
from tidings.figures.tokens import Token, tokenize

# Shares count a part of something named after "of": "5% of the population", "two-thirds of the villages".
_SHARE_UNITS = {"%", "fraction"}
_DOT_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")

# A counted phrase is at most this many words ("North Korean combat troops" is four); longer
# runs in the sample and in hand-written test sentences were never one noun phrase.
MAX_COUNTED_WORDS = 5
# Unseparated digit runs this long with nothing counted are ids, timestamps or phone numbers
# (tweet ids and Unix times in the dev texts); news writes counts this large with separators.
LONG_DIGIT_RUN = 10
# Last words of a counted phrase that make "775 Main St" an address.
ADDRESS_WORDS = {"st", "street", "ave", "avenue", "road", "rd", "blvd", "boulevard", "lane", "drive", "block", "way", "court", "place"}
# How far back (in tokens) "toll" may stand before the number in "the death toll rose to 15".
TOLL_WINDOW = 5
# Coarse parts of speech (spaCy's) that a counted phrase is made of.
NOUN_TAGS = {"NOUN", "PROPN"}
PHRASE_TAGS = NOUN_TAGS | {"ADJ"}
# Determiners skipped in "two of the soldiers" before the counted phrase.
OF_DETERMINERS = {"the", "those", "these", "their", "its", "our", "his", "her", "whom"}
# Count words that, when counted, mean "more of the same thing as the figure before".
OTHERS = {"others", "more", "other"}


_QUALIFIERS_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _qualifier in QUALIFIER_PHRASES:
    _QUALIFIERS_BY_FIRST_WORD.setdefault(_phrase[0], []).append((_phrase, _qualifier))
# Words a figure can start with: hedges, number words, "a"/"half" ("a dozen"), currency codes.
_START_WORDS = (
    set(_QUALIFIERS_BY_FIRST_WORD) | set(UNITS) | set(TENS) | set(VAGUE) | set(CURRENCY_CODES)
    | {"a", "an", "half", "us"}
)


@dataclass
class Figure:
    first: int  # token indices, inclusive: the whole figure
    last: int
    core: NumberCore
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    unit: str | None = None
    counted: tuple[int, int] | None = None
    role: str | None = None
    role_from_after: bool = False
    each: bool = False


def find_figures(text: str, pos: Mapping[int, str] | None = None, skip_spans: Iterable[tuple[int, int]] = ()) -> list[Quantity]:
    """Figures in `text`. `pos` maps a word's start offset to its coarse part of speech (from a
    parse, if there is one); numbers overlapping `skip_spans` (dates, times) are left out."""
    tokens = tokenize(text)
    skipped = sorted(skip_spans)
    figures: list[Figure] = []
    resume = 0
    for i in _possible_starts(tokens):
        if i < resume:
            continue
        figure, next_i = _figure_at(tokens, i, pos or {}, skipped)
        if figure is not None:
            figures.append(figure)
        resume = max(next_i, i + 1)
    _share_roles_across_and(tokens, figures)
    quantities = [_to_quantity(text, tokens, f, figures) for f in figures]
    extra = _derived_totals(text, tokens, figures, quantities) + _zero_casualties(text, tokens)
    return sorted(quantities + extra, key=lambda q: (q.start, -q.end))


def _may_start_figure(token: Token) -> bool:
    return token.kind in ("num", "frac") or token.text in CURRENCY_SIGNS or token.lower in _START_WORDS


def _possible_starts(tokens: list[Token]) -> list[int]:
    """Indices of the tokens `_may_start_figure` accepts, in one pass with no call per token:
    about one token in ten, and the per-token calls were a third of the finder's time."""
    return [
        i for i, token in enumerate(tokens)
        if token.kind == "num" or token.kind == "frac" or token.lower in _START_WORDS or token.text in CURRENCY_SIGNS
    ]


def _figure_at(tokens: list[Token], i: int, pos: Mapping[int, str], skipped: list[tuple[int, int]]) -> tuple[Figure | None, int]:
    if not _may_start_figure(tokens[i]):
        return None, i + 1
    qualifier, j = _leading_qualifier(tokens, i)
    currency, j = _currency_prefix(tokens, j)
    core = read_number(tokens, j, money=currency is not None)
    if core is None and qualifier is not None:
        return None, i + 1
    if core is None:
        return None, i + 1
    hedged = qualifier is not None or currency is not None
    if is_not_a_figure(tokens, core, hedged) or _overlaps(tokens, core, skipped):
        return None, core.last + 1
    figure = _build(tokens, i, core, qualifier, currency, pos)
    if figure is None:
        return None, _after_unit(tokens, core.last + 1)
    return figure, figure.last + 1


def _after_unit(tokens: list[Token], k: int) -> int:
    """Index after a skipped duration ('three-month-old', '1,000-day')."""
    while k < len(tokens) and (tokens[k].text in HYPHENS or tokens[k].lower in TIME_UNITS or tokens[k].lower == "old"):
        k += 1
    return k


def _overlaps(tokens: list[Token], core: NumberCore, skipped: list[tuple[int, int]]) -> bool:
    start, end = tokens[core.first].start, tokens[core.last].end
    return any(s < end and start < e for s, e in skipped)


def _build(tokens: list[Token], i: int, core: NumberCore, qualifier: str | None, currency: str | None,
           pos: Mapping[int, str]) -> Figure | None:
    high_core, after = _range_end(tokens, i, core, qualifier, currency)
    if qualifier == "range" and high_core is None:
        qualifier = None
    if high_core is False:
        return None
    low_value = core.value
    if isinstance(high_core, NumberCore):
        qualifier = "range"
        low_value = _share_scale(core, high_core)
    trailing, after = _trailing_qualifier(tokens, after)
    qualifier = qualifier or trailing
    unit, strong, after, is_duration = _unit_after(tokens, after, currency)
    if is_duration:
        return None
    if core.fraction:
        unit = "fraction"
    if unit is None and not strong and _is_compound_modifier(tokens, after):
        return None
    high_value = high_core.value if isinstance(high_core, NumberCore) else None
    figure = _with_bounds(i, after - 1, core, low_value, high_value, qualifier, unit)
    _attach_counted(tokens, figure, after, pos, strong)
    _read_dot_as_thousands(tokens, figure)
    _attach_role(tokens, figure, strong)
    return None if _is_name_or_label(tokens, figure) else figure


def _is_compound_modifier(tokens: list[Token], k: int) -> bool:
    """'a nine-member council', 'a two-front war': a number glued by a hyphen to a word is part
    of an adjective, not a count ('-strong' and units are read before this)."""
    return k + 1 < len(tokens) and tokens[k].text in HYPHENS and not tokens[k].spaced \
        and tokens[k + 1].is_word and not tokens[k + 1].spaced


def _is_name_or_label(tokens: list[Token], figure: Figure) -> bool:
    """Street addresses ('775 Main St'), long bare digit runs (ids, timestamps, phone numbers)
    and ages in apposition ('Jeremy Watson, 30,')."""
    core = tokens[figure.core.first]
    bare = figure.qualifier == "exact" and figure.unit is None and figure.role is None and figure.counted is None
    if figure.counted is not None and tokens[figure.counted[1]].lower in ADDRESS_WORDS:
        return True
    if bare and core.kind == "num" and core.text.isdigit() and len(core.text) >= LONG_DIGIT_RUN:
        return True
    before = tokens[figure.first - 1] if figure.first > 0 else None
    after = tokens[figure.last + 1] if figure.last + 1 < len(tokens) else None
    if core.is_word and core.text[:1].isupper() and before is not None and before.is_word \
            and (figure.unit is not None or figure.counted is None):
        return True  # a capitalised number word mid-sentence: a name ('of Ten Mile')
    return bare and before is not None and before.text == "," and (after is None or after.text in {",", "."}) \
        and figure.first >= 2 and tokens[figure.first - 2].text[:1].isupper()


def _leading_qualifier(tokens: list[Token], i: int) -> tuple[str | None, int]:
    for phrase, qualifier in _QUALIFIERS_BY_FIRST_WORD.get(tokens[i].lower, ()):
        end = i + len(phrase)
        if end <= len(tokens) and all(tokens[i + k].lower == word for k, word in enumerate(phrase)):
            nxt = tokens[end] if end < len(tokens) else None
            if nxt is not None and (nxt.kind in ("num", "frac") or nxt.is_word or nxt.text in CURRENCY_SIGNS):
                return qualifier, end
    return None, i


def _currency_prefix(tokens: list[Token], j: int) -> tuple[str | None, int]:
    token = tokens[j] if j < len(tokens) else None
    if token is None:
        return None, j
    if token.text in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[token.text], j + 1
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if token.text == "US" and nxt is not None and nxt.text == "$" and not nxt.spaced:
        return "USD", j + 2
    if token.text.isupper() and token.lower in CURRENCY_CODES and nxt is not None and nxt.kind == "num":
        return CURRENCY_CODES[token.lower], j + 1
    return None, j


def _range_end(tokens: list[Token], i: int, core: NumberCore, qualifier: str | None,
               currency: str | None) -> tuple[NumberCore | bool | None, int]:
    """The high end of a range ('5-7', '5 to 7', 'two or three', 'between 5 and 7'); False when
    a hyphen joins numbers that cannot be a range ('3-1', a score or an id)."""
    k = core.last + 1
    joiner = tokens[k] if k < len(tokens) else None
    if joiner is None:
        return None, k
    if qualifier == "range":
        if joiner.lower != "and":
            return None, k
    elif not _is_range_joiner(tokens, i, joiner, core):
        return None, k
    _, start = _currency_prefix(tokens, k + 1)
    second = read_number(tokens, start, money=currency is not None)
    if second is None or second.value is None or core.value is None:
        return None, k
    if is_not_a_figure(tokens, second, hedged=True, range_end=True):
        return None, k
    if _share_scale(core, second) is not None and _share_scale(core, second) >= second.value:  # type: ignore[operator]
        return (False if joiner.text in HYPHENS else None), k
    return second, second.last + 1


def _is_range_joiner(tokens: list[Token], i: int, joiner: Token, core: NumberCore) -> bool:
    if joiner.text in HYPHENS:
        nxt = tokens[core.last + 2] if core.last + 2 < len(tokens) else None
        return nxt is not None and nxt.kind == "num" and not joiner.spaced
    if joiner.lower == "to":
        before = tokens[i - 1] if i > 0 else None
        return before is None or before.lower != "from"
    return joiner.lower == "or" and tokens[core.first].is_word


def _share_scale(core: NumberCore, second: NumberCore) -> float | None:
    """'10 to 15 million': the low end takes the high end's scale when it has none."""
    if core.value is None:
        return None
    if second.scale > 1 and core.scale == 1 and core.value < second.scale:
        return core.value * second.scale
    return core.value


def _trailing_qualifier(tokens: list[Token], k: int) -> tuple[str | None, int]:
    if k < len(tokens) and tokens[k].text == "+" and not tokens[k].spaced:
        return "at_least", k + 1
    for phrase, qualifier in TRAILING_QUALIFIERS.items():
        start = k + 1 if phrase == ("odd",) else k
        if phrase == ("odd",) and not (k < len(tokens) and tokens[k].text in HYPHENS):
            continue
        end = start + len(phrase)
        if end <= len(tokens) and all(tokens[start + n].lower == w for n, w in enumerate(phrase)):
            return qualifier, end
    return None, k


def _unit_after(tokens: list[Token], k: int, currency: str | None) -> tuple[str | None, bool, int, bool]:
    """(unit, '-strong', index after, is a duration)."""
    if k >= len(tokens):
        return currency, False, k, False
    j = k + 1 if tokens[k].text in HYPHENS and not tokens[k].spaced else k
    token = tokens[j] if j < len(tokens) else None
    if token is None:
        return currency, False, k, False
    word = token.lower
    if token.text == "%":
        return "%", False, j + 1, False
    if token.is_word and word in TIME_UNITS:
        return None, False, j + 1, True
    if token.is_word and word == "strong" and j > k:
        return currency, True, j + 1, False
    pair = (word, tokens[j + 1].lower) if j + 1 < len(tokens) else None
    if pair in MEASURE_PHRASES:
        return MEASURE_PHRASES[pair], False, j + 2, False
    if token.is_word and word in MEASURE_UNITS and currency is None:
        return MEASURE_UNITS[word], False, j + 1, False
    if token.is_word and word in CURRENCY_WORDS and j == k and currency is None:
        return CURRENCY_WORDS[word], False, j + 1, False
    return currency, False, k, False


def _with_bounds(first: int, last: int, core: NumberCore, value: float | None, high: float | None,
                 qualifier: str | None, unit: str | None) -> Figure:
    if core.vague and qualifier is None:
        qualifier = "about"
    qualifier = qualifier or "exact"
    low_bound, high_bound = {
        "exact": (value, value),
        "about": (None, None),
        "at_least": (value, None),
        "at_most": (None, value),
        "up_to": (None, value),
        "range": (value, high),
    }[qualifier]
    return Figure(first, last, core, value, low_bound, high_bound, qualifier, unit)


def _attach_counted(tokens: list[Token], figure: Figure, k: int, pos: Mapping[int, str], strong: bool) -> None:
    if figure.unit is not None and not strong and figure.unit not in _SHARE_UNITS:
        return
    start = k
    if k < len(tokens) and tokens[k].lower == "of" and (figure.core.vague or figure.core.scale >= 1e3 or figure.unit in _SHARE_UNITS or _det_after(tokens, k)):
        start = k + 1
        if start < len(tokens) and tokens[start].lower in OF_DETERMINERS:
            start += 1
    elif figure.unit in _SHARE_UNITS:
        return
    phrase = _counted_phrase(tokens, start, pos)
    if phrase is None:
        return
    figure.counted = phrase
    figure.last = max(figure.last, phrase[1])
    nxt = tokens[phrase[1] + 1] if phrase[1] + 1 < len(tokens) else None
    figure.each = nxt is not None and nxt.lower == "each"


def _read_dot_as_thousands(tokens: list[Token], figure: Figure) -> None:
    """'2.500 troops': a lone dot before exactly three digits, in a count of things, is a
    European thousands separator (no one counts 2.5 troops); '1.500 km' stays a decimal."""
    core = figure.core
    if figure.counted is None or figure.unit is not None or core.first != core.last or figure.value is None \
            or figure.qualifier == "range":
        return
    if not _DOT_THOUSANDS.fullmatch(tokens[core.first].text):
        return
    factor = 1000.0
    figure.value *= factor
    figure.low = None if figure.low is None else figure.low * factor
    figure.high = None if figure.high is None else figure.high * factor


def _det_after(tokens: list[Token], k: int) -> bool:
    return k + 1 < len(tokens) and tokens[k + 1].lower in OF_DETERMINERS


def _counted_phrase(tokens: list[Token], k: int, pos: Mapping[int, str]) -> tuple[int, int] | None:
    last_noun: int | None = None
    words = 0
    j = k
    while j < len(tokens) and words < MAX_COUNTED_WORDS:
        token = tokens[j]
        if token.is_word and _in_phrase(token, pos, first=words == 0):
            words += 1
            if _is_nounish(token, pos):
                last_noun = j
            j += 1
        elif token.text in HYPHENS and not token.spaced and j > k and j + 1 < len(tokens) \
                and tokens[j + 1].is_word and not tokens[j + 1].spaced:
            j += 1
        else:
            break
    return (k, last_noun) if last_noun is not None else None


def _in_phrase(token: Token, pos: Mapping[int, str], first: bool) -> bool:
    if token.lower in OTHERS:
        return True
    if token.lower in STOP_WORDS or token.lower in TIME_UNITS:
        return False
    if token.lower in ROLE_AFTER and not token.text[:1].isupper():
        return False
    tag = pos.get(token.start)
    if tag is not None:
        return tag in PHRASE_TAGS
    return not _looks_like_a_verb(token, first)


def _looks_like_a_verb(token: Token, first: bool) -> bool:
    """Without a parse: '-ly' adverbs, common verbs, and '-ed'/'-ing' words after the first
    ('armoured vehicles' keeps its adjective, 'families sheltered' stops at the verb)."""
    word = token.lower
    if word.endswith("ly") or word in COMMON_VERBS:
        return True
    return not first and (word.endswith("ed") or word.endswith("ing")) and not token.text[:1].isupper()


def _is_nounish(token: Token, pos: Mapping[int, str]) -> bool:
    if token.lower in OTHERS:
        return True
    tag = pos.get(token.start)
    return tag in NOUN_TAGS if tag is not None else True


def _attach_role(tokens: list[Token], figure: Figure, strong: bool) -> None:
    counted_words = [t.lower for t in tokens[figure.counted[0]:figure.counted[1] + 1]] if figure.counted else []
    role = next((ROLE_NOUNS[w] for w in counted_words if w in ROLE_NOUNS), None)
    if role is None:
        role = _role_after(tokens, figure.last + 1)
        figure.role_from_after = role is not None
    if role is None:
        role = _role_before(tokens, figure.first - 1)
    if role is None and (strong or (counted_words and counted_words[-1] in TROOP_NOUNS)):
        role = "troops"
    figure.role = role


def _role_after(tokens: list[Token], k: int) -> str | None:
    gap = 0
    while k < len(tokens) and tokens[k].lower in ROLE_GAP_WORDS and gap < ROLE_GAP_MAX:
        k, gap = k + 1, gap + 1
    return ROLE_AFTER.get(tokens[k].lower) if k < len(tokens) else None


def _role_before(tokens: list[Token], k: int) -> str | None:
    if k < 0:
        return None
    if tokens[k].lower in ROLE_BEFORE:
        return ROLE_BEFORE[tokens[k].lower]
    for back in range(k, max(k - TOLL_WINDOW, -1), -1):
        if tokens[back].kind == "punct":
            break
        if tokens[back].lower in TOLL_WORDS:
            return "killed"
    return None


def _share_roles_across_and(tokens: list[Token], figures: list[Figure]) -> None:
    """'Five soldiers and two civilians were killed': the first takes the second's role."""
    for left, right in zip(reversed(figures[:-1]), reversed(figures[1:]), strict=True):
        between = tokens[left.last + 1:right.first]
        joined = len(between) == 1 and between[0].lower in {"and", ",", "or"}
        if joined and right.role_from_after and (left.role is None or left.role == "troops"):
            left.role, left.role_from_after = right.role, True


def _counted_text(text: str, tokens: list[Token], figure: Figure, figures: list[Figure]) -> str | None:
    noun = _span_text(text, tokens, figure.counted) if figure.counted else None
    if noun is not None and noun.lower() in OTHERS and figure.role in CASUALTY_ROLES:
        noun = _previous_noun(text, tokens, figure, figures) or "people"
    if figure.role in CASUALTY_ROLES:
        if noun is None:
            return figure.role
        if not any(w in ROLE_NOUNS for w in noun.lower().split()):
            return f"{noun} {figure.role}"
    return noun


def _previous_noun(text: str, tokens: list[Token], figure: Figure, figures: list[Figure]) -> str | None:
    index = figures.index(figure)
    for earlier in reversed(figures[:index]):
        if earlier.counted is not None:
            noun = _span_text(text, tokens, earlier.counted)
            if noun.lower() not in OTHERS:
                return noun
    return None


def _span_text(text: str, tokens: list[Token], span: tuple[int, int]) -> str:
    return text[tokens[span[0]].start:tokens[span[1]].end]


def _to_quantity(text: str, tokens: list[Token], figure: Figure, figures: list[Figure]) -> Quantity:
    start, end = tokens[figure.first].start, tokens[figure.last].end
    return Quantity(
        start=start, end=end, text=text[start:end], value=figure.value, low=figure.low, high=figure.high,
        qualifier=figure.qualifier,  # type: ignore[arg-type]
        counted=_counted_text(text, tokens, figure, figures), unit=figure.unit, role=figure.role,
    )


# Words allowed between "five units," and "each" figure: "each consisting of about 3,000".
EACH_FILLERS = {"each", "consisting", "of", "with", "comprising", "numbering", "made", "up", "containing", "having", "including", "about"}


def _derived_totals(text: str, tokens: list[Token], figures: list[Figure], quantities: list[Quantity]) -> list[Quantity]:
    """'five units, each consisting of about 3,000 soldiers' and 'five units of 3,000 soldiers
    each': an extra record spanning both, value = 5 x 3,000, per_unit = 3,000, derived=True."""
    totals = []
    for n, (groups, members) in enumerate(itertools.pairwise(figures)):
        if not _is_distributive(tokens, groups, members):
            continue
        if groups.value is None or members.value is None:
            continue
        member_record = quantities[n + 1]
        scale = groups.value
        start, end = tokens[groups.first].start, tokens[members.last].end
        qualifier = members.qualifier if members.qualifier != "exact" else groups.qualifier
        totals.append(replace(
            member_record, start=start, end=end, text=text[start:end], value=scale * members.value,
            low=None if members.low is None else scale * members.low,
            high=None if members.high is None else scale * members.high,
            qualifier=qualifier, per_unit=members.value, derived=True,  # type: ignore[arg-type]
        ))
    return totals


def _is_distributive(tokens: list[Token], groups: Figure, members: Figure) -> bool:
    if groups.counted is None or members.counted is None or groups.unit is not None:
        return False
    between = [t.lower for t in tokens[groups.last + 1:members.first] if t.text != ","]
    if "each" in between:
        return len(between) <= 4 and all(w in EACH_FILLERS for w in between)
    return members.each and between in (["of"], ["with"])


# "no one", "nobody", "none" before a casualty verb, and "no" before a casualty noun.
NOBODY = {"nobody", "none"}
# The first words of every zero count `_zero_at` reads.
_ZERO_OPENERS = NOBODY | {"no"}


def _zero_casualties(text: str, tokens: list[Token]) -> list[Quantity]:
    """'no one was killed', 'nobody was hurt', 'no casualties were reported': a count of 0, so
    that an event's fatalities read 0 rather than unknown."""
    zeros = []
    for i in (i for i, token in enumerate(tokens) if token.lower in _ZERO_OPENERS):
        found = _zero_at(tokens, i)
        if found is not None:
            last, role, counted = found
            start, end = tokens[i].start, tokens[last].end
            zeros.append(Quantity(start, end, text[start:end], 0.0, 0.0, 0.0, "exact", counted, role=role))
    return zeros


def _zero_at(tokens: list[Token], i: int) -> tuple[int, str, str] | None:
    """(last token, role, counted) of a zero count starting at token i, if one does."""
    word = tokens[i].lower
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if word == "no" and nxt == "casualties":
        return i + 1, "casualties", "casualties"
    if word == "no" and ROLE_NOUNS.get(nxt) in ("killed", "injured"):
        return i + 1, ROLE_NOUNS[nxt], tokens[i + 1].text
    last = i + 1 if word == "no" and nxt == "one" else i if word in NOBODY else None
    if last is None:
        return None
    role = _role_after(tokens, last + 1)
    return (last, role, f"people {role}") if role in ("killed", "injured") else None
