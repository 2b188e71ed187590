"""The start-position scan (tidings.timex.starts) finds exactly what `finditer` finds, faster.

Every time rule is checked against `pattern.finditer` on sentences written for these tests and
on generated text full of the pieces the rules look for (digits, month and unit words, runs of
spaces, characters whose case folding `str.lower` does not follow).
"""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.timex import find_timexes
from tidings.timex.find import _RULE_STARTS
from tidings.timex.rules import RULES
from tidings.timex.starts import DIGIT, SPACE, WORD_START, StartSet, TextStarts, iter_matches

SENTENCES = [
    "Shelling resumed on Sunday night, three days after the ceasefire of 4 March 2022 collapsed.",
    "The council will vote next Thursday; talks ran from 1998 to 2003 and again in the mid-1990s.",
    "About 40 years ago the dam was built. Since then, twice a year, crews inspect it.",
    "Patrols pass three times a day and every other week; the report came out in Q3 2021.",
    "At 14:30 GMT on Tues., Jan. 5, 2021 the convoy left; by 6 p.m. it had crossed.",
    "In early October the minister said the 19th-century fort would reopen in the spring of 2025.",
    "Over the weekend, for the past few months, in recent days: the future is uncertain now.",
    "Theresa May met officials in May; the Arab Spring began a decade before, around 2010-11.",
    "The race was won in 2:04:11 by a runner who trained 12 to 18 months for it.",
    "On 2023-05-14 and 6/7/2023 a month-long blockade held; on June 3 and 4 July, this week and yesterday, on Halloween.",
    "ſpring and ſummer arrive; İstanbul reported snow on Christmas Eve 2019.",
    "",
    "      \n\n\t  years ago",
]


