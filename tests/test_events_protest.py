"""What each side did decides between ACLED's four demonstration types: sentences written for
these tests through the pipeline, and the pure rule case by case."""

from __future__ import annotations

import pytest

from tidings.analyze import analyze_records
from tidings.events.protest import (
    EXCESSIVE,
    INTERVENTION,
    PEACEFUL,
    PROTEST_TYPES,
    VIOLENT,
    protest_type,
)

# Written for these tests (towns and causes unlike the CASE dev snippets). Without the rule the
# classifier types the six marked otherwise (by the toll, or by "riot police" and "beat").
SENTENCES = {
    "Hundreds of farmers marched through Kesra on Friday, demanding lower fuel prices.": PEACEFUL,
    "Police detained 35 students who had gathered outside the university in Mirzapur to protest tuition fees.": INTERVENTION,
    "A peaceful sit-in by mothers of the disappeared in Tsévié was broken up by police, who detained eleven of them.": INTERVENTION,
    "Riot police chased demonstrators through the streets of Kayes.": INTERVENTION,  # rule
    "Opposition supporters protesting the vote count in Kesra were dispersed with rubber bullets and water cannon.": INTERVENTION,  # rule
    "Two marchers were shot dead by soldiers at a peaceful rally against the mine in Tarkwa.": EXCESSIVE,
    "Gendarmes beat a student protester unconscious outside the faculty in Mopti.": EXCESSIVE,  # rule
    "Police officers beat and kicked unarmed marchers in Koutiala, leaving several in hospital with serious injuries.": EXCESSIVE,  # rule
    "Protesters hurled stones and petrol bombs at police outside the governor's residence in Mopti.": VIOLENT,
    "Security forces killed three people in Gabu after demonstrators torched the ruling party's office and pelted officers with stones.": VIOLENT,
    "Students clashed with riot police outside parliament in Tarkwa, and officers fired tear gas to disperse them.": VIOLENT,  # rule
    "Five people died in Bangassou when troops fired on stone-throwing youths protesting the curfew.": VIOLENT,  # rule
    "Traders blocked the main road with burning tyres in Lomé to protest against new market fees.": VIOLENT,
}


def _protest_types(text: str) -> list[str]:
    (result,) = analyze_records([{"id": "t", "text": text}], ["nlp", "events"])
    return [e["sub_event_type"] for e in result["events"] if e["sub_event_type"] in PROTEST_TYPES]


@pytest.mark.parametrize("text", list(SENTENCES))
def test_what_each_side_did_decides_the_demonstration_type(text: str) -> None:
    found = _protest_types(text)
    assert found and found[0] == SENTENCES[text], found


@pytest.mark.parametrize(
    ("predicted", "passage", "expected"),
    [
        (EXCESSIVE, "Demonstrators threw rocks at the police station.", VIOLENT),
        (PEACEFUL, "Youths set fire to tyres on the main road.", VIOLENT),
        (EXCESSIVE, "Two protesters were killed in clashes with the police.", VIOLENT),  # clashes: violent, whatever the toll
        (INTERVENTION, "The march turned violent late in the evening.", VIOLENT),
        (PEACEFUL, "Security forces shot dead a protester.", EXCESSIVE),
        (INTERVENTION, "Police beat demonstrators with clubs.", EXCESSIVE),
        (PEACEFUL, "Protesters were attacked by police with batons.", INTERVENTION),  # done to them, not by them
        (PEACEFUL, "Police arrested 12 activists at the rally.", INTERVENTION),
        (VIOLENT, "Officers fired tear gas to disperse the crowd.", INTERVENTION),
        (INTERVENTION, "Riot police watched as the marchers sang.", INTERVENTION),  # riot police are not rioting
        (PEACEFUL, "No arrests were made and the rally ended peacefully.", PEACEFUL),  # negated
        (PEACEFUL, "The march passed without clashes.", PEACEFUL),
        (PEACEFUL, "Thousands marched to parliament.", PEACEFUL),  # nothing decisive: the classifier's call
        ("Armed clash", "Protesters threw stones at soldiers.", "Armed clash"),  # other types are not touched
        ("Mob violence", "A crowd beat a suspected thief to death.", "Mob violence"),
    ],
)
def test_protest_type(predicted: str, passage: str, expected: str) -> None:
    assert protest_type(predicted, passage) == expected
