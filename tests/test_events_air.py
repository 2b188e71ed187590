"""An attack the sentence says came from the air is an air/drone strike, whatever it hit: sentences
written for these tests through the pipeline, and the pure rule case by case."""

from __future__ import annotations

import pytest

from tidings.analyze import analyze_records
from tidings.events.air import AIR_STRIKE, air_strike_type

# Written for these tests (places unlike the CASE dev snippets). Without the rule the classifier
# types the first by its toll (an attack on soldiers).
AIR_SENTENCES = [
    "Twenty-nine soldiers were killed in an air strike by government forces in the north of the province, a regional official said.",
    "An air strike by government forces killed 14 rebel fighters near the village of Damba on Tuesday.",
    "Warplanes destroyed a weapons cache and a command post of the militants in the hills near Derna.",
    "Helicopter gunships attacked a convoy of rebels crossing the river near Bunia.",
]
NOT_AIR = [
    "Government troops backed by warplanes recaptured the town of Mahir from the rebels on Sunday.",  # taken on the ground
    "Rebels shelled the airport of Kindu with mortars, damaging a parked aircraft.",  # an aircraft hit, not the means
    "Militants ambushed an army patrol near Tillaberi, killing seven soldiers.",
]


def _types(text: str) -> list[str]:
    (result,) = analyze_records([{"id": "t", "text": text}], ["nlp", "events"])
    return [e["sub_event_type"] for e in result["events"]]


@pytest.mark.parametrize("text", AIR_SENTENCES)
def test_an_attack_from_the_air_is_an_air_strike(text: str) -> None:
    found = _types(text)
    assert found and found[0] == AIR_STRIKE, found


@pytest.mark.parametrize("text", NOT_AIR)
def test_other_attacks_are_not(text: str) -> None:
    assert AIR_STRIKE not in _types(text)


@pytest.mark.parametrize(
    ("predicted", "sentence", "expected"),
    [
        ("Armed clash", "An air strike killed 29 soldiers.", AIR_STRIKE),
        ("Disrupted weapons use", "Warplanes destroyed the arms depot.", AIR_STRIKE),
        ("Shelling/artillery/missile attack", "Drone strikes hit the base overnight.", AIR_STRIKE),
        ("Attack", "Villagers died in an aerial bombardment of the market.", AIR_STRIKE),
        ("Armed clash", "The army denied that its warplanes had struck the market.", "Armed clash"),  # denied
        ("Armed clash", "There were no air strikes on the town, residents said.", "Armed clash"),
        ("Shelling/artillery/missile attack", "Rebels shelled the airport, damaging an aircraft.", "Shelling/artillery/missile attack"),
        ("Peaceful protest", "Protesters marched against the air strikes.", "Peaceful protest"),  # not a type an air attack is read as
        ("Suicide bomb", "Two suicide bombers blew themselves up.", "Suicide bomb"),
    ],
)
def test_air_strike_type(predicted: str, sentence: str, expected: str) -> None:
    assert air_strike_type(predicted, sentence) == expected
