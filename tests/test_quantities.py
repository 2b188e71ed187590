"""Figures found in hand-written news sentences (no parse: tidings.figures on plain text)."""

from __future__ import annotations

import json
import math
import time

import pytest

from tidings.errors import TidingsError
from tidings.figures import casualties, casualties_in_text, find_figures, parse_number


def figure(sentence: str, text: str):
    found = [q for q in find_figures(sentence) if q.text == text and not q.derived]
    assert found, f"{text!r} not found in {[q.text for q in find_figures(sentence)]}"
    return found[0]


# (sentence, figure text, value, qualifier, counted, unit, role): at least 40 shapes.
SHAPES = [
    ("Rebels freed 28,500 prisoners from the jail.", "28,500 prisoners", 28500, "exact", "prisoners", None, None),
    ("Officials said up to 4,000 militiamen had gathered.", "up to 4,000 militiamen", 4000, "up_to", "militiamen", None, "troops"),
    ("Witnesses counted at least 700 armoured vehicles.", "at least 700 armoured vehicles", 700, "at_least", "armoured vehicles", None, None),
    ("The convoy carried about 3,000 tonnes of grain.", "about 3,000 tonnes", 3000, "about", None, "t", None),
    ("Some 450 families sheltered in the school.", "Some 450 families", 450, "about", "families", None, None),
    ("Roughly 80 boats crossed the strait overnight.", "Roughly 80 boats", 80, "about", "boats", None, None),
    ("Nearly 90 villages lost power after the storm.", "Nearly 90 villages", 90, "about", "villages", None, None),
    ("More than 5,000 demonstrators marched downtown.", "More than 5,000 demonstrators", 5000, "at_least", "demonstrators", None, None),
    ("Fewer than 300 voters turned up in the district.", "Fewer than 300 voters", 300, "at_most", "voters", None, None),
    ("No more than 15 inspectors were allowed in.", "No more than 15 inspectors", 15, "at_most", "inspectors", None, None),
    ("As many as 60 drones were launched overnight.", "As many as 60 drones", 60, "up_to", "drones", None, None),
    ("An estimated 2 million people lack clean water.", "An estimated 2 million people", 2e6, "about", "people", None, None),
    ("The navy sank three patrol boats near the coast.", "three patrol boats", 3, "exact", "patrol boats", None, None),
    ("Forty-two sailors were rescued from the ferry.", "Forty-two sailors", 42, "exact", "sailors", None, "troops"),
    ("The fund paid one hundred and five claimants.", "one hundred and five claimants", 105, "exact", "claimants", None, None),
    ("A hundred volunteers cleared the rubble.", "A hundred volunteers", 100, "exact", "volunteers", None, None),
    ("Two dozen ambulances waited at the border.", "Two dozen ambulances", 24, "exact", "ambulances", None, None),
    ("Half a million residents fled the floods.", "Half a million residents", 5e5, "exact", "residents displaced", None, "displaced"),
    ("Dozens of cars burned in the car park.", "Dozens of cars", 12, "about", "cars", None, None),
    ("Hundreds of students occupied the campus.", "Hundreds of students", 100, "about", "students", None, None),
    ("Tens of migrants reached the island at dawn.", "Tens of migrants", 10, "about", "migrants", None, None),
    ("Tens of thousands of pilgrims visited the shrine.", "Tens of thousands of pilgrims", 1e4, "about", "pilgrims", None, None),
    ("Hundreds of thousands of workers went on strike.", "Hundreds of thousands of workers", 1e5, "about", "workers", None, None),
    ("The ministry set aside $5 million for repairs.", "$5 million", 5e6, "exact", None, "USD", None),
    ("The bank lent US$1.2bn to the utility.", "US$1.2bn", 1.2e9, "exact", None, "USD", None),
    ("Brussels pledged €300m in loans.", "€300m", 3e8, "exact", None, "EUR", None),
    ("Kyiv budgeted 45 billion hryvnias for drones.", "45 billion hryvnias", 45e9, "exact", None, "UAH", None),
    ("Prices rose 7.5% in the quarter.", "7.5%", 7.5, "exact", None, "%", None),
    ("Support fell to 31 per cent in the poll.", "31 per cent", 31, "exact", None, "%", None),
    ("The front moved 14 km in a week.", "14 km", 14, "exact", None, "km", None),
    ("The column stretched for 40 miles along the road.", "40 miles", 40, "exact", None, "mi", None),
    ("The fire burned 2,300 hectares of forest.", "2,300 hectares", 2300, "exact", None, "ha", None),
    ("Between 40 and 60 guards were on duty.", "Between 40 and 60 guards", 40, "range", "guards", None, None),
    ("The raid involved 20-30 gunmen on motorbikes.", "20-30 gunmen", 20, "range", "gunmen", None, "troops"),
    ("Police detained 10 to 15 suspects in the sweep.", "10 to 15 suspects", 10, "range", "suspects arrested", None, "arrested"),
    ("Two or three shells hit the market.", "Two or three shells", 2, "range", "shells", None, None),
    ("The state sent 2 to 3 million doses.", "2 to 3 million doses", 2e6, "range", "doses", None, None),
    ("The 500-strong battalion was withdrawn at night.", "500-strong battalion", 500, "exact", "battalion", None, "troops"),
    ("Its 1.3-million-strong army is among the largest.", "1.3-million-strong army", 1.3e6, "exact", "army", None, "troops"),
    ("The storm cut power to 1 1/2 million homes.", "1 1/2 million homes", 1.5e6, "exact", "homes", None, None),
    ("Some 300 or so fighters surrendered.", "Some 300 or so fighters", 300, "about", "fighters", None, "troops"),
    ("At least 250 or more tents were pitched.", "At least 250 or more tents", 250, "at_least", "tents", None, None),
    ("Two-thirds of the wells were poisoned.", "Two-thirds of the wells", 2 / 3, "exact", "wells", "fraction", None),
    ("Eleven fishermen were reported missing after the squall.", "Eleven fishermen", 11, "exact", "fishermen missing", None, "missing"),
    ("The blast wounded 14 bystanders near the mosque.", "14 bystanders", 14, "exact", "bystanders injured", None, "injured"),
    ("Gunmen abducted 27 schoolgirls from the dormitory.", "27 schoolgirls", 27, "exact", "schoolgirls abducted", None, "abducted"),
    ("The quake left 1,100 dead across the province.", "1,100", 1100, "exact", "killed", None, "killed"),
    ("The official death toll stands at 37 after the crash.", "37", 37, "exact", "killed", None, "killed"),
    ("Medics reported 19 deaths and 45 injuries overnight.", "19 deaths", 19, "exact", "deaths", None, "killed"),
    ("The army lost 1.000.000 rounds of ammunition.", "1.000.000 rounds", 1e6, "exact", "rounds", None, None),
    ("The warehouse held 2.500 rifles.", "2.500 rifles", 2500, "exact", "rifles", None, None),
    ("He said 10^100 troops were coming, an absurd claim.", "10^100 troops", 1e100, "exact", "troops", None, "troops"),
]


