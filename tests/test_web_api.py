"""The HTTP API: every route, its filters, paging, and the one JSON error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.test_web_data import XSS_SCRIPT, XSS_TITLE, make_store, shelling_report
from tidings.web.app import CSP, MAX_BODY_BYTES, create_app, safe_upload_name


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = make_store(tmp_path_factory.mktemp("api"))
    return TestClient(create_app(store.path))


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    if field is not None:
        assert body["error"]["field"] == field
    return body["error"]


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/events/{event_id}", "/api/quotes",
                  "/api/claims", "/api/entities", "/api/entities/{entity_id}", "/api/timeline", "/api/histogram", "/api/ingest",
                  "/api/contested", "/api/speakers"):
        assert route in paths


def test_articles_list_search_and_paging(client: TestClient) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == 4 and len(body["items"]) == 4
    assert body["items"][0]["title"] == "Shells hit market in Zolotiv"  # newest first
    found = client.get("/api/articles", params={"q": "students"}).json()
    assert [a["title"] for a in found["items"]] == ["Students march in Tbilisi"]
    page = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["offset"] == 2
    # LIKE wildcards in the search are taken literally
    assert client.get("/api/articles", params={"q": "%"}).json()["total"] == 0


def test_article_detail_has_runs_that_rebuild_the_text(client: TestClient) -> None:
    article_id = shelling_report().id
    body = client.get(f"/api/articles/{article_id}").json()
    assert "".join(body["text"][r["start"]:r["end"]] for r in body["runs"]) == body["text"]
    kinds = {h["kind"] for h in body["highlights"]}
    assert {"quote", "claim", "event", "place", "time", "figure", "entity"} <= kinds
    quote = next(h for h in body["highlights"] if h["kind"] == "quote")
    assert body["text"][quote["start"]:quote["end"]] == "They aimed at shoppers, not soldiers,"
    assert quote["group"] == "Petro Hulak"
    assert body["sources"][0]["origin"] == "zolotiv-1.txt"


def test_events_filters(client: TestClient) -> None:
    everything = client.get("/api/events").json()
    assert everything["total"] == 4
    by_type = client.get("/api/events", params={"type": "Protests"}).json()
    assert [e["sub_event_type"] for e in by_type["items"]] == ["Peaceful protest"]
    by_sub = client.get("/api/events", params={"type": "Shelling/artillery/missile attack"}).json()
    assert by_sub["total"] == 2
    assert client.get("/api/events", params={"status": "unconfirmed"}).json()["total"] == 1
    assert client.get("/api/events", params={"actor": "students"}).json()["total"] == 1
    assert client.get("/api/events", params={"actor": "civilians"}).json()["total"] == 2  # targets count too
    assert client.get("/api/events", params={"place": "zolotiv"}).json()["total"] == 2
    assert client.get("/api/events", params={"place": "GE"}).json()["total"] == 1
    dated = client.get("/api/events", params={"since": "2025-02-01", "until": "2025-02-28"}).json()
    assert [e["place"]["name"] for e in dated["items"]] == ["Tbilisi"]
    assert client.get("/api/events", params={"q": "rubble"}).json()["total"] == 1
    assert client.get("/api/events", params={"article": shelling_report().id}).json()["total"] == 1


def test_events_geojson_is_rfc7946(client: TestClient) -> None:
    body = client.get("/api/events", params={"format": "geojson", "limit": 1000}).json()
    assert body["type"] == "FeatureCollection"
    zolotiv = next(f for f in body["features"] if f["properties"]["place_name"] == "Zolotiv")
    assert zolotiv["geometry"] == {"type": "Point", "coordinates": [35.02, 48.51]}  # lon, lat
    assert len(body["features"]) == 4


def test_event_detail_has_figures_claim_quote_sources(client: TestClient) -> None:
    event_id = f"{shelling_report().id}-0"
    body = client.get(f"/api/events/{event_id}").json()
    assert body["sub_event_type"] == "Shelling/artillery/missile attack"
    assert [(f["value"], f["qualifier"]) for f in body["figures"]] == [(12, "exact"), (30, "exact")]
    assert body["claim"]["claimant"] == "Petro Hulak"
    assert body["sources"][0]["origin"] == "zolotiv-1.txt"
    assert body["link"] == f"/articles/{shelling_report().id}#span-{body['trigger']['start']}-{body['trigger']['end']}"


def test_quotes_speakers_claims_entities(client: TestClient) -> None:
    quotes = client.get("/api/quotes", params={"speaker": "hulak"}).json()
    assert quotes["total"] == 1
    assert quotes["items"][0]["via"] == ["Dnipro Daily"]
    assert quotes["items"][0]["status"] == "asserted"
    speakers = client.get("/api/speakers").json()["items"]
    assert {"speaker": "Petro Hulak", "quotes": 1, "articles": 1} in speakers
    denied = client.get("/api/claims", params={"status": "denied"}).json()
    assert [c["claimant"] for c in denied["items"]] == ["Russian defence ministry"]
    assert client.get("/api/claims", params={"claimant": "witness"}).json()["items"][0]["status"] == "unconfirmed"
    entities = client.get("/api/entities", params={"label": "PERSON"}).json()  # the ledger's entities
    assert [(e["name"], e["label"], e["mentions"], e["articles"]) for e in entities["items"]] == [("Petro Hulak", "PERSON", 1, 1)]
    assert entities["items"][0]["aliases"] == [{"name": "Petro Hulak", "mentions": 1}]


def test_histogram_and_contested(client: TestClient) -> None:
    days = client.get("/api/histogram").json()["days"]
    assert {"date": "2025-03-03", "count": 2, "by_type": {"Explosions/Remote violence": 2}} in days
    assert client.get("/api/histogram", params={"type": "Protests"}).json()["days"] == [
        {"date": "2025-02-14", "count": 1, "by_type": {"Protests": 1}}
    ]
    contested = client.get("/api/contested").json()
    assert set(contested) == {"events", "figures", "claims"}
    tolls = contested["events"][0]
    assert (tolls["field"], tolls["place"], tolls["range"]) == ("fatalities", "Zolotiv", [9, 12])
    assert sorted(v["value"] for v in tolls["versions"]) == [9, 12]
    assert {v["source"] for v in tolls["versions"]} == {"Petro Hulak", "state emergency service"}
    assert client.get("/api/contested", params={"place": "Tbilisi"}).json()["events"] == []


def test_hostile_text_comes_back_as_data_only(client: TestClient) -> None:
    items = client.get("/api/articles", params={"q": "Harbourtown"}).json()["items"]
    assert items[0]["title"] == XSS_TITLE
    body = client.get(f"/api/articles/{items[0]['id']}").json()
    assert XSS_SCRIPT in body["text"]
    response = client.get("/")
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP
    assert "<script>" not in response.text.replace('<script src="/static/', "")


@pytest.mark.parametrize(
    ("path", "params", "status", "code", "field"),
    [
        ("/api/articles", {"limit": 0}, 422, "E063", "limit"),
        ("/api/articles", {"limit": "many"}, 422, "E063", "limit"),
        ("/api/articles", {"offset": -1}, 422, "E063", "offset"),
        ("/api/articles/nope", {}, 404, "E032", None),
        ("/api/events", {"since": "yesterday"}, 422, "E063", "since"),
        ("/api/events", {"until": "2025-13-01"}, 422, "E063", "until"),
        ("/api/events", {"since": "2025-03-01", "until": "2025-01-01"}, 422, "E063", "since"),
        ("/api/events", {"status": "rumoured"}, 422, "E063", "status"),
        ("/api/events", {"format": "kml"}, 422, "E063", "format"),
        ("/api/events", {"format": "geojson", "fields": "some"}, 422, "E063", "fields"),
        ("/api/events", {"limit": 501}, 422, "E063", "limit"),
        ("/api/events", {"format": "geojson", "limit": 20001}, 422, "E063", "limit"),
        ("/api/events/abc", {}, 422, "E063", "event_id"),
        ("/api/events/abc-7", {}, 404, "E064", None),
        ("/api/quotes", {"limit": -3}, 422, "E063", "limit"),
        ("/api/speakers", {"offset": "x"}, 422, "E063", "offset"),
        ("/api/claims", {"status": "maybe"}, 422, "E063", "status"),
        ("/api/entities", {"limit": 9999}, 422, "E063", "limit"),
        ("/api/histogram", {"since": "3 March"}, 422, "E063", "since"),
        ("/api/timeline", {}, 422, "E063", "place"),
        ("/api/timeline", {"place": "Zolotiv", "entity": "Petro Hulak"}, 422, "E063", "entity"),
        ("/api/timeline", {"place": "Zolotiv", "limit": 0}, 422, "E063", "limit"),
        ("/api/events", {"merged": "perhaps"}, 422, "E063", "merged"),
        ("/api/events/L", {}, 422, "E063", "event_id"),
        ("/api/events/L999999", {}, 404, "E064", None),
        ("/api/claims", {"contested": "true", "status": "denied"}, 422, "E063", "contested"),
        ("/api/claims", {"contested": "true", "limit": 501}, 422, "E063", "limit"),
        ("/api/entities", {"label": "ANIMAL"}, 422, "E063", "label"),
        ("/api/entities/abc", {}, 422, "E063", "entity_id"),
        ("/api/entities/999999", {}, 404, "E064", None),
        ("/api/export", {"format": "jsonl", "merged": "maybe"}, 422, "E063", "merged"),
        ("/api/contested", {"limit": 0}, 422, "E063", "limit"),
        ("/api/facets", {"since": "x"}, 200, None, None),
        ("/api/ingest/unknownjob", {}, 404, "E064", None),
        ("/api/nothing-here", {}, 404, "E064", None),
        ("/static/../../../../etc/passwd", {}, 404, "E064", None),
        ("/static/%2e%2e/%2e%2e/app.py", {}, 404, "E064", None),
    ],
)
def test_every_get_route_fails_with_the_one_error_shape(client: TestClient, path: str, params: dict, status: int, code: str | None, field: str | None) -> None:
    response = client.get(path, params=params)
    if code is None:
        assert response.status_code == status
        return
    assert_error(response, status, code, field)


def test_wrong_method_and_bad_ingest_requests(client: TestClient) -> None:
    error = assert_error(client.delete("/api/events"), 405, "E200")
    assert "DELETE" in error["message"]
    assert_error(client.post("/api/ingest", data={}), 422, "E063", "files")
    assert_error(client.post("/api/ingest", data={"text": "Some text.", "published": "soon"}), 422, "E063", "published")
    files = [("files", (f"f{i}.txt", b"Text.", "text/plain")) for i in range(101)]
    assert_error(client.post("/api/ingest", files=files), 413, "E062")
    big = b"x" * (MAX_BODY_BYTES + 1)
    assert_error(client.post("/api/ingest", files=[("files", ("big.txt", big, "text/plain"))]), 413, "E061")


def test_streamed_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks():
        for _ in range(MAX_BODY_BYTES // (1024 * 1024) + 2):
            yield b"y" * (1024 * 1024)

    response = client.post("/api/ingest", content=chunks(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert_error(response, 413, "E061")


def test_upload_names_cannot_escape_the_folder() -> None:
    assert safe_upload_name(3, "../../etc/passwd") == "003_passwd"
    assert safe_upload_name(0, "..\\..\\win.ini").startswith("000_")
    assert "/" not in safe_upload_name(1, "/a/b/.hidden.html") and safe_upload_name(1, ".hidden.html") == "001_hidden.html"
    assert safe_upload_name(2, None) == "002_upload.txt"


def test_cors_is_off_and_pages_are_served(client: TestClient) -> None:
    response = client.get("/api/events", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    page = client.get(f"/articles/{shelling_report().id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/leaflet/LICENSE").status_code == 200


def test_ingest_route_runs_the_real_pipeline(tmp_path: Path) -> None:
    app_client = TestClient(create_app(tmp_path / "ingest.duckdb"))
    text = (
        "Flooding forced hundreds of families from their homes in the river town of Ostrava on Monday, "
        "the mayor said. \"We have never seen water this high,\" she told reporters."
    )
    response = app_client.post("/api/ingest", params={"wait": "true"}, data={"text": text, "published": "2025-05-06"},
                               files=[("files", ("../second.txt", b"A second, different article about a bridge opening in Brno.", "text/plain"))])
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["state"] == "done", job
    assert job["new"] == 2 and job["failed"] == 0
    assert app_client.get(f"/api/ingest/{job['id']}").json()["state"] == "done"
    listed = app_client.get("/api/articles", params={"q": "Ostrava"}).json()
    assert listed["total"] == 1
    again = app_client.post("/api/ingest", params={"wait": "true"}, data={"text": text}).json()
    assert again["new"] == 0 and again["duplicate"] == 1
