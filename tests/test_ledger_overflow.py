"""Records stop growing once full: repeats are counted, not copied, while anything that changes
what a record says (a new value, a denial) is still kept, and every mention keeps its link."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import ledger
from tidings.article import Article, Entity, Event, EventDate, Place, Span
from tidings.ledger import claim_rules, figure_rules, overflow
from tidings.ledger.mentions import ClaimMention, FigureMention
from tidings.store import Store

OUTLETS = ["Una Courier", "Sava Times", "Drina Herald", "Vrbas Voice", "Bosna Post", "Neretva Daily", "Lasva Wire"]


def _report(outlet: str, killed: int | None, day: int) -> Article:
    text = f"Gunmen attacked a checkpoint near Bihac on Friday, {outlet} reported, as police searched the hills."
    t, p = text.index("attacked"), text.index("Bihac")
    place = Place(p, p + 5, "Bihac", "Bihac", None, 44.8169, 15.8708, "BA", "P", "PPL", None, "city")
    event = Event("Violence against civilians", "Attack", Span(t, t + 8, "attacked"), [], [], 0, EventDate("2024-03-01", "day"), killed, None, 0.9, "asserted", None)
    return Article(text=text, source=outlet, published=f"2024-03-{day:02d}", places=[place], events=[event], entities=[Entity(p, p + 5, "Bihac", "GPE")])


def _ledger(tmp_path: Path, name: str, reports: list[Article]) -> list[dict]:
    store = Store(tmp_path / f"{name}.duckdb")
    store.add_articles(reports)
    ledger.update(store)
    return [e for e in ledger.events(store) if e["sub_event_type"] == "Attack"]


def test_a_full_event_counts_repeats_as_the_uncapped_ledger_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = [_report(o, 3 if i != 5 else 4, 2 + i) for i, o in enumerate(OUTLETS)]
    (full,) = _ledger(tmp_path, "full", reports)
    monkeypatch.setattr(overflow, "MAX_KEPT_MENTIONS", 2)
    (capped,) = _ledger(tmp_path, "capped", reports)
    # the repeats are counted; the sixth report's new toll (4) is still kept and listed
    assert len(capped["mentions"]) == 3 and len(full["mentions"]) == 7
    for field in ("n_mentions", "n_articles", "n_sources", "status"):
        assert capped[field] == full[field], field
    assert capped["n_sources"] == 7 and capped["status"] == "corroborated"
    assert {v["value"] for v in capped["fatalities"]["values"]} == {3, 4}


def test_every_mention_keeps_its_link_when_its_record_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overflow, "MAX_KEPT_MENTIONS", 2)
    store = Store(tmp_path / "links.duckdb")
    store.add_articles([_report(o, 3, 2 + i) for i, o in enumerate(OUTLETS)])
    ledger.update(store)
    rows = store.query("SELECT DISTINCT article_id FROM ledger_links WHERE kind = 'event'")
    assert len(rows) == len(OUTLETS)


def _claim(article_id: str, status: str = "asserted", text: str = "the checkpoint was attacked by gunmen") -> ClaimMention:
    return ClaimMention(article_id, 0, text, 0, len(text), "police", (), status)


def test_a_full_claim_still_keeps_a_denial() -> None:
    record = claim_rules.new_record(1, _claim("a0"))
    for i in range(overflow.MAX_KEPT_MENTIONS):
        record = claim_rules.absorb(record, _claim(f"a{i}"), {"outlet": f"outlet {i}"})
    assert claim_rules.repeats(_claim("later"), record)
    assert not claim_rules.repeats(_claim("later", status="denied"), record)
    assert not claim_rules.repeats(_claim("later", text="the checkpoint was never attacked by gunmen"), record)


def _figure(value: float, qualifier: str = "exact") -> FigureMention:
    return FigureMention("a", 0, f"{value:g} people", 0, 9, "people", value, None, None, qualifier, None, None, "asserted", "s")


def test_a_full_figure_keeps_new_values_and_counts_known_ones() -> None:
    record = figure_rules.new_record(1, _figure(300))
    for i in range(overflow.MAX_KEPT_MENTIONS):
        record = figure_rules.absorb(record, _figure(300), {"outlet": f"outlet {i}", "published": "2024-03-02"})
    assert figure_rules.repeats(_figure(300), record)
    assert not figure_rules.repeats(_figure(310), record)
    assert not figure_rules.repeats(_figure(300, "at_least"), record)


def test_repeats_from_one_source_count_it_once() -> None:
    doc = {"n_mentions": 2, "n_articles": 2, "n_sources": 1, "status": "single-source"}
    overflow.count_repeat(doc, "a3", ["article:a3", "outlet:wire"], ["a1", "a2"], ["article:a1", "article:a2", "outlet:wire"])
    assert doc == doc | {"n_mentions": 3, "n_articles": 3, "n_sources": 1, "status": "single-source"}
    overflow.count_repeat(doc, "a3", ["article:a3", "outlet:wire"], ["a1", "a2"], [])
    assert (doc["n_mentions"], doc["n_articles"], doc["n_sources"]) == (4, 3, 1)  # same article again
    overflow.count_repeat(doc, "a4", ["article:a4", "outlet:other"], ["a1", "a2"], [])
    assert (doc["n_articles"], doc["n_sources"], doc["status"]) == (4, 2, "corroborated")
