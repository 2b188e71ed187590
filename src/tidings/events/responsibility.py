"""A sentence that claims, denies or lays responsibility for an attack is an attribution of responsibility.

The taxonomy's *attribution of responsibility* is the claim itself: "IS claimed responsibility for
a car bomb that killed eight", "Russia denied its planes were responsible for the air strikes",
"militants are suspected to be behind the blasts". The text classifier reads the attack named in
the claim and typed 3 of the 8 such snippets in the CASE dev file as the attack, or as diplomacy
when the attack was a cyber attack (5-fold CV). The cues below were written from the taxonomy's
definition after reading those errors: a claim, an acceptance or a denial of responsibility,
involvement or a role; being responsible or to blame for something; being suspected, believed or
said to be behind it. A responsibility that is only a job ("the ministry responsible for roads")
is none of these. An arrest of suspects "believed to be behind" an attack stays an arrest, a
demonstration against those "responsible for" deaths a demonstration, an agreement an agreement:
the claim is not what those sentences report. Pure.
"""

from __future__ import annotations

import re

from tidings.events.protest import PROTEST_TYPES

ATTRIBUTION = "Attribution of responsibility"
# Events whose reports name who is responsible without being the claim.
REPORTED_WITH_BLAME = PROTEST_TYPES | {"Arrests", "Agreement"}
_CLAIMED = re.compile(
    r"\b(?:claim(?:s|ed|ing)?|accept(?:s|ed|ing)?|admit(?:s|ted|ting)?|den(?:y|ies|ied|ying)|disclaim(?:s|ed)?)\b"
    r"\W+(?:\w+\W+){0,3}?(?:responsibility|involvement|role)\b",
    re.I,
)
_DENIED_DOING = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|rejected claims)\b\W+(?:\w+\W+){0,5}?(?:was|were|is|are|had been)\W+(?:responsible|behind|involved)\b",
    re.I,
)
_TO_BLAME = re.compile(r"\b(?:is|are|was|were|be|been)\W+(?:\w+ly\W+)?(?:responsible|to blame)\W+for\b", re.I)
_BEHIND = re.compile(
    r"\b(?:suspected|believed|thought|said|alleged|accused|accuses|accusing|blamed)\W+(?:\w+\W+){0,3}?"
    r"(?:of\W+being|to\W+(?:be|have\W+been))\W+(?:behind|responsible)\b",
    re.I,
)


def responsibility_type(sub_event_type: str, sentence: str) -> str:
    """Attribution of responsibility when the sentence claims, denies or lays responsibility for
    something; the classifier's type otherwise, and always for REPORTED_WITH_BLAME."""
    if sub_event_type not in REPORTED_WITH_BLAME and any(cue.search(sentence) for cue in (_CLAIMED, _DENIED_DOING, _TO_BLAME, _BEHIND)):
        return ATTRIBUTION
    return sub_event_type
