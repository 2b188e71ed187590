"""End to end on examples/sample.txt: the events the events stage itself owns (types, triggers,
actors, targets, weapon, casualties, attribution from the sentence). Places, dates and claim
status come from other stages and are not asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.article import Article, Event
from tidings.pipeline import Pipeline

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample.txt"


@pytest.fixture(scope="module")
def events() -> list[Event]:
    article = Pipeline(["nlp", "events"])(Article(text=SAMPLE.read_text(encoding="utf-8")))
    for event in article.events:
        assert article.text[event.trigger.start : event.trigger.end] == event.trigger.text
    return article.events


def find(events: list[Event], sub_type: str, trigger: str) -> list[Event]:
    return [e for e in events if e.sub_event_type == sub_type and e.trigger.text.lower() == trigger]


def test_clash_between_ukrainian_and_north_korean_troops(events: list[Event]) -> None:
    clashes = find(events, "Armed clash", "engaged")
    assert any("North Korean" in t for e in clashes for t in e.targets + e.actors)


def test_artillery_fired_at_north_korean_soldiers(events: list[Event]) -> None:
    (shelling,) = find(events, "Shelling/artillery/missile attack", "fired")
    assert shelling.actors == ["Ukraine's army"]
    assert "North Korean soldiers" in shelling.targets
    assert shelling.weapon == "artillery"
    assert shelling.attributed_to == "Kyiv official"


def test_glide_bomb_strike_in_caption(events: list[Event]) -> None:
    strikes = find(events, "Air/drone strike", "strike")
    assert strikes and strikes[0].weapon == "glide bomb"
    assert len(strikes) == 1  # the repeated caption is one event


def test_zaporizhzhia_attack_casualties_and_source(events: list[Event]) -> None:
    (attack,) = [e for e in events if e.fatalities == 6]
    assert attack.injured == 23
    assert attack.attributed_to is not None and "Fedorov" in attack.attributed_to


def test_vuhledar_and_camp_david(events: list[Event]) -> None:
    (drove,) = [e for e in events if e.trigger.text == "drove"]
    assert drove.event_type == "Battles"
    assert drove.actors == ["Russian forces"] and drove.targets == ["Ukrainian troops"]
    assert find(events, "Agreement", "agreed")


def test_deployment_and_no_forecast_event(events: list[Event]) -> None:
    assert any(e.sub_event_type == "Change to group/activity" for e in events)
    # "he expects that five North Korean units ... will be deployed" is a forecast, not an event.
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("he expects that")
    end = text.index(".", start)
    assert not [e for e in events if start <= e.trigger.start < end]
