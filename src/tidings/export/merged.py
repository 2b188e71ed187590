"""One merged (ledger) event -> one row with ACLED's columns. ACLED codes one row per real-world
event, so this is the default for `acled-csv`; docs/exports.md says how each column is filled
when sources disagree (fatalities: the lowest reported figure, as ACLED does; every value with
its outlets in `tags`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tidings.export.acled import country_of, type_and_actors
from tidings.web.queries import span_link

# ACLED geo_precision by the ledger's place kind: 1 = the town itself, 2 = a district, 3 = larger.
GEO_PRECISION_BY_KIND = {"city": 1, "district": 2, "region": 3, "country": 3}
# ACLED time_precision by the length of the agreed date range: a day, up to a week, longer.
WEEK_DAYS = 7


def time_precision_of(lo: str | None, hi: str | None) -> int | None:
    if not lo:
        return None
    days = (date.fromisoformat(hi or lo) - date.fromisoformat(lo)).days
    return 1 if days == 0 else 2 if days <= WEEK_DAYS else 3


def _values_tag(name: str, agreement: dict[str, Any] | None) -> str | None:
    values = (agreement or {}).get("values") or []
    if len(values) < 2:
        return None
    listed = ", ".join(f"{v['value']} ({'/'.join(v['outlets'])})" for v in values)
    return f"{name} reported={listed}"


def merged_acled_record(doc: dict[str, Any], ingested: dict[str, float]) -> dict[str, Any]:
    """ACLED's columns, then tidings' own, for one ledger event doc (with `record_id`)."""
    place = doc.get("place") or {}
    dates = doc.get("date") or {}
    country = country_of(place.get("country_code"))
    lo, hi = dates.get("lo"), dates.get("hi")
    actors, targets = doc.get("actors") or [], doc.get("targets") or []
    mentions = doc.get("mentions") or []
    first = mentions[0] if mentions else {}
    tolls = (doc.get("fatalities") or {}).get("range")
    injured = (doc.get("injured") or {}).get("range")
    outlets = sorted({o for s in doc.get("sources", []) for o in s.get("outlets", []) if o})
    attributed = list(dict.fromkeys(m["attributed_to"] for m in mentions if m.get("attributed_to")))
    tags = [f"status={doc['status']}", f"independent sources={doc['n_sources']}", f"mentions={doc['n_mentions']}"]
    tags += [t for t in (_values_tag("fatalities", doc.get("fatalities")), _values_tag("injured", doc.get("injured"))) if t]
    if injured:
        tags.append(f"injured={injured[0]}" if injured[0] == injured[1] else f"injured={injured[0]}-{injured[1]}")
    if tolls is None:
        tags.append("fatalities=no report")
    if attributed:
        tags.append(f"according to={', '.join(attributed)}")
    stamps = [ingested[m["article_id"]] for m in mentions if m["article_id"] in ingested]
    return {
        "event_id_cnty": f"{country[0] if country else 'XXX'}-L{doc['record_id']}",
        "event_date": lo,
        "year": int(lo[:4]) if lo else None,
        "time_precision": time_precision_of(lo, hi),
        **type_and_actors(doc["event_type"], doc["sub_event_type"], actors, targets, country),
        "admin1": None,
        "admin2": None,
        "admin3": None,
        "location": place.get("name"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "geo_precision": GEO_PRECISION_BY_KIND.get(place.get("kind") or "", 3) if place.get("name") else None,
        "source": "; ".join(outlets) or None,
        "source_scale": None,
        "notes": first.get("sentence"),
        "fatalities": tolls[0] if tolls else None,
        "tags": "; ".join(tags),
        "timestamp": int(max(stamps)) if stamps else None,
        "tidings_event_id": f"L{doc['record_id']}",
        "article_id": first.get("article_id"),
        "article_title": None,
        "published": first.get("published"),
        "status": doc["status"],
        "confidence": None,
        "date_precision": "day" if lo and lo == hi else ("range" if lo else None),
        "attributed_to": ", ".join(attributed) or None,
        "trigger_start": first.get("start"),
        "trigger_end": first.get("end"),
        "trigger_text": first.get("trigger"),
        "link": span_link(first["article_id"], first["start"], first["end"]) if first else None,
        "n_sources": doc["n_sources"],
        "mention_ids": "; ".join(f"{m['article_id']}-{m['idx']}" for m in mentions),
    }
