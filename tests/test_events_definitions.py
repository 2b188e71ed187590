"""Responsibility claims, weapons seized and accidents are typed by the taxonomy's definitions, not
by the attack, fight or agent they name: sentences written for these tests through the pipeline,
and the pure rules case by case."""

from __future__ import annotations

import pytest

from tidings.eval.events import predict
from tidings.events.accident import MAN_MADE, accident_type
from tidings.events.responsibility import ATTRIBUTION, responsibility_type
from tidings.events.seizure import DISRUPTED, seizure_type


def _top_type(text: str) -> str | None:
    """The type of the article's surest event, as the scorer reads it."""
    (found,) = predict([{"id": "t", "text": text}], ["nlp", "events"])
    return found


# Written for these tests (places and groups unlike the CASE dev snippets). Without the rules the
# classifier types the first three by the attack they name, the fourth as a grenade attack.
RETYPED = [
    ("Al-Nasr Brigades claimed responsibility for the mortar shelling that killed 11 civilians in the market of Tal Afar.", ATTRIBUTION),
    ("The army denied its artillery was responsible for shells that struck a school in Marawi, killing three pupils.", ATTRIBUTION),
    ("Pakistan accused India of being behind the suicide bombing that killed 30 worshippers in Peshawar.", ATTRIBUTION),
    ("Troops found a stash of rocket-propelled grenades in a mosque in Bentiu after the rebels withdrew.", DISRUPTED),
]
# Typed right with or without the rules: they must stay so.
CLAIMS = [
    "The Mountain Front claimed responsibility for the roadside bomb that killed four policemen near Tarbela on Monday.",
    "The defence ministry denied that its drones were behind the strike on a wedding party in Garmsir.",
    "Investigators said a breakaway faction of the rebels is believed to be behind the ambush of the convoy near Lira.",
    "The government said the separatists were responsible for the explosion at the railway station in Quetta.",
]
SEIZURES = [
    "Police seized a cache of rifles, grenades and ammunition from a farmhouse outside Tillaberi on Friday.",
    "Army engineers defused two improvised explosive devices planted under a bridge near Mubi.",
]
ACCIDENTS = [
    "A chlorine leak at a water treatment plant in Hattiesburg sent 40 workers to hospital on Wednesday.",
    "Three people died when a fuel tanker crash caused an explosion on the highway outside Kisumu.",
    "Sulphur dioxide spilled from a derailed freight train, forcing 2,000 residents of Lac-Brome to flee.",
]


@pytest.mark.parametrize(("text", "expected"), RETYPED)
def test_the_definition_decides_over_the_words(text: str, expected: str) -> None:
    assert _top_type(text) == expected


@pytest.mark.parametrize("text", CLAIMS)
def test_a_claim_of_responsibility_is_an_attribution(text: str) -> None:
    assert _top_type(text) == ATTRIBUTION


@pytest.mark.parametrize("text", SEIZURES)
def test_weapons_seized_or_defused_are_disrupted_weapons_use(text: str) -> None:
    assert _top_type(text) == DISRUPTED


@pytest.mark.parametrize("text", ACCIDENTS)
def test_an_accident_is_a_man_made_disaster(text: str) -> None:
    assert _top_type(text) == MAN_MADE


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed six soldiers at a checkpoint near Maiduguri and seized their weapons.",  # the fight, with a toll
        "Government forces used chlorine gas against the rebel-held suburb, residents said.",  # a weapon used in a confrontation
        "A mortar shell left over from the war exploded accidentally in a scrap yard in Travnik, killing a worker.",  # ordnance
        "Rebels claimed the town of Kidal after a day of fighting with the army, a spokesman for their role in the north said.",  # a town claimed
    ],
)
def test_the_rules_leave_other_events_alone(text: str) -> None:
    assert _top_type(text) not in {ATTRIBUTION, DISRUPTED, MAN_MADE}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("IS claimed responsibility for the attack.", ATTRIBUTION),
        ("The group denied any involvement in the kidnapping.", ATTRIBUTION),
        ("Moscow denied its jets were involved in the raid.", ATTRIBUTION),
        ("The rebels admitted responsibility for the blast.", ATTRIBUTION),
        ("Officials blamed the militants, who they said were to blame for the bombing.", ATTRIBUTION),
        ("Two men are suspected of being behind the arson attack.", ATTRIBUTION),
        ("Kyiv accused Moscow of being behind the sabotage.", ATTRIBUTION),
        ("Militants attacked the base, killing three soldiers.", "Armed clash"),
        ("The minister responsible for defence visited the base.", "Armed clash"),
        ("He claimed the election was stolen.", "Armed clash"),
    ],
)
def test_responsibility_type(sentence: str, expected: str) -> None:
    assert responsibility_type("Armed clash", sentence) == expected


@pytest.mark.parametrize(
    ("predicted", "sentence"),
    [
        ("Arrests", "Police arrested two men suspected of being behind the bombing."),
        ("Peaceful protest", "Thousands marched, saying the police were responsible for the deaths."),
        ("Agreement", "The two sides signed a truce and admitted responsibility for the killings."),
    ],
)
def test_reports_that_only_name_who_is_to_blame_keep_their_type(predicted: str, sentence: str) -> None:
    assert responsibility_type(predicted, sentence) == predicted


@pytest.mark.parametrize(
    ("predicted", "sentence", "expected"),
    [
        ("Armed clash", "Troops seized a large arms cache in the forest.", DISRUPTED),
        ("Remote explosive/landmine/IED", "A bomb disposal team defused the IED.", DISRUPTED),
        ("Attack", "Customs officers confiscated 300 rifles at the border.", DISRUPTED),
        ("Armed clash", "Weapons and ammunition were recovered after the raid.", DISRUPTED),
        ("Grenade", "Police confiscated a box of grenades at the checkpoint.", DISRUPTED),
        ("Armed clash", "Troops killed five fighters and seized their rifles.", "Armed clash"),  # a toll
        ("Armed clash", "The fighting went on for hours.", "Armed clash"),
        ("Peaceful protest", "Protesters demanded that police seize illegal guns.", "Peaceful protest"),  # not a fight-like type
    ],
)
def test_seizure_type(predicted: str, sentence: str, expected: str) -> None:
    assert seizure_type(predicted, sentence) == expected


@pytest.mark.parametrize(
    ("predicted", "sentence", "expected"),
    [
        ("Chemical weapon", "An ammonia leak at the fertiliser factory injured 12 workers.", MAN_MADE),
        ("Remote explosive/landmine/IED", "A gas cylinder explosion in a restaurant killed two.", MAN_MADE),
        ("Attack", "Five died when the roof collapsed at the market.", MAN_MADE),
        ("Shelling/artillery/missile attack", "A train derailment near the depot killed nine.", MAN_MADE),
        ("Chemical weapon", "Regime forces dropped chlorine on the town.", "Chemical weapon"),  # an attacker
        ("Remote explosive/landmine/IED", "Militants detonated a bomb after the crash.", "Remote explosive/landmine/IED"),
        ("Remote explosive/landmine/IED", "An unexploded shell went off by accident in a field.", "Remote explosive/landmine/IED"),
        ("Natural disaster", "The flood caused a chemical spill.", "Natural disaster"),  # not a weapon-like type
    ],
)
def test_accident_type(predicted: str, sentence: str, expected: str) -> None:
    assert accident_type(predicted, sentence) == expected
