"""The `times` stage end to end, publication-date inference, the eval scorer's matching, and
properties on arbitrary and hostile text."""

from __future__ import annotations

import itertools
import time
import warnings
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE
from tidings.article import Article, Caption
from tidings.errors import TidingsError
from tidings.eval.times import match_relaxed, score_documents
from tidings.pipeline import Pipeline
from tidings.stages.times import TimesStage, parse_published
from tidings.timex import find_timexes, infer_published
from tidings.timex.tense import text_tense


def _second_sample_article() -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    return text[text.index("Ukrainian Troops Have Engaged") :]


def _first_sample_article() -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    return text[: text.index("Ukrainian Troops Have Engaged")]


# ---------------------------------------------------------------- publication-date inference

CAPTIONED = (
    "Smoke rises over the harbour in Odesa, Ukraine, 11 March 2024. (AFP)\n\n"
    "A missile struck the harbour on Monday, the navy said Tuesday. "
    "Officials said Tuesday that repairs would take weeks."
)


def test_inference_from_caption_and_agreeing_weekdays() -> None:
    guess = infer_published(CAPTIONED)
    assert guess is not None
    assert guess.date == date(2024, 3, 12)  # 11 March 2024 is a Monday; "Tuesday" is the next day
    assert any("11 March 2024" in e for e in guess.evidence)
    assert any("'Tuesday'" in e and "2024-03-12" in e for e in guess.evidence)


def test_no_inference_without_weekdays() -> None:
    assert infer_published("Smoke rises over Odesa, 11 March 2024. (AFP)\n\nA missile struck the harbour.") is None


def test_no_inference_without_a_caption_date() -> None:
    assert infer_published("A missile struck the harbour on Monday, the navy said Tuesday.") is None


def test_no_inference_when_caption_dates_disagree() -> None:
    text = "Odesa, 11 March 2024. (AFP)\nKharkiv, 2 February 2024. (EPA)\n\nThe navy said Tuesday it was hit."
    assert infer_published(text) is None


def test_no_inference_when_weekdays_do_not_fit_the_caption() -> None:
    # 11 March 2024 is a Monday; a past-tense "Saturday" would be five days later.
    assert infer_published("Odesa, 11 March 2024. (AFP)\n\nThe navy said on Saturday that it was hit.") is None


def test_inference_uses_only_the_given_captions() -> None:
    text = "The treaty of 2 February 2020 lapsed.\n\nOdesa, 11 March 2024. (AFP)\n\nThe navy said Monday it was hit."
    start = text.index("Odesa")
    guess = infer_published(text, [(start, text.index("(AFP)") + 5)])
    assert guess is not None and guess.date == date(2024, 3, 11)
    assert infer_published(text) is None  # two different dates and no caption to choose


def test_sample_second_article_infers_the_date() -> None:
    article = TimesStage()(Article(text=_second_sample_article()))
    assert article.published == "2024-11-05"
    assert article.published_how == "inferred"
    assert article.published_evidence
    values = {(t.text, t.value) for t in article.times}
    assert ("Tuesday", "2024-11-05") in values
    assert ("Monday", "2024-11-04") in values
    assert ("Tuesday morning", "2024-11-05TMO") in values
    assert ("early October", "2024-10") in values
    assert ("the past year", "P1Y") in values
    assert ("three-month-old", "P3M") in values
    assert ("1,000-day", "P1000D") in values


def test_sample_first_article_with_a_given_date() -> None:
    article = TimesStage()(Article(text=_first_sample_article(), published="2024-01-14"))
    values = {(t.text, t.value, t.mod) for t in article.times}
    assert ("Saturday", "2024-01-13", None) in values
    assert ("December", "2023-12", None) in values
    assert ("last August", "2023-08", None) in values
    assert ("1950", "1950", "RANGE_START") in values
    assert ("1953", "1953", "RANGE_END") in values


def test_sample_first_article_without_a_date_leaves_relatives_unresolved() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = TimesStage()(Article(text=_first_sample_article(), title="S.Korean Minister"))
    assert article.published is None and article.published_how == "unknown"
    saturday = next(t for t in article.times if t.text == "Saturday")
    assert saturday.value is None and saturday.resolved is False
    assert next(t for t in article.times if t.text == "1950").value == "1950"
    assert any("W002" in str(w.message) for w in caught)


