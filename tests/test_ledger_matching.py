"""Event matching tolerant of what the extraction stages really give: a toll reported as an event
of its own, the publication day given as the event's date, actors named in different ways, a
figure found again inside a larger one; and the evaluator's matching of predicted to gold
mentions."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tidings import ledger
from tidings.article import Article, Event, EventDate, Place, Quantity, Span
from tidings.ledger.dates import Interval
from tidings.ledger.evaluate import Predicted, align
from tidings.ledger.event_rules import (
    DATE_SLACK_DAYS,
    actor_signature,
    casualty_heads,
    pair_score,
    record_fitter,
)
from tidings.ledger.mentions import (
    ArticleInfo,
    EventMention,
    PlaceRef,
    event_mentions,
    figure_mentions,
)
from tidings.ledger.names import place_key
from tidings.store import Store

SUMY = (50.9077, 34.7981, "UA")
POLTAVA = (49.5883, 34.5514, "UA")


def _place(text: str, name: str, where: tuple[float, float, str]) -> Place:
    start = text.index(name)
    return Place(start, start + len(name), name, name, None, where[0], where[1], where[2], "P", "PPL", None, "city")


def _event(text: str, trigger: str, etype: str, sub: str, day: str | None, actors: list[str] | None = None, killed: int | None = None) -> Event:
    start = text.index(trigger)
    return Event(etype, sub, Span(start, start + len(trigger), trigger), actors or [], [], 0, EventDate(day, "day") if day else None, killed, None, 0.8, "asserted", None)


def _info(article: Article) -> ArticleInfo:
    return ArticleInfo(article.id, article.published, article.source or "", None)


STRIKE = "A drone struck a fuel depot in Sumy on Friday, killing two guards."


def _strike_with_toll_event() -> Article:
    return Article(
        text=STRIKE, source="Seim Courier", published="2024-07-12", places=[_place(STRIKE, "Sumy", SUMY)],
        events=[
            _event(STRIKE, "struck", "Explosions/Remote violence", "Air/drone strike", "2024-07-12"),
            _event(STRIKE, "killing", "Violence against civilians", "Attack", "2024-07-12", ["A drone"], 2),
        ],
    )


def test_a_toll_read_as_an_event_of_its_own_joins_the_event_of_its_sentence() -> None:
    article = _strike_with_toll_event()
    mentions = event_mentions(article, _info(article))
    assert casualty_heads(mentions) == {1: 0}


def test_a_toll_event_does_not_keep_the_next_report_out(tmp_path: Path) -> None:
    later_text = "Two guards died when a Shahed drone hit a fuel depot in Sumy, regional officials said."
    later = Article(
        text=later_text, source="Kharkiv Line", published="2024-07-13", places=[_place(later_text, "Sumy", SUMY)],
        events=[_event(later_text, "hit", "Explosions/Remote violence", "Air/drone strike", None, killed=2)],
    )
    store = Store(tmp_path / "toll.duckdb")
    store.add_articles([_strike_with_toll_event(), later])
    report = ledger.update(store)
    assert report.events == 1
    event = ledger.events(store)[0]
    assert event["sub_event_type"] == "Air/drone strike" and event["n_mentions"] == 3 and event["n_sources"] == 2


def _dated(day: str | None, published: str, town: tuple[float, float, str] = SUMY) -> Article:
    text = "Shelling damaged the central market in Sumy, the mayor said."
    return Article(
        text=text, source=f"Outlet {published}", published=published, places=[_place(text, "Sumy", town)],
        events=[_event(text, "Shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack", day)],
    )


def test_the_publication_day_as_event_date_allows_the_days_before_it() -> None:
    first = event_mentions(_dated("2024-03-04", "2024-03-05"), _info(_dated("2024-03-04", "2024-03-05")))[0]
    next_day_report = _dated("2024-03-06", "2024-03-06")  # the day of the report, not of the shelling
    week_later = _dated("2024-03-12", "2024-03-12")
    assert pair_score(first, event_mentions(next_day_report, _info(next_day_report))[0]) > 0.45
    assert pair_score(first, event_mentions(week_later, _info(week_later))[0]) == 0.0


def test_a_date_before_publication_stays_exact() -> None:
    early = _dated("2024-03-01", "2024-03-06")
    mention = event_mentions(early, _info(early))[0]
    assert mention.interval is not None and mention.interval.days == 1


def test_actor_names_meet_through_acronyms_and_stems_but_descriptions_name_no_one() -> None:
    assert actor_signature(("Fighters of the Kivu Defence Union",)) & actor_signature(("KDU militiamen",))
    assert actor_signature(("Belarusian border guards",)) & actor_signature(("Belarus",))
    assert not actor_signature(("Three policemen",)) and not actor_signature(("About 300 people",))
    assert not actor_signature(("Northern Forces",)) & actor_signature(("Southern Forces",))


def test_a_flood_is_not_split_by_who_the_extraction_called_its_actor() -> None:
    text = "Floods swept through Poltava, killing four people."
    flood = Article(text=text, published="2024-05-02", places=[_place(text, "Poltava", POLTAVA)], events=[_event(text, "Floods", "Security", "Natural disaster", "2024-05-01", ["Floodwaters"])])
    text2 = "Prime Minister Olena Marchuk visited flooded Poltava on Thursday."
    visit = Article(text=text2, published="2024-05-03", places=[_place(text2, "Poltava", POLTAVA)], events=[_event(text2, "flooded", "Security", "Natural disaster", "2024-05-02", ["Prime Minister Olena Marchuk"])])
    a, b = event_mentions(flood, _info(flood))[0], event_mentions(visit, _info(visit))[0]
    assert pair_score(a, b) >= 0.45


def test_a_part_of_a_larger_figure_is_not_a_figure_of_its_own() -> None:
    text = "Officials said four battalions of about 800 men each had crossed the river."
    whole, part = "four battalions of about 800 men each", "about 800 men"
    ws, ps = text.index(whole), text.index(part)
    article = Article(
        text=text, published="2024-02-02",
        quantities=[Quantity(ws, ws + len(whole), whole, 3200, None, None, "about", "men"), Quantity(ps, ps + len(part), part, 800, None, None, "about", "men")],
    )
    found = figure_mentions(article, _info(article))
    assert [m.text for m in found] == [whole]


# -- the evaluator's matching ---------------------------------------------------------------------
def test_a_gold_event_is_matched_by_overlap_then_by_the_nearest_trigger_in_its_sentence() -> None:
    text = "A car bomb exploded outside the court. Police sealed off the area. Nobody claimed the attack."
    article = Article(text=text, sentences=[[0, 38], [39, 66], [67, len(text)]])
    predicted = {
        (article.id, 0): Predicted(11, text.index("bomb"), text.index("bomb") + 4),
        (article.id, 1): Predicted(12, text.index("sealed"), text.index("sealed") + 6),
    }
    gold = {
        (article.id, 0): (text.index("exploded"), text.index("exploded") + 8),
        (article.id, 1): (text.index("sealed"), text.index("sealed") + 6),
        (article.id, 2): (text.index("attack"), text.index("attack") + 6),
    }
    assert align(predicted, gold, [article]) == {(article.id, 0): 11, (article.id, 1): 12}
    assert align(predicted, gold) == {(article.id, 1): 12}  # spans only: figures, claims, entities


def test_many_events_and_long_actor_names_take_bounded_time() -> None:
    sentence = "Shelling hit the depot in Sumy, killing one. "
    text = sentence * 3000
    events = []
    for i in range(3000):
        base = i * len(sentence)
        for word, etype, sub in (("Shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"), ("killing", "Violence against civilians", "Attack")):
            at = base + sentence.index(word)
            events.append(Event(etype, sub, Span(at, at + len(word), word), ["Northern Group " * 2000], [], None, None, 1, None, 0.5, "asserted", None))
    article = Article(text=text, published="2024-01-01", events=events)
    started = time.perf_counter()
    mentions = event_mentions(article, _info(article))
    heads = casualty_heads(mentions)
    actor_signature(tuple(events[0].actors))
    assert len(heads) == 3000 and all(mentions[h].trigger == "Shelling" for h in heads.values())
    assert time.perf_counter() - started < 10.0


_DAYS = st.dates(min_value=date(1, 1, 3), max_value=date(9999, 12, 29))


@given(
    mention_days=st.one_of(st.none(), st.tuples(_DAYS, _DAYS)),
    record_days=st.one_of(st.none(), st.tuples(_DAYS, _DAYS)),
    record_sub=st.sampled_from(["Armed clash", "Peaceful protest", None]),
    names=st.tuples(st.sampled_from(["Sumy", "Sumy region", "Poltava", ""]), st.sampled_from(["Sumy Oblast", "Sumy", "Poltava", "", None])),
)
def test_a_records_fit_compares_its_iso_dates_as_the_days_they_name(
    mention_days: tuple[date, date] | None, record_days: tuple[date, date] | None, record_sub: str | None, names: tuple[str, str | None]
) -> None:
    """A record's fit (`record_fitter`) reads a record's dates as ISO text; what it gives is the fit of the days."""
    interval = Interval(*sorted(mention_days)) if mention_days else None
    place = PlaceRef(names[0], 50.9, 34.8, "UA", "city") if names[0] else None
    mention = EventMention("a", 0, "Battles", "Armed clash", "clash", 0, 5, "", interval, None, place, (), (), None, None, "asserted", None)
    lo, hi = sorted(record_days) if record_days else (None, None)
    expected = 1.0 if record_sub == "Armed clash" else 0.5
    expected *= (1.0 if place_key(names[1]) == place_key(names[0]) else 0.7) if names[1] and place else 0.85
    if interval is not None and lo is not None and hi is not None:
        expected *= 1.0 if Interval(lo, hi).gap_days(interval) <= DATE_SLACK_DAYS else 0.5
    else:
        expected *= 0.75
    assert record_fitter(mention)(record_sub, names[1], lo and f"{lo.isoformat()}T00:00:00", hi and hi.isoformat()) == expected