def _same_matches(text: str, pattern: re.Pattern[str], starts: StartSet, lo: int, hi: int) -> None:
    expected = [(m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]
    found = [(m.start(), m.end()) for m in iter_matches(pattern, starts, TextStarts(text), lo, hi)]
    assert found == expected


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_rule_matches_as_finditer_does(sentence: str) -> None:
    for rule, starts in zip(RULES, _RULE_STARTS, strict=True):
        _same_matches(sentence, rule.pattern, starts, 0, len(sentence))


def test_the_sentences_exercise_the_rules() -> None:
    text = " ".join(s for s in SENTENCES if "ſ" not in s)
    index = TextStarts(text)
    assert index.lowered is not None  # the start scan, not the full-scan fallback
    matched = {rule.name for rule, starts in zip(RULES, _RULE_STARTS, strict=True) if any(iter_matches(rule.pattern, starts, index, 0, len(text)))}
    assert len(matched) == len(RULES)


def test_every_rule_has_bounded_starts() -> None:
    # A rule the reading cannot bound costs a full crawl of every text: keep them all bounded.
    assert all(starts.bounded for starts in _RULE_STARTS)


_PIECES = st.sampled_from(
    ["May", "may", "Jan.", "Jan", "5", "2024", "19", "1,000", "3:15", "12:30:05", "p.m.", "am", "the", "The",
     "past", "early", "mid-", "spring", "Tuesday", "TUESDAY", "Tue.", "every", "each", "three", "times", "a",
     "few", "days", "years", "year", "ago", "weekend", "Q3", "'90s", "’80s", "century", "long", "now",
     "ſpring", "İ", "ı", "K", "today", "night", "-", "–", ",", ".", "/", "'s", "x", "\u00a0", "\n", "  "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.sampled_from(["", " ", "\n"]), st.data())
def test_generated_text_matches_as_finditer_does(pieces: list[str], joiner: str, data: st.DataObject) -> None:
    text = joiner.join(pieces)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    for rule, starts in zip(RULES, _RULE_STARTS, strict=True):
        _same_matches(text, rule.pattern, starts, lo, hi)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_matches_as_finditer_does(text: str) -> None:
    for rule, starts in zip(RULES, _RULE_STARTS, strict=True):
        _same_matches(text, rule.pattern, starts, 0, len(text))


_SMALL_PATTERNS = [r"ab|ba", r"(?i:aba|b)", r"(?:x\s+)?a+b?", r"\s*ab", r"(?<![\w-])\w{1,3}\s+b", r"(?:a|b)(?:a|x)\d"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abAB x-1\n", max_size=40), st.sampled_from(_SMALL_PATTERNS))
def test_small_patterns_match_as_finditer_does(text: str, pattern: str) -> None:
    # overlapping candidates ("aba": 'ab' then 'ba') must resume after each match, as finditer does
    compiled = re.compile(pattern)
    _same_matches(text, compiled, StartSet.of(compiled), 0, len(text))


def test_starts_of_optional_modifiers_and_a_word() -> None:
    starts = StartSet.of(re.compile(r"(?:(?i:early|late)\s+)?(?i:spring|summer)"))
    assert starts.bounded
    assert starts.literals == {"early", "late", "spring", "summer"}
    assert starts.kinds == frozenset()


def test_a_short_literal_is_carried_into_its_branch() -> None:
    # the parser factors "every|each" into 'e' + ('very'|'ach'); 'e' alone would match everywhere
    assert StartSet.of(re.compile(r"(?i:every|each)\s+day")).literals == {"every", "each"}


def test_a_longer_literal_covers_the_ones_it_prefixes() -> None:
    assert StartSet.of(re.compile(r"(?:Jan|January|Feb)\s+\d")).literals == {"jan", "feb"}


def test_digits_spaces_and_guarded_word_starts() -> None:
    assert StartSet.of(re.compile(r"\d+:\d\d")).kinds == {DIGIT}
    assert StartSet.of(re.compile(r"\s*(?i:ago)")).kinds == {SPACE}
    assert StartSet.of(re.compile(r"(?<![\w-])\w{1,12}\s+times")).kinds == {WORD_START}


@pytest.mark.parametrize("pattern", [r".x", r"[^a]b", r"\w+ago", r"a*", r"(?:x|)y?", r"(?i)may"])
def test_patterns_it_cannot_bound_are_scanned_in_full(pattern: str) -> None:
    compiled = re.compile(pattern)
    starts = StartSet.of(compiled)
    assert not starts.bounded
    text = "xx a b ago xy May may yy"
    assert [m.span() for m in iter_matches(compiled, starts, TextStarts(text), 0, len(text))] == [m.span() for m in compiled.finditer(text)]


def test_required_literal_skips_a_text_without_it() -> None:
    starts = StartSet.of(re.compile(r"(?:\d+\s+)?[dw]\s+(?i:ago)"))
    assert starts.required == {"ago"}
    assert TextStarts("3 d later, 5 w before").positions(starts) == []
    assert TextStarts("3 d AGO").positions(starts) == [0, 2]


def test_case_fold_traps_fall_back_to_a_full_scan() -> None:
    # re's (?i) matches the long s to 's', which str.lower() leaves alone
    pattern = re.compile(r"(?i:spring)")
    starts = StartSet.of(pattern)
    assert TextStarts("ſpring").positions(starts) is None
    assert [m.group() for m in iter_matches(pattern, starts, TextStarts("in ſpring"), 0, 9)] == ["ſpring"]


def test_three_times_a_day_is_a_set() -> None:
    found = find_timexes("Patrols pass three times a day near the dam.", date(2024, 11, 5))
    assert [(t.text, t.type, t.value) for t in found] == [("three times a day", "SET", "P1D")]


@pytest.mark.parametrize(
    "hostile",
    [" " * 200_000 + "x ago", "\n" * 200_000 + "years ago", "a " * 100_000 + "years ago", "1 " * 100_000],
    ids=["spaces-ago", "newlines-ago", "articles-ago", "digits"],
)
def test_runs_of_blanks_stay_linear(hostile: str) -> None:
    started = time.perf_counter()
    find_timexes(hostile, date(2024, 11, 5))
    assert time.perf_counter() - started < 15  # ~1 s on a shared CPU; quadratic would be hours
