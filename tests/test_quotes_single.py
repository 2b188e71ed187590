"""Single curly quotation marks (‘...’): British style's first level, American style's second.
The closing mark is also the apostrophe; sentences written for these tests."""

from __future__ import annotations

import pytest

from tidings.analyze import analyze_records
from tidings.attribution.marks import find_quoted


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quoted(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("‘We will not back down,’ the minister said.", ["‘We will not back down,’"]),
        ("‘The farmers’ anger is real,’ she said.", ["‘The farmers’ anger is real,’"]),  # a plural possessive inside
        ("‘I can’t and won’t,’ he said.", ["‘I can’t and won’t,’"]),  # apostrophes inside
        ("He called the plan ‘a disgrace’.", ["‘a disgrace’"]),
        ("Crowds chanted ‘out, out, out’ outside the embassy.", ["‘out, out, out’"]),
        ("The band played rock ‘n’ roll hits of the ‘90s all night.", []),  # elisions
        ("It’s the players’ union that’s angry.", []),  # apostrophes only
        ("A stray ‘ mark and nothing else.", []),
        ("‘Never closed in this paragraph\nbut here’s the next one.", []),
        ("She said: “He told me ‘never again’ and left.”", ["“He told me ‘never again’ and left.”"]),  # inner single quote
        ("‘He told me “never again”,’ she said.", ["‘He told me “never again”,’"]),  # British: singles outside
    ],
)
def test_single_quoted_passages(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def _quotes(text: str) -> list[dict]:
    (result,) = analyze_records([{"id": "t", "text": text}], ["nlp", "quotes", "claims"])
    return result["quotes"]


def test_british_style_quotes_get_their_speakers() -> None:
    text = (
        "The transport secretary defended the rail plan on Tuesday. ‘We will not back down on this,’ Priya Nair told the Commons.\n\n"
        "‘I was told “wait your turn”,’ said Tom Hale, a commuter from Derby, ‘and I have waited six years.’"
    )
    quotes = {q["content"]["text"]: q for q in _quotes(text)}
    first = quotes["‘We will not back down on this,’"]
    assert (first["kind"], first["speaker"]["text"], first["cue"]["text"]) == ("direct", "Priya Nair", "told")
    split = next(q for q in quotes.values() if q["content"]["text"].startswith("‘I was told"))
    assert split["speaker_name"] == "Tom Hale"
    assert [text[s:e] for s, e in split["content_fragments"]] == ["‘I was told “wait your turn”,’", "‘and I have waited six years.’"]


def test_a_single_quoted_fragment_in_reported_speech_is_mixed() -> None:
    text = "The union's leader said the offer was ‘an insult to every nurse’ and would be rejected."
    (quote,) = [q for q in _quotes(text) if "offer" in q["content"]["text"]]
    assert quote["kind"] == "mixed"
    assert quote["speaker"]["text"] == "The union's leader"
