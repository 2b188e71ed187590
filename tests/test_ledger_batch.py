"""The ledger's store access per update batch: one batch gives the ledger that one article at a
time gives, blocking keys are stored once with their hash, and migration 11 fills the hash of
keys an older ledger holds."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tidings import ledger
from tidings.article import Article, Entity, Event, EventDate, Place, Span
from tidings.ledger import db as db_module
from tidings.ledger.db import LedgerDB, Lookup, chunked_by_size
from tidings.store import Store
from tidings.store.migrations import MIGRATIONS, ledger_key_hash

TOWNS = {"Mostar": (43.3438, 17.8078, "BA"), "Zenica": (44.2017, 17.9078, "BA"), "Tuzla": (44.5384, 18.6763, "BA")}


def _report(text: str, outlet: str, published: str, trigger: str, town: str, sub: str, day: str | None, killed: int | None = None) -> Article:
    lat, lon, cc = TOWNS[town]
    t, p = text.index(trigger), text.index(town)
    place = Place(p, p + len(town), town, town, None, lat, lon, cc, "P", "PPL", None, "city")
    etype = {"Peaceful protest": "Protests", "Armed clash": "Battles"}.get(sub, "Explosions/Remote violence")
    event = Event(etype, sub, Span(t, t + len(trigger), trigger), [], [], 0, EventDate(day, "day") if day else None, killed, None, 0.9, "asserted", None)
    entities = [Entity(p, p + len(town), town, "GPE")]
    for name in ("Amra Kovac", "Kovac"):
        at = text.find(name)
        if at >= 0 and not any(e.start <= at < e.end for e in entities):
            entities.append(Entity(at, at + len(name), name, "PERSON"))
    return Article(text=text, source=outlet, published=published, places=[place], events=[event], entities=sorted(entities, key=lambda e: e.start))


REPORTS = [
    _report("Thousands marched through Mostar on Saturday against the new water tariffs, organiser Amra Kovac said.", "Herzeg Daily", "2024-04-06", "marched", "Mostar", "Peaceful protest", "2024-04-06"),
    _report("Protesters rallied in Mostar over water prices, Kovac told reporters.", "Neretva Post", "2024-04-07", "rallied", "Mostar", "Peaceful protest", "2024-04-06"),
    _report("A shell landed near a school in Zenica on Monday, killing one man.", "Central Wire", "2024-04-08", "shell", "Zenica", "Shelling/artillery/missile attack", "2024-04-08", 1),
    _report("Residents of Tuzla rallied on Sunday against the closure of the salt works.", "Salt City News", "2024-04-07", "rallied", "Tuzla", "Peaceful protest", "2024-04-07"),
    _report("A shell hit the school yard in Zenica, killing a caretaker, police said.", "Bosna Today", "2024-04-09", "hit", "Zenica", "Shelling/artillery/missile attack", None, 1),
    _report("Water tariff protesters marched in Mostar again on Saturday, Amra Kovac said.", "Herzeg Daily", "2024-04-13", "marched", "Mostar", "Peaceful protest", "2024-04-13"),
]


def _event_groups(store: Store) -> set[frozenset[tuple[str, int]]]:
    groups: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for row in store.query("SELECT record_id, article_id, idx FROM ledger_links WHERE kind = 'event'"):
        groups[row["record_id"]].add((row["article_id"], row["idx"]))
    return {frozenset(g) for g in groups.values()}


def _entity_groups(store: Store) -> set[frozenset[tuple[str, int]]]:
    groups: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for row in store.query("SELECT record_id, article_id, start_char FROM ledger_links WHERE kind = 'entity'"):
        groups[row["record_id"]].add((row["article_id"], row["start_char"]))
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("batch_size", [1, 2, 50])
def test_batches_of_any_size_give_the_ledger_one_article_at_a_time_gives(tmp_path: Path, batch_size: int) -> None:
    reference = Store(tmp_path / "one.duckdb")
    for article in REPORTS:  # one update per article: nothing is shared within a batch
        reference.add_articles([article])
        ledger.update(reference, batch_size=1)
    batched = Store(tmp_path / "batched.duckdb")
    batched.add_articles(REPORTS)
    report = ledger.update(batched, batch_size=batch_size)
    assert report.articles == len(REPORTS)
    assert _event_groups(batched) == _event_groups(reference)
    assert _entity_groups(batched) == _entity_groups(reference)
    # Mostar twice (6 and 13 April are one week apart), Zenica once, Tuzla once
    assert sorted(len(g) for g in _event_groups(batched)) == [1, 1, 2, 2]


def test_keys_are_stored_once_each_with_their_hash(tmp_path: Path) -> None:
    store = Store(tmp_path / "keys.duckdb")
    store.add_articles(REPORTS[:3])
    ledger.update(store, batch_size=2)
    store.add_articles(REPORTS[3:])
    ledger.update(store, batch_size=2)
    rows = store.query("SELECT key, record_id, h FROM ledger_keys")
    assert rows
    assert len({(r["key"], r["record_id"]) for r in rows}) == len(rows)
    assert all(r["h"] == ledger_key_hash(r["key"]) for r in rows)


def test_a_later_article_in_one_batch_finds_what_an_earlier_one_added(tmp_path: Path) -> None:
    store = Store(tmp_path / "same.duckdb")
    store.add_articles(REPORTS[:2])
    ledger.update(store, batch_size=50)
    merged = [e for e in ledger.events(store) if e["n_mentions"] == 2]
    assert len(merged) == 1 and merged[0]["n_sources"] == 2
    kovac = ledger.entities(store, name="Amra Kovac")
    assert len(kovac) == 1 and set(kovac[0]["aliases"]) == {"Amra Kovac", "Kovac"}


def test_migration_11_fills_the_hash_of_keys_an_older_ledger_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)")
    for number, name, apply in MIGRATIONS:
        if number <= 10:
            apply(con)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    con.execute("INSERT INTO ledger_records (record_id, kind, name, doc) VALUES (7, 'entity', 'Mostar', '{\"kind\": \"entity\", \"name\": \"Mostar\"}')")
    con.execute("INSERT INTO ledger_keys VALUES ('en|PLACE|mostar', 7), ('pl|mostar', 7)")
    con.close()
    store = Store(path)
    with store.connect(write=True) as con:
        assert con.execute("SELECT count(*) FROM ledger_keys WHERE h IS NULL").fetchone() == (0,)
        found = LedgerDB(con).find(Lookup("entity", frozenset({"en|PLACE|mostar", "en|PLACE|tuzla"}), frozenset()))
    assert list(found) == [7] and found[7]["name"] == "Mostar"


def _ledger_rows(store: Store) -> list[tuple[object, ...]]:
    tables = {"ledger_records": "record_id", "ledger_keys": "record_id, key", "ledger_links": "record_id, article_id, idx"}
    with store.connect() as con:
        return [row for table, order in tables.items() for row in con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()]


def test_merging_inside_the_commit_gives_the_ledger_that_updating_after_it_gives(tmp_path: Path) -> None:
    after = Store(tmp_path / "after.duckdb")  # what ingest did before: commit, then update
    inside = Store(tmp_path / "inside.duckdb")  # what it does now: merge from memory in the commit
    unordered = [REPORTS[4], REPORTS[0], REPORTS[2], REPORTS[1], REPORTS[5], REPORTS[3]]  # update sorts by day
    for batch in (unordered[:3], unordered[3:]):
        after.add_articles(batch)
        ledger.update(after)
        inside.add_articles(batch, then=lambda con, fresh: ledger.merge(con, fresh))
    assert _ledger_rows(inside) == _ledger_rows(after)
    assert sorted(len(g) for g in _event_groups(inside)) == [1, 1, 2, 2]


def test_a_merge_that_fails_leaves_neither_the_articles_nor_their_ledger(tmp_path: Path) -> None:
    store = Store(tmp_path / "atomic.duckdb")

    def merge_then_fail(con: duckdb.DuckDBPyConnection, fresh: list[Article]) -> None:
        ledger.merge(con, fresh)
        raise RuntimeError("killed mid-commit")

    with pytest.raises(RuntimeError):
        store.add_articles(REPORTS[:2], then=merge_then_fail)
    assert store.count_articles() == 0
    assert store.query("SELECT count(*) AS n FROM ledger_links")[0]["n"] == 0
    store.add_articles(REPORTS[:2], then=lambda con, fresh: ledger.merge(con, fresh))
    assert len([e for e in ledger.events(store) if e["n_mentions"] == 2]) == 1


def test_a_blocking_key_yields_only_its_newest_records(tmp_path: Path) -> None:
    """Coarse keys gather records as the store grows; a lookup reads the newest few only."""
    from tidings.ledger import db as ledger_db

    store = Store(tmp_path / "hot.duckdb")
    store.init()
    with store.connect(write=True) as con:
        pairs = [("ev|c|BA|2024-W14", rid) for rid in range(1, 41)] + [("ev|c|BA|2024-W15", 7)]
        con.executemany("INSERT INTO ledger_keys (key, record_id, h) VALUES (?, ?, ?)", [(k, r, ledger_key_hash(k)) for k, r in pairs])
        db = LedgerDB(con)
        rows = db._key_rows(["ev|c|BA|2024-W14", "ev|c|BA|2024-W15"])
    hot = sorted(r for k, r in rows if k == "ev|c|BA|2024-W14")
    assert hot == list(range(41 - ledger_db.MAX_RECORDS_PER_KEY, 41))
    assert [r for k, r in rows if k == "ev|c|BA|2024-W15"] == [7]
    assert db._truncated_keys == {"ev|c|BA|2024-W14"}


def test_capped_keys_still_merge_reports_and_store_each_key_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tidings.ledger import db as ledger_db

    monkeypatch.setattr(ledger_db, "MAX_RECORDS_PER_KEY", 1)
    store = Store(tmp_path / "capped.duckdb")
    for report in REPORTS:
        store.add_articles([report])
        ledger.update(store, batch_size=1)
    rows = store.query("SELECT key, record_id FROM ledger_keys")
    assert len({(r["key"], r["record_id"]) for r in rows}) == len(rows)
    protests = sorted((e["n_mentions"], e["n_sources"]) for e in ledger.events(store) if e["sub_event_type"] == "Peaceful protest")
    assert protests == [(1, 1), (1, 1), (2, 2)]  # Mostar's two reports merged, as without the cap


def _filed(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, int]], kind: str = "event") -> None:
    con.executemany("INSERT INTO ledger_keys (key, record_id, h) VALUES (?, ?, ?)", [(k, r, ledger_key_hash(k)) for k, r in pairs])
    con.executemany("INSERT INTO ledger_records (record_id, kind, doc) VALUES (?, ?, ?)", [(r, kind, f'{{"kind": "{kind}", "n": {r}}}') for r in sorted({r for _, r in pairs})])


def test_a_lookup_offers_the_records_sharing_most_of_its_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim's 16 word bands or an event's cells and weeks each file many records; the lookup
    keeps those that share the most keys with it (the newest among equals), and reads only their docs."""
    from tidings.ledger import db as ledger_db

    monkeypatch.setattr(ledger_db, "MAX_CANDIDATES", {"event": 3})
    store = Store(tmp_path / "ranked.duckdb")
    store.init()
    keys = ["cl|1|a", "cl|2|b", "cl|3|c"]
    with store.connect(write=True) as con:
        # record 5 shares all three keys, 2 shares two, 9 and 8 one each (9 is newer), 1 one
        _filed(con, [(keys[0], 5), (keys[1], 5), (keys[2], 5), (keys[0], 2), (keys[2], 2), (keys[1], 9), (keys[1], 8), (keys[0], 1)])
        db = LedgerDB(con)
        db.prefetch([Lookup("event", frozenset(keys), frozenset())])
        assert set(db._docs) == {5, 2, 9}
        assert sorted(db.find(Lookup("event", frozenset(keys), frozenset()))) == [2, 5, 9]
        assert db.find(Lookup("claim", frozenset(keys), frozenset())) == {}  # the kind is checked after the ranking
        # a record the batch files under more keys climbs the ranking; its doc is read then
        db.add_keys(1, keys[1:])
        assert sorted(db.find(Lookup("event", frozenset(keys), frozenset()))) == [1, 2, 5]
        assert db._docs[1]["n"] == 1
        # the keys the mention is filed under itself (its own cell and week) rank first
        assert sorted(db.find(Lookup("event", frozenset(keys), frozenset(keys[1:2])))) == [1, 5, 9]


