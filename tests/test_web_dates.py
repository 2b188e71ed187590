"""Readable dates: TIMEX values shown as their date part and precision; values that name no
date are unknown, never shown raw."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.web.dates import event_date_view, interval_text, readable_date


@pytest.mark.parametrize(
    ("value", "text", "precision", "day"),
    [
        ("2024-11-05", "2024-11-05", "day", "2024-11-05"),
        ("2024-11-05TMO", "2024-11-05 (morning)", "day", "2024-11-05"),
        ("2024-11-05T14:30", "2024-11-05", "day", "2024-11-05"),
        ("2024-11", "November 2024", "month", "2024-11-01"),
        ("2024", "2024", "year", "2024-01-01"),
        ("2024-W45", "week 45 of 2024", "week", "2024-11-04"),
        ("2024-W45-WE", "weekend of week 45, 2024", "week", "2024-11-09"),
        ("2024-SU", "summer 2024", "season", "2024-01-01"),
        ("2024-Q3", "Q3 2024", "quarter", "2024-07-01"),
        ("202", "the 2020s", "decade", "2020-01-01"),
    ],
)
def test_timex_values_read_as_dates(value: str, text: str, precision: str, day: str) -> None:
    found = readable_date(value)
    assert found is not None
    assert (found.text, found.precision, found.day) == (text, precision, day)


@pytest.mark.parametrize("value", ["PAST_REF", "PRESENT_REF", "FUTURE_REF", "XXXX-11-05", "2024-13", "2024-02-30", "2024-W60", "2024-H3", "", None, "yesterday"])
def test_values_that_name_no_date_are_unknown(value: str | None) -> None:
    assert readable_date(value) is None


def test_event_date_falls_back_to_the_normalised_column() -> None:
    assert event_date_view("PAST_REF", None, None) is None
    assert event_date_view("PAST_REF", "2024-11-01", "month") == {"text": "2024-11-01 (month)", "precision": "month", "day": "2024-11-01"}
    assert event_date_view("2024-11-05TEV", "2024-11-05", "day")["text"] == "2024-11-05 (evening)"  # type: ignore[index]
    assert interval_text("2024-11-04", "2024-11-06") == "2024-11-04 to 2024-11-06"
    assert interval_text("2024-11-04", "2024-11-04") == "2024-11-04" and interval_text(None, None) is None


@given(st.text(max_size=60))
def test_any_text_gives_a_valid_date_or_none(value: str) -> None:
    found = readable_date(value)
    if found is not None:
        assert len(found.day) == 10 and found.day[4] == "-" and found.text


def test_hostile_long_input_is_fast() -> None:
    started = time.perf_counter()
    for value in ("2" * 100_000, "2024-" * 50_000, "2024-11-05T" + "M" * 100_000):
        assert readable_date(value) is None
    assert time.perf_counter() - started < 0.5