def test_stage_with_parse_uses_the_governing_verb() -> None:
    text = "The ministry said Tuesday that the army will hold the line."
    article = Pipeline(["nlp", "times"])(Article(text=text, published="2024-11-07"))
    assert [(t.text, t.value) for t in article.times] == [("Tuesday", "2024-11-05")]


def test_stage_future_with_parse() -> None:
    text = "The foreign minister will travel to Geneva on Friday."
    article = Pipeline(["nlp", "times"])(Article(text=text, published="2024-11-05"))
    assert [(t.text, t.value) for t in article.times] == [("Friday", "2024-11-08")]


def test_stage_takes_captions_from_the_article() -> None:
    text = "Odesa, 11 March 2024. (AFP)\n\nThe treaty of 2 February 2020 lapsed, the navy said Monday."
    article = Article(text=text, captions=[Caption(0, 27, text[:27])])
    TimesStage()(article)
    assert article.published == "2024-03-11"


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "05/11/2024"])
def test_invalid_published_date_is_an_error(value: str) -> None:
    with pytest.raises(TidingsError) as err:
        TimesStage()(Article(text="Talks ended on Monday.", published=value))
    assert err.value.code == "E014"


def test_published_datetime_is_accepted() -> None:
    assert parse_published("2024-11-05T08:30:00Z") == date(2024, 11, 5)


# ---------------------------------------------------------------- tense cue


@pytest.mark.parametrize(
    ("sentence", "target", "tense"),
    [
        ("The envoy will arrive on Friday.", "Friday", "future"),
        ("The envoy arrived on Friday, officials said.", "Friday", "past"),
        ("The vote is due to be held in May.", "May", "future"),
        ("Officials said Friday the bridge will reopen.", "Friday", "past"),
    ],
)
def test_text_tense(sentence: str, target: str, tense: str) -> None:
    start = sentence.index(target)
    assert text_tense(sentence, start, start + len(target)) == tense


# ---------------------------------------------------------------- scorer


def test_relaxed_matching_is_one_to_one() -> None:
    assert sorted(match_relaxed([(0, 10), (20, 25)], [(5, 12), (6, 8), (30, 31)])) == [(0, 0)]


def test_score_documents_counts() -> None:
    gold = [{"start": 0, "end": 6, "type": "DATE", "value": "2024-11-05"}, {"start": 10, "end": 15, "type": "DURATION", "value": "P1Y"}]
    pred = [{"start": 0, "end": 6, "type": "DATE", "value": "2024-11-04"}, {"start": 11, "end": 15, "type": "DURATION", "value": "P1Y"}]
    scores = score_documents([(gold, pred)])
    assert scores["strict_f1"] == 0.5
    assert scores["relaxed_f1"] == 1.0
    assert scores["value_accuracy"] == 0.5
    assert scores["type_accuracy"] == 1.0


# ---------------------------------------------------------------- properties

_WORDS = st.sampled_from(
    ["on", "Tuesday", "last", "August", "May", "2024", "1950", "to", "early", "October", "the", "past", "year",
     "three-month-old", "days", "ago", "5", "p.m.", "12:30", "next", "week", "1,000-day", ",", ".", "\n", "'s", "now", "-"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.booleans())
def test_spans_are_exact_sorted_and_disjoint(words: list[str], anchored: bool) -> None:
    text = " ".join(words)
    found = find_timexes(text, date(2024, 11, 5) if anchored else None)
    for timex in found:
        assert text[timex.start : timex.end] == timex.text
        assert timex.type in ("DATE", "TIME", "DURATION", "SET")
        assert timex.resolved == (timex.value is not None)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for timex in find_timexes(text, date(2024, 11, 5)):
        assert text[timex.start : timex.end] == timex.text


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 200_000,
        "May " * 10_000,
        "the past " * 5_000,
        "Tuesday, " * 5_000,
        "12:" * 20_000,
        "a few " * 8_000 + "days",
        "-" * 200_000,
        "early mid late " * 3_000,
    ],
    ids=["digits", "may", "the-past", "weekdays", "colons", "few", "dashes", "premods"],
)
def test_hostile_input_runs_in_bounded_time(hostile: str) -> None:
    started = time.perf_counter()
    find_timexes(hostile, date(2024, 11, 5))
    assert time.perf_counter() - started < 15  # linear: ~1 s each on a shared CPU
