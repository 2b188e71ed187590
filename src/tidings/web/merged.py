"""The ledger's merged events, entities and timelines as the web app, the report and the exports
show them: one record per real-world event with its independent sources, field-level
disagreement (fatalities 6 vs 7, who said which, and the range) and every mention linked to its
span. The ledger (`tidings.ledger`) decides what is one event; this module only reads and shapes.

Filtering merged events by the map's filters goes through the per-mention `events` table and
`ledger_links` in one SQL query, so that it stays in SQL at 100,000 events (the ledger's public
`events()` has no filters yet).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tidings import ledger
from tidings.errors import E, TidingsError
from tidings.store import Store
from tidings.web.dates import interval_text, readable_date
from tidings.web.queries import (
    MAP_FIELDS,
    EventFilters,
    Listing,
    Page,
    check_filters,
    event_id,
    event_where,
    span_link,
)

MERGED_PREFIX = "L"
# Fields of a merged event whose values sources may disagree on, as the ledger summarises them.
AGREEMENT_FIELDS = (("fatalities", "fatalities"), ("injured", "injured"), ("date_values", "date"), ("place_names", "place"), ("sub_event_types", "type"))


def bring_up_to_date(store: Store) -> ledger.UpdateReport:
    """Merge stored articles that are not in the ledger yet (incremental: cheap when none are);
    articles stored by `add_articles`, by an older tidings or with `--no-ledger` are then counted."""
    if not store.path.exists():
        raise TidingsError(E.E034, path=store.path)
    return ledger.update(store)


def unless_empty(read: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A ledger read; nothing (not E220) when the store has no articles yet to build it from."""
    try:
        return read()
    except TidingsError as err:
        if err.code == E.E220.name:
            return []
        raise


def merged_id(record_id: int) -> str:
    return f"{MERGED_PREFIX}{record_id}"


def parse_merged_id(value: str) -> int:
    if not value.startswith(MERGED_PREFIX) or not value[1:].isdigit():
        raise TidingsError(E.E063, field="event_id", reason=f"'{value}' is not a merged event id such as L42")
    return int(value[1:])


def hits_sql(filters: EventFilters) -> tuple[str, list[Any]]:
    where, params = event_where(check_filters(filters))
    sql = (
        "SELECT DISTINCT l.record_id FROM events e JOIN ledger_links l"
        f" ON l.kind = 'event' AND l.article_id = e.article_id AND l.idx = e.idx{where}"
    )
    return sql, params


def merged_docs(store: Store, filters: EventFilters, page: Page | None = None, located_only: bool = False) -> tuple[list[dict[str, Any]], int]:
    """Ledger event docs with at least one mention matching `filters`, newest first, and how many."""
    hits, params = hits_sql(filters)
    located = " AND json_extract(r.doc, '$.place.lat') IS NOT NULL AND json_extract(r.doc, '$.place.lon') IS NOT NULL" if located_only else ""
    base = f"FROM ledger_records r WHERE r.kind = 'event' AND r.record_id IN ({hits}){located}"
    total = int(store.query(f"SELECT count(*) AS n {base}", params)[0]["n"])
    paging, extra = "", []
    if page is not None:
        paging, extra = " LIMIT ? OFFSET ?", [page.limit, page.offset]
    rows = store.query(f"SELECT r.doc, r.record_id {base} ORDER BY r.date_lo DESC NULLS LAST, r.record_id{paging}", [*params, *extra])
    return [json.loads(r["doc"]) | {"record_id": int(r["record_id"])} for r in rows], total


def figure_view(agreement: dict[str, Any] | None) -> dict[str, Any]:
    """One field of a merged event: every value with its outlets, agreed or not, and the range."""
    agreement = agreement or {"values": [], "agreed": True, "range": None}
    values = agreement["values"]
    low_high = agreement.get("range")
    if not values:
        text = None
    elif agreement["agreed"]:
        text = str(values[0]["value"])
    elif low_high and low_high[0] != low_high[1]:
        text = f"{low_high[0]}–{low_high[1]}"
    else:
        text = " / ".join(str(v["value"]) for v in values)
    return {"values": values, "agreed": agreement["agreed"], "range": low_high, "text": text}


def _mention_view(m: dict[str, Any]) -> dict[str, Any]:
    day = readable_date(m.get("date_value"))
    return {
        "id": event_id(m["article_id"], m["idx"]),
        "article_id": m["article_id"],
        "trigger": {"start": m["start"], "end": m["end"], "text": m["trigger"]},
        "sentence": m.get("sentence"),
        "sub_event_type": m.get("sub_event_type"),
        "date": day.to_dict() if day else None,
        "place_name": (m.get("place") or {}).get("name"),
        "fatalities": m.get("fatalities"),
        "injured": m.get("injured"),
        "status": m.get("status"),
        "attributed_to": m.get("attributed_to"),
        "outlet": m.get("outlet"),
        "published": m.get("published"),
        "link": span_link(m["article_id"], m["start"], m["end"]),
    }


