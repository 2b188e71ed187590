"""A speaker named by a title after an article (`the Home Secretary`) is that role, or the person
the text gives it: never a person called `Secretary`. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tidings.analyze import analyze_records


def _speakers(text: str) -> list[tuple[str | None, str | None]]:
    (result,) = analyze_records([{"id": "t", "text": text}], ["nlp", "quotes", "claims"])
    return [(q["speaker"]["text"] if q["speaker"] else None, q["speaker_name"]) for q in result["quotes"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Prime Minister said the talks would resume in March.", [("The Prime Minister", "Prime Minister")]),
        ("The Home Secretary told MPs that the scheme would be scrapped.", [("The Home Secretary", "Home Secretary")]),
        (
            "Foreign Secretary Alan Moyes flew to Oslo on Monday. The Foreign Secretary said the talks had been useful.",
            [("The Foreign Secretary", "Alan Moyes")],
        ),
        (
            "The Chancellor defended the budget. “Nobody will pay more,” she said.",
            [("The Chancellor", "Chancellor"), ("she", "Chancellor")],  # `defended [the budget]` is a stance
        ),
        ("The White House said the visit was postponed.", [("The White House", "White House")]),  # an organisation
    ],
)
def test_titles_after_an_article(text: str, expected: list[tuple[str, str]]) -> None:
    assert _speakers(text) == expected
