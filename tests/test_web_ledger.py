"""The ledger in the web app: merged events (one per real-world event, sources, field-level
disagreement, every mention), timelines for a place or an entity, contested figures and claims,
ledger entities, and readable dates. Articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.test_web_data import all_articles, find, place_at
from tidings.article import Article, Claim, Entity, Event, EventDate, Quantity, Span
from tidings.store import Store
from tidings.web.app import create_app


def _pos(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.text


def depot_police() -> Article:
    text = "A drone hit the fuel depot in Karlivka on 10 June, killing six people, the regional police said. Firefighters worked through the night."
    return Article(
        text=text, title="Drone hits Karlivka depot", published="2025-06-11", source="Harbour Herald", origin="karlivka-1.txt",
        places=[place_at(text, "Karlivka", "Karlivka", 48.05, 37.11, "UA", "PPL")],
        claims=[Claim(find(text, "A drone hit the fuel depot in Karlivka on 10 June, killing six people"), "regional police", [], "asserted", None)],
        quantities=[Quantity(*_pos(find(text, "six people")), 6, None, None, "exact", "people", event=0, claim=0)],
        events=[Event("Explosions/Remote violence", "Air/drone strike", find(text, "hit"), [], ["people"], 0,
                      EventDate("2025-06-10", "day"), 6, None, 0.9, "asserted", "regional police")],
    )


def depot_mayor() -> Article:
    text = "Seven people were killed when a drone struck the Karlivka fuel depot on 10 June, the mayor Ihor Danko said."
    return Article(
        text=text, title="Mayor: seven dead in Karlivka", published="2025-06-11", source="Steppe News", origin="karlivka-2.txt",
        entities=[Entity(*_pos(find(text, "Ihor Danko")), "PERSON")],
        places=[place_at(text, "Karlivka", "Karlivka", 48.05, 37.11, "UA", "PPL")],
        claims=[Claim(find(text, "Seven people were killed when a drone struck the Karlivka fuel depot on 10 June"), "Ihor Danko", [], "asserted", None)],
        quantities=[Quantity(*_pos(find(text, "Seven people")), 7, None, None, "exact", "people", event=0, claim=0)],
        events=[Event("Explosions/Remote violence", "Air/drone strike", find(text, "struck"), [], ["people"], 0,
                      EventDate("2025-06-10", "day"), 7, None, 0.9, "asserted", "Ihor Danko")],
    )


def depot_denial() -> Article:
    text = "The defence ministry denied that a drone hit the fuel depot in Karlivka on 10 June."
    return Article(
        text=text, title="Ministry denies depot strike", published="2025-06-12", source="Volga Report", origin="karlivka-3.txt",
        claims=[Claim(find(text, "a drone hit the fuel depot in Karlivka on 10 June"), "defence ministry", [], "denied", find(text, "denied"))],
    )


def ledger_articles() -> list[Article]:
    return [depot_police(), depot_mayor(), depot_denial()]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = Store(tmp_path_factory.mktemp("ledger-web") / "web.duckdb")
    store.add_articles(all_articles() + ledger_articles())  # not through ingest: the app merges them on start
    return TestClient(create_app(store.path))


def test_merged_events_are_one_per_real_event_with_split_tolls(client: TestClient) -> None:
    per_mention = client.get("/api/events", params={"place": "Karlivka"}).json()
    assert per_mention["total"] == 2
    merged = client.get("/api/events", params={"place": "Karlivka", "merged": "true"}).json()
    assert merged["total"] == 1 and merged["merged"] is True
    event = merged["items"][0]
    assert event["id"].startswith("L") and event["sub_event_type"] == "Air/drone strike"
    assert event["n_sources"] == 2 and event["outlets"] == ["Harbour Herald", "Steppe News"]
    assert event["disagree_on"] == ["fatalities"]
    tolls = event["fatalities"]
    assert (tolls["agreed"], tolls["range"], tolls["text"]) == (False, [6, 7], "6–7")
    assert {(v["value"], tuple(v["outlets"])) for v in tolls["values"]} == {(6, ("Harbour Herald",)), (7, ("Steppe News",))}
    assert event["date"] == {"lo": "2025-06-10", "hi": "2025-06-10", "text": "2025-06-10"}
    assert sorted(m["trigger"]["text"] for m in event["mentions"]) == ["hit", "struck"]
    assert all(m["link"] == f"/articles/{m['article_id']}#span-{m['trigger']['start']}-{m['trigger']['end']}" for m in event["mentions"])
    everything = client.get("/api/events", params={"merged": "true"}).json()
    assert everything["total"] == 4  # Karlivka, Zolotiv (two reports), Tbilisi, Harbourtown


def test_merged_event_detail_and_the_way_back_from_a_mention(client: TestClient) -> None:
    listed = client.get("/api/events", params={"place": "Karlivka", "merged": "true"}).json()["items"][0]
    detail = client.get(f"/api/events/{listed['id']}").json()
    assert {m["article_title"] for m in detail["mentions"]} == {"Drone hits Karlivka depot", "Mayor: seven dead in Karlivka"}
    mention = client.get(f"/api/events/{detail['mentions'][0]['id']}").json()
    assert mention["merged_id"] == listed["id"]


def test_merged_geojson_for_the_map(client: TestClient) -> None:
    body = client.get("/api/events", params={"merged": "true", "format": "geojson", "fields": "map", "place": "Karlivka"}).json()
    (feature,) = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [37.11, 48.05]}
    props = feature["properties"]
    assert (props["n_sources"], props["fatalities"], props["date"], props["place_name"]) == (2, 6, "2025-06-10", "Karlivka")


def test_timeline_of_a_place_and_of_an_entity(client: TestClient) -> None:
    body = client.get("/api/timeline", params={"place": "Karlivka"}).json()
    kinds = [i["kind"] for i in body["items"]]
    assert "event" in kinds and "claim" in kinds
    dates = [i["date"] or "9999" for i in body["items"]]
    assert dates == sorted(dates)
    event = next(i for i in body["items"] if i["kind"] == "event")
    assert event["status"] == "corroborated" and event["sources"] == 2 and event["id"].startswith("L")
    assert "6 killed (Harbour Herald)" in event["what"] and "7 killed (Steppe News)" in event["what"]
    assert len(event["mentions"]) == 2 and all("#span-" in m["link"] for m in event["mentions"])
    claim = next(i for i in body["items"] if i["kind"] == "claim")
    assert claim["status"] == "contested"
    assert "defence ministry" in {m["who"] for m in claim["mentions"]}
    by_person = client.get("/api/timeline", params={"entity": "Ihor Danko"}).json()
    assert by_person["entity"] == "Ihor Danko" and any(i["kind"] == "event" for i in by_person["items"])
    assert client.get("/api/timeline", params={"place": "Atlantis"}).json()["items"] == []


def test_contested_claims_with_every_value_and_source(client: TestClient) -> None:
    body = client.get("/api/claims", params={"contested": "true"}).json()
    claim = next(i for i in body["items"] if i["kind"] == "claim")
    assert claim["contested_by"] == ["defence ministry"]
    sides = {(v["source"], v["status"], v["value"]) for v in claim["versions"]}
    assert ("defence ministry", "denied", "against") in sides
    assert ("Ihor Danko", "asserted", "says") in sides and ("regional police", "asserted", "says") in sides
    tolls = [i for i in body["items"] if i["kind"] == "event" and i["place"] == "Karlivka"]
    assert tolls and sorted(v["value"] for v in tolls[0]["versions"]) == [6, 7]
    assert body["total"] == len(body["items"])
    grouped = client.get("/api/contested").json()
    assert [c["record_id"] for c in grouped["claims"]] == [claim["record_id"]]


def test_ledger_entities_with_aliases_roles_and_spans(client: TestClient) -> None:
    people = client.get("/api/entities", params={"label": "person"}).json()["items"]
    names = {p["name"] for p in people}
    assert {"Ihor Danko", "Petro Hulak"} <= names
    found = client.get("/api/entities", params={"q": "Ihor Danko"}).json()["items"]
    assert found[0]["name"] == "Ihor Danko"
    detail = client.get(f"/api/entities/{found[0]['id']}").json()
    (span,) = detail["spans"]
    assert span["text"] == "Ihor Danko" and span["article_title"] == "Mayor: seven dead in Karlivka"
    assert span["link"].endswith(f"#span-{span['start']}-{span['end']}")
    hulak = client.get("/api/entities", params={"q": "Hulak"}).json()["items"][0]  # a surname finds the person
    assert hulak["name"] == "Petro Hulak" and [r["role"] for r in hulak["roles"]] == ["governor"]


def test_event_list_shows_readable_dates(client: TestClient) -> None:
    items = {e["place"]["name"]: e for e in client.get("/api/events").json()["items"]}
    assert items["Zolotiv"]["date_text"] == "2025-03-03"
    assert items["Zolotiv"]["date_view"] == {"text": "2025-03-03", "precision": "day", "day": "2025-03-03"}


def test_an_empty_store_answers_empty_not_an_error(tmp_path: Path) -> None:
    empty = TestClient(create_app(tmp_path / "empty.duckdb"))
    assert empty.get("/api/timeline", params={"place": "Kursk"}).json()["items"] == []
    assert empty.get("/api/entities").json()["items"] == []
    assert empty.get("/api/contested").json() == {"events": [], "figures": [], "claims": []}
    assert empty.get("/api/events", params={"merged": "true"}).json()["total"] == 0


def test_the_app_starts_while_another_process_writes(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    store = Store(tmp_path / "busy.duckdb")
    store.add_articles([depot_police()])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(30)", str(store.path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        create_app(store.path)  # the ledger update meets E030 and is left to the writer
        assert time.perf_counter() - started < 15
    finally:
        holder.kill()
        holder.wait()
    assert TestClient(create_app(store.path)).get("/api/events", params={"merged": "true"}).json()["total"] == 1
