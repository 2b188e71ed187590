"""Places: the gazetteer, toponym finding and resolution to GeoNames entries.

Public helpers for other stages and later issues:
- `lookup(name)` -> the best gazetteer candidates for a name, most likely first;
- `country_of_demonym("North Korean")` -> "KP";
- `find_places(doc)` -> resolved toponyms of a parsed article;
- `bench_gazetteer()` -> build/load time and memory of the gazetteer index.
"""

from __future__ import annotations

from typing import Any

from tidings.errors import E, TidingsError
from tidings.geo.demonyms import country_of_demonym, is_demonym
from tidings.geo.gazetteer import Candidate, Gazetteer, load_gazetteer
from tidings.geo.mentions import Mention, find_mentions
from tidings.geo.resolve import Resolution, haversine_km, prior_score, resolve_mentions
from tidings.nlp import text_of


def lookup(name: str, limit: int = 10) -> list[Candidate]:
    """Gazetteer entries a name can refer to, the most likely out of context first."""
    if not isinstance(name, str) or not name.strip():
        raise TidingsError(E.E163, value=name)
    cands = load_gazetteer().candidates(name)
    return sorted(cands, key=prior_score, reverse=True)[:limit]


def find_places(doc: Any, gazetteer: Gazetteer | None = None) -> list[Resolution]:
    gaz = gazetteer or load_gazetteer()
    return resolve_mentions(text_of(doc), find_mentions(doc, gaz), gaz)


def bench_gazetteer() -> dict[str, float | int]:
    from tidings.geo.bench import bench_gazetteer as run

    return run()


__all__ = [
    "Candidate",
    "Gazetteer",
    "Mention",
    "Resolution",
    "bench_gazetteer",
    "country_of_demonym",
    "find_places",
    "haversine_km",
    "is_demonym",
    "load_gazetteer",
    "lookup",
]
