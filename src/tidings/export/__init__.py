"""Events out to the formats analysts' tools read: ACLED-style CSV, GeoJSON, JSON Lines, Parquet.

`export_events(store, fmt, filters, path, merged=...)` is what `tidings export` and `GET /api/export`
call: one row per event mention (per article), or with `merged` one row per real-world event from
the ledger (the default for acled-csv: ACLED rows are one per event). docs/exports.md says which
ACLED columns are filled, how, and which are left empty.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tidings.errors import E, TidingsError
from tidings.export.acled import ACLED_COLUMNS, acled_record
from tidings.export.merged import merged_acled_record
from tidings.store import Store
from tidings.web.queries import EventFilters, check_filters, event_where, span_link

FORMATS = ("acled-csv", "geojson", "jsonl", "parquet")
MEDIA_TYPES = {"acled-csv": "text/csv", "geojson": "application/geo+json", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}
SUFFIXES = {"acled-csv": ".csv", "geojson": ".geojson", "jsonl": ".jsonl", "parquet": ".parquet"}

# Characters of article text fetched on each side of an event's trigger to cut its sentence for
# ACLED's `notes`; 400 covers the longest sentences in the sample and the quotes dev set.
NOTE_WINDOW = 400

# Columns beyond ACLED's that GeoJSON, JSON Lines and Parquet carry (the CSV keeps ACLED's only).
EXTRA_COLUMNS = (
    "tidings_event_id", "article_id", "article_title", "published", "status", "confidence",
    "date_precision", "attributed_to", "trigger_start", "trigger_end", "trigger_text", "link",
    "n_sources", "mention_ids",
)
# Formats that are one row per merged (ledger) event unless told otherwise.
MERGED_BY_DEFAULT = ("acled-csv",)

_SQL = (
    "SELECT e.article_id, e.idx, e.start_char, e.end_char, e.text, e.event_type, e.sub_event_type,"
    " e.event_date, e.date_value, e.date_precision, e.place_name, e.lat, e.lon, e.country_code,"
    " e.fatalities, e.injured, e.status, e.confidence, e.attributed_to, e.data,"
    " p.data AS place_data, a.title AS article_title, CAST(a.published AS VARCHAR) AS published,"
    " a.source AS article_source, epoch(a.ingested_at) AS ingested_epoch,"
    " greatest(e.start_char - ?, 0) AS window_start,"
    " substring(a.text, greatest(e.start_char - ?, 0) + 1, e.end_char - greatest(e.start_char - ?, 0) + ?) AS window_text,"
    " (SELECT list(DISTINCT s.source) FROM article_sources s WHERE s.article_id = e.article_id AND s.source IS NOT NULL) AS outlets"
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.idx = TRY_CAST(json_extract(e.data, '$.place') AS INTEGER)"
)


def export_rows(store: Store, filters: EventFilters) -> list[dict[str, Any]]:
    """One flat record per event matching `filters`: ACLED's columns, then tidings' own."""
    where, params = event_where(check_filters(filters))
    window = [NOTE_WINDOW, NOTE_WINDOW, NOTE_WINDOW, NOTE_WINDOW]
    rows = store.query(f"{_SQL}{where} ORDER BY e.event_date NULLS LAST, e.article_id, e.idx", [*window, *params])
    return [_record(row) for row in rows]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["data"]) if row["data"] else {}
    place = json.loads(row["place_data"]) if row["place_data"] else {}
    note = sentence_around(row["window_text"] or "", row["start_char"] - row["window_start"], row["end_char"] - row["window_start"])
    record = acled_record(row, data, place, note)
    record.update({
        "tidings_event_id": f"{row['article_id']}-{row['idx']}",
        "article_id": row["article_id"],
        "article_title": row["article_title"],
        "published": row["published"],
        "status": row["status"],
        "confidence": row["confidence"],
        "date_precision": row["date_precision"],
        "attributed_to": row["attributed_to"],
        "trigger_start": row["start_char"],
        "trigger_end": row["end_char"],
        "trigger_text": row["text"],
        "link": span_link(row["article_id"], row["start_char"], row["end_char"]),
        "n_sources": None,
        "mention_ids": f"{row['article_id']}-{row['idx']}",
    })
    return record


def merged_export_rows(store: Store, filters: EventFilters) -> list[dict[str, Any]]:
    """One flat record per merged (ledger) event with a mention matching `filters`, oldest first."""
    from tidings.web.merged import bring_up_to_date, merged_docs

    bring_up_to_date(store)
    docs, _ = merged_docs(store, filters)
    ids = sorted({m["article_id"] for d in docs for m in d.get("mentions", [])})
    ingested: dict[str, float] = {}
    titles: dict[str, str | None] = {}
    if ids:
        for r in store.query("SELECT id, title, epoch(ingested_at) AS t FROM articles WHERE id IN (SELECT unnest(?))", [ids]):
            ingested[r["id"]], titles[r["id"]] = r["t"], r["title"]
    records = [merged_acled_record(d, ingested) for d in docs]
    for record in records:
        record["article_title"] = titles.get(record["article_id"] or "")
    return sorted(records, key=lambda r: (r["event_date"] or "9999", r["tidings_event_id"]))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n")


def sentence_around(window: str, start: int, end: int) -> str:
    """The sentence of `window` that holds [start, end): cut at the nearest ends of sentences."""
    left = 0
    for match in _SENTENCE_END.finditer(window, 0, max(start, 0)):
        left = match.end()
    right_match = _SENTENCE_END.search(window, min(end, len(window)))
    right = right_match.start() if right_match else len(window)
    return " ".join(window[left:right].split())


# -- writers ----------------------------------------------------------------------------------
def _write_csv(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for record in records:
            writer.writerow({k: csv_cell(record[k]) for k in ACLED_COLUMNS})


# A cell that starts with one of these is run as a formula by spreadsheets; article text is
# hostile, so such cells get a leading apostrophe (the OWASP advice for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def geojson_of(records: list[dict[str, Any]]) -> dict[str, Any]:
    """RFC 7946 FeatureCollection: [longitude, latitude], WGS 84; events with no coordinates are left out."""
    features = [
        {
            "type": "Feature",
            "id": r["tidings_event_id"],
            "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
            "properties": {k: r[k] for k in (*ACLED_COLUMNS, *EXTRA_COLUMNS)},
        }
        for r in records
        if r["latitude"] is not None and r["longitude"] is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def _write_geojson(records: list[dict[str, Any]], path: Path) -> None:
    path.write_text(json.dumps(geojson_of(records), ensure_ascii=False), encoding="utf-8")


def _write_jsonl(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


PARQUET_TYPES = {
    "year": "INTEGER", "time_precision": "INTEGER", "inter1": "INTEGER", "inter2": "INTEGER", "interaction": "INTEGER",
    "iso": "INTEGER", "latitude": "DOUBLE", "longitude": "DOUBLE", "geo_precision": "INTEGER", "fatalities": "INTEGER",
    "timestamp": "BIGINT", "event_date": "DATE", "confidence": "DOUBLE", "trigger_start": "INTEGER", "trigger_end": "INTEGER",
    "n_sources": "INTEGER",
}


def _write_parquet(records: list[dict[str, Any]], path: Path) -> None:
    """Through a JSON Lines file that DuckDB reads with typed columns: row-by-row inserts from
    Python took minutes at 100,000 events, this takes about a second."""
    import tempfile

    import duckdb

    columns = [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    types = ", ".join(f"'{c}': '{PARQUET_TYPES.get(c, 'VARCHAR')}'" for c in columns)
    with tempfile.TemporaryDirectory(prefix="tidings-parquet-") as folder:
        staging = Path(folder) / "events.jsonl"
        _write_jsonl([{c: r[c] for c in columns} for r in records], staging)
        con = duckdb.connect()  # in memory: the store is not touched
        try:
            source = f"read_json('{_sql_path(staging)}', format='newline_delimited', columns={{{types}}})"
            select = ", ".join(f'"{c}"' for c in columns)
            con.execute(f"COPY (SELECT {select} FROM {source}) TO '{_sql_path(path)}' (FORMAT parquet, COMPRESSION zstd)")
        finally:
            con.close()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


WRITERS: dict[str, Callable[[list[dict[str, Any]], Path], None]] = {
    "acled-csv": _write_csv,
    "geojson": _write_geojson,
    "jsonl": _write_jsonl,
    "parquet": _write_parquet,
}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise TidingsError(E.E060, name=fmt, valid=", ".join(FORMATS))
    return fmt


def export_events(store: Store, fmt: str, filters: EventFilters, path: Path, merged: bool | None = None) -> int:
    """Write the events matching `filters` to `path` in `fmt`; returns how many were written.
    `merged`: one row per real-world event (ledger) or per mention; None: the format's default."""
    writer = WRITERS[check_format(fmt)]
    if merged is None:
        merged = fmt in MERGED_BY_DEFAULT
    records = merged_export_rows(store, filters) if merged else export_rows(store, filters)
    if not path.parent.exists():
        raise TidingsError(E.E203, path=path, reason="the folder does not exist")
    try:
        writer(records, path)
    except OSError as err:
        raise TidingsError(E.E203, path=path, reason=err.strerror or str(err)) from err
    if fmt == "geojson":
        return sum(1 for r in records if r["latitude"] is not None and r["longitude"] is not None)
    return len(records)


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