def test_the_candidate_cap_keeps_merging_reports_of_one_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tidings.ledger import db as ledger_db

    monkeypatch.setattr(ledger_db, "MAX_CANDIDATES", {"event": 1, "entity": 1, "claim": 1, "figure": 1})
    store = Store(tmp_path / "one.duckdb")
    store.add_articles(REPORTS)
    ledger.update(store)
    protests = sorted((e["n_mentions"], e["n_sources"]) for e in ledger.events(store) if e["sub_event_type"] == "Peaceful protest")
    assert protests == [(1, 1), (1, 1), (2, 2)]


def test_event_candidates_are_ranked_by_how_their_type_and_dates_fit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the cap, an event lookup keeps the records of the mention's sub-type and dates, read
    from their columns without their docs."""
    from tidings.ledger import db as ledger_db
    from tidings.ledger.update import event_lookup, prepare

    monkeypatch.setattr(ledger_db, "MAX_CANDIDATES", {"event": 2})
    mention = prepare(REPORTS[0]).events[0]  # a peaceful protest in Mostar on 2024-04-06
    lookup = event_lookup(mention)
    key = sorted(lookup.own)[0]
    store = Store(tmp_path / "fit.duckdb")
    store.init()
    records = [  # id, sub-type, first and last day
        (1, "Peaceful protest", "2024-04-06", "2024-04-06"),
        (2, "Armed clash", "2024-04-06", "2024-04-06"),
        (3, "Peaceful protest", None, None),
        (4, "Armed clash", "2024-02-01", "2024-02-01"),
    ]  # fit: 1 (type and day), 0.5 (day), 0.75 (type; no date to compare), 0.25
    with store.connect(write=True) as con:
        con.executemany("INSERT INTO ledger_keys (key, record_id, h) VALUES (?, ?, ?)", [(key, r[0], ledger_key_hash(key)) for r in records])
        con.executemany(
            "INSERT INTO ledger_records (record_id, kind, label, date_lo, date_hi, doc) VALUES (?, 'event', ?, ?, ?, ?)",
            [(*r, f'{{"kind": "event", "n": {r[0]}}}') for r in records],
        )
        db = LedgerDB(con)
        assert sorted(db.find(lookup)) == [1, 3]  # the oldest records: not chosen for being new
        assert set(db._docs) == {1, 3}
        monkeypatch.setattr(ledger_db, "MAX_CANDIDATES", {"event": 1})
        assert list(db.find(lookup)) == [1]


def _fit_records(con: duckdb.DuckDBPyConnection, key: str) -> None:
    records = [  # id, sub-type, first and last day; fit for the Mostar protest: 1, 0.5, 0.75, 0.25
        (1, "Peaceful protest", "2024-04-06", "2024-04-06"),
        (2, "Armed clash", "2024-04-06", "2024-04-06"),
        (3, "Peaceful protest", None, None),
        (4, "Armed clash", "2024-02-01", "2024-02-01"),
    ]
    con.executemany("INSERT INTO ledger_keys (key, record_id, h) VALUES (?, ?, ?)", [(key, r[0], ledger_key_hash(key)) for r in records])
    con.executemany(
        "INSERT INTO ledger_records (record_id, kind, label, date_lo, date_hi, doc) VALUES (?, 'event', ?, ?, ?, ?)",
        [(*r, f'{{"kind": "event", "n": {r[0]}}}') for r in records],
    )


def test_a_prefetched_lookup_is_not_ranked_again_until_what_ranked_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`find` takes the candidates the batch's prefetch ranked; a record the batch files under the
    lookup's keys, or whose type or dates it changes, makes it rank them again."""
    from tidings.ledger import db as ledger_db
    from tidings.ledger.db import Columns
    from tidings.ledger.update import event_lookup, prepare

    monkeypatch.setattr(ledger_db, "MAX_CANDIDATES", {"event": 2})
    ranked = event_lookup(prepare(REPORTS[0]).events[0])
    fits: list[int] = []
    lookup = ranked._replace(fit=lambda cols: fits.append(1) or ranked.fit(cols))  # type: ignore[func-returns-value, misc]
    key = sorted(lookup.own)[0]
    store = Store(tmp_path / "cached.duckdb")
    store.init()
    with store.connect(write=True) as con:
        _fit_records(con, key)
        db = LedgerDB(con)
        db.prefetch([lookup])
        assert len(fits) == 4
        assert sorted(db.find(lookup)) == [1, 3] and len(fits) == 4  # not ranked again
        db.replace(4, {"kind": "event", "n": 4}, Columns("Peaceful protest", None, "2024-04-06", "2024-04-06", False, 1))
        assert sorted(db.find(lookup)) == [1, 4] and len(fits) == 8  # 4 now fits best with 1; 3 drops out
        db.add_keys(5, [key])
        db.insert(5, "event", {"kind": "event", "n": 5}, Columns("Peaceful protest", None, "2024-04-05", "2024-04-07", False, 1))
        assert sorted(db.find(lookup)) == [4, 5] and len(fits) == 13  # ranked again, over five: the newest of equals


