"""Exports: ACLED CSV and GeoJSON re-read and compared field by field, Parquet read back with
DuckDB and pandas, JSON Lines, filters, the CLI command, the download route and bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.test_web_data import make_store, shelling_report
from tidings.article import Article, Event, EventDate
from tidings.cli import app as cli
from tidings.errors import TidingsError
from tidings.export import (
    ACLED_COLUMNS,
    EXTRA_COLUMNS,
    csv_cell,
    export_events,
    export_rows,
    sentence_around,
)
from tidings.web.queries import EventFilters


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_store(tmp_path_factory.mktemp("export"))


def _text(value: object) -> str:
    return "" if value is None else str(csv_cell(value))


def test_acled_csv_round_trips_field_by_field(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "events.csv"
    assert export_events(store, "acled-csv", EventFilters(), path, merged=False) == 4
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
        read = list(reader)
    expected = export_rows(store, EventFilters())
    assert len(read) == len(expected)
    for got, want in zip(read, expected, strict=True):
        for column in ACLED_COLUMNS:
            assert got[column] == _text(want[column]), column


def test_acled_columns_are_filled_from_the_event(store) -> None:  # type: ignore[no-untyped-def]
    rows = {r["tidings_event_id"]: r for r in export_rows(store, EventFilters())}
    row = rows[f"{shelling_report().id}-0"]
    assert row["event_id_cnty"].startswith("UKR-")
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2025-03-03", 2025, 1)
    assert row["disorder_type"] == "Political violence"
    assert (row["actor1"], row["actor2"]) == ("Russian forces", "civilians")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["country"], row["location"]) == (804, "Ukraine", "Zolotiv")
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (48.51, 35.02, 1)
    assert row["fatalities"] == 12
    assert row["source"] == "Dnipro Daily"
    assert row["notes"].startswith("Artillery shells struck a covered market") and row["notes"].endswith("Petro Hulak said.")
    assert "injured=30" in row["tags"] and "status=asserted" in row["tags"]
    assert isinstance(row["timestamp"], int)


def test_geojson_round_trips_and_is_lon_lat(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "events.geojson"
    assert export_events(store, "geojson", EventFilters(), path) == 4
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    expected = {r["tidings_event_id"]: r for r in export_rows(store, EventFilters())}
    for feature in data["features"]:
        want = expected[feature["id"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [want["longitude"], want["latitude"]]}
        for column in (*ACLED_COLUMNS, *EXTRA_COLUMNS):
            assert feature["properties"][column] == want[column], column
    # what QGIS (GDAL's GeoJSON driver) needs: WGS 84 lon/lat numbers, no legacy "crs" member
    assert "crs" not in data
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_parquet_reads_back_in_duckdb_and_pandas(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "events.parquet"
    assert export_events(store, "parquet", EventFilters(), path) == 4
    con = duckdb.connect()
    rows = con.execute(f"SELECT event_id_cnty, fatalities, latitude, event_date FROM read_parquet('{path}') ORDER BY event_date, event_id_cnty").fetchall()
    con.close()
    assert len(rows) == 4
    assert rows[-1][1] in (9, 12) and str(rows[-1][3]) == "2025-03-03"
    frame = pd.read_parquet(path)
    assert list(frame.columns) == [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    assert frame["fatalities"].isna().sum() == 1  # the protest has no figure
    assert sorted(frame["country"].tolist()) == ["Georgia", "Nigeria", "Ukraine", "Ukraine"]


def test_jsonl_and_filters(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "events.jsonl"
    count = export_events(store, "jsonl", EventFilters(place="Zolotiv"), path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert count == len(lines) == 2
    assert {line["fatalities"] for line in lines} == {9, 12}
    assert export_events(store, "jsonl", EventFilters(event_type="Protests"), path) == 1
    assert export_events(store, "jsonl", EventFilters(until=__import__("datetime").date(2025, 1, 31)), path) == 1


def test_csv_cells_that_look_like_formulas_are_defused(tmp_path: Path) -> None:
    text = "=HYPERLINK(\"http://x\") said the militia attacked the village of Dorn."
    start = text.index("attacked")
    article = Article(text=text, title="t", events=[Event("Battles", "Armed clash", __import__("tidings.article", fromlist=["Span"]).Span(start, start + 8, "attacked"),
                                                      ["=cmd|' /C calc'!A0"], ["@SUM(1)"], None, EventDate("2025-01-01", "day"), None, None, 0.5, "asserted", None)])
    store = make_store(tmp_path, [article])
    path = tmp_path / "f.csv"
    export_events(store, "acled-csv", EventFilters(), path)
    row = next(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert row["actor1"] == "'=cmd|' /C calc'!A0" and row["actor2"] == "'@SUM(1)"
    assert row["notes"].startswith("'=HYPERLINK")


def test_sentence_around_cuts_at_sentence_ends() -> None:
    window = "end of one. The army shelled the bridge at dawn. Nobody was hurt"
    start = window.index("shelled")
    assert sentence_around(window, start, start + 7) == "The army shelled the bridge at dawn."
    assert sentence_around("", 0, 0) == ""
    big = "word " * 50_000
    assert sentence_around(big, 100, 104).startswith("word")


def test_bad_format_and_unwritable_path(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TidingsError) as bad:
        export_events(store, "kml", EventFilters(), tmp_path / "x.kml")
    assert bad.value.code == "E060"
    with pytest.raises(TidingsError) as missing:
        export_events(store, "jsonl", EventFilters(), tmp_path / "no" / "such" / "x.jsonl")
    assert missing.value.code == "E203"


def test_cli_export(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    out = tmp_path / "cli.csv"
    result = runner.invoke(cli, ["export", "--format", "acled-csv", "--db", str(store.path), "--place", "UA", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 merged events" in result.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 1  # the two Zolotiv reports are one event
    per_mention = runner.invoke(cli, ["export", "--format", "acled-csv", "--per-mention", "--db", str(store.path), "--place", "UA", "-o", str(out)])
    assert per_mention.exit_code == 0 and "2 event mentions" in per_mention.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 2
    merged_jsonl = runner.invoke(cli, ["export", "--format", "jsonl", "--merged", "--db", str(store.path), "-o", str(out)])
    assert merged_jsonl.exit_code == 0 and "3 merged events" in merged_jsonl.output
    bad = runner.invoke(cli, ["export", "--format", "shapefile", "--db", str(store.path), "-o", str(out)])
    assert bad.exit_code == 2 and "E060" in bad.output
    bad_date = runner.invoke(cli, ["export", "--format", "jsonl", "--db", str(store.path), "--since", "March", "-o", str(out)])
    assert bad_date.exit_code == 2 and "E063" in bad_date.output


def test_download_route(store) -> None:  # type: ignore[no-untyped-def]
    from tidings.web.app import create_app

    client = TestClient(create_app(store.path))
    response = client.get("/api/export", params={"format": "geojson", "type": "Protests"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert len(response.json()["features"]) == 1
    csv_response = client.get("/api/export", params={"format": "acled-csv"})
    assert csv_response.text.splitlines()[0].split(",") == list(ACLED_COLUMNS)
    assert len(csv_response.text.splitlines()) == 1 + 3  # merged by default: 3 real-world events
    per_mention = client.get("/api/export", params={"format": "acled-csv", "merged": "false"})
    assert len(per_mention.text.splitlines()) == 1 + 4
    merged_geo = client.get("/api/export", params={"format": "geojson", "merged": "true", "place": "Zolotiv"}).json()
    assert [f["id"] for f in merged_geo["features"]] == [f["properties"]["tidings_event_id"] for f in merged_geo["features"]]
    assert len(merged_geo["features"]) == 1 and merged_geo["features"][0]["id"].startswith("L")
    bad = client.get("/api/export", params={"format": "../../etc/passwd"})
    assert bad.status_code == 422 and bad.json()["error"] == {"code": "E060", "message": bad.json()["error"]["message"], "field": "format"}


def test_merged_acled_row_keeps_every_toll_and_uses_the_lowest(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "merged.csv"
    assert export_events(store, "acled-csv", EventFilters(place="Zolotiv"), path) == 1  # acled-csv: merged by default
    row = next(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert row["event_id_cnty"].startswith("UKR-L")
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2025-03-03", "2025", "1")
    assert row["fatalities"] == "9"  # ACLED's rule: the lowest figure when sources disagree
    assert "fatalities reported=" in row["tags"] and "12 (Dnipro Daily)" in row["tags"] and "9 (Kyiv Wire)" in row["tags"]
    assert "independent sources=2" in row["tags"] and "injured=30" in row["tags"]
    assert row["source"] == "Dnipro Daily; Kyiv Wire"
    assert (row["location"], row["latitude"], row["longitude"], row["geo_precision"]) == ("Zolotiv", "48.51", "35.02", "1")
    assert row["notes"]
    jsonl = tmp_path / "merged.jsonl"
    assert export_events(store, "jsonl", EventFilters(place="Zolotiv"), jsonl, merged=True) == 1
    record = json.loads(jsonl.read_text(encoding="utf-8"))
    assert record["n_sources"] == 2 and len(record["mention_ids"].split("; ")) == 2
    article_id, start, end = record["article_id"], record["trigger_start"], record["trigger_end"]
    assert record["link"] == f"/articles/{article_id}#span-{start}-{end}"
    parquet = tmp_path / "merged.parquet"
    assert export_events(store, "parquet", EventFilters(), parquet, merged=True) == 3
    assert list(pd.read_parquet(parquet).columns) == [*ACLED_COLUMNS, *EXTRA_COLUMNS]
