"""Events stage: my own sentences (not from the sample or dev sets), arguments, negatives, taxonomy."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tidings.article import Article
from tidings.events import event_type_of, sub_event_types, taxonomy
from tidings.events.casualties import fatalities_in, injured_in
from tidings.events.find import FAMILIES
from tidings.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["nlp", "events"])


def events_of(pipeline: Pipeline, text: str):
    article = pipeline(Article(text=text))
    for event in article.events:
        assert article.text[event.trigger.start : event.trigger.end] == event.trigger.text
        for detail in event.actor_details + event.target_details:
            assert article.text[detail["start"] : detail["end"]] == detail["name"]
    return article.events


def family(sub_event_type: str) -> str:
    return next(f for f, types in FAMILIES.items() if sub_event_type in types)


# (sentence, acceptable sub-event types) — the first type is the right one; others listed are
# the near neighbours a reader could defend (same ACLED event type).
TYPED = [
    ("Rebel fighters and army troops clashed for hours near the river crossing at Pelau on Sunday.", {"Armed clash"}),
    ("Two soldiers and five insurgents died in a gunfight outside the garrison town of Obrek.", {"Armed clash"}),
    ("Militia gunmen ambushed an army patrol on the Koro highway, sparking a long exchange of fire.", {"Armed clash", "Attack"}),
    ("The army said it had recaptured the market town of Delvar from separatist fighters after a week of fighting.", {"Government regains territory"}),
    ("Government troops retook the hilltop village of Sarn, which rebels had held since spring.", {"Government regains territory"}),
    ("Insurgents seized control of the district headquarters in Tolmun after soldiers fled.", {"Non-state actor overtakes territory"}),
    ("Separatist militants captured the border town of Arvik and raised their flag over the police station.", {"Non-state actor overtakes territory"}),
    ("Doctors said the victims in Hadra showed signs of exposure to chlorine gas after the bombardment.", {"Chemical weapon"}),
    ("Activists accused the army of dropping sarin on the besieged suburb of Maltin.", {"Chemical weapon", "Air/drone strike"}),
    ("Warplanes bombed a fuel depot on the outskirts of Qarim overnight, killing three guards.", {"Air/drone strike"}),
    ("A drone strike destroyed a pickup truck carrying militants near Wadi Sela.", {"Air/drone strike"}),
    ("A suicide bomber blew himself up at the gate of a police academy in Tarsul, killing nine recruits.", {"Suicide bomb"}),
    ("A suicide car bomber rammed a checkpoint outside Berin on Friday.", {"Suicide bomb"}),
    ("Artillery shells hit a residential block in Korvan, wounding eleven residents.", {"Shelling/artillery/missile attack"}),
    ("Rebels fired mortars at the airport in Lenta, damaging the runway.", {"Shelling/artillery/missile attack"}),
    ("A roadside bomb exploded under an army truck near Falun, killing four soldiers.", {"Remote explosive/landmine/IED"}),
    ("A shepherd lost his leg when he stepped on a landmine in the hills above Drava.", {"Remote explosive/landmine/IED"}),
    ("Unknown attackers threw a hand grenade into a bar in Kessel, injuring six customers.", {"Grenade"}),
    ("A grenade was lobbed at the home of a district judge in Olmar late on Monday.", {"Grenade"}),
    ("Witnesses said militiamen raped several women during the raid on Bakoro village.", {"Sexual violence"}),
    ("Gunmen killed eight villagers and burned their huts in an attack on Mesu.", {"Attack", "Looting/property destruction"}),
    ("An armed man shot dead a schoolteacher in front of her pupils in Ravna.", {"Attack"}),
    ("Gunmen kidnapped twelve pupils from a boarding school in Kaveri before dawn.", {"Abduction/forced disappearance"}),
    ("An engineer working for a road company was abducted by armed men near Tessa.", {"Abduction/forced disappearance"}),
    ("Thousands of nurses marched peacefully through Velden to demand better pay.", {"Peaceful protest"}),
    ("Students staged a sit-in outside the education ministry in Corva on Thursday.", {"Peaceful protest"}),
    ("Police fired tear gas to break up a rally by opposition supporters in Morn.", {"Protest with intervention", "Excessive force against protesters"}),
    ("Soldiers opened fire on unarmed demonstrators in Saltra, killing fourteen of them.", {"Excessive force against protesters"}),
    ("Rioters hurled stones at police and set fire to a bank during protests in Ostrel.", {"Violent demonstration"}),
    ("An angry mob lynched a man accused of stealing a goat in Dunmo.", {"Mob violence"}),
    ("The government and the rebel alliance signed a ceasefire agreement in Lanto on Saturday.", {"Agreement"}),
    ("Police arrested twenty opposition activists in dawn raids across Perisa.", {"Arrests"}),
    ("The defence ministry deployed two thousand troops to the northern border on Wednesday.", {"Change to group/activity"}),
    ("Bomb disposal officers defused an explosive device found outside a church in Amsel.", {"Disrupted weapons use"}),
    ("Customs officers seized a shipment of rifles and ammunition hidden in a lorry at Kerno.", {"Disrupted weapons use", "Organized crime"}),
    ("The militia set up a new base in the abandoned sugar factory outside Fenwa.", {"Headquarters or base established"}),
    ("Looters ransacked warehouses of the food agency in Baltu after the army left.", {"Looting/property destruction"}),
    ("Federal troops withdrew from the town of Ivra without a fight, handing it to the local militia.", {"Non-violent transfer of territory"}),
    ("Police seized two tonnes of cocaine from a cartel warehouse at the port of Sanmar.", {"Organized crime"}),
    ("Floods swept away hundreds of homes in the Tavi valley, killing at least 30 people.", {"Natural disaster"}),
    ("An earthquake of magnitude 6.8 shook the coastal province of Miran on Tuesday.", {"Natural disaster"}),
    ("A fire at a textile factory in Rendal killed seventeen workers.", {"Man-made disaster"}),
    ("A passenger train derailed near Hollin, injuring forty travellers.", {"Man-made disaster"}),
    ("The foreign ministers of the two countries met in Vienna to discuss the border dispute.", {"Diplomatic event"}),
    ("The European Union imposed sanctions on six generals over the crackdown.", {"Diplomatic event"}),
    ("The Islamic State group claimed responsibility for the bombing of the bus station in Harun.", {"Attribution of responsibility"}),
]


@pytest.mark.parametrize(("sentence", "allowed"), TYPED, ids=[s[:40] for s, _ in TYPED])
def test_sentence_yields_event_of_right_kind(pipeline: Pipeline, sentence: str, allowed: set[str]) -> None:
    events = events_of(pipeline, sentence)
    assert events, "no event found"
    best = max(events, key=lambda e: e.confidence)
    # The exact type, or at worst the same ACLED event family.
    families = {family(t) for t in allowed}
    assert best.sub_event_type in allowed or family(best.sub_event_type) in families, best.sub_event_type
    assert best.event_type == event_type_of(best.sub_event_type)
    assert 0.0 <= best.confidence <= 1.0


# (sentence, expected sub-type, actor substring, target substring, fatalities, injured, weapon)
ARGUMENTS = [
    ("Government soldiers shelled the village of Karsa with artillery, killing five civilians and wounding 12 others.",
     "Shelling/artillery/missile attack", "soldiers", "village", 5, 12, "artillery"),
    ("Rebels attacked a convoy near Tembo, killing two drivers.", None, "Rebels", "convoy", 2, None, None),
    ("A drone strike by the air force on a militant camp near Dosa killed 14 fighters.", "Air/drone strike", "air force", "militant camp", 14, None, "drone"),
    ("Police arrested 35 protesters in the capital on Monday.", "Arrests", "Police", "protesters", None, None, None),
    ("A bomb blast at a market in Kerro killed seven people and injured 40 others.", None, None, None, 7, 40, None),
    ("Security forces opened fire on protesters in Lusa, killing three and injuring dozens.", None, "Security forces", None, 3, 12, None),
    ("Gunmen abducted a priest from his parish in Ebon.", "Abduction/forced disappearance", "Gunmen", "priest", None, None, None),
    ("Ukrainian troops fought Russian units near the village of Marka.", "Armed clash", "Ukrainian troops", "Russian units", None, None, None),
]


@pytest.mark.parametrize(("sentence", "sub_type", "actor", "target", "dead", "hurt", "weapon"), ARGUMENTS, ids=[a[0][:40] for a in ARGUMENTS])
def test_arguments(pipeline: Pipeline, sentence: str, sub_type: str | None, actor: str | None, target: str | None,
                   dead: int | None, hurt: int | None, weapon: str | None) -> None:
    events = events_of(pipeline, sentence)
    assert events
    event = max(events, key=lambda e: e.confidence)
    if sub_type:
        assert event.sub_event_type == sub_type
    if actor:
        assert any(actor in a for a in event.actors), event.actors
    if target:
        assert any(target in t for t in event.targets), event.targets
    assert event.fatalities == dead
    assert event.injured == hurt
    if weapon:
        assert event.weapon == weapon


def test_actor_details_have_country_and_sector(pipeline: Pipeline) -> None:
    events = events_of(pipeline, "Ukrainian troops fought Russian units near the village of Marka.")
    details = events[0].actor_details[0]
    assert details["country"] == "UA"
    assert details["sector"] == "military"
    target = events[0].target_details[0]
    assert target["country"] == "RU"


def test_two_events_in_one_sentence(pipeline: Pipeline) -> None:
    events = events_of(pipeline, "Rebels clashed with soldiers near Kolda, and police later arrested eleven suspects in the town.")
    families = {family(e.sub_event_type) for e in events}
    assert len(events) >= 2 and "battle" in families


NEGATIVE = [
    "I think the government has lost the trust of ordinary people.",
    "Analysts expect the army will launch an offensive next spring.",
    "The rebels could attack the capital if talks fail.",
    "The company opened a new bakery in the town centre last year.",
    "The two neighbours have never signed a peace treaty and remain hostile.",
    "The army did not attack the village, a spokesman insisted.",
]


@pytest.mark.parametrize("sentence", NEGATIVE, ids=[s[:40] for s in NEGATIVE])
def test_not_events(pipeline: Pipeline, sentence: str) -> None:
    assert events_of(pipeline, sentence) == []


def test_hedged_report_is_unconfirmed_and_attributed(pipeline: Pipeline) -> None:
    events = events_of(pipeline, "Militants reportedly shelled the airport at Dorma, the regional governor said.")
    assert events and events[0].status == "unconfirmed"
    assert events[0].attributed_to and "governor" in events[0].attributed_to


def test_caption_event_is_flagged() -> None:
    from tidings.article import Paragraph

    text = "The council met on Monday.\n\nThe ruins of a school hit by an air strike in Selo, 3 May 2024."
    article = Article(text=text, paragraphs=[Paragraph(0, 26, "body"), Paragraph(28, len(text), "caption")])
    done = Pipeline(["nlp", "events"])(article)
    strike = [e for e in done.events if e.sub_event_type == "Air/drone strike"]
    assert strike and strike[0].in_caption


def test_no_one_killed_is_zero() -> None:
    assert fatalities_in("A fire destroyed the depot, but no one was killed.") == 0
    assert fatalities_in("The shelling killed 1,200 people.") == 1200
    assert fatalities_in("10^100 troops were killed") is None
    assert injured_in("The blast injured scores of people.") == 20


def test_taxonomy_is_complete() -> None:
    types = taxonomy()
    assert len(types) == 30
    assert len(set(sub_event_types())) == 30
    assert {t["event_type"] for t in types} >= {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                                 "Protests", "Riots", "Strategic developments", "Security", "Diplomacy"}
    assert all(t["definition"] and t["disorder_type"] for t in types)
    assert event_type_of("Shelling/artillery/missile attack") == "Explosions/Remote violence"


def test_long_and_odd_input_is_bounded(pipeline: Pipeline) -> None:
    long_text = " ".join(["Soldiers clashed with rebels near the river"] * 250) + "."
    started = time.perf_counter()
    events = events_of(pipeline, long_text[:12000])
    assert time.perf_counter() - started < 30
    assert events
    assert events_of(pipeline, "") == []
    assert fatalities_in("killed " + "9" * 5000) is None


@pytest.mark.parametrize(
    "text",
    [
        "Drones shelled the depot near Kupiansk twice; the depot's guards returned fire at 04:00.",
        "Protesters marched, marched again and were dispersed with tear gas in Tbilisi's centre.",
        "",
        "!!! ??? ...",
        "a a a a a b b b b",
    ],
)
def test_vectorise_reads_the_training_features_in_their_order(text: str) -> None:
    """Prediction counts columns through per-word caches; training reads `feature_counts`:
    the same features, values and order (so the same sums, to the bit)."""
    import math

    from tidings.events.classifier import current_model
    from tidings.events.features import feature_counts

    model = current_model().ngram
    for _ in range(2):  # cold and warm word caches
        cols, vals = model.vectorise(text)
        pairs = [(model.index[f], 1.0 + math.log(c)) for f, c in feature_counts(text).items() if f in model.index]
        assert cols.tolist() == [col for col, _ in pairs]
        if pairs:
            raw = np.array([v for _, v in pairs], dtype=np.float32) * model.idf[cols]
            assert np.array_equal(vals, raw / float(np.linalg.norm(raw)))
