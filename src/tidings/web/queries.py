"""Read helpers over the store for the web app, the report and the exports.

Every function opens its own short connection through `Store.query` (never held across requests).
Filtering and paging happen in SQL so that the app stays usable at 100,000 events.

Free-text search is a case-insensitive substring match (`ILIKE`) over article titles and texts:
the DuckDB full-text extension on PyPI is built for DuckDB 1.5 and the project pins 2.x, and a
scan of the `articles.text` column is fast enough for the corpus sizes tidings targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tidings.errors import E, TidingsError
from tidings.store import Store
from tidings.web.dates import event_date_view

# Largest page a list route returns; the map asks for up to MAP_LIMIT points at once, which
# leaflet.markercluster draws in chunks (tried at 100,000 synthetic events: 20,000 points cluster
# in about a second in Chromium, more made the first paint sluggish).
MAX_PAGE = 500
MAP_LIMIT = 20_000
DEFAULT_PAGE = 50

STATUSES = ("asserted", "unconfirmed", "denied", "disputed", "expected", "hypothetical")


@dataclass(frozen=True)
class EventFilters:
    """What the user narrowed the events to. Every field is optional."""

    since: date | None = None
    until: date | None = None
    place: str | None = None
    event_type: str | None = None
    actor: str | None = None
    status: str | None = None
    search: str | None = None
    article_id: str | None = None


@dataclass(frozen=True)
class Page:
    limit: int = DEFAULT_PAGE
    offset: int = 0


@dataclass
class Listing:
    items: list[dict[str, Any]]
    total: int
    page: Page
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.page.limit, "offset": self.page.offset, **self.extra}


def parse_date(value: str | None, field_name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise TidingsError(E.E063, field=field_name, reason=f"'{value}' is not an ISO date such as 2024-11-05") from err


def check_page(limit: int, offset: int, max_limit: int = MAX_PAGE) -> Page:
    if not 1 <= limit <= max_limit:
        raise TidingsError(E.E063, field="limit", reason=f"must be between 1 and {max_limit} (got {limit})")
    if offset < 0:
        raise TidingsError(E.E063, field="offset", reason=f"must be 0 or more (got {offset})")
    return Page(limit, offset)


def check_filters(filters: EventFilters) -> EventFilters:
    if filters.status and filters.status not in STATUSES:
        raise TidingsError(E.E063, field="status", reason=f"'{filters.status}' is not one of {', '.join(STATUSES)}")
    if filters.since and filters.until and filters.since > filters.until:
        raise TidingsError(E.E063, field="since", reason=f"{filters.since} is after until={filters.until}")
    return filters


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def event_where(filters: EventFilters, alias: str = "e") -> tuple[str, list[Any]]:
    """SQL `WHERE` clause (with a leading ' WHERE ' or '') and its parameters for `filters`."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.since:
        clauses.append(f"{alias}.event_date >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append(f"{alias}.event_date <= ?")
        params.append(filters.until)
    if filters.place:
        clauses.append(f"({alias}.place_name ILIKE ? ESCAPE '\\' OR upper({alias}.country_code) = upper(?))")
        params += [_like(filters.place), filters.place]
    if filters.event_type:
        clauses.append(f"({alias}.event_type = ? OR {alias}.sub_event_type = ?)")
        params += [filters.event_type, filters.event_type]
    if filters.actor:
        clauses.append(
            f"(CAST(json_extract({alias}.data, '$.actors') AS VARCHAR) ILIKE ? ESCAPE '\\'"
            f" OR CAST(json_extract({alias}.data, '$.targets') AS VARCHAR) ILIKE ? ESCAPE '\\')"
        )
        params += [_like(filters.actor), _like(filters.actor)]
    if filters.status:
        clauses.append(f"{alias}.status = ?")
        params.append(filters.status)
    if filters.article_id:
        clauses.append(f"{alias}.article_id = ?")
        params.append(filters.article_id)
    if filters.search:
        clauses.append(f"{alias}.article_id IN (SELECT id FROM articles WHERE text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\')")
        params += [_like(filters.search), _like(filters.search)]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


_EVENT_COLUMNS = (
    "e.article_id, e.idx, e.start_char, e.end_char, e.text, e.event_type, e.sub_event_type,"
    " CAST(e.event_date AS VARCHAR) AS event_date, e.date_value, e.date_precision, e.place_name,"
    " e.lat, e.lon, e.country_code, e.fatalities, e.injured, e.status, e.confidence, e.attributed_to,"
    " e.data, a.title AS article_title, CAST(a.published AS VARCHAR) AS published, a.source AS article_source,"
    " epoch(a.ingested_at) AS ingested_epoch, json_extract_string(p.data, '$.feature_code') AS place_feature_code"
)
_EVENT_FROM = (
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.idx = TRY_CAST(json_extract(e.data, '$.place') AS INTEGER)"
)


def event_id(article_id: str, idx: int) -> str:
    return f"{article_id}-{idx}"


def split_event_id(value: str) -> tuple[str, int]:
    article_id, _, idx = value.rpartition("-")
    if not article_id or not idx.isdigit():
        raise TidingsError(E.E063, field="event_id", reason=f"'{value}' is not ARTICLE-INDEX such as 3f2a9c0d1e2b4a5c-0")
    return article_id, int(idx)


def event_summary(row: dict[str, Any]) -> dict[str, Any]:
    """One events-table row (joined with its article) as the API's event object."""
    data = json.loads(row["data"]) if row.get("data") else {}
    return {
        "id": event_id(row["article_id"], row["idx"]),
        "article_id": row["article_id"],
        "idx": row["idx"],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "date": row["date_value"],
        "event_date": row["event_date"],
        "date_precision": row["date_precision"],
        # what pages show: the date part and its precision; None when the value names no date
        "date_view": (view := event_date_view(row["date_value"], row["event_date"], row["date_precision"])),
        "date_text": view["text"] if view else None,
        "place": {"name": row["place_name"], "lat": row["lat"], "lon": row["lon"], "country_code": row["country_code"]},
        "actors": data.get("actors", []),
        "targets": data.get("targets", []),
        "fatalities": row["fatalities"],
        "injured": row["injured"],
        "status": row["status"],
        "confidence": row["confidence"],
        "attributed_to": row["attributed_to"],
        "trigger": {"start": row["start_char"], "end": row["end_char"], "text": row["text"]},
        "article_title": row["article_title"],
        "published": row["published"],
        "source": row.get("article_source"),
    }


def list_events(store: Store, filters: EventFilters, page: Page, located_only: bool = False) -> Listing:
    where, params = event_where(check_filters(filters))
    if located_only:
        where += (" AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
    total = store.query(f"SELECT count(*) AS n FROM events e{where}", params)[0]["n"]
    rows = store.query(
        f"SELECT {_EVENT_COLUMNS}{_EVENT_FROM}{where}"
        " ORDER BY e.event_date DESC NULLS LAST, e.article_id, e.idx LIMIT ? OFFSET ?",
        [*params, page.limit, page.offset],
    )
    return Listing([event_summary(r) for r in rows], int(total), page)


def event_rows(store: Store, filters: EventFilters) -> list[dict[str, Any]]:
    """Every event matching `filters` (for exports and reports), oldest first."""
    where, params = event_where(check_filters(filters))
    return store.query(
        f"SELECT {_EVENT_COLUMNS}{_EVENT_FROM}{where}"
        " ORDER BY e.event_date NULLS LAST, e.article_id, e.idx",
        params,
    )


# What the map's markers need; `fields=map` trims each feature to these (about a fifth of the
# bytes of the full properties at 20,000 points).
MAP_FIELDS = ("id", "event_type", "sub_event_type", "date", "date_text", "fatalities", "status")


def events_geojson(listing: Listing, slim: bool = False) -> dict[str, Any]:
    """RFC 7946 FeatureCollection (lon, lat order); events without coordinates are left out."""
    features = []
    for event in listing.items:
        place = event["place"]
        if place["lat"] is None or place["lon"] is None:
            continue
        features.append({
            "type": "Feature",
            "id": event["id"],
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": ({k: event[k] for k in MAP_FIELDS} if slim else {k: v for k, v in event.items() if k != "place"})
            | {"place_name": place["name"], "country_code": place["country_code"]},
        })
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": listing.total,
        "limit": listing.page.limit,
        "offset": listing.page.offset,
    }


def event_detail(store: Store, value: str) -> dict[str, Any]:
    """One event with everything behind it: figures, claim, quote, sources and span links."""
    article_id, idx = split_event_id(value)
    rows = store.query(f"SELECT {_EVENT_COLUMNS}{_EVENT_FROM} WHERE e.article_id = ? AND e.idx = ?", [article_id, idx])
    if not rows:
        raise TidingsError(E.E064, what=f"event '{value}'")
    event = event_summary(rows[0])
    article = store.get_article(article_id)
    record = article.events[idx] if idx < len(article.events) else None
    event["figures"] = [
        _figure(q.__dict__, i) for i, q in enumerate(article.quantities) if q.event == idx
    ]
    event["claim"] = None
    event["quote"] = None
    if record is not None and record.claim is not None and record.claim < len(article.claims):
        claim = article.claims[record.claim]
        event["claim"] = {"idx": record.claim, "content": claim.content.__dict__, "claimant": claim.claimant, "via": claim.via, "status": claim.status}
        if claim.quote is not None and claim.quote < len(article.quotes):
            quote = article.quotes[claim.quote]
            event["quote"] = {"idx": claim.quote, "content": quote.content.__dict__, "speaker_name": quote.speaker_name, "via": quote.via, "kind": quote.kind}
    if record is not None:
        event["weapon"] = record.weapon
        event["in_caption"] = record.in_caption
    event["sources"] = store.article_sources(article_id)
    event["article_source"] = article.source
    event["article_url"] = article.url
    event["link"] = span_link(article_id, event["trigger"]["start"], event["trigger"]["end"])
    return event


def _figure(record: dict[str, Any], idx: int) -> dict[str, Any]:
    keys = ("start", "end", "text", "value", "low", "high", "qualifier", "counted", "unit")
    return {"idx": idx, **{k: record.get(k) for k in keys}}


def span_link(article_id: str, start: int, end: int) -> str:
    return f"/articles/{article_id}#span-{start}-{end}"


def timeline(store: Store, filters: EventFilters) -> list[dict[str, Any]]:
    """Events per day and type, for the timeline histogram."""
    where, params = event_where(check_filters(filters))
    where += (" AND " if where else " WHERE ") + "e.event_date IS NOT NULL"
    rows = store.query(
        f"SELECT CAST(e.event_date AS VARCHAR) AS date, e.event_type, count(*) AS n FROM events e{where}"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    days: dict[str, dict[str, Any]] = {}
    for row in rows:
        day = days.setdefault(row["date"], {"date": row["date"], "count": 0, "by_type": {}})
        day["count"] += int(row["n"])
        day["by_type"][row["event_type"]] = int(row["n"])
    return list(days.values())


def facet_values(store: Store) -> dict[str, list[str]]:
    """The values the filter drop-downs offer."""
    types = store.query("SELECT DISTINCT event_type AS v FROM events WHERE event_type IS NOT NULL ORDER BY 1")
    statuses = store.query("SELECT DISTINCT status AS v FROM events WHERE status IS NOT NULL ORDER BY 1")
    return {"event_types": [r["v"] for r in types], "statuses": [r["v"] for r in statuses]}


# -- articles ---------------------------------------------------------------------------------
def list_articles(store: Store, search: str | None, page: Page) -> Listing:
    where, params = "", []
    if search:
        where = " WHERE a.text ILIKE ? ESCAPE '\\' OR a.title ILIKE ? ESCAPE '\\'"
        params = [_like(search), _like(search)]
    total = store.query(f"SELECT count(*) AS n FROM articles a{where}", params)[0]["n"]
    rows = store.query(
        "SELECT a.id, a.title, CAST(a.published AS VARCHAR) AS published, a.source, a.origin, a.words,"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events,"
        " (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes"
        f" FROM articles a{where}"
        " ORDER BY a.published DESC NULLS LAST, a.ingested_at, a.id LIMIT ? OFFSET ?",
        [*params, page.limit, page.offset],
    )
    return Listing(rows, int(total), page)


# -- quotes, claims, entities ------------------------------------------------------------------
def list_quotes(store: Store, speaker: str | None, search: str | None, article_id: str | None, page: Page) -> Listing:
    clauses, params = [], []
    if speaker:
        clauses.append("(q.speaker_name ILIKE ? ESCAPE '\\' OR q.speaker_text ILIKE ? ESCAPE '\\')")
        params += [_like(speaker), _like(speaker)]
    if search:
        clauses.append("q.text ILIKE ? ESCAPE '\\'")
        params.append(_like(search))
    if article_id:
        clauses.append("q.article_id = ?")
        params.append(article_id)
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    total = store.query(f"SELECT count(*) AS n FROM quotes q{where}", params)[0]["n"]
    rows = store.query(
        "SELECT q.article_id, q.idx, q.start_char, q.end_char, q.text, q.speaker_name, q.speaker_text, q.kind, q.data,"
        " a.title AS article_title, CAST(a.published AS VARCHAR) AS published,"
        " (SELECT c.status FROM claims c WHERE c.article_id = q.article_id"
        "   AND TRY_CAST(json_extract(c.data, '$.quote') AS INTEGER) = q.idx LIMIT 1) AS status"
        f" FROM quotes q JOIN articles a ON a.id = q.article_id{where}"
        " ORDER BY coalesce(q.speaker_name, q.speaker_text) NULLS LAST, a.published DESC NULLS LAST, q.article_id, q.idx"
        " LIMIT ? OFFSET ?",
        [*params, page.limit, page.offset],
    )
    return Listing([_quote_item(r) for r in rows], int(total), page)


def _quote_item(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["data"]) if row.get("data") else {}
    return {
        "article_id": row["article_id"],
        "idx": row["idx"],
        "content": {"start": row["start_char"], "end": row["end_char"], "text": row["text"]},
        "speaker_name": row["speaker_name"] or row["speaker_text"],
        "speaker_role": data.get("speaker_role"),
        "kind": row["kind"],
        "via": data.get("via", []),
        "medium": data.get("medium"),
        "status": row["status"] or "asserted",
        "article_title": row["article_title"],
        "published": row["published"],
        "link": span_link(row["article_id"], row["start_char"], row["end_char"]),
    }


def list_speakers(store: Store, page: Page) -> Listing:
    name = "coalesce(speaker_name, speaker_text)"
    total = store.query(f"SELECT count(DISTINCT {name}) AS n FROM quotes WHERE {name} IS NOT NULL")[0]["n"]
    rows = store.query(
        f"SELECT {name} AS speaker, count(*) AS quotes, count(DISTINCT article_id) AS articles FROM quotes"
        f" WHERE {name} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ? OFFSET ?",
        [page.limit, page.offset],
    )
    return Listing(rows, int(total), page)


def list_claims(store: Store, status: str | None, claimant: str | None, search: str | None, page: Page) -> Listing:
    clauses, params = [], []
    if status:
        if status not in STATUSES:
            raise TidingsError(E.E063, field="status", reason=f"'{status}' is not one of {', '.join(STATUSES)}")
        clauses.append("c.status = ?")
        params.append(status)
    if claimant:
        clauses.append("c.claimant ILIKE ? ESCAPE '\\'")
        params.append(_like(claimant))
    if search:
        clauses.append("c.text ILIKE ? ESCAPE '\\'")
        params.append(_like(search))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    total = store.query(f"SELECT count(*) AS n FROM claims c{where}", params)[0]["n"]
    rows = store.query(
        "SELECT c.article_id, c.idx, c.start_char, c.end_char, c.text, c.claimant, c.status, c.data,"
        " a.title AS article_title, CAST(a.published AS VARCHAR) AS published"
        f" FROM claims c JOIN articles a ON a.id = c.article_id{where}"
        " ORDER BY a.published DESC NULLS LAST, c.article_id, c.idx LIMIT ? OFFSET ?",
        [*params, page.limit, page.offset],
    )
    return Listing([_claim_item(r) for r in rows], int(total), page)


def _claim_item(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["data"]) if row.get("data") else {}
    return {
        "article_id": row["article_id"],
        "idx": row["idx"],
        "content": {"start": row["start_char"], "end": row["end_char"], "text": row["text"]},
        "claimant": row["claimant"],
        "via": data.get("via", []),
        "status": row["status"],
        "status_cue": data.get("status_cue"),
        "article_title": row["article_title"],
        "published": row["published"],
        "link": span_link(row["article_id"], row["start_char"], row["end_char"]),
    }


def list_entities(store: Store, label: str | None, search: str | None, page: Page) -> Listing:
    clauses, params = [], []
    if label:
        clauses.append("label = ?")
        params.append(label)
    if search:
        clauses.append("text ILIKE ? ESCAPE '\\'")
        params.append(_like(search))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    total = store.query(f"SELECT count(*) AS n FROM (SELECT DISTINCT text, label FROM entities{where})", params)[0]["n"]
    rows = store.query(
        f"SELECT text, label, count(*) AS mentions, count(DISTINCT article_id) AS articles FROM entities{where}"
        " GROUP BY text, label ORDER BY mentions DESC, text, label LIMIT ? OFFSET ?",
        [*params, page.limit, page.offset],
    )
    return Listing(rows, int(total), page)
