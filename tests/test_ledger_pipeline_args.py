"""The ledger on the events stage's own argument conventions: a "days" date (the publication day
given to an event whose sentence states none), an event left without a place in an article that
names one, and a natural disaster reported from two nearby towns."""

from __future__ import annotations

from pathlib import Path

from tidings import ledger
from tidings.article import Article, Event, EventDate, Place, Span
from tidings.ledger.event_rules import lookup_keys, pair_score, storage_keys
from tidings.ledger.mentions import ArticleInfo, EventMention, event_mentions
from tidings.store import Store

SUMY = (50.9077, 34.7981, "UA")
LEBEDYN = (50.5872, 34.4849, "UA")  # ~42 km from Sumy
POLTAVA = (49.5883, 34.5514, "UA")  # ~147 km from Sumy
KRUSEVAC = (43.5800, 21.3339, "RS")


def _place(text: str, name: str, where: tuple[float, float, str], kind: str = "city") -> Place:
    start = text.index(name)
    return Place(start, start + len(name), name, name, None, where[0], where[1], where[2], "P", "PPL", None, kind)


def _event(text: str, trigger: str, sub: str, date: EventDate | None, place: int | None = 0, etype: str | None = None) -> Event:
    start = text.index(trigger)
    etype = etype or {"Natural disaster": "Security", "Air/drone strike": "Explosions/Remote violence"}[sub]
    return Event(etype, sub, Span(start, start + len(trigger), trigger), [], [], place, date, None, None, 0.8, "asserted", None)


def _mention(article: Article) -> EventMention:
    return event_mentions(article, ArticleInfo(article.id, article.published, article.source or "", None))[0]


def _report(text: str, published: str, town: str, where: tuple[float, float, str], date: EventDate | None, sub: str = "Natural disaster", trigger: str = "flood") -> Article:
    return Article(text=text, source=f"Outlet {published} {town}", published=published, places=[_place(text, town, where)], events=[_event(text, trigger, sub, date)])


def test_a_days_date_is_the_week_before_the_report_and_no_stated_date() -> None:
    text = "The flood cut the road to Sumy, rescuers said."
    reported = _mention(_report(text, "2024-04-20", "Sumy", SUMY, EventDate("2024-04-20", "days")))
    assert reported.interval is not None and (reported.interval.lo.isoformat(), reported.interval.hi.isoformat()) == ("2024-04-13", "2024-04-20")
    assert reported.date_value is None
    stated = _mention(_report(text, "2024-04-20", "Sumy", SUMY, EventDate("2024-04-16", "day")))
    assert stated.interval is not None and stated.interval.days == 1 and stated.date_value == "2024-04-16"


def test_a_days_date_reaches_an_event_five_days_before_its_report() -> None:
    text = "The flood cut the road to Sumy, rescuers said."
    early = _mention(_report(text, "2024-04-15", "Sumy", SUMY, EventDate("2024-04-15", "day")))
    late = _mention(_report(text, "2024-04-20", "Sumy", SUMY, EventDate("2024-04-20", "days")))
    assert pair_score(early, late) >= 0.45


def test_an_unplaced_event_looks_in_the_countries_its_article_names() -> None:
    text = "Heavy rain that fell over Krusevac caused floods, and two people drowned."
    article = Article(text=text, published="2024-10-05", places=[_place(text, "Krusevac", KRUSEVAC)], events=[_event(text, "floods", "Natural disaster", None, place=None)])
    mention = _mention(article)
    assert mention.place is None and mention.article_countries == ("RS",)
    precise = _mention(_report("A flood hit Krusevac on Thursday.", "2024-10-04", "Krusevac", KRUSEVAC, EventDate("2024-10-03", "day")))
    assert storage_keys(precise) & lookup_keys(mention)


def test_an_unplaced_report_joins_the_event_it_names_the_country_of(tmp_path: Path) -> None:
    first = _report("A flood hit Krusevac on Thursday, killing two people.", "2024-10-04", "Krusevac", KRUSEVAC, EventDate("2024-10-03", "day"))
    text = "The death toll from floods that swept through Krusevac rose to five on Saturday, officials said."
    later = Article(text=text, source="Morava Daily", published="2024-10-05", places=[_place(text, "Krusevac", KRUSEVAC)], events=[_event(text, "floods", "Natural disaster", EventDate("2024-10-05", "days"), place=None)])
    store = Store(tmp_path / "unplaced.duckdb")
    store.add_articles([first, later])
    assert ledger.update(store).events == 1


def test_an_unplaced_report_from_an_article_about_elsewhere_stays_apart(tmp_path: Path) -> None:
    first = _report("A flood hit Krusevac on Thursday, killing two people.", "2024-10-04", "Krusevac", KRUSEVAC, EventDate("2024-10-03", "day"))
    text = "Floods left thousands without power near Poltava on Friday."
    later = Article(text=text, source="Vorskla News", published="2024-10-05", places=[_place(text, "Poltava", POLTAVA)], events=[_event(text, "Floods", "Natural disaster", EventDate("2024-10-04", "day"), place=None)])
    store = Store(tmp_path / "elsewhere.duckdb")
    store.add_articles([first, later])
    assert ledger.update(store).events == 2


def test_one_flood_may_be_reported_from_two_nearby_towns_but_a_strike_may_not() -> None:
    in_sumy = _mention(_report("A flood hit Sumy on Monday.", "2024-06-04", "Sumy", SUMY, EventDate("2024-06-03", "day")))
    in_lebedyn = _mention(_report("A flood hit Lebedyn on Monday.", "2024-06-04", "Lebedyn", LEBEDYN, EventDate("2024-06-03", "day")))
    in_poltava = _mention(_report("A flood hit Poltava on Monday.", "2024-06-04", "Poltava", POLTAVA, EventDate("2024-06-03", "day")))
    assert pair_score(in_sumy, in_lebedyn) >= 0.45
    assert pair_score(in_sumy, in_poltava) == 0.0
    strike_sumy = _mention(_report("A drone strike hit Sumy on Monday.", "2024-06-04", "Sumy", SUMY, EventDate("2024-06-03", "day"), "Air/drone strike", "strike"))
    strike_lebedyn = _mention(_report("A drone strike hit Lebedyn on Monday.", "2024-06-04", "Lebedyn", LEBEDYN, EventDate("2024-06-03", "day"), "Air/drone strike", "strike"))
    assert pair_score(strike_sumy, strike_lebedyn) == 0.0