@pytest.mark.parametrize(("sentence", "text", "value", "qualifier", "counted", "unit", "role"), SHAPES, ids=[s[1] for s in SHAPES])
def test_figure_shapes(sentence, text, value, qualifier, counted, unit, role):
    q = figure(sentence, text)
    assert sentence[q.start:q.end] == q.text
    assert q.value == pytest.approx(value)
    assert q.qualifier == qualifier
    assert q.counted == counted
    assert q.unit == unit
    assert q.role == role


def test_bounds_follow_the_qualifier():
    assert (figure("at least 10 monks fled", "at least 10 monks").low, figure("at least 10 monks fled", "at least 10 monks").high) == (10, None)
    up_to = figure("up to 12 tanks moved", "up to 12 tanks")
    assert (up_to.low, up_to.high) == (None, 12)
    exact = figure("they seized 8 trucks", "8 trucks")
    assert (exact.low, exact.high) == (8, 8)
    about = figure("about 40 nurses have quit", "about 40 nurses")
    assert (about.low, about.high) == (None, None)
    spread = figure("5-7 barges sank", "5-7 barges")
    assert (spread.value, spread.low, spread.high) == (5, 5, 7)


def test_casualty_pair_on_one_event():
    sentence = "A rocket attack on the port killed nine dockers and injured 31 others, the mayor said."
    killed, injured = figure(sentence, "nine dockers"), figure(sentence, "31 others")
    assert (killed.role, killed.value, killed.counted) == ("killed", 9, "dockers killed")
    assert (injured.role, injured.value, injured.counted) == ("injured", 31, "dockers injured")
    assert casualties_in_text(sentence) == (9, 31)


def test_casualties_add_groups_and_keep_lowest_of_one_group():
    text = "Four medics and two drivers were killed. Officials later said at least 3 medics died."
    assert casualties_in_text(text).killed == 4 - 4 + 3 + 2  # medics: min(4, 3); drivers: 2
    assert casualties_in_text("The convoy passed without incident.") == (None, None)


def test_casualties_limited_to_a_span():
    text = "Seven farmers were killed in May. In June, 12 traders were wounded."
    figures = find_figures(text)
    assert casualties(figures, 0, text.index(" In June")) == (7, None)
    assert find_figures("They met on June 12 in Geneva.") == []  # a date, not 12 of anything
    assert casualties(figures, text.index("In June")) == (None, 12)


def test_distributive_figure_gives_a_derived_total():
    sentence = "Officials expect four brigades, each comprising roughly 2,500 conscripts, to arrive."
    found = find_figures(sentence)
    total = next(q for q in found if q.derived)
    assert total.text == "four brigades, each comprising roughly 2,500 conscripts"
    assert (total.value, total.per_unit, total.qualifier, total.counted) == (10000, 2500, "about", "conscripts")
    assert figure(sentence, "four brigades").value == 4
    assert figure(sentence, "roughly 2,500 conscripts").value == 2500