def test_the_heap_is_released_after_each_batchs_records_are_dropped_and_before_its_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The records a batch reads are garbage once it has flushed; releasing the heap while they
    are still referenced would return nothing before the commit's checkpoint."""
    import weakref

    live: weakref.WeakSet[LedgerDB] = weakref.WeakSet()
    opened = LedgerDB.__init__

    def tracked(self: LedgerDB, con: duckdb.DuckDBPyConnection) -> None:
        opened(self, con)
        live.add(self)

    releases: list[int] = []  # ledger batches still alive at each release

    def release() -> bool:
        releases.append(len(live))
        return True

    monkeypatch.setattr(LedgerDB, "__init__", tracked)
    import tidings.store as store_module

    monkeypatch.setattr(store_module, "release_freed_memory", release)
    store = Store(tmp_path / "t.duckdb")
    store.add_articles(REPORTS[:3], then=lambda con, fresh: ledger.merge(con, fresh, batch_size=2))
    assert releases == [0]
    store.add_articles(REPORTS[3:])
    ledger.update(store, batch_size=2)
    assert releases == [0, 0, 0]  # the merge, then each of update's two batches
    assert store.query("SELECT count(DISTINCT article_id) AS n FROM ledger_articles")[0]["n"] == 6


def test_chunks_by_size_keep_every_row_in_order_within_the_bound() -> None:
    rows = [(n, "x" * size) for n, size in enumerate([3, 2, 6, 1, 1, 1, 4])]
    runs = [list(run) for run in chunked_by_size(rows, 5)]
    assert [row for run in runs for row in run] == rows
    assert [[n for n, _ in run] for run in runs] == [[0, 1], [2], [3, 4, 5], [6]]
    assert all(sum(len(doc) for _, doc in run) <= 5 for run in runs if len(run) > 1)
    assert list(chunked_by_size([], 5)) == []


def test_a_flush_in_many_small_statements_stores_the_ledger_one_statement_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def records(store: Store) -> list[tuple[object, ...]]:
        return [tuple(r.values()) for r in store.query("SELECT record_id, kind, doc FROM ledger_records ORDER BY record_id")]

    whole = Store(tmp_path / "whole.duckdb")
    whole.add_articles(REPORTS)
    ledger.update(whole, batch_size=50)
    monkeypatch.setattr("tidings.ledger.db.FLUSH_CHUNK_CHARS", 10)  # one record per statement
    statements: list[int] = []  # rows of each statement into ledger_records
    real_insert = db_module.insert_rows

    def counted_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[object, ...]], **kw: str) -> None:
        if table == "ledger_records":
            statements.append(len(rows))
        real_insert(con, table, rows, **kw)

    monkeypatch.setattr(db_module, "insert_rows", counted_insert)
    chunked = Store(tmp_path / "chunked.duckdb")
    chunked.add_articles(REPORTS)
    ledger.update(chunked, batch_size=50)
    assert statements and set(statements) == {1}
    assert len(records(chunked)) == sum(statements) > 1
    assert records(chunked) == records(whole)