def disagreements(doc: dict[str, Any]) -> list[str]:
    """The fields of a merged event that its sources give differently."""
    return [label for key, label in AGREEMENT_FIELDS if not (doc.get(key) or {"agreed": True})["agreed"]]


def merged_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """A ledger event doc as the API's merged event object."""
    dates = doc.get("date") or {}
    place = doc.get("place") or {}
    return {
        "id": merged_id(doc["record_id"]),
        "record_id": doc["record_id"],
        "merged": True,
        "event_type": doc["event_type"],
        "sub_event_type": doc["sub_event_type"],
        "date": {"lo": dates.get("lo"), "hi": dates.get("hi"), "text": interval_text(dates.get("lo"), dates.get("hi"))} if dates else None,
        "place": {"name": place.get("name"), "lat": place.get("lat"), "lon": place.get("lon"), "country_code": place.get("country_code"), "kind": place.get("kind")},
        "actors": doc.get("actors", []),
        "targets": doc.get("targets", []),
        "fatalities": figure_view(doc.get("fatalities")),
        "injured": figure_view(doc.get("injured")),
        "disagree_on": disagreements(doc),
        "status": doc["status"],
        "n_sources": doc["n_sources"],
        "n_articles": doc["n_articles"],
        "n_mentions": doc["n_mentions"],
        "sources": doc.get("sources", []),
        "outlets": sorted({o for s in doc.get("sources", []) for o in s.get("outlets", []) if o}),
        "mentions": [_mention_view(m) for m in doc.get("mentions", [])],
    }


def list_merged(store: Store, filters: EventFilters, page: Page, located_only: bool = False) -> Listing:
    docs, total = merged_docs(store, filters, page, located_only)
    return Listing([merged_summary(d) for d in docs], total, page, {"merged": True})


def merged_geojson(listing: Listing, slim: bool = False) -> dict[str, Any]:
    """RFC 7946 FeatureCollection of merged events (lon, lat); `slim` keeps what markers need."""
    features = []
    for event in listing.items:
        place = event["place"]
        if place["lat"] is None or place["lon"] is None:
            continue
        day = (event["date"] or {}).get("text")
        marker = {k: event[k] for k in MAP_FIELDS if k not in ("date", "date_text", "fatalities")}
        marker |= {"date": day, "date_text": day, "fatalities": (event["fatalities"]["range"] or [None])[0], "n_sources": event["n_sources"]}
        properties = marker if slim else {k: v for k, v in event.items() if k != "place"}
        features.append({
            "type": "Feature",
            "id": event["id"],
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": properties | {"place_name": place["name"], "country_code": place["country_code"]},
        })
    return {"type": "FeatureCollection", "features": features, "total": listing.total, "limit": listing.page.limit, "offset": listing.page.offset}


def merged_markers(store: Store, filters: EventFilters, page: Page) -> dict[str, Any]:
    """What the map's markers need of the located merged events, read in SQL without parsing each
    doc (synthetic 100,000 mentions in 50,000 events: 20,000 markers in about 3 s, 5.5 s parsing the docs)."""
    hits, params = hits_sql(filters)
    located = "json_extract(r.doc, '$.place.lat') IS NOT NULL AND json_extract(r.doc, '$.place.lon') IS NOT NULL"
    base = f"FROM ledger_records r WHERE r.kind = 'event' AND r.record_id IN ({hits}) AND {located}"
    total = int(store.query(f"SELECT count(*) AS n {base}", params)[0]["n"])
    fields = ", ".join(f"json_extract_string(r.doc, '{path}') AS {name}" for name, path in _MARKER_PATHS)
    rows = store.query(f"SELECT r.record_id, {fields} {base} ORDER BY r.date_lo DESC NULLS LAST, r.record_id LIMIT ? OFFSET ?", [*params, page.limit, page.offset])
    features = []
    for r in rows:
        day = interval_text(r["date_lo"], r["date_hi"])
        props = {
            "id": merged_id(int(r["record_id"])), "event_type": r["event_type"], "sub_event_type": r["sub_event_type"], "date": day, "date_text": day,
            "fatalities": int(r["fatalities"]) if r["fatalities"] is not None else None, "status": r["status"],
            "n_sources": int(r["n_sources"]) if r["n_sources"] is not None else None, "place_name": r["place_name"], "country_code": r["country_code"],
        }
        coordinates = [float(r["lon"]), float(r["lat"])]
        features.append({"type": "Feature", "id": props["id"], "geometry": {"type": "Point", "coordinates": coordinates}, "properties": props})
    return {"type": "FeatureCollection", "features": features, "total": total, "limit": page.limit, "offset": page.offset}


_MARKER_PATHS = (
    ("event_type", "$.event_type"), ("sub_event_type", "$.sub_event_type"), ("date_lo", "$.date.lo"), ("date_hi", "$.date.hi"),
    ("lat", "$.place.lat"), ("lon", "$.place.lon"), ("place_name", "$.place.name"), ("country_code", "$.place.country_code"),
    ("fatalities", "$.fatalities.range[0]"), ("status", "$.status"), ("n_sources", "$.n_sources"),
)


