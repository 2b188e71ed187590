"""Where sources disagree: the same event reported with different figures, figures about the
same thing given differently by different claimants, and claims that are denied or disputed."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from tidings.store import Store
from tidings.web.queries import EventFilters, event_rows, event_where, span_link

# A denied or disputed claim is set beside the other-claimant claims that come at most this many
# characters before or after it: in news text the rebuttal follows the allegation within a
# paragraph or two (about 200-400 characters each in the sample and the quotes dev set).
COUNTER_CLAIM_WINDOW = 600
CONTESTED_STATUSES = ("denied", "disputed")
# At most this many counter-claims, the nearest first, are set beside each contested claim.
MAX_COUNTER_CLAIMS = 2


def event_key(row: dict[str, Any]) -> tuple[str, str, str] | None:
    """Events reported by different articles are taken as one when type, day and place agree."""
    day = row.get("event_date") or row.get("date_value")
    place = (row.get("place_name") or row.get("country_code") or "").casefold()
    if not day or not place:
        return None
    return (str(day), place, row.get("sub_event_type") or "")


def contested_event_figures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups of matching events whose fatality or injury counts differ."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = event_key(row)
        if key:
            groups[key].append(row)
    out = []
    for (day, _, sub_type), members in sorted(groups.items()):
        for figure in ("fatalities", "injured"):
            values = {m[figure] for m in members if m[figure] is not None}
            if len(values) < 2:
                continue
            out.append({
                "kind": "event",
                "what": f"{figure} · {sub_type}",
                "date": day,
                "place": members[0]["place_name"] or members[0]["country_code"],
                "versions": [_event_version(m, figure) for m in members if m[figure] is not None],
            })
    return out


def _event_version(row: dict[str, Any], figure: str) -> dict[str, Any]:
    return {
        "value": row[figure],
        "source": row.get("attributed_to") or row.get("article_source") or row.get("article_title"),
        "status": row.get("status"),
        "article_id": row["article_id"],
        "article_title": row.get("article_title"),
        "text": row["text"],
        "link": span_link(row["article_id"], row["start_char"], row["end_char"]),
    }


def contested_claimed_figures(store: Store, article_ids: list[str] | None) -> list[dict[str, Any]]:
    """Within an article, the same thing counted differently by different claimants."""
    sql = (
        "SELECT q.article_id, q.start_char, q.end_char, q.text, q.value, q.low, q.high, q.qualifier, q.counted,"
        " c.claimant, c.status, a.title AS article_title FROM quantities q"
        " JOIN claims c ON c.article_id = q.article_id AND c.idx = TRY_CAST(json_extract(q.data, '$.claim') AS INTEGER)"
        " JOIN articles a ON a.id = q.article_id WHERE q.counted IS NOT NULL AND c.claimant IS NOT NULL"
    )
    params: list[Any] = []
    if article_ids is not None:
        sql += " AND q.article_id IN (SELECT unnest(?))"
        params.append(article_ids)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in store.query(sql + " ORDER BY q.article_id, q.start_char", params):
        groups[(row["article_id"], row["counted"].casefold())].append(row)
    out = []
    for (_, counted), members in groups.items():
        claimants = {m["claimant"].casefold() for m in members}
        values = {(m["value"], m["low"], m["high"]) for m in members}
        if len(claimants) < 2 or len(values) < 2:
            continue
        out.append({
            "kind": "figure",
            "what": counted,
            "date": None,
            "place": None,
            "versions": [
                {
                    "value": m["value"] if m["value"] is not None else f"{m['low']}-{m['high']}",
                    "qualifier": m["qualifier"],
                    "source": m["claimant"],
                    "status": m["status"],
                    "article_id": m["article_id"],
                    "article_title": m["article_title"],
                    "text": m["text"],
                    "link": span_link(m["article_id"], m["start_char"], m["end_char"]),
                }
                for m in members
            ],
        })
    return out


def contested_claims(store: Store, article_ids: list[str] | None, limit: int) -> list[dict[str, Any]]:
    """Denied and disputed claims, each beside the nearby claims of other claimants."""
    sql = (
        "SELECT c.article_id, c.idx, c.start_char, c.end_char, c.text, c.claimant, c.status, c.data,"
        " a.title AS article_title FROM claims c JOIN articles a ON a.id = c.article_id"
        " WHERE c.article_id IN (SELECT article_id FROM claims WHERE status IN ('denied', 'disputed'))"
    )
    params: list[Any] = []
    if article_ids is not None:
        sql += " AND c.article_id IN (SELECT unnest(?))"
        params.append(article_ids)
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.query(sql + " ORDER BY c.article_id, c.start_char", params):
        by_article[row["article_id"]].append(row)
    out: list[dict[str, Any]] = []
    for claims in by_article.values():
        for claim in claims:
            if claim["status"] not in CONTESTED_STATUSES:
                continue
            others = [
                other for other in claims
                if other is not claim
                and (other["claimant"] or "").casefold() != (claim["claimant"] or "").casefold()
                and abs(other["start_char"] - claim["start_char"]) <= COUNTER_CLAIM_WINDOW
            ]
            others.sort(key=lambda o: abs(o["start_char"] - claim["start_char"]))
            out.append({"claim": _claim_side(claim), "against": [_claim_side(o) for o in others[:MAX_COUNTER_CLAIMS]]})
            if len(out) >= limit:
                return out
    return out


def _claim_side(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["data"]) if row.get("data") else {}
    return {
        "claimant": row["claimant"],
        "via": data.get("via", []),
        "status": row["status"],
        "text": row["text"],
        "article_id": row["article_id"],
        "article_title": row["article_title"],
        "link": span_link(row["article_id"], row["start_char"], row["end_char"]),
    }


def contested(store: Store, filters: EventFilters, limit: int = 200) -> dict[str, Any]:
    rows = event_rows(store, filters)
    article_ids = None
    if filters != EventFilters():
        where, params = event_where(filters)
        article_ids = [r["article_id"] for r in store.query(f"SELECT DISTINCT e.article_id FROM events e{where}", params)]
    figures = contested_event_figures(rows) + contested_claimed_figures(store, article_ids)
    return {"figures": figures[:limit], "claims": contested_claims(store, article_ids, limit)}
