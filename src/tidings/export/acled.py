"""One tidings event -> one row with ACLED's columns, filled as far as the text tells.

See docs/exports.md for each column: what fills it and when it stays empty.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import pycountry

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

# ACLED's disorder types by event type, for when the events taxonomy file is not installed.
DISORDER_BY_EVENT_TYPE = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence",
    "Strategic developments": "Strategic developments",
}

# ACLED time_precision: 1 = the day is known, 2 = a week or a few days, 3 = a month or longer.
TIME_PRECISION = {"day": 1, "week": 2, "days": 2, "month": 3, "year": 3, "season": 3, "decade": 3}

# ACLED geo_precision: 1 = the town itself, 2 = near it or a small district, 3 = a region or larger.
_TOWN_CODES = ("PPL",)
_DISTRICT_CODES = ("ADM2", "ADM3", "ADM4", "ADM5", "PPLX")


@cache
def disorder_by_sub_event() -> dict[str, str]:
    """sub_event_type -> disorder_type from the events taxonomy shipped in tidings/data/events."""
    try:
        text = resources.files("tidings").joinpath("data/events/taxonomy.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    return {t["sub_event_type"]: t.get("disorder_type", "") for t in json.loads(text).get("types", [])}


def disorder_type(event_type: str | None, sub_event_type: str | None) -> str | None:
    found = disorder_by_sub_event().get(sub_event_type or "")
    return found or DISORDER_BY_EVENT_TYPE.get(event_type or "")


@cache
def country_of(code: str | None) -> tuple[str, str, int] | None:
    """(alpha-3, name, ISO 3166 numeric) for an alpha-2 code; None when unknown."""
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    return country.alpha_3, country.name, int(country.numeric)


def geo_precision(place: dict[str, Any]) -> int | None:
    code = place.get("feature_code") or ""
    if not place:
        return None
    if code.startswith(_TOWN_CODES) and code not in _DISTRICT_CODES:
        return 1
    if code in _DISTRICT_CODES:
        return 2
    return 3


def time_precision(precision: str | None) -> int | None:
    if precision is None:
        return None
    return TIME_PRECISION.get(precision, 3)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def type_and_actors(event_type: str, sub_event_type: str, actors: list[str], targets: list[str], country: Any) -> dict[str, Any]:
    """ACLED's columns from disorder_type to country, shared by per-mention and merged rows."""
    civilian = event_type == "Violence against civilians" or any("civilian" in t.casefold() for t in targets)
    return {
        "disorder_type": disorder_type(event_type, sub_event_type),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actors[0] if actors else None,
        "assoc_actor_1": "; ".join(actors[1:]) or None,
        "inter1": None,
        "actor2": targets[0] if targets else None,
        "assoc_actor_2": "; ".join(targets[1:]) or None,
        "inter2": None,
        "interaction": None,
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "iso": country[2] if country else None,
        "region": None,
        "country": country[1] if country else None,
    }


def acled_record(row: dict[str, Any], data: dict[str, Any], place: dict[str, Any], note: str) -> dict[str, Any]:
    country = country_of(row["country_code"])
    event_day = _as_date(row["event_date"])
    actors = [a for a in data.get("actors", []) if a]
    targets = [t for t in data.get("targets", []) if t]
    via = [v for v in data.get("via", []) if v]
    tags = [f"status={row['status']}", f"confidence={row['confidence']:.2f}" if row["confidence"] is not None else None]
    if row["attributed_to"]:
        tags.append(f"according to={row['attributed_to']}")
    if row["injured"] is not None:
        tags.append(f"injured={row['injured']}")
    if row["fatalities"] is None:
        tags.append("fatalities=no report")
    outlets = [o for o in (row.get("outlets") or []) if o] or ([row["article_source"]] if row.get("article_source") else [])
    return {
        "event_id_cnty": f"{country[0] if country else 'XXX'}-{row['article_id']}-{row['idx']}",
        "event_date": event_day.isoformat() if event_day else None,
        "year": event_day.year if event_day else None,
        "time_precision": time_precision(row["date_precision"]),
        **type_and_actors(row["event_type"], row["sub_event_type"], actors, targets, country),
        "admin1": place.get("admin1"),
        "admin2": None,
        "admin3": None,
        "location": row["place_name"],
        "latitude": row["lat"],
        "longitude": row["lon"],
        "geo_precision": geo_precision(place) if row["place_name"] else None,
        "source": "; ".join(dict.fromkeys([*outlets, *via])) or None,
        "source_scale": None,
        "notes": note or None,
        "fatalities": row["fatalities"],
        "tags": "; ".join(t for t in tags if t),
        "timestamp": int(row["ingested_epoch"]) if row.get("ingested_epoch") is not None else None,
    }
