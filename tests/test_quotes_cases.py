"""Hand-written attribution cases: speaker, content, cue, chain (via), medium and claim status.

Every sentence here was written for these tests (invented people and places); none comes from
the sample article or the dev sets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from tidings.analyze import analyze_records


@lru_cache(maxsize=256)
def analyze(text: str) -> dict[str, Any]:
    return next(analyze_records([{"id": "t", "text": text}], ["nlp", "quotes", "claims"]))


def quote_with(out: dict[str, Any], words: str) -> dict[str, Any]:
    found = [q for q in out["quotes"] if words in q["content"]["text"]]
    assert found, f"no quote holds {words!r}: {[q['content']['text'] for q in out['quotes']]}"
    return found[0]


def claim_with(out: dict[str, Any], words: str) -> dict[str, Any]:
    found = [c for c in out["claims"] if words in c["content"]["text"]]
    assert found, f"no claim holds {words!r}: {[c['content']['text'] for c in out['claims']]}"
    return found[0]


# (text, words in the content, expected fields). Field keys: speaker (mention text), name,
# cue, kind, via, medium, type, role, status (of the claim made from the quote), content (exact).
CASES: list[tuple[str, str, dict[str, Any]]] = [
    # Direct quotes, straight and curly, cue after or before
    ('"The bridge will reopen next week," said Mayor Lena Ortiz.', "bridge will reopen",
     {"speaker": "Mayor Lena Ortiz", "name": "Lena Ortiz", "cue": "said", "kind": "direct", "status": "expected",
      "content": '"The bridge will reopen next week,"'}),
    ("“We have no fuel left for the generators,” the hospital director said.", "no fuel left",
     {"speaker": "the hospital director", "cue": "said", "kind": "direct", "status": "asserted",
      "content": "“We have no fuel left for the generators,”"}),
    ('Governor Ana Brandt said: "Nobody was hurt in the blast at the depot."', "Nobody was hurt",
     {"speaker": "Governor Ana Brandt", "name": "Ana Brandt", "role": "Governor", "cue": "said", "kind": "direct"}),
    ("The colonel insisted: “The town is fully under our control.”", "fully under our control",
     {"speaker": "The colonel", "cue": "insisted", "kind": "direct"}),
    ("''We are ready for anything,'' the garrison commander said.", "ready for anything",
     {"speaker": "the garrison commander", "kind": "direct", "content": "''We are ready for anything,''"}),
    ("“The shelling never stopped,” said Tomas Berg, a volunteer medic.", "shelling never stopped",
     {"speaker": "Tomas Berg, a volunteer medic", "name": "Tomas Berg", "role": "a volunteer medic", "kind": "direct"}),
    # Quotes split by their cue, and continued in the next sentence
    ('"The convoy was hit twice," Colonel Adam Reyes said, "and two trucks burned on the road."', "convoy was hit",
     {"name": "Adam Reyes", "cue": "said", "kind": "direct", "fragments": 2}),
    ('"Prices have doubled since May," Olga Petrenko said. "People cannot afford bread any more."', "Prices have doubled",
     {"name": "Olga Petrenko", "kind": "direct", "fragments": 2}),
    # Indirect speech through reporting verbs
    ("The governor said the curfew would be lifted on Friday.", "curfew would be lifted",
     {"speaker": "The governor", "cue": "said", "kind": "indirect", "status": "expected",
      "content": "the curfew would be lifted on Friday"}),
    ("Police told reporters that three suspects had been arrested near the station.", "three suspects",
     {"speaker": "Police", "cue": "told", "kind": "indirect", "status": "asserted"}),
    ("The rebels claimed they had captured the airport overnight.", "captured the airport",
     {"speaker": "The rebels", "cue": "claimed", "kind": "indirect", "type": "unnamed group"}),
    ("The army denied that its troops had entered the village.", "troops had entered",
     {"speaker": "The army", "cue": "denied", "status": "denied"}),
    ("Residents insisted the shelling had started before dawn.", "shelling had started",
     {"speaker": "Residents", "cue": "insisted", "type": "unnamed group"}),
    ("The weather agency warned that floods could reach the capital by Sunday.", "floods could reach",
     {"speaker": "The weather agency", "cue": "warned", "status": "hypothetical"}),
    ("Analysts argue that the sanctions have failed to slow the economy.", "sanctions have failed",
     {"speaker": "Analysts", "cue": "argue", "type": "unnamed group"}),
    ("The ministry announced that the northern border would close at midnight.", "border would close",
     {"speaker": "The ministry", "cue": "announced", "status": "expected"}),
    ("The port authority reported that exports fell by a third in March.", "exports fell",
     {"speaker": "The port authority", "cue": "reported"}),
    ("The commander told soldiers that the city had fallen.", "city had fallen",
     {"speaker": "The commander", "cue": "told"}),
    ("The minister added that talks with the unions would resume next month.", "talks with the unions",
     {"speaker": "The minister", "cue": "added", "status": "expected"}),
    # Written channels keep their medium
    ("The regional governor wrote on Telegram that the attack had been repelled.", "attack had been repelled",
     {"speaker": "The regional governor", "cue": "wrote", "medium": "Telegram"}),
    ("The foreign ministry said on X that the ambassador had been recalled.", "ambassador had been recalled",
     {"speaker": "The foreign ministry", "cue": "said", "medium": "X"}),
    ("The army will not retreat from the river, General Tom Hale told broadcaster NTV in an interview.", "will not retreat",
     {"name": "Tom Hale", "cue": "told", "medium": "interview with NTV"}),
    # according to, both orders
    ("Four people died in the warehouse fire, according to the fire service.", "Four people died",
     {"speaker": "the fire service", "cue": "according to", "content": "Four people died in the warehouse fire"}),
    ("According to local officials, the dam was damaged overnight by drones.", "dam was damaged",
     {"speaker": "local officials", "cue": "According to", "type": "unnamed group"}),
    # Postposed cue and verb-first order
    ("Two soldiers were wounded in the ambush, the army said.", "Two soldiers were wounded",
     {"speaker": "the army", "cue": "said", "content": "Two soldiers were wounded in the ambush"}),
    ("The talks have collapsed, said Maria Lopez, the chief negotiator.", "talks have collapsed",
     {"name": "Maria Lopez", "cue": "said"}),
    ("Rebel forces have withdrawn from the town, a military source told the agency.", "Rebel forces have withdrawn",
     {"speaker": "a military source", "cue": "told", "type": "unnamed person"}),
    # Chains
    ("The port is closed to all ships, Rossi was quoted as saying by Radio Uno.", "port is closed",
     {"speaker": "Rossi", "via": ["Radio Uno"]}),
    ("The ceasefire is holding in the south, Patel said, Reuters reported.", "ceasefire is holding",
     {"speaker": "Patel", "via": ["Reuters"], "cue": "said"}),
    # Documents, institutions and unnamed groups
    ("The new election law says foreign observers must register with the police.", "foreign observers must register",
     {"speaker": "The new election law", "type": "document", "cue": "says"}),
    ("Western diplomats say the negotiations have stalled.", "negotiations have stalled",
     {"speaker": "Western diplomats", "type": "unnamed group"}),
    ("Some experts believe the missile test was a warning to the neighbours.", "missile test was a warning",
     {"speaker": "Some experts", "type": "unnamed group", "cue": "believe"}),
    ("The Harbour Authority said the channel had been cleared of mines.", "channel had been cleared",
     {"speaker": "The Harbour Authority", "name": "Harbour Authority", "type": "organisation"}),
    # Mixed quotes
    ("The mayor said the attackers “must be punished without delay.”", "attackers",
     {"speaker": "The mayor", "kind": "mixed"}),
    # Status cues in the cue itself
    ("The general reportedly said the offensive had begun in the east.", "offensive had begun",
     {"status": "unconfirmed"}),
    ("The opposition disputed that the vote count was fair.", "vote count was fair",
     {"status": "disputed", "cue": "disputed"}),
    ("The ministry did not confirm that the pilot had been captured.", "pilot had been captured",
     {"status": "unconfirmed", "cue": "did not confirm"}),
    ("Officials expect that the bridge will be rebuilt by May.", "bridge will be rebuilt",
     {"status": "expected", "cue": "expect"}),
    ("The president said troops would leave if the talks succeed.", "troops would leave",
     {"status": "hypothetical"}),
    ("The strike may have killed dozens of fighters, the monitor said.", "may have killed",
     {"status": "hypothetical", "speaker": "the monitor"}),
    # Transcript and headline labels, dash credits, judgements and stances
    ("HOST: Where were you when the sirens started last night?", "Where were you",
     {"speaker": "HOST", "cue": ":"}),
    ("“The market burned for two days and nobody came to help.” ― Elena Rusu, shop owner", "market burned",
     {"speaker": "Elena Rusu, shop owner", "kind": "direct"}),
    ("The defence minister called the raid a clear provocation.", "raid a clear provocation",
     {"speaker": "The defence minister", "cue": "called"}),
    ("The governor called for an immediate evacuation of the coast.", "immediate evacuation",
     {"speaker": "The governor", "cue": "called"}),
]


@pytest.mark.parametrize(("text", "words", "expected"), CASES, ids=[c[1] for c in CASES])
def test_attribution_case(text: str, words: str, expected: dict[str, Any]) -> None:
    out = analyze(text)
    quote = quote_with(out, words)
    fields = {
        "speaker": lambda: quote["speaker"] and quote["speaker"]["text"],
        "name": lambda: quote["speaker_name"],
        "cue": lambda: quote["cue"] and quote["cue"]["text"],
        "kind": lambda: quote["kind"],
        "via": lambda: quote["via"],
        "medium": lambda: quote["medium"],
        "type": lambda: quote["speaker_type"],
        "role": lambda: quote["speaker_role"],
        "content": lambda: quote["content"]["text"],
        "fragments": lambda: len(quote["content_fragments"]),
        "status": lambda: claim_with(out, words)["status"],
    }
    got = {key: fields[key]() for key in expected}
    assert got == expected


# Cases that span sentences: speaker resolution and status cues in a later sentence.
def test_pronoun_takes_the_person_named_before() -> None:
    out = analyze("Defense Minister Oleg Marchenko visited the front on Monday. He said the line was stable.")
    quote = quote_with(out, "line was stable")
    assert (quote["speaker"]["text"], quote["speaker_name"], quote["speaker_role"]) == ("He", "Oleg Marchenko", "Defense Minister")


def test_surname_takes_the_full_name() -> None:
    out = analyze("Interior Minister Sara Lindqvist spoke in Oslo on Monday. Lindqvist said the police would be reinforced.")
    quote = quote_with(out, "police would be reinforced")
    assert (quote["speaker"]["text"], quote["speaker_name"]) == ("Lindqvist", "Sara Lindqvist")


def test_added_with_pronoun_after_direct_quote() -> None:
    out = analyze('Colonel Ivo Kask inspected the trenches. "We will stay here until spring," he added.')
    quote = quote_with(out, "We will stay")
    assert (quote["kind"], quote["cue"]["text"], quote["speaker_name"]) == ("direct", "added", "Ivo Kask")


def test_descriptor_links_to_the_named_person() -> None:
    out = analyze("The country's health minister said the outbreak was contained. Health Minister Priya Nair visited two clinics on Sunday.")
    quote = quote_with(out, "outbreak was contained")
    assert (quote["speaker"]["text"], quote["speaker_name"]) == ("The country's health minister", "Priya Nair")


def test_descriptor_without_a_name_stays_a_descriptor() -> None:
    out = analyze("A senior official said the talks had stalled over prisoner swaps.")
    quote = quote_with(out, "talks had stalled")
    assert (quote["speaker_name"], quote["speaker_type"]) == ("A senior official", "unnamed person")


def test_it_takes_the_organisation() -> None:
    out = analyze("The Red Cross said it had delivered food to the camp. It said more convoys were planned for June.")
    quote = quote_with(out, "more convoys were planned")
    assert (quote["speaker"]["text"], quote["speaker_name"]) == ("It", "Red Cross")


def test_neither_claim_covers_the_two_before() -> None:
    out = analyze("The rebels said they shot down a helicopter. The army said it repelled the assault. Neither claim could be independently verified.")
    statuses = [claim_with(out, w)["status"] for w in ("shot down a helicopter", "repelled the assault")]
    cue = claim_with(out, "repelled the assault")["status_cue"]["text"]
    assert statuses == ["unconfirmed", "unconfirmed"]
    assert cue == "Neither claim could be independently verified"


def test_single_claim_could_not_be_verified() -> None:
    out = analyze("The weather was clear on Monday. The group said it carried out the bombing. The claim could not be verified.")
    assert claim_with(out, "carried out the bombing")["status"] == "unconfirmed"
    assert claim_with(out, "weather was clear")["status"] == "asserted"


def test_which_x_has_denied_marks_the_report_denied() -> None:
    out = analyze("The dispute began with a Tribune report that the general had resigned, which the ministry has denied.")
    claim = claim_with(out, "general had resigned")
    assert (claim["status"], claim["status_cue"]["text"], claim["claimant"]) == ("denied", "denied", "Tribune")


def test_unattributed_event_sentence_is_an_asserted_claim() -> None:
    out = analyze("Artillery fire destroyed a school in the village on Tuesday.")
    claim = claim_with(out, "destroyed a school")
    assert (claim["claimant"], claim["status"], claim["quote"]) == (None, "asserted", None)
    assert out["quotes"] == []


def test_event_sentence_with_modal_is_hypothetical() -> None:
    out = analyze("More troops may be sent to the northern region next month.")
    claim = claim_with(out, "More troops")
    assert (claim["status"], claim["status_cue"]["text"]) == ("hypothetical", "may")


def test_condition_is_never_asserted() -> None:
    out = analyze("Aid will resume if the road is reopened, the agency said.")
    assert claim_with(out, "Aid will resume")["status"] == "hypothetical"


def test_multi_paragraph_quote_is_one_quote() -> None:
    text = 'The commander described the night.\n\n"We lost the first line at midnight.\n\n"By dawn we had taken it back," he said.'
    out = analyze(text)
    quote = quote_with(out, "We lost the first line")
    assert len(quote["content_fragments"]) == 2
    assert quote["content"]["text"].endswith('back,"')


def test_scare_quotes_are_not_quotes() -> None:
    out = analyze("The so-called “peace plan” was rejected by both sides on Monday.")
    assert out["quotes"] == []


def test_plain_sentence_has_no_quote() -> None:
    assert analyze("The river froze early this year.")["quotes"] == []


def test_claim_carries_claimant_and_via() -> None:
    out = analyze("The ceasefire is holding in the south, Patel said, Reuters reported.")
    claim = claim_with(out, "ceasefire is holding")
    assert (claim["claimant"], claim["via"], claim["status"]) == ("Patel", ["Reuters"], "asserted")
