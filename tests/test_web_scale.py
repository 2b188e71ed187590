"""The API at 100,000 events: filtering and paging stay server-side and fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tidings.store import Store
from tidings.web.app import create_app

pytestmark = pytest.mark.slow

EVENTS = 100_000
ARTICLES = 20_000
# Generous bounds for a shared 2-core machine; measured locally: list pages ~0.1 s, the 20,000
# point GeoJSON ~1-2 s, the timeline ~0.1 s.
PAGE_BUDGET_S = 2.0
MAP_BUDGET_S = 8.0


def _fill(store: Store) -> None:
    store.init()
    with store.connect(write=True) as con:
        con.execute(
            "INSERT INTO articles SELECT 'a' || lpad(CAST(i AS VARCHAR), 15, '0'), NULL, 'Report ' || i,"
            " DATE '2024-01-01' + CAST(i % 365 AS INTEGER), 'metadata', 'Wire', NULL, NULL, 'gen', 40,"
            " 'Generated article number ' || i || CASE WHEN i % 100 = 0 THEN ' mentions Zarnow' ELSE '' END,"
            " '{}', current_timestamp FROM range(?) t(i)",
            [ARTICLES],
        )
        con.execute(
            "INSERT INTO events SELECT 'a' || lpad(CAST(i % ? AS VARCHAR), 15, '0'), i // ?, 0, 5, 'shell',"
            " CASE i % 3 WHEN 0 THEN 'Battles' WHEN 1 THEN 'Protests' ELSE 'Explosions/Remote violence' END,"
            " CASE i % 3 WHEN 0 THEN 'Armed clash' WHEN 1 THEN 'Peaceful protest' ELSE 'Air/drone strike' END,"
            " DATE '2024-01-01' + CAST(i % 365 AS INTEGER), NULL, 'day', 'Town ' || (i % 500),"
            " -60 + (i % 120), -170 + (i % 340), 'UA', i % 7, NULL,"
            " CASE WHEN i % 5 = 0 THEN 'unconfirmed' ELSE 'asserted' END, 0.8, NULL,"
            " '{\"actors\": [\"Unit ' || (i % 50) || '\"], \"targets\": []}' FROM range(?) t(i)",
            [ARTICLES, ARTICLES, EVENTS],
        )
        _fill_ledger(con)


# One merged event per two mentions (events i and i + EVENTS/2, the same day, place and type).
MERGED = EVENTS // 2


def _fill_ledger(con) -> None:  # type: ignore[no-untyped-def]
    """Every article already in the ledger (so the app starts at once) and MERGED merged events."""
    con.execute("INSERT INTO ledger_articles (article_id, published, outlet) SELECT id, published, source FROM articles")
    mention = (
        "json_object('article_id', e.article_id, 'idx', e.idx, 'start', 0, 'end', 5, 'trigger', 'shell', 'sentence', 'Generated.',"
        " 'date_value', CAST(e.event_date AS VARCHAR), 'place', json_object('name', e.place_name), 'fatalities', e.fatalities,"
        " 'injured', NULL, 'status', e.status, 'attributed_to', NULL, 'outlet', 'Wire', 'published', NULL, 'sub_event_type', e.sub_event_type)"
    )
    con.execute(
        "INSERT INTO ledger_links SELECT (e.idx * ? + CAST(substr(e.article_id, 2) AS INTEGER)) % ?, 'event', e.article_id, e.idx, 0, 5, 'shell' FROM events e",
        [ARTICLES, MERGED],
    )
    con.execute(
        "INSERT INTO ledger_records SELECT l.record_id, 'event', any_value(e.sub_event_type), any_value(e.place_name), min(e.event_date), max(e.event_date), false, 2,"
        " json_object('event_type', any_value(e.event_type), 'sub_event_type', any_value(e.sub_event_type),"
        " 'date', json_object('lo', CAST(min(e.event_date) AS VARCHAR), 'hi', CAST(max(e.event_date) AS VARCHAR)),"
        " 'place', json_object('name', any_value(e.place_name), 'lat', any_value(e.lat), 'lon', any_value(e.lon), 'country_code', 'UA', 'kind', 'city'),"
        " 'actors', json_array(), 'targets', json_array(),"
        " 'fatalities', json_object('values', json_array(), 'agreed', true, 'range', NULL), 'injured', json_object('values', json_array(), 'agreed', true, 'range', NULL),"
        " 'status', 'corroborated', 'sources', json_array(), 'n_sources', 2, 'n_articles', 2, 'n_mentions', count(*),"
        f" 'mentions', json_group_array({mention}))"
        " FROM ledger_links l JOIN events e ON e.article_id = l.article_id AND e.idx = l.idx GROUP BY l.record_id"
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = Store(Path(tmp_path_factory.mktemp("scale")) / "big.duckdb")
    _fill(store)
    return TestClient(create_app(store.path))


def _timed(client: TestClient, path: str, params: dict) -> tuple[dict, float]:
    started = time.perf_counter()
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json(), time.perf_counter() - started


def test_paged_and_filtered_lists_at_100k(client: TestClient) -> None:
    body, seconds = _timed(client, "/api/events", {"limit": 50, "offset": 99_000})
    assert body["total"] == EVENTS and len(body["items"]) == 50
    assert seconds < PAGE_BUDGET_S
    body, seconds = _timed(client, "/api/events", {"type": "Protests", "status": "unconfirmed", "actor": "Unit 5", "since": "2024-06-01"})
    assert 0 < body["total"] < EVENTS and all(e["event_type"] == "Protests" for e in body["items"])
    assert seconds < PAGE_BUDGET_S
    body, seconds = _timed(client, "/api/events", {"q": "Zarnow"})
    assert body["total"] == EVENTS // 100
    assert seconds < PAGE_BUDGET_S
    body, seconds = _timed(client, "/api/histogram", {})
    assert sum(d["count"] for d in body["days"]) == EVENTS
    assert seconds < PAGE_BUDGET_S


def test_map_page_at_100k(client: TestClient) -> None:
    body, seconds = _timed(client, "/api/events", {"format": "geojson", "limit": 20_000})
    assert len(body["features"]) == 20_000 and body["total"] == EVENTS
    assert seconds < MAP_BUDGET_S
    slim, seconds = _timed(client, "/api/events", {"format": "geojson", "limit": 20_000, "fields": "map"})
    assert set(slim["features"][0]["properties"]) == {"id", "event_type", "sub_event_type", "date", "date_text", "fatalities", "status", "place_name", "country_code"}
    assert seconds < MAP_BUDGET_S


def test_parquet_export_at_100k(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.get("/api/export", params={"format": "parquet"})
    assert response.status_code == 200 and response.content[:4] == b"PAR1"
    assert time.perf_counter() - started < 60


def test_merged_events_at_100k(client: TestClient) -> None:
    body, seconds = _timed(client, "/api/events", {"merged": "true", "limit": 50, "offset": 40_000})
    assert body["total"] == MERGED and len(body["items"]) == 50
    assert all(e["n_mentions"] == 2 for e in body["items"])
    assert seconds < PAGE_BUDGET_S
    body, seconds = _timed(client, "/api/events", {"merged": "true", "type": "Protests", "since": "2024-06-01"})
    # a merged event matches when one of its mentions does (here each pairs two generated types)
    assert 0 < body["total"] < MERGED and all(any(m["sub_event_type"] == "Peaceful protest" for m in e["mentions"]) for e in body["items"])
    assert seconds < PAGE_BUDGET_S
    body, seconds = _timed(client, "/api/events", {"merged": "true", "format": "geojson", "fields": "map", "limit": 20_000})
    assert len(body["features"]) == 20_000 and body["total"] == MERGED
    assert seconds < MAP_BUDGET_S
    body, seconds = _timed(client, "/api/contested", {})
    assert seconds < PAGE_BUDGET_S
