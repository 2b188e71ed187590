"""Reading the ledger: timelines per place or entity, contested figures and claims, entities and
events. These are the functions the CLI and the web API call."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from tidings.errors import E, TidingsError
from tidings.ledger.names import name_key, place_key, tokens

TIMELINE_LIMIT = 500


def _docs(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(r[0]) | {"record_id": int(r[1])} for r in con.execute(sql, params).fetchall()]


def _by_keys(con: duckdb.DuckDBPyConnection, keys: list[str], limit: int) -> list[dict[str, Any]]:
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    sql = (
        "SELECT doc, record_id FROM ledger_records WHERE record_id IN"
        f" (SELECT record_id FROM ledger_keys WHERE key IN ({marks})) AND kind IN ('event', 'figure', 'claim')"
        " ORDER BY date_lo NULLS LAST, record_id LIMIT ?"
    )
    return _docs(con, sql, [*keys, limit])


def find_entities(con: duckdb.DuckDBPyConnection, name: str, label: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Ledger entities named `name` (any alias), most-mentioned first."""
    key = name_key(name)
    words = tokens(name)
    keys = [f"en|{lab}|{key}" for lab in ("PERSON", "ORG", "PLACE")]
    if len(words) == 1:
        keys.append(f"en|PERSON|part|{key}")
    marks = ", ".join("?" * len(keys))
    sql = f"SELECT doc, record_id FROM ledger_records WHERE kind = 'entity' AND record_id IN (SELECT record_id FROM ledger_keys WHERE key IN ({marks}))"
    found = _docs(con, sql, keys)
    if label:
        found = [d for d in found if d["label"] == label.upper()]
    return sorted(found, key=lambda d: (-d["n_mentions"], d["entity_id"]))[:limit]


def timeline(con: duckdb.DuckDBPyConnection, place: str | None = None, entity: str | None = None, limit: int = TIMELINE_LIMIT) -> list[dict[str, Any]]:
    """What happened and what was said at a place or by/about an entity, in date order."""
    if not place and not entity:
        raise TidingsError(E.E221)
    if place and entity:
        raise TidingsError(E.E222, place=place, entity=entity)
    if place:
        places = find_entities(con, place, "PLACE", limit=5)
        keys = [f"pl|{place_key(place)}"] + [f"who|{d['entity_id']}" for d in places]
    else:
        assert entity is not None
        people = find_entities(con, entity, limit=1)
        keys = [f"who|{d['entity_id']}" for d in people]
    items = [timeline_item(doc) for doc in _by_keys(con, keys, limit)]
    return sorted(items, key=lambda i: (i["date"] or "9999", i["kind"], i["record_id"]))


def timeline_item(doc: dict[str, Any]) -> dict[str, Any]:
    kind = doc["kind"]
    if kind == "event":
        return _event_item(doc)
    if kind == "figure":
        return _figure_item(doc)
    return _claim_item(doc)


def _event_item(doc: dict[str, Any]) -> dict[str, Any]:
    date = doc.get("date") or {}
    place = (doc.get("place") or {}).get("name")
    tolls = doc["fatalities"]["values"]
    killed = "; ".join(f"{v['value']} killed ({', '.join(v['outlets'])})" for v in tolls)
    what = f"{doc['sub_event_type']}" + (f" in {place}" if place else "") + (f": {killed}" if killed else "")
    return {
        "kind": "event", "record_id": doc["record_id"], "date": date.get("lo"), "date_hi": date.get("hi"), "what": what,
        "status": doc["status"], "sources": doc["n_sources"], "outlets": sorted({s for src in doc["sources"] for s in src["outlets"]}),
        "example": doc["mentions"][0]["sentence"] if doc["mentions"] else None, "detail": doc,
    }


def _figure_item(doc: dict[str, Any]) -> dict[str, Any]:
    dates = sorted(v["published"] for v in doc["values"] if v.get("published"))
    values = "; ".join(f"{v['text']} ({v['source'] or v['outlet']})" for v in doc["values"])
    return {
        "kind": "figure", "record_id": doc["record_id"], "date": dates[0][:10] if dates else None, "date_hi": dates[-1][:10] if dates else None,
        "what": f"{doc['topic']}: {values}", "status": "contested" if doc["contested"] else "agreed", "sources": doc.get("n_sources", len(doc["sources"])),
        "outlets": sorted({v["outlet"] for v in doc["values"] if v.get("outlet")}), "example": doc["values"][0]["sentence"], "detail": doc,
    }


def _claim_item(doc: dict[str, Any]) -> dict[str, Any]:
    dates = sorted(v["published"] for v in doc["mentions"] if v.get("published"))
    first = doc["mentions"][0]
    who = first["claimant"] or first["outlet"]
    return {
        "kind": "claim", "record_id": doc["record_id"], "date": dates[0][:10] if dates else None, "date_hi": dates[-1][:10] if dates else None,
        "what": f"{who}: {doc['text']}" if who else doc["text"], "status": doc["status"], "sources": doc["n_sources"],
        "outlets": sorted({v["outlet"] for v in doc["mentions"] if v.get("outlet")}), "example": first["text"], "detail": doc,
    }


def contested(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict[str, Any]]:
    """Figures and claims that sources disagree on, each with every value, hedge and source."""
    sql = "SELECT doc, record_id FROM ledger_records WHERE contested AND kind IN ('figure', 'claim', 'event') ORDER BY n_sources DESC, date_lo DESC NULLS LAST, record_id LIMIT ?"
    return _docs(con, sql, [limit])


def figures(con: duckdb.DuckDBPyConnection, contested_only: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    where = "kind = 'figure'" + (" AND contested" if contested_only else "")
    return _docs(con, f"SELECT doc, record_id FROM ledger_records WHERE {where} ORDER BY n_sources DESC, record_id LIMIT ?", [limit])


def claims(con: duckdb.DuckDBPyConnection, contested_only: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    where = "kind = 'claim'" + (" AND contested" if contested_only else "")
    return _docs(con, f"SELECT doc, record_id FROM ledger_records WHERE {where} ORDER BY n_sources DESC, record_id LIMIT ?", [limit])


def events(con: duckdb.DuckDBPyConnection, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    sql = "SELECT doc, record_id FROM ledger_records WHERE kind = 'event' ORDER BY date_lo DESC NULLS LAST, record_id LIMIT ? OFFSET ?"
    return _docs(con, sql, [limit, offset])


def entities(con: duckdb.DuckDBPyConnection, name: str | None = None, label: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    if name:
        return find_entities(con, name, label, limit)
    where, params = "kind = 'entity'", []
    if label:
        where += " AND label = ?"
        params.append(label.upper())
    return _docs(con, f"SELECT doc, record_id FROM ledger_records WHERE {where} ORDER BY n_sources DESC, record_id LIMIT ?", [*params, limit])


def mentions(con: duckdb.DuckDBPyConnection, record_id: int) -> list[dict[str, Any]]:
    rows = con.execute("SELECT article_id, idx, start_char, end_char, text FROM ledger_links WHERE record_id = ? ORDER BY article_id, start_char", [record_id]).fetchall()
    return [{"article_id": r[0], "idx": r[1], "start": r[2], "end": r[3], "text": r[4]} for r in rows]
