"""Where sources disagree, as the ledger (`tidings.ledger.contested`) records it: figures given
differently by different sources, claims that someone denies or contradicts, events reported as
denied or disputed, and merged events whose sources give different tolls (6 vs 7 killed).

The ledger is the single source of truth: this module only shapes its records into versions
side by side (value, hedge, who said it, status, outlet, link to the span). No fallback: the web
app and the report bring the ledger up to date before reading it (`merged.bring_up_to_date`).
"""

from __future__ import annotations

import json
from typing import Any

from tidings import ledger
from tidings.store import Store
from tidings.web.dates import interval_text
from tidings.web.merged import figure_view, hits_sql, merged_id, unless_empty
from tidings.web.queries import EventFilters, span_link

CONTESTED_LIMIT = 200


def _figure_group(doc: dict[str, Any]) -> dict[str, Any]:
    values = doc.get("values", [])
    dates = sorted(v["published"][:10] for v in values if v.get("published"))
    return {
        "kind": "figure",
        "record_id": doc["record_id"],
        "id": None,
        "what": doc.get("topic") or doc.get("head") or "figure",
        "status": "contested",
        "date": interval_text(dates[0], dates[-1]) if dates else None,
        "place": None,
        "range": doc.get("range"),
        "consensus": doc.get("consensus"),
        "n_sources": doc.get("n_sources", len(doc.get("sources", []))),
        "versions": [
            {
                "value": v["value"] if v.get("value") is not None else _range_text(v),
                "text": v["text"],
                "hedge": v.get("qualifier"),
                "source": v.get("source") or v.get("outlet"),
                "status": v.get("status"),
                "outlet": v.get("outlet"),
                "published": v.get("published"),
                "sentence": v.get("sentence"),
                "article_id": v["article_id"],
                "link": span_link(v["article_id"], v["start"], v["end"]),
            }
            for v in values
        ],
    }


def _range_text(v: dict[str, Any]) -> str | None:
    if v.get("low") is None and v.get("high") is None:
        return None
    return f"{v.get('low') if v.get('low') is not None else '?'}–{v.get('high') if v.get('high') is not None else '?'}"


def _claim_group(doc: dict[str, Any]) -> dict[str, Any]:
    mentions = doc.get("mentions", [])
    dates = sorted(v["published"][:10] for v in mentions if v.get("published"))
    against = set(doc.get("contested_by", []))
    return {
        "kind": "claim",
        "record_id": doc["record_id"],
        "id": None,
        "what": doc.get("text"),
        "status": doc.get("status"),
        "date": interval_text(dates[0], dates[-1]) if dates else None,
        "place": None,
        "contested_by": sorted(against),
        "n_sources": doc.get("n_sources"),
        "versions": [
            {
                "value": "against" if (v.get("claimant") or v.get("outlet") or v["article_id"]) in against and v.get("status") in ("denied", "disputed") else "says",
                "text": v["text"],
                "hedge": None,
                "source": v.get("claimant") or v.get("outlet"),
                "via": v.get("via", []),
                "status": v.get("status"),
                "outlet": v.get("outlet"),
                "published": v.get("published"),
                "article_id": v["article_id"],
                "link": span_link(v["article_id"], v["start"], v["end"]),
            }
            for v in mentions
        ],
    }


def _event_group(doc: dict[str, Any], field: str) -> dict[str, Any]:
    dates = doc.get("date") or {}
    figure = figure_view(doc.get(field)) if field != "status" else None
    place = (doc.get("place") or {}).get("name")
    versions = []
    for m in doc.get("mentions", []):
        value = m.get(field) if field != "status" else m.get("status")
        if value is None:
            continue
        versions.append({
            "value": value, "text": m.get("sentence") or m.get("trigger"), "hedge": None,
            "source": m.get("attributed_to") or m.get("outlet"), "status": m.get("status"), "outlet": m.get("outlet"),
            "published": m.get("published"), "article_id": m["article_id"], "link": span_link(m["article_id"], m["start"], m["end"]),
        })
    label = "did it happen" if field == "status" else field
    return {
        "kind": "event",
        "record_id": doc["record_id"],
        "id": merged_id(doc["record_id"]),
        "what": f"{label} · {doc['sub_event_type']}",
        "field": field,
        "status": doc["status"],
        "date": interval_text(dates.get("lo"), dates.get("hi")),
        "place": place,
        "range": figure["range"] if figure else None,
        "n_sources": doc.get("n_sources"),
        "versions": versions,
    }


def _events_with_split_tolls(store: Store, filters: EventFilters, limit: int) -> list[dict[str, Any]]:
    """Merged events whose sources give different fatality or injury counts."""
    where = ""
    params: list[Any] = []
    if filters != EventFilters():
        hits, params = hits_sql(filters)
        where = f" AND record_id IN ({hits})"
    rows = store.query(
        "SELECT doc, record_id FROM ledger_records WHERE kind = 'event'"
        " AND (json_extract(doc, '$.fatalities.agreed') = false OR json_extract(doc, '$.injured.agreed') = false)"
        f"{where} ORDER BY n_sources DESC, date_lo DESC NULLS LAST, record_id LIMIT ?",
        [*params, limit],
    )
    return [json.loads(r["doc"]) | {"record_id": int(r["record_id"])} for r in rows]


def _in_period(group: dict[str, Any], filters: EventFilters) -> bool:
    """Figures and claims carry publication dates only: the date filters apply to those."""
    if not group["date"] or not (filters.since or filters.until):
        return True
    first, _, last = group["date"].partition(" to ")
    last = last or first
    return not ((filters.since and last < filters.since.isoformat()) or (filters.until and first > filters.until.isoformat()))


def contested(store: Store, filters: EventFilters, limit: int = CONTESTED_LIMIT) -> dict[str, Any]:
    """Everything sources disagree on, grouped: events (tolls, denials), figures and claims."""
    events: list[dict[str, Any]] = []
    for doc in _events_with_split_tolls(store, filters, limit):
        events += [_event_group(doc, f) for f in ("fatalities", "injured") if not (doc.get(f) or {"agreed": True})["agreed"]]
    allowed = None
    if filters != EventFilters():
        hits, params = hits_sql(filters)
        allowed = {int(r["record_id"]) for r in store.query(hits, params)}
    figures, claims = [], []
    for doc in unless_empty(lambda: ledger.contested(store, limit=limit)):
        if doc["kind"] == "event":
            if allowed is None or doc["record_id"] in allowed:
                events.append(_event_group(doc, "status"))
        elif doc["kind"] == "figure":
            figures.append(_figure_group(doc))
        elif doc["kind"] == "claim":
            claims.append(_claim_group(doc))
    figures = [g for g in figures if _in_period(g, filters)]
    claims = [g for g in claims if _in_period(g, filters)]
    return {"events": events[:limit], "figures": figures[:limit], "claims": claims[:limit]}


def contested_items(store: Store, filters: EventFilters, limit: int = CONTESTED_LIMIT) -> list[dict[str, Any]]:
    """The same groups as one list (figures, then claims, then events)."""
    found = contested(store, filters, limit)
    return (found["figures"] + found["claims"] + found["events"])[:limit]