def merged_detail(store: Store, value: str) -> dict[str, Any]:
    record_id = parse_merged_id(value)
    rows = store.query("SELECT doc FROM ledger_records WHERE record_id = ? AND kind = 'event'", [record_id])
    if not rows:
        raise TidingsError(E.E064, what=f"merged event '{value}'")
    event = merged_summary(json.loads(rows[0]["doc"]) | {"record_id": record_id})
    titles = _titles(store, sorted({m["article_id"] for m in event["mentions"]}))
    for mention in event["mentions"]:
        mention["article_title"] = titles.get(mention["article_id"])
    return event


def _titles(store: Store, article_ids: list[str]) -> dict[str, str | None]:
    if not article_ids:
        return {}
    rows = store.query("SELECT id, title FROM articles WHERE id IN (SELECT unnest(?))", [article_ids])
    return {r["id"]: r["title"] for r in rows}


def record_of_mention(store: Store, article_id: str, idx: int) -> int | None:
    """The merged event a per-article event belongs to, if the ledger has it."""
    rows = store.query("SELECT record_id FROM ledger_links WHERE kind = 'event' AND article_id = ? AND idx = ? LIMIT 1", [article_id, idx])
    return int(rows[0]["record_id"]) if rows else None


# -- timelines and entities ---------------------------------------------------------------------
def _item_mentions(item: dict[str, Any]) -> list[dict[str, Any]]:
    detail = item.get("detail") or {}
    spans = detail.get("mentions") or detail.get("values") or []
    out = []
    for s in spans:
        if s.get("article_id") is None or s.get("start") is None:
            continue
        text = s.get("sentence") or s.get("text") or s.get("trigger")
        who = s.get("claimant") or s.get("source") or s.get("attributed_to")
        out.append({"article_id": s["article_id"], "outlet": s.get("outlet"), "published": s.get("published"), "who": who,
                    "status": s.get("status"), "text": text, "link": span_link(s["article_id"], s["start"], s["end"])})
    return out


def timeline_view(store: Store, place: str | None, entity: str | None, limit: int) -> dict[str, Any]:
    """The ledger's timeline for a place or an entity, each item with its mentions linked."""
    if place and entity:
        raise TidingsError(E.E063, field="entity", reason="give either place or entity, not both")
    if not place and not entity:
        raise TidingsError(E.E063, field="place", reason="give a place or an entity (the per-day histogram is /api/histogram)")
    items = unless_empty(lambda: ledger.timeline(store, place=place or None, entity=entity or None, limit=limit))
    out = []
    for item in items:
        view = {k: v for k, v in item.items() if k != "detail"}
        view["date_text"] = interval_text(item.get("date"), item.get("date_hi"))
        view["id"] = merged_id(item["record_id"]) if item["kind"] == "event" else None
        view["mentions"] = _item_mentions(item)
        out.append(view)
    return {"place": place or None, "entity": entity or None, "items": out, "total": len(out)}


def entity_view(doc: dict[str, Any]) -> dict[str, Any]:
    aliases = sorted((doc.get("aliases") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    roles = sorted((doc.get("roles") or {}).items(), key=lambda kv: (-(kv[1] or {}).get("articles", 0), kv[0]))
    return {
        "id": doc["record_id"],
        "name": doc["name"],
        "label": doc["label"],
        "aliases": [{"name": name, "mentions": n} for name, n in aliases],
        "roles": [{"role": role, **(info or {})} for role, info in roles],
        "mentions": doc.get("n_mentions", 0),
        "articles": doc.get("articles", 0),
        "confidence": doc.get("confidence"),
    }


LABELS = ("PERSON", "ORG", "PLACE")


def list_entities(store: Store, name: str | None, label: str | None, limit: int) -> dict[str, Any]:
    if label and label.upper() not in LABELS:
        raise TidingsError(E.E063, field="label", reason=f"'{label}' is not one of {', '.join(LABELS)}")
    docs = unless_empty(lambda: ledger.entities(store, name=name or None, label=label or None, limit=limit))
    return {"items": [entity_view(d) for d in docs], "total": len(docs), "limit": limit}


def entity_detail(store: Store, record_id: int) -> dict[str, Any]:
    rows = store.query("SELECT doc FROM ledger_records WHERE record_id = ? AND kind = 'entity'", [record_id])
    if not rows:
        raise TidingsError(E.E064, what=f"entity {record_id}")
    view = entity_view(json.loads(rows[0]["doc"]) | {"record_id": record_id})
    links = ledger.mentions(store, record_id)
    titles = _titles(store, sorted({m["article_id"] for m in links}))
    view["spans"] = [m | {"article_title": titles.get(m["article_id"]), "link": span_link(m["article_id"], m["start"], m["end"])} for m in links]
    return view
