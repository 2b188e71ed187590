"""End to end on examples/sample.txt: what issue 4 says the sample must yield, through ingest and
the full default pipeline (times, places, quantities, quotes and claims feed the events' place,
date, figures, status and attribution). The same rules are asserted on an article of my own in
tests/test_events_args.py; nothing here is special to the sample."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tidings.article import Article, Event
from tidings.ingest import read_inputs
from tidings.pipeline import Pipeline

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample.txt"
# The first article gives no date; the example date for it.
FIRST_ARTICLE_PUBLISHED = "2024-01-14"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = [a for a in read_inputs([str(SAMPLE)]) if isinstance(a, Article)]
        assert len(found) == 2
        found[0].published, found[0].published_how = FIRST_ARTICLE_PUBLISHED, "option"
        done = Pipeline().process_batch(found)
    for article in done:
        for event in article.events:
            assert article.text[event.trigger.start : event.trigger.end] == event.trigger.text
            for detail in event.actor_details + event.target_details:
                assert article.text[detail["start"] : detail["end"]] == detail["name"]
    return done


@pytest.fixture(scope="module")
def korea(articles: list[Article]) -> Article:
    return articles[0]


@pytest.fixture(scope="module")
def war(articles: list[Article]) -> Article:
    return articles[1]


def countries(details: list[dict]) -> set[str]:
    return {c for d in details for c in d["countries"]}


def place_name(article: Article, event: Event) -> str | None:
    return article.places[event.place].name if event.place is not None else None


def test_clash_in_kursk_unconfirmed_from_umerov_via_kbs(war: Article) -> None:
    clashes = [e for e in war.events if e.sub_event_type == "Armed clash" and "UA" in countries(e.actor_details) and "KP" in countries(e.target_details)]
    assert clashes
    clash = clashes[0]
    assert clash.actors == ["Ukrainian troops"] and clash.targets == ["North Korean units"]
    assert clash.actor_details[0]["normalised"] == "Military Forces of Ukraine"
    assert clash.target_details[0]["sector"] == "military"
    assert clash.status == "unconfirmed"
    assert clash.attributed_to == "Rustem Umerov via KBS"
    assert place_name(war, clash) == "Kursk Oblast"
    assert clash.date is not None and clash.date.value == war.published


def test_artillery_fired_at_north_korean_soldiers_in_kursk(war: Article) -> None:
    (shelling,) = [e for e in war.events if e.trigger.text == "fired"]
    assert shelling.sub_event_type == "Shelling/artillery/missile attack"
    assert shelling.actors == ["Ukraine's army"] and shelling.targets == ["North Korean soldiers"]
    assert [d["country"] for d in shelling.actor_details + shelling.target_details] == ["UA", "KP"]
    assert shelling.weapon == "artillery"
    assert shelling.status == "unconfirmed"
    assert shelling.attributed_to == "Another Kyiv official"
    assert place_name(war, shelling) == "Kursk Oblast"  # the region, not Russia before it


def test_glide_bomb_strike_on_kharkiv_from_the_caption(war: Article) -> None:
    (strike,) = [e for e in war.events if e.weapon == "glide bomb"]
    assert strike.sub_event_type == "Air/drone strike" and strike.in_caption
    assert place_name(war, strike) == "Kharkiv"
    assert strike.date is not None and (strike.date.value, strike.date.precision) == ("2024-11-04", "day")
    assert strike.actor_details[0]["normalised"] == "Military Forces of Russia"


def test_zaporizhzhia_attack_toll_date_and_governor(war: Article) -> None:
    (attack,) = [e for e in war.events if place_name(war, e) == "Zaporizhzhya"]
    assert (attack.fatalities, attack.injured) == (6, 23)
    assert attack.attributed_to == "Ivan Fedorov"
    assert attack.date is not None and attack.date.value.startswith("2024-11-05") and attack.date.precision == "day"
    index = war.events.index(attack)
    tolls = [q for q in war.quantities if q.event == index]
    assert sorted(q.role or "" for q in tolls) == ["injured", "killed"]
    assert all(war.claims[q.claim].claimant == "Ivan Fedorov" for q in tolls if q.claim is not None)


def test_vuhledar_in_early_october(war: Article) -> None:
    (drove,) = [e for e in war.events if e.trigger.text == "drove"]
    assert drove.event_type == "Battles"
    assert drove.actor_details[0]["normalised"] == "Military Forces of Russia"
    assert drove.target_details[0]["normalised"] == "Military Forces of Ukraine"
    assert place_name(war, drove) == "Vuhledar"
    assert drove.date is not None and (drove.date.value, drove.date.precision) == ("2024-10", "month")


def test_deployment_figures_belong_to_each_source(war: Article) -> None:
    deployments = [e for e in war.events if e.sub_event_type == "Change to group/activity" and "KP" in countries(e.target_details + e.actor_details)]
    assert deployments

    def claimant_of(figure_text: str) -> tuple[str | None, str]:
        (q,) = [q for q in war.quantities if q.text == figure_text]
        assert q.claim is not None and q.event is None
        claim = war.claims[q.claim]
        return claim.claimant, claim.status

    assert claimant_of("up to 12,000 North Korean combat troops") == ("US, South Korean and Ukrainian intelligence assessments", "asserted")
    assert claimant_of("at least 10,000 North Korean soldiers")[0] == "Pentagon"
    for part in ("five North Korean units, each consisting of about 3,000 soldiers", "five North Korean units", "about 3,000 soldiers"):
        assert claimant_of(part) == ("Rustem Umerov", "expected")


def test_forecast_is_no_event(war: Article) -> None:
    start = war.text.index("he expects that")
    end = war.text.index(".", start)
    assert not [e for e in war.events if start <= e.trigger.start < end]


def test_camp_david_agreement_of_last_august(korea: Article) -> None:
    (agreed,) = [e for e in korea.events if e.trigger.text == "agreed"]
    assert agreed.event_type in ("Strategic developments", "Diplomacy")
    assert place_name(korea, agreed) == "Camp David"
    assert agreed.targets == []  # "At Camp David" is where, not whom
    assert agreed.date is not None and (agreed.date.value, agreed.date.precision) == ("2023-08", "month")
    assert countries(agreed.actor_details) == {"US", "KR", "JP"}
    assert {d["sector"] for d in agreed.actor_details} == {"government"}


def test_background_is_no_event(korea: Article) -> None:
    start = korea.text.index("The neighbours remain")
    assert not [e for e in korea.events if e.trigger.start >= start and e.trigger.start < korea.body_end]


def test_only_the_parse_stages_still_give_typed_events() -> None:
    """nlp+events alone (no places, times or claims): events with actors, no links."""
    article = Pipeline(["nlp", "events"])(Article(text=SAMPLE.read_text(encoding="utf-8")))
    (shelling,) = [e for e in article.events if e.trigger.text == "fired"]
    assert shelling.actors == ["Ukraine's army"] and shelling.place is None
    assert shelling.attributed_to == "Kyiv official"
