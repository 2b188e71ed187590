"""The `quantities` stage on parsed text, end to end on the sample, and round-trip properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.analyze import analyze_records
from tidings.article import Article, TimeExpr
from tidings.figures import find_figures, parse_number
from tidings.pipeline import Pipeline, get_stage


def quantities_stage():
    # looked up through the registry: importing the class directly would register it alone
    return get_stage("quantities")()


@pytest.fixture(scope="module")
def parse():
    pipeline = Pipeline(["nlp", "quantities"])

    def run(text: str) -> Article:
        return pipeline(Article(text=text))

    return run


def by_text(article: Article, text: str):
    found = [q for q in article.quantities if q.text == text and not q.derived]
    assert found, f"{text!r} not in {[q.text for q in article.quantities]}"
    return found[0]


@pytest.mark.parametrize(("sentence", "text", "counted", "role"), [
    ("Some 450 families sheltered in the school on Friday.", "Some 450 families", "families", None),
    ("About 40 nurses quit after the hospital was shelled.", "About 40 nurses", "nurses", None),
    ("The 500-strong battalion withdrew from the ridge overnight.", "500-strong battalion", "battalion", "troops"),
    ("Tens of thousands fled the city as 300 marines landed.", "300 marines", "marines", "troops"),
    ("Saboteurs blew up 3 bridges and derailed two freight trains.", "two freight trains", "freight trains", None),
    ("Five soldiers and two civilians were killed in the ambush.", "Five soldiers", "soldiers killed", "killed"),
    ("An air strike on the camp killed 14 people and wounded dozens more.", "14 people", "people killed", "killed"),
    ("An air strike on the camp killed 14 people and wounded dozens more.", "dozens more", "people injured", "injured"),
    ("Police said 60 protesters were detained and three officers were hurt.", "three officers", "officers injured", "injured"),
])
def test_counted_and_role_with_a_parse(parse, sentence, text, counted, role):
    q = by_text(parse(sentence), text)
    assert (q.counted, q.role) == (counted, role)


def test_stage_output_keeps_the_contract_shape(parse):
    article = parse("Gunmen killed 8 villagers and burned about 20 huts near the river.")
    record = next(analyze_records([{"id": "x", "text": article.text}], stages=["nlp", "quantities"]))
    assert [q["text"] for q in record["quantities"]] == ["8 villagers", "about 20 huts"]
    for q in record["quantities"]:
        assert {"start", "end", "text", "value", "low", "high", "qualifier", "counted"} <= set(q)
        assert record["text"][q["start"]:q["end"]] == q["text"]
    json.dumps(record, allow_nan=False)


def test_stage_skips_numbers_the_times_stage_found():
    article = Article(text="The siege lasted 90 days and 300 defenders held out.")
    article.times = [TimeExpr(17, 24, "90 days", "DURATION", "P90D")]
    quantities_stage()(article)
    assert [q.text for q in article.quantities] == ["300 defenders"]


def test_stage_works_without_a_parse_or_times():
    article = quantities_stage()(Article(text="Rescuers pulled 17 miners from the shaft."))
    assert [(q.text, q.value) for q in article.quantities] == [("17 miners", 17)]


def test_sample_figures_end_to_end(sample_path):
    text = sample_path.read_text(encoding="utf-8")
    record = next(analyze_records([{"id": "sample", "text": text, "published": "2024-11-05"}]))
    found = {q["text"]: q for q in record["quantities"]}
    expected = {
        "28,500 troops": (28500, "exact", "troops"),
        "up to 12,000 North Korean combat troops": (12000, "up_to", "troops"),
        "at least 10,000 North Korean soldiers": (10000, "at_least", "troops"),
        "five North Korean units": (5, "exact", "troops"),
        "about 3,000 soldiers": (3000, "about", "troops"),
        "1.3-million-strong army": (1_300_000, "exact", "troops"),
        "up to 9 kilometers": (9, "up_to", None),
        "more than 5 miles": (5, "at_least", None),
        "six people": (6, "exact", "killed"),
        "23 others": (23, "exact", "injured"),
    }
    for text_of, (value, qualifier, role) in expected.items():
        assert text_of in found, f"{text_of!r} missing from {sorted(found)}"
        q = found[text_of]
        assert (q["value"], q["qualifier"], q["role"]) == (value, qualifier, role)
    total = next(q for q in record["quantities"] if q["derived"])
    assert (total["value"], total["per_unit"], total["qualifier"]) == (15000, 3000, "about")
    assert found["up to 9 kilometers"]["unit"] == "km" and found["more than 5 miles"]["unit"] == "mi"
    # years, dates, ordinals and durations are not figures
    assert not any(t in found for t in ("1950", "1953", "04", "2024", "1st", "1,000-day", "three-month-old"))
    assert all(text[q["start"]:q["end"]] == q["text"] for q in record["quantities"])


# --- round trips: render a number in a news-wire format, read it back --------------------------

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(n: int, british_and: bool) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        head = f"{_ONES[n // 100]} hundred"
        return head if rest == 0 else f"{head} {'and ' if british_and else ''}{in_words(rest, british_and)}"
    for scale, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= scale:
            rest = n % scale
            head = f"{in_words(n // scale, british_and)} {name}"
            return head if rest == 0 else f"{head} {in_words(rest, british_and)}"
    raise AssertionError(n)


counts = st.integers(min_value=2, max_value=999_999_999)


@settings(max_examples=300, deadline=None)
@given(counts, st.booleans())
def test_words_round_trip(n, british_and):
    assert parse_number(in_words(n, british_and)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_digits_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "\u00a0")) == n if n >= 1000 else True


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from([("million", 10**6), ("billion", 10**9), ("thousand", 10**3)]))
def test_decimal_with_scale_round_trip(tenths, scale):
    name, factor = scale
    assert parse_number(f"{tenths / 10:g} {name}") == pytest.approx(tenths / 10 * factor)


@settings(max_examples=200, deadline=None)
@given(
    counts,
    st.sampled_from(["digits", "grouped", "words", "dollars"]),
    st.sampled_from([("", "exact"), ("at least ", "at_least"), ("up to ", "up_to"), ("about ", "about"), ("more than ", "at_least")]),
)
def test_figures_round_trip_through_a_sentence(n, style, hedge):
    rendered = {"digits": str(n), "grouped": f"{n:,}", "words": in_words(n, True), "dollars": f"${n:,}"}[style]
    prefix, qualifier = hedge
    sentence = f"Officials said {prefix}{rendered} soldiers were deployed on Friday."
    found = find_figures(sentence)
    assert len(found) == 1
    q = found[0]
    assert q.text.startswith(prefix + rendered)
    assert sentence[q.start:q.end] == q.text
    assert q.value == n
    assert q.qualifier == qualifier
    assert parse_number(rendered) == n