def test_distributive_with_each_after():
    found = find_figures("They formed six companies of 120 volunteers each.")
    total = next(q for q in found if q.derived)
    assert (total.value, total.per_unit) == (720, 120)


@pytest.mark.parametrize("sentence", [
    "The treaty was signed in 2019 and renewed in 2023.",
    "The Korean War lasted from 1950 to 1953.",
    "Shelling resumed on 04 November 2024 and on March 3.",
    "The talks began on the 1st of May at 10:30 a.m.",
    "Officials met at 9 pm on the 21st.",
    "It was the first time since World War II.",
    "Pilots flew F-16 jets and Su-25 bombers.",
    "Under Article 5 and Resolution 2231, flight MH17 and the G7 matter.",
    "The 1990s were quiet, and 24/7 patrols began on 2024-11-05.",
    "One of the concerns is that no one knows; one another.",
    "A 35-year-old man was arrested after a three-month-old siege.",
    "The war nears its 1,000-day mark after two years of fighting.",
    "He lives at No. 5 and called #3 on Route 66.",
    "The nine-member council met Ana Ruiz, 44, of Ten Mile at 775 Main St. near Interstate 395.",
    'The post had tweet_id="778257943577919488" and timestamp 1474387200.',
])
def test_not_figures(sentence):
    assert find_figures(sentence) == []


@pytest.mark.parametrize(("written", "value"), [
    ("1,000", 1000), ("28,500", 28500), ("1,234,567.5", 1234567.5), ("3.5", 3.5), ("1.000.000", 1e6),
    ("1.000", 1.0), ("10\u00a0000", 1e4), ("3.5 million", 3.5e6), ("2bn", 2e9), ("$5m", 5e6),
    ("two dozen", 24), ("a dozen", 12), ("half a dozen", 6), ("a hundred", 100), ("a thousand", 1000),
    ("twenty-three", 23), ("ninety nine", 99), ("one hundred and twenty", 120), ("three million", 3e6),
    ("one and a half million", 1.5e6), ("two and a half", 2.5), ("1 1/2", 1.5), ("1½", 1.5), ("½", 0.5),
    ("dozens", 12), ("tens", 10), ("hundreds", 100), ("thousands", 1000), ("tens of thousands", 1e4),
    ("999999999999999999999999", 1e24), ("10^6", 1e6), ("1.3-million", 1.3e6), ("two-thirds", 2 / 3),
])
def test_parse_number_formats(written, value):
    assert parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["", "troops", "five six", "1,2,3", "12 troops", "10^999", "9" * 400, "x" * 500])
def test_parse_number_rejects_non_numbers(bad):
    with pytest.raises(TidingsError) as err:
        parse_number(bad)
    assert err.value.code == "E180"


def test_absurd_numbers_stay_finite_and_json_safe():
    text = "They claimed 10^100 troops, 10^400 tanks and 999999999999999999999999 jets, and " + "9" * 400 + " drones."
    found = find_figures(text)
    assert len(found) == 4
    assert all(q.value is None or math.isfinite(q.value) for q in found)
    assert next(q for q in found if q.counted == "tanks").value is None
    json.dumps([q.__dict__ for q in found], allow_nan=False)


def test_two_thousand_word_sentence_is_fast_and_exact():
    chunk = "at least 1,200 refugees and about two dozen medics crossed near km 40 on 3 June 2024 with $2.5bn, "
    sentence = chunk * 110  # about 2,000 words, one run-on sentence
    started = time.perf_counter()
    found = find_figures(sentence)
    assert time.perf_counter() - started < 2.0
    assert len(found) == 3 * 110
    assert all(sentence[q.start:q.end] == q.text for q in found)


@pytest.mark.parametrize("hostile", ["1," * 50_000, "5-" * 20_000, "10^" * 20_000, "at least " * 20_000, "dozens of " * 20_000, "9" * 100_000])
def test_hostile_input_is_bounded(hostile):
    started = time.perf_counter()
    found = find_figures(hostile)
    assert time.perf_counter() - started < 5.0
    assert all(hostile[q.start:q.end] == q.text for q in found)


def test_negated_casualties_are_zero_counts():
    text = "The drone hit a depot; no one was killed but 3 guards were hurt. Nobody was injured at the port."
    zeros = [q for q in find_figures(text) if q.value == 0]
    assert [(q.text, q.role) for q in zeros] == [("no one", "killed"), ("Nobody", "injured")]
    assert casualties_in_text(text[: text.index(" Nobody")]) == (0, 3)
    assert [q.text for q in find_figures("There were no casualties, and no deaths.")] == ["no casualties", "no deaths"]
    assert find_figures("There is no one to ask and no reason to stay.") == []
