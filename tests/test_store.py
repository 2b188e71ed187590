"""The DuckDB store: migrations from a blank file, lossless round-trips, duplicates and sources,
locking between a writer and readers."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.article import Article, Caption, Entity, Event, EventDate, Paragraph, Place, Span
from tidings.errors import TidingsError
from tidings.store import Store
from tidings.store.migrations import LATEST_VERSION, MIGRATIONS


def _article(text: str, origin: str = "a.txt") -> Article:
    article = Article(text=text, origin=origin, title="A title", published="2024-11-05", published_how="metadata")
    article.entities = [Entity(0, 5, text[:5], "GPE")]
    return article


def test_blank_store_gets_every_migration_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    store.init()
    rows = store.query("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in rows] == [m[0] for m in MIGRATIONS]
    assert rows[-1]["version"] == LATEST_VERSION
    store.init()  # idempotent: nothing applied twice
    assert len(store.query("SELECT * FROM schema_migrations")) == len(MIGRATIONS)


def test_newer_schema_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    Store(path).init()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
    con.close()
    with pytest.raises(TidingsError) as err:
        Store(path).count_articles()
    assert err.value.code == "E031"


def test_reading_a_missing_or_foreign_database_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(TidingsError) as err:
        Store(tmp_path / "none.duckdb").list_articles()
    assert err.value.code == "E034"
    foreign = tmp_path / "foreign.duckdb"
    foreign.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(TidingsError) as err:
        Store(foreign).init()
    assert err.value.code == "E033"


def test_connections_bound_duckdbs_buffer_pool(tmp_path: Path) -> None:
    """DuckDB's default pool (80% of RAM) kept every block the ledger scanned: memory grew with the store."""
    store = Store(tmp_path / "t.duckdb")
    store.init()
    with store.connect() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit.endswith("MiB") and 200 < float(limit.split()[0]) < 300  # 256MB, shown as 244.1 MiB


def _pool_mib(con: duckdb.DuckDBPyConnection) -> float:
    shown = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert shown.endswith("MiB")
    return float(shown.split()[0])


def test_a_batchs_ledger_merge_runs_under_the_smaller_pool_and_its_commit_under_the_usual_one(tmp_path: Path) -> None:
    """Each batch's blocks are dropped when its connection closes: a 256 MB pool only raised the
    ingest's peak; but the commit's checkpoint pins blocks that grow with the store."""
    import tidings.store as store_module

    store = Store(tmp_path / "t.duckdb")
    seen: list[float] = []
    commit = store_module.transaction

    @contextlib.contextmanager
    def watched(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        with commit(con):
            yield
            seen.append(_pool_mib(con))  # just before COMMIT

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "transaction", watched)
        store.add_articles([Article(text="Shelling hit the bridge.", origin="test")], then=lambda con, fresh: seen.append(_pool_mib(con)))
    assert len(seen) == 2 and 80 < seen[0] < 100 and 200 < seen[1] < 300  # 96MB and 256MB, shown as 91.5 and 244.1 MiB


def test_a_bad_batch_memory_setting_names_the_variable_and_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    store = Store(tmp_path / "t.duckdb")
    store.init()
    monkeypatch.setattr(store_module, "BATCH_MEMORY_LIMIT", "lots")
    with pytest.raises(TidingsError) as err:
        store.add_articles([Article(text="Shelling hit the bridge.", origin="test")], then=lambda con, fresh: None)
    assert err.value.code == "E035" and "TIDINGS_DB_MEMORY='lots'" in str(err.value)
    monkeypatch.undo()
    assert store.count_articles() == 0


def test_write_connections_use_one_thread_and_reads_the_default(tmp_path: Path) -> None:
    """An ingest's workers keep the cores busy; its write connection's extra threads only contended with them."""
    store = Store(tmp_path / "t.duckdb")
    store.init()
    with store.connect(write=True) as con:
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1
    with store.connect() as con:
        default = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == default


def test_a_bad_memory_setting_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    monkeypatch.setattr(store_module, "DB_MEMORY_LIMIT", "plenty")
    with pytest.raises(TidingsError) as err:
        Store(tmp_path / "t.duckdb").init()
    assert err.value.code == "E035" and "TIDINGS_DB_MEMORY='plenty'" in str(err.value)
    assert not (tmp_path / "t.duckdb").exists()


