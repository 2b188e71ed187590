"""The cross-article ledger on hand-built articles: scorers on textbook cases, matching rules,
sources, and the store-backed incremental build with timelines and contested figures."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings import ledger
from tidings.article import Article, Claim, Entity, Event, EventDate, Place, Quantity, Span
from tidings.errors import TidingsError
from tidings.ledger.entity_rules import local_entities
from tidings.ledger.figure_rules import consensus, interval
from tidings.ledger.mentions import agency_in, role_before
from tidings.ledger.names import name_key
from tidings.ledger.scoring import b_cubed, ceaf_e, conll_f1, muc
from tidings.ledger.sources import independent_sources, minhash, shingles, similarity
from tidings.store import Store

# -- scorers: Pradhan et al. (2014), the reference implementation's worked example ----------------
KEY = [["a", "b", "c"], ["d", "e", "f", "g"]]
RESPONSE = [["a", "b"], ["c", "d"], ["f", "g", "h", "i"]]


def test_muc_textbook_example() -> None:
    prf = muc(KEY, RESPONSE)
    assert (prf.recall, prf.precision) == pytest.approx((0.4, 0.4))


def test_b_cubed_textbook_example() -> None:
    prf = b_cubed(KEY, RESPONSE)
    assert (prf.recall, prf.precision) == pytest.approx((35 / 84, 0.5))


def test_ceaf_e_textbook_example() -> None:
    prf = ceaf_e(KEY, RESPONSE)
    assert (prf.recall, prf.precision) == pytest.approx((0.65, 1.3 / 3))


def test_muc_ignores_singletons_and_b3_counts_them() -> None:
    key = [["a"], ["b"], ["c"]]
    assert muc(key, [["a", "b", "c"]]).recall == 0.0
    assert b_cubed(key, [["a", "b", "c"]]).precision == pytest.approx(1 / 3)


clusterings = st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=6, unique=True), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(clusterings)
def test_identical_clusterings_score_one_and_scores_are_bounded(raw: list[list[int]]) -> None:
    seen: set[int] = set()
    key = []
    for cluster in raw:  # a partition: no mention in two clusters
        fresh = [m for m in cluster if m not in seen]
        seen.update(fresh)
        if fresh:
            key.append(fresh)
    assert b_cubed(key, key).f1 == pytest.approx(1.0)
    assert ceaf_e(key, key).f1 == pytest.approx(1.0)
    merged = [[m for c in key for m in c]]
    assert 0.0 <= conll_f1(key, merged) <= 1.0


# -- names and entities -------------------------------------------------------------------------
def _article(text: str, entities: list[tuple[str, str, int]] = (), **kw: object) -> Article:  # type: ignore[assignment]
    ents = []
    for snippet, label, nth in entities:
        start = -1
        for _ in range(nth):
            start = text.index(snippet, start + 1)
        ents.append(Entity(start, start + len(snippet), snippet, label))
    return Article(text=text, entities=sorted(ents, key=lambda e: e.start), **kw)  # type: ignore[arg-type]


def test_name_keys_fold_spelling_and_aliases() -> None:
    assert name_key("Park Jin-soo") == name_key("Park Jin Soo")
    assert name_key("the Pentagon") == name_key("US Department of Defense")
    assert name_key("U.S.") == name_key("United States")


def test_short_forms_and_acronyms_join_their_full_name_within_an_article() -> None:
    text = "Interior Minister Park Jin-soo spoke to the Maritime Safety Agency. Park said the MSA would help."
    art = _article(text, [("Park Jin-soo", "PERSON", 1), ("Maritime Safety Agency", "ORG", 1), ("Park", "PERSON", 2), ("MSA", "ORG", 1)])
    locals_ = {lo.name: lo for lo in local_entities(art)}
    assert set(locals_) == {"Park Jin-soo", "Maritime Safety Agency"}
    assert locals_["Park Jin-soo"].forms["Park"] == 1
    assert locals_["Maritime Safety Agency"].forms["MSA"] == 1
    assert "Interior Minister" in locals_["Park Jin-soo"].roles


def test_role_before_a_name() -> None:
    text = "On Friday regional Gov. Anna Petrenko said the road was closed."
    assert role_before(Article(text=text), text.index("Anna")) == "Gov."
    assert role_before(Article(text="Officials met Anna Petrenko."), 14) is None


# -- sources ------------------------------------------------------------------------------------
def test_agency_citations_are_found_but_not_photo_credits() -> None:
    assert agency_in("The bridge collapsed at dawn, Reuters reported.") == "Reuters"
    assert agency_in("The minister told the broadcaster KBS that talks would resume.") == "KBS"
    assert agency_in("A general view of the port. Photo: Reuters archive") is None


def test_syndicated_copies_and_shared_agencies_count_once() -> None:
    reports = [
        {"article_id": "a", "outlet": "Daily One", "agency": None, "syndicate": "a"},
        {"article_id": "b", "outlet": "Daily Two", "agency": None, "syndicate": "a"},
        {"article_id": "c", "outlet": "Daily Three", "agency": "AFP", "syndicate": "c"},
        {"article_id": "d", "outlet": "Daily Four", "agency": "AFP", "syndicate": "d"},
        {"article_id": "e", "outlet": "Daily Five", "agency": None, "syndicate": "e"},
    ]
    assert len(independent_sources(reports)) == 3


def test_minhash_sees_edited_copies_as_near_identical() -> None:
    story = "The river rose three metres overnight and flooded the lower town, where two bridges were swept away and hundreds of homes lost power. "
    copy = story + "Local radio contributed to this report."
    other = "Parliament passed the budget after a long night of debate over pensions and the cost of energy subsidies for farms."
    assert similarity(minhash(shingles(story)), minhash(shingles(copy))) > 0.6
    assert similarity(minhash(shingles(story)), minhash(shingles(other))) < 0.2


# -- figures ------------------------------------------------------------------------------------
def test_consensus_is_what_most_hedged_values_allow() -> None:
    values = [{"value": 5000, "low": None, "high": None, "qualifier": q} for q in ("up_to", "about")]
    values.append({"value": 4800, "low": None, "high": None, "qualifier": "at_least"})
    found = consensus([interval(v) for v in values])
    assert found == {"low": 4800, "high": 5000, "agreeing": 3}


# -- the store-backed ledger --------------------------------------------------------------------
DNIPRO = Place(0, 0, "", "Dnipro", None, 48.4647, 35.0462, "UA", "P", "PPL", None, "city")


def _report(text: str, outlet: str, published: str, trigger: str, killed: int, date: str | None, place_text: str = "Dnipro", extra: dict | None = None) -> Article:  # type: ignore[type-arg]
    start = text.index(trigger)
    p = text.index(place_text)
    place = Place(p, p + len(place_text), place_text, DNIPRO.name, None, DNIPRO.lat, DNIPRO.lon, "UA", "P", "PPL", None, "city")
    event = Event("Explosions/Remote violence", "Air/drone strike", Span(start, start + len(trigger), trigger), ["Russia"], [], 0, EventDate(date, "day") if date else None, killed, None, 0.9, "asserted", None)
    ents = [Entity(p, p + len(place_text), place_text, "GPE")]
    return Article(text=text, source=outlet, published=published, places=[place], events=[event], entities=ents, **(extra or {}))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "ledger.duckdb")


def test_reports_of_one_strike_merge_and_keep_every_toll(store: Store) -> None:
    store.add_articles([
        _report("A missile hit a bus depot in Dnipro on Thursday, killing five people.", "River Gazette", "2024-03-14", "hit", 5, "2024-03-14"),
        _report("Six people died when a Russian missile struck a depot in Dnipro, officials said.", "East Courier", "2024-03-15", "struck", 6, None),
        _report("A missile hit a market in Dnipro on Sunday, killing two people.", "River Gazette", "2024-03-24", "hit", 2, "2024-03-24"),
    ])
    report = ledger.update(store)
    assert report.articles == 3 and report.events == 2
    merged = next(e for e in ledger.events(store) if e["n_mentions"] == 2)
    assert merged["fatalities"]["range"] == [5, 6]
    assert {v["value"]: v["outlets"] for v in merged["fatalities"]["values"]} == {5: ["River Gazette"], 6: ["East Courier"]}
    assert merged["n_sources"] == 2 and merged["status"] == "corroborated"


def test_update_is_incremental(store: Store) -> None:
    store.add_articles([_report("A missile hit a bus depot in Dnipro on Thursday, killing five people.", "River Gazette", "2024-03-14", "hit", 5, "2024-03-14")])
    assert ledger.update(store).articles == 1
    assert ledger.update(store).articles == 0
    store.add_articles([_report("Five were killed as a missile hit a depot in Dnipro on Thursday.", "Steppe News", "2024-03-15", "hit", 5, "2024-03-14")])
    second = ledger.update(store)
    assert (second.articles, second.events) == (1, 0)
    timeline = ledger.timeline(store, place="Dnipro")
    assert [item["kind"] for item in timeline] == ["event"] and timeline[0]["sources"] == 2


def test_contested_figure_keeps_each_value_and_leaves_other_magnitudes_out(store: Store) -> None:
    def fig(text: str, outlet: str, snippet: str, value: float, q: str, counted: str) -> Article:
        s = text.index(snippet)
        quantity = Quantity(s, s + len(snippet), snippet, value, None, None, q, counted)  # type: ignore[arg-type]
        return Article(text=text, source=outlet, published="2024-05-02", quantities=[quantity])

    store.add_articles([
        fig("Border guards said up to 4,000 migrants were waiting at the crossing.", "North Post", "up to 4,000 migrants", 4000, "up_to", "migrants"),
        fig("Aid groups counted at least 3,500 migrants at the crossing on Thursday.", "South Post", "at least 3,500 migrants", 3500, "at_least", "migrants"),
        fig("The region has taken in about 250,000 migrants since 2015.", "West Post", "about 250,000 migrants", 250000, "about", "migrants"),
    ])
    ledger.update(store)
    contested = [d for d in ledger.contested(store) if d["kind"] == "figure"]
    assert len(contested) == 1
    assert contested[0]["range"] == [3500, 4000]
    assert contested[0]["consensus"]["low"] == 3500 and contested[0]["consensus"]["high"] == 4000
    assert sorted(v["qualifier"] for v in contested[0]["values"]) == ["at_least", "up_to"]


def test_denied_claim_is_contested_and_names_who_denied(store: Store) -> None:
    def claim(text: str, outlet: str, content: str, who: str, status: str) -> Article:
        s = text.index(content)
        return Article(text=text, source=outlet, published="2024-05-02", claims=[Claim(Span(s, s + len(content), content), who, [], status, None)])  # type: ignore[arg-type]

    store.add_articles([
        claim("Officials said the dam's sluice gates had been opened without warning.", "Valley Times", "the dam's sluice gates had been opened without warning", "Officials", "asserted"),
        claim("The operator denied that the dam's sluice gates had been opened without warning.", "Hill Herald", "the dam's sluice gates had been opened without warning", "The operator", "denied"),
    ])
    ledger.update(store)
    found = ledger.claims(store, contested_only=True)
    assert len(found) == 1 and found[0]["contested_by"] == ["The operator"]


def test_two_people_sharing_a_surname_stay_apart(store: Store) -> None:
    a = _article("Finance Minister Lee Sun-ok presented the budget.", [("Lee Sun-ok", "PERSON", 1)], published="2024-01-10", source="Paper A")
    b = _article("Striker Lee Dong-hwan scored twice on Sunday.", [("Lee Dong-hwan", "PERSON", 1)], published="2024-01-11", source="Paper B")
    c = _article("Lee said on Monday that spending would rise.", [("Lee", "PERSON", 1)], published="2024-01-12", source="Paper C")
    store.add_articles([a, b, c])
    ledger.update(store)
    people = ledger.entities(store, label="PERSON")
    assert sorted(p["name"] for p in people) == ["Lee", "Lee Dong-hwan", "Lee Sun-ok"]


def test_timeline_needs_exactly_one_subject(store: Store) -> None:
    store.add_articles([Article(text="Nothing happened today.", published="2024-01-01")])
    with pytest.raises(TidingsError, match="E220"):
        ledger.timeline(store, place="Dnipro")
    ledger.update(store)
    with pytest.raises(TidingsError, match="E221"):
        ledger.timeline(store)
    with pytest.raises(TidingsError, match="E222"):
        ledger.timeline(store, place="Dnipro", entity="Someone")
    assert ledger.timeline(store, place="Dnipro") == []


def test_hostile_text_is_handled_in_bounded_time() -> None:
    hostile = ("Gov. " * 20000) + ("according to " + "A" * 5000 + " ") * 20 + "(" * 50000
    started = time.perf_counter()
    agency_in(hostile)
    role_before(Article(text=hostile), len(hostile) - 1)
    local_entities(Article(text=hostile))
    shingles(hostile)
    assert time.perf_counter() - started < 5.0


_ABSORB_IN_A_FRESH_PROCESS = """
import json
from tidings.ledger.entity_rules import LocalEntity, absorb, new_record
local = LocalEntity("PERSON", "Olena Kovalenko", context={f"place {n}" for n in range(45)}, roles={"mayor", "spokeswoman", "deputy minister"})
local.forms["Olena Kovalenko"] += 1
local.spans.append((0, 15, "Olena Kovalenko"))
record = absorb(new_record(1, local), local, 1.0, "2024-11-05")
print(json.dumps(record))
"""


def test_an_entity_record_is_the_same_whatever_the_processs_string_hashing() -> None:
    """Sets of text iterate in an order that changes with PYTHONHASHSEED; a record built from one
    (which 30 of 45 equally seen places it keeps, the order of its roles) must not."""
    import subprocess
    import sys

    records = {
        subprocess.run([sys.executable, "-c", _ABSORB_IN_A_FRESH_PROCESS], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(records) == 1, records
