"""Entities as the real tagger gives them: labels corrected by the places stage and by full names
in the same article, acronyms that stand for one name only, and surnames told apart by the
countries of the places around them."""

from __future__ import annotations

from pathlib import Path

from tidings import ledger
from tidings.article import Article, Entity, Place
from tidings.ledger.entity_rules import local_entities, named_spans
from tidings.ledger.mentions import role_before
from tidings.store import Store

COORDS = {"Brno": (49.1951, 16.6068, "CZ"), "Ostrava": (49.8347, 18.2820, "CZ"), "Melbourne": (-37.814, 144.9633, "AU"), "US": (39.76, -98.5, "US")}


def _article(text: str, entities: list[tuple[str, str]], places: list[str] = (), **kw: object) -> Article:  # type: ignore[assignment]
    ents = [Entity(text.index(s), text.index(s) + len(s), s, label) for s, label in entities]
    found = []
    for name in places:
        lat, lon, cc = COORDS[name]
        at = text.index(name)
        found.append(Place(at, at + len(name), name, name, None, lat, lon, cc, "P", "PPL", None, "city"))
    return Article(text=text, entities=sorted(ents, key=lambda e: e.start), places=found, **kw)  # type: ignore[arg-type]


def test_the_places_stage_and_full_names_correct_the_tagger() -> None:
    text = "Mayor Petra Hajek of Brno said the US Department of Defense had called. Hajek thanked Ostrava."
    article = _article(
        text,
        [("Petra Hajek", "PERSON"), ("Brno", "ORG"), ("US Department of Defense", "ORG"), ("Hajek", "ORG")],
        places=["Brno", "US", "Ostrava"],
    )
    labels = {n.text: n.label for n in named_spans(article)}
    assert labels == {"Petra Hajek": "PERSON", "Brno": "PLACE", "US Department of Defense": "ORG", "Hajek": "PERSON", "Ostrava": "PLACE"}
    hajek = next(lo for lo in local_entities(article) if lo.name == "Petra Hajek")
    assert hajek.forms["Hajek"] == 1


def _store_of(tmp_path: Path, articles: list[Article]) -> Store:
    store = Store(tmp_path / "entities.duckdb")
    store.add_articles(articles)
    ledger.update(store)
    return store


def test_two_full_names_with_the_same_initials_stay_apart(tmp_path: Path) -> None:
    store = _store_of(tmp_path, [
        _article("The Baltic Research Council (BRC) published its survey.", [("Baltic Research Council", "ORG"), ("BRC", "ORG")], published="2024-01-02", source="A"),
        _article("The Bavarian Rail Company cut its timetable.", [("Bavarian Rail Company", "ORG")], published="2024-01-03", source="B"),
        _article("A BRC report warned of cod stocks.", [("BRC", "ORG")], published="2024-01-04", source="C"),
    ])
    orgs = {o["name"]: set(o["aliases"]) for o in ledger.entities(store, label="ORG")}
    assert orgs == {"Baltic Research Council": {"Baltic Research Council", "BRC"}, "Bavarian Rail Company": {"Bavarian Rail Company"}}


def test_a_surname_joins_the_person_its_places_share_a_country_with(tmp_path: Path) -> None:
    store = _store_of(tmp_path, [
        _article("Prime Minister Jana Novak visited Brno on Monday.", [("Jana Novak", "PERSON")], places=["Brno"], published="2024-03-04", source="A"),
        _article("Novak promised flood aid to Ostrava.", [("Novak", "PERSON")], places=["Ostrava"], published="2024-03-05", source="B"),
        _article("Novak won the final in Melbourne.", [("Novak", "PERSON")], places=["Melbourne"], published="2024-03-06", source="C"),
    ])
    people = {p["name"]: p["n_mentions"] for p in ledger.entities(store, label="PERSON")}
    assert people == {"Jana Novak": 2, "Novak": 1}


def test_a_role_does_not_reach_back_into_the_sentence_before() -> None:
    text = "The storm passed on Tuesday. Prime Minister Jana Novak toured Brno."
    assert role_before(Article(text=text), text.index("Jana")) == "Prime Minister"