def test_article_round_trips_through_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    text = "Shelling hit Kharkiv on Monday.\n\nA caption of the scene"
    article = _article(text)
    article.paragraphs = [Paragraph(0, 31), Paragraph(33, len(text), "caption")]
    article.captions = [Caption(33, len(text), text[33:], "EPA")]
    article.places = [Place(13, 20, "Kharkiv", "Kharkiv", 706483, 49.98, 36.25, "UA", "P", "PPLA", "07", "city")]
    article.events = [
        Event("Explosions/Remote violence", "Shelling/artillery/missile attack", Span(0, 8, "Shelling"), ["Russian forces"], [],
              0, EventDate("2024-11-04", "day"), 2, 5, 0.9, "asserted", "governor")
    ]
    assert store.add_articles([article]) == 1
    back = store.get_article(article.id)
    assert back == article
    assert back.captions[0].credit == "EPA"
    event = store.query("SELECT sub_event_type, lat, place_name, fatalities, CAST(event_date AS VARCHAR) d FROM events")[0]
    assert event == {"sub_event_type": "Shelling/artillery/missile attack", "lat": 49.98, "place_name": "Kharkiv", "fatalities": 2, "d": "2024-11-04"}


def test_same_text_twice_is_stored_once_with_both_sources(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    first = _article("Protesters gathered in Minsk.", origin="feed-a.xml")
    copy = _article("Protesters  gathered in MINSK.", origin="feed-b.xml")  # syndicated: same normalised text
    assert first.id == copy.id
    assert store.add_articles([first]) == 1
    assert store.add_articles([copy]) == 0
    assert store.count_articles() == 1
    assert {s["origin"] for s in store.article_sources(first.id)} == {"feed-a.xml", "feed-b.xml"}


def test_unknown_id_names_the_fix(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    store.init()
    with pytest.raises(TidingsError) as err:
        store.get_article("nope")
    assert err.value.code == "E032" and "tidings articles" in err.value.message


def test_prefix_lookup(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.duckdb")
    article = _article("Talks were held in Geneva.")
    store.add_articles([article])
    assert store.get_article(article.id[:6]).id == article.id


def _hold_write_lock(path: str, seconds: float, ready: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    con = duckdb.connect(path)
    ready.set()
    time.sleep(seconds)
    con.close()


def test_reader_waits_for_a_short_write_and_fails_clearly_on_a_long_one(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    Store(path).add_articles([_article("Troops crossed the river.")])
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_write_lock, args=(str(path), 1.0, ready))
    holder.start()
    ready.wait(30)
    assert Store(path, lock_wait_s=20).count_articles() == 1  # waited for the writer
    holder.join()
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_write_lock, args=(str(path), 5.0, ready))
    holder.start()
    ready.wait(30)
    with pytest.raises(TidingsError) as err:
        Store(path, lock_wait_s=0.3).count_articles()
    assert err.value.code == "E030"
    holder.join()


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300).filter(lambda t: t.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, title=st.one_of(st.none(), st.text(max_size=40)))
def test_any_text_round_trips_through_the_store(tmp_path: Path, text: str, title: str | None) -> None:
    article = Article(text=text, title=title, origin="prop")
    store = Store(tmp_path / f"prop-{article.id}-{abs(hash(title))}.duckdb")
    store.add_articles([article])
    assert store.get_article(article.id).to_dict() == article.to_dict()


def test_running_out_of_duckdb_memory_names_the_setting_and_keeps_what_was_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    store = Store(tmp_path / "t.duckdb")
    words = ["shelling", "of", "the", "market", "in", "the", "morning", "killed", "several", "residents", "and", "damaged", "the", "bridge"]

    def batch(first: int) -> list[Article]:
        return [Article(text=" ".join(words[(n + i) % len(words)] for i in range(4000)) + f" {n}", origin="test") for n in range(first, first + 48)]

    assert store.add_articles(batch(0)) == 48
    monkeypatch.setattr(store_module, "DB_MEMORY_LIMIT", "8MB")
    with pytest.raises(TidingsError) as err:
        store.add_articles(batch(48))
    assert err.value.code == "E036" and "TIDINGS_DB_MEMORY=8MB" in str(err.value) and "run the same command again" in str(err.value)
    monkeypatch.undo()
    assert store.count_articles() == 48
    assert store.add_articles(batch(48)) == 48 and store.count_articles() == 96


TOO_BIG = "SELECT string_agg(range::VARCHAR, ',' ORDER BY range DESC) FROM range(3000000)"  # one value, built in memory
OVER_8MB = "SELECT string_agg(range::VARCHAR, ',' ORDER BY range DESC) FROM range(300000)"  # fits 256 MB


def test_running_out_of_the_batch_pool_names_the_setting_and_stores_nothing_of_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    store = Store(tmp_path / "t.duckdb")
    monkeypatch.setattr(store_module, "BATCH_MEMORY_LIMIT", "8MB")
    monkeypatch.setattr(store_module, "DB_MEMORY_LIMIT", "8MB")  # the retry's pool is too small as well
    with pytest.raises(TidingsError) as err:
        store.add_articles([Article(text="Shelling hit the bridge.", origin="test")], then=lambda con, fresh: con.execute(TOO_BIG).fetchone())
    assert err.value.code == "E036" and "TIDINGS_DB_MEMORY=8MB" in str(err.value)
    monkeypatch.undo()
    assert store.count_articles() == 0


def test_a_batch_that_outgrows_the_batch_pool_is_done_again_with_the_full_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    store = Store(tmp_path / "t.duckdb")
    monkeypatch.setattr(store_module, "BATCH_MEMORY_LIMIT", "8MB")
    limits: list[str] = []

    def then(con: duckdb.DuckDBPyConnection, fresh: list[Article]) -> None:
        limits.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        con.execute("CREATE TABLE IF NOT EXISTS merged (id VARCHAR)")
        con.execute("INSERT INTO merged SELECT unnest(?)", [[a.id for a in fresh]])
        con.execute(OVER_8MB).fetchone()

    articles = [Article(text="Shelling hit the bridge.", origin="test"), Article(text="Rain fell on the market.", origin="test")]
    assert store.add_articles(articles, then=then) == 2
    assert len(limits) == 2 and limits[0] != limits[1]  # the batch pool, then the full one
    assert store.count_articles() == 2
    assert store.query("SELECT count(*) AS n FROM merged")[0]["n"] == 2  # the failed try left nothing behind


def _pool_and_indexes(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    from tidings.store import _size_bytes

    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    indexes = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'ART_INDEX'").fetchone()[0]
    return _size_bytes(limit.replace(" ", "")) or 0, int(indexes)


def test_the_batch_pool_leaves_its_room_beside_what_the_store_indexes_hold(tmp_path: Path) -> None:
    from tidings.store import BATCH_MEMORY_LIMIT, _size_bytes

    store = Store(tmp_path / "t.duckdb")
    seen: list[tuple[int, int]] = []
    articles = [_article(f"Kyiv. Drones hit a depot on day {n}.", origin=f"d{n}.txt") for n in range(3000)]
    with store.held_open(lease_s=60):
        for first in range(0, 3000, 1000):
            store.add_articles(articles[first : first + 1000], then=lambda con, fresh: seen.append(_pool_and_indexes(con)))
    room = _size_bytes(BATCH_MEMORY_LIMIT) or 0
    assert all(indexes > 0 for _, indexes in seen)  # the inserts' indexes sit in the pool
    assert all(pool >= room + indexes - 2**20 for pool, indexes in seen)  # DuckDB shows the pool to 0.1 MiB


def test_a_memory_setting_from_the_environment_is_the_pool_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    for name in ("BATCH_MEMORY_LIMIT", "DB_MEMORY_LIMIT"):  # both come from TIDINGS_DB_MEMORY
        monkeypatch.setattr(store_module, name, "200MB")
    monkeypatch.setattr(store_module, "MEMORY_FROM_ENV", True)
    store = Store(tmp_path / "t.duckdb")
    seen: list[tuple[int, int]] = []
    store.add_articles([_article(f"Kyiv. Drones hit a depot on day {n}.", origin=f"d{n}.txt") for n in range(500)], then=lambda con, fresh: seen.append(_pool_and_indexes(con)))
    assert seen[0][1] > 0 and abs(seen[0][0] - 200 * 10**6) < 2**20


def test_the_commit_after_a_batch_keeps_the_full_room_beside_the_indexes(tmp_path: Path) -> None:
    """The checkpoint a commit may run needs DB_MEMORY_LIMIT of room; the indexes the batch loaded
    stay in the pool beside it."""
    from tidings.store import DB_MEMORY_LIMIT, _size_bytes

    store = Store(tmp_path / "t.duckdb")
    with store.held_open(lease_s=60):
        store.add_articles([_article(f"Kyiv. Drones hit a depot on day {n}.", origin=f"d{n}.txt") for n in range(2000)], then=lambda con, fresh: None)
        with store.connect(write=True) as con:
            pool, indexes = _pool_and_indexes(con)
    assert indexes > 0 and pool >= (_size_bytes(DB_MEMORY_LIMIT) or 0) + indexes - 2**20


@pytest.mark.parametrize(("size", "expected"), [("96MB", 96 * 10**6), ("1.5GiB", int(1.5 * 2**30)), ("2048 bytes", 2048), (" 3 mb ", 3 * 10**6), ("96", None), ("lots", None), ("MB", None)])
def test_memory_sizes_are_read_as_duckdb_reads_them(size: str, expected: int | None) -> None:
    from tidings.store import _size_bytes

    assert _size_bytes(size) == expected


def test_a_rollback_duckdb_refuses_does_not_hide_the_error_that_caused_it() -> None:
    from tidings.store import transaction

    class Cause(Exception):
        pass

    con = duckdb.connect()
    with pytest.raises(Cause), transaction(con):
        con.execute("CREATE TABLE t (a INTEGER)")
        con.close()  # as after a fatal error: DuckDB refuses the ROLLBACK
        raise Cause("the error to report")
