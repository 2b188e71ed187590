"""Events across articles: is this mention the same real-world event as that one, the blocking
keys that find the candidates, and the merged record with field-level agreement. Pure."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from tidings.ledger import overflow
from tidings.ledger.dates import Interval
from tidings.ledger.mentions import EventMention, PlaceRef
from tidings.ledger.names import acronym, name_key, place_key
from tidings.ledger.sources import identity_keys, independent_sources

# A mention joins an event when its best match with a member scores at least this and no member
# rules it out. Tuned on tests/data/ledger (hand-annotated): 0.35-0.55 all gave the same CoNLL F1.
EVENT_MERGE_THRESHOLD = 0.45
# Dates whose intervals miss each other by at most this many days still fit (time zones, "overnight").
DATE_SLACK_DAYS = 1
# Blocking: candidate events are looked up in the ISO weeks this far around a mention's interval.
BLOCK_PAD_DAYS = 7
# A date interval longer than this is "vague" and blocked by country and year, not by week.
VAGUE_AFTER_DAYS = 42
# Geographic blocking cell, in degrees (~110 km): with the 3x3 neighbourhood it covers any
# two precise places (radius <= PRECISE_KM) of one event.
CELL_DEGREES = 1.0
PRECISE_KM = 100.0

# Two differently named places, one of them without coordinates: nothing says they are far
# apart ("Lake Kivu" and "Goma"), a little less likely the same than a mention with no place (0.7).
UNPLACED_NAMES = 0.65
# Sub-types whose actors are no party to them: the pipeline reads "floodwaters" or the prime
# minister who visited as the actor of a flood.
NO_ACTOR_SUBTYPES = frozenset({"Natural disaster", "Man-made disaster"})

NATURAL_DISASTER = "Natural disaster"
# A flood or an earthquake covers more than one town: two towns this far apart (km) may report one.
# Pipeline mode on tests/data/ledger: Klodzko and the Nysa river's town (48 km) are one flood.
NATURAL_DISASTER_EXTENT_KM = 100.0

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def type_score(a: EventMention, b: EventMention) -> float:
    if a.sub_event_type == b.sub_event_type:
        return 1.0
    if a.event_type == b.event_type:
        return 0.7
    if a.event_type in VIOLENT_TYPES and b.event_type in VIOLENT_TYPES:
        return 0.55  # one clash is "fighting" to one outlet and "shelling" to another
    return 0.0


def date_score(a: EventMention, b: EventMention) -> float:
    if a.interval is None or b.interval is None:
        return 0.6
    gap = a.interval.gap_days(b.interval)
    if gap > DATE_SLACK_DAYS:
        return 0.0
    if gap:
        return 0.6
    return 1.0 if a.interval == b.interval or (a.interval.days <= 1 and b.interval.days <= 1) else 0.85


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def place_score(a: PlaceRef | None, b: PlaceRef | None, extent_km: float = 0.0) -> float:
    """How well two places fit one event; `extent_km`: how far apart an event's own places may lie
    however precise they are (a flood reported from two towns)."""
    if a is None or b is None:
        return 0.7
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        allowed = max(a.radius_km, b.radius_km, extent_km)
        d = distance_km(a.lat, a.lon, b.lat, b.lon)
        if d > allowed:
            return 0.0
        coarse = 0.75 if max(a.radius_km, b.radius_km) > PRECISE_KM and place_key(a.name) != place_key(b.name) else 1.0
        return coarse * (1.0 - 0.4 * d / allowed)
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return 0.0
    return 1.0 if name_key(a.name) == name_key(b.name) else UNPLACED_NAMES


# Words that open an actor phrase without naming anyone ("About 20,000 protesters", "Saturday").
_NOT_NAMES = frozenset(
    ["a", "an", "the", "about", "more", "than", "some", "several", "many", "dozens", "hundreds", "thousands", "up", "to", "at", "least", "nearly", "almost", "over", "his", "her", "its", "their", "our", "this", "that", "new", "year", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
)
# Capitalised words many different actors share: never matched on their own.
_GENERIC = frozenset(
    ["forces", "force", "army", "armed", "police", "ministry", "military", "government", "troops", "fighters", "militants", "group", "front", "party", "council", "guard", "guards", "national", "people", "state", "states", "republic", "united", "democratic", "liberation", "support", "defence", "defense", "security", "service", "services", "union", "islamic", "popular", "movement", "brigade", "brigades", "battalion", "regiment", "command", "north", "south", "east", "west", "northern", "southern", "eastern", "western"]
)
# Two spellings of one name share this many leading letters ("Russia", "Russian"; "Ukraine", "Ukrainian").
STEM_LETTERS = 5


@lru_cache(maxsize=2**14)  # each mention's actors are read against every candidate member
def actor_signature(names: tuple[str, ...]) -> frozenset[str]:
    """What names an actor phrase holds: each run of capitalised words by its key, its acronym
    and the stems of its words, and acronyms as written. "Fighters of the Rapid Support Forces"
    meets "RSF gunmen", "Russian forces" meets "Russia"; "Three policemen" names no one."""
    signature: set[str] = set()
    for name in names:
        for run in _capital_runs(name):
            signature.add(name_key(" ".join(run)))
            if (acr := acronym(" ".join(run))) is not None:
                signature.add(acr)
            signature |= {w.casefold()[:STEM_LETTERS] for w in run if not w.isupper() and w.casefold() not in _GENERIC}
            signature |= {w.casefold() for w in run if w.isupper()}
    return frozenset(signature)


def _capital_runs(name: str) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for word in name.replace("-", " ").split():
        bare = word.strip(".,'\u2019()")
        if bare[:1].isupper() and bare.casefold() not in _NOT_NAMES:
            runs[-1].append(bare)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


# Actors that name no one in common lower the score to this; they do not rule a match out (one
# outlet names the attackers, another the official who reported the attack). On
# tests/data/ledger, any value from 0.45 to 0.75 gives the same clustering in both eval modes.
ACTOR_MISMATCH = 0.45


def actor_score(a: EventMention, b: EventMention) -> float:
    if a.sub_event_type in NO_ACTOR_SUBTYPES or b.sub_event_type in NO_ACTOR_SUBTYPES:
        return 0.85
    left, right = actor_signature(a.actors), actor_signature(b.actors)
    if not left or not right:
        return 0.85
    return 1.0 if left & right else ACTOR_MISMATCH


def toll_score(a: EventMention, b: EventMention) -> float:
    """Tolls differ between sources; only wildly different ones hint at two events."""
    if a.fatalities is None or b.fatalities is None:
        return 1.0
    low, high = sorted((a.fatalities, b.fatalities))
    return 0.6 if high - low > 10 and high > 4 * max(low, 1) else 1.0


# Triggers that only report a toll ("killing three", "died"): the extraction makes them events of
# their own beside the event that caused them, in the same sentence.
CASUALTY_TRIGGERS = frozenset(
    ["kill", "kills", "killed", "killing", "died", "die", "dies", "dead", "death", "deaths", "wounded", "wounding", "injured", "injuring", "injuries", "casualties"]
)


def is_casualty(m: EventMention) -> bool:
    return m.trigger.casefold() in CASUALTY_TRIGGERS


def typed_members(members: list[EventMention]) -> list[EventMention]:
    """The members that say what kind of event it was: all but toll-only ones, if any are left."""
    return [m for m in members if not is_casualty(m)] or members


def casualty_heads(mentions: list[EventMention]) -> dict[int, int]:
    """Toll-only mention idx -> idx of the event it reports the toll of: the nearest other
    mention in its sentence whose place does not rule it out."""
    by_sentence: dict[tuple[str, int], list[EventMention]] = {}
    for m in mentions:
        by_sentence.setdefault((m.article_id, m.sentence_start), []).append(m)
    heads: dict[int, int] = {}
    for m in mentions:
        if not is_casualty(m):
            continue
        causes = [o for o in by_sentence[(m.article_id, m.sentence_start)] if not is_casualty(o) and place_score(m.place, o.place) > 0.0]
        if causes:
            heads[m.idx] = min(causes, key=lambda o: abs(o.start - m.start)).idx
    return heads


def event_extent_km(a: EventMention, b: EventMention) -> float:
    both_natural = a.sub_event_type == b.sub_event_type == NATURAL_DISASTER
    return NATURAL_DISASTER_EXTENT_KM if both_natural else 0.0


def pair_score(a: EventMention, b: EventMention) -> float:
    """type x date x place x actors x toll; the cheap factors first, as most candidates a
    blocking key offers differ in type or date and stop there."""
    score = type_score(a, b) * date_score(a, b)
    if score == 0.0:
        return 0.0
    score *= place_score(a.place, b.place, event_extent_km(a, b))
    return score * actor_score(a, b) * toll_score(a, b) if score else 0.0


def cluster_score(mention: EventMention, members: list[EventMention]) -> float:
    """Best link to a member, vetoed when any member is flatly incompatible (date, place or type).
    Toll-only members folded in by casualty_heads carry no type of their own: left out."""
    best = 0.0
    for member in typed_members(members):
        score = pair_score(mention, member)
        if score == 0.0:
            return 0.0
        best = max(best, score)
    return best


def record_fitter(mention: EventMention) -> Callable[[str | None, str | None, str | None, str | None], float]:
    """How well a record's sub-type, place name and date range, read without its members, fit a
    mention: to rank the candidates a lookup offers, not to merge (members can differ from the
    record). The mention's side is worked out once: a lookup ranks up to hundreds of records
    (bench/ledger_growth.py: ~440 a replayed article). The record's ISO dates are
    compared as text: within DATE_SLACK_DAYS of the mention's interval when its range reaches
    the interval widened by that much on both sides."""
    mention_place = place_key(mention.place.name) if mention.place else None
    window = _widened(mention.interval, DATE_SLACK_DAYS) if mention.interval is not None else None

    def fit(sub_event_type: str | None, place: str | None, date_lo: str | None, date_hi: str | None) -> float:
        score = 1.0 if sub_event_type == mention.sub_event_type else 0.5
        if place and mention_place is not None:
            score *= 1.0 if place_key(place) == mention_place else 0.7
        else:
            score *= 0.85
        if window is None or not date_lo or not date_hi:
            return score * 0.75
        return score if date_hi[:10] >= window[0] and date_lo[:10] <= window[1] else score * 0.5

    return fit


def _widened(interval: Interval, days: int) -> tuple[str, str]:
    slack = timedelta(days=days)
    lo = interval.lo - slack if interval.lo > date.min + slack else date.min
    hi = interval.hi + slack if interval.hi < date.max - slack else date.max
    return lo.isoformat(), hi.isoformat()


def best_cluster(mention: EventMention, candidates: dict[int, list[EventMention]]) -> tuple[int | None, float]:
    best_id, best = None, 0.0
    for cluster_id, members in candidates.items():
        score = cluster_score(mention, members)
        if score > best:
            best_id, best = cluster_id, score
    return (best_id, best) if best >= EVENT_MERGE_THRESHOLD else (None, best)


# -- blocking ------------------------------------------------------------------------------------
def _weeks(interval: Interval, pad: int) -> list[str]:
    day, end = interval.lo - timedelta(days=pad), interval.hi + timedelta(days=pad)
    weeks = []
    while day <= end + timedelta(days=6):
        year, week, _ = day.isocalendar()
        weeks.append(f"{year}W{week:02d}")
        day += timedelta(days=7)
    return sorted(set(weeks))


def _cell(lat: float, lon: float, dlat: int = 0, dlon: int = 0) -> str:
    return f"{math.floor(lat / CELL_DEGREES) + dlat}:{math.floor(lon / CELL_DEGREES) + dlon}"


def _is_precise(place: PlaceRef | None) -> bool:
    return place is not None and place.lat is not None and place.lon is not None and place.radius_km <= PRECISE_KM


def _country(m: EventMention) -> str:
    return (m.place.country_code if m.place and m.place.country_code else "??").upper()


def storage_keys(m: EventMention) -> set[str]:
    """Keys an event is filed under for this member mention."""
    cc = _country(m)
    if m.interval is None or m.interval.days > VAGUE_AFTER_DAYS:
        year = m.interval.lo.year if m.interval else "????"
        return {f"ev|v|{cc}|{year}"}
    weeks = _weeks(m.interval, 0)
    if _is_precise(m.place):
        assert m.place is not None and m.place.lat is not None and m.place.lon is not None
        cell = _cell(m.place.lat, m.place.lon)
        return {f"ev|g|{cell}|{w}" for w in weeks} | {f"ev|p|{cc}|{w}" for w in weeks}
    return {f"ev|c|{cc}|{w}" for w in weeks}


def lookup_keys(m: EventMention) -> set[str]:
    """Keys to look candidates up by: nearby cells and weeks, coarse events of the country, vague ones."""
    cc = _country(m)
    years = {m.interval.lo.year, m.interval.hi.year} if m.interval else {"????"}
    keys = {f"ev|v|{cc}|{y}" for y in years} | {f"ev|v|??|{y}" for y in years}
    if m.interval is None or m.interval.days > VAGUE_AFTER_DAYS:
        return keys | {f"ev|c|{cc}|*"}
    weeks = _weeks(m.interval, BLOCK_PAD_DAYS)
    keys |= {f"ev|c|{cc}|{w}" for w in weeks} | {f"ev|c|??|{w}" for w in weeks}
    if _is_precise(m.place):
        assert m.place is not None and m.place.lat is not None and m.place.lon is not None
        lat, lon = m.place.lat, m.place.lon
        cells = {_cell(lat, lon, a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)}
        return keys | {f"ev|g|{c}|{w}" for c in cells for w in weeks}
    keys |= {f"ev|p|{cc}|{w}" for w in weeks}
    return keys | (_unplaced_keys(m, weeks) if cc == "??" else set())


def _unplaced_keys(m: EventMention, weeks: list[str]) -> set[str]:
    """A mention of no known country looks in the countries its article names ("floods that swept
    through Jablanica": the place may be missed by the event's own arguments, not by the article)."""
    years = {m.interval.lo.year, m.interval.hi.year} if m.interval else set()
    keys = {f"ev|v|{cc}|{y}" for cc in m.article_countries for y in years}
    return keys | {f"ev|{kind}|{cc}|{w}" for kind in "cp" for cc in m.article_countries for w in weeks}


# -- records -------------------------------------------------------------------------------------
_MENTION_FIELDS = tuple(EventMention.__dataclass_fields__)


def mention_to_json(m: EventMention) -> dict[str, Any]:
    """`asdict(m)` with the interval as a list, without asdict's deep copy (a record's every
    mention is written again each time it gains one)."""
    out = {name: getattr(m, name) for name in _MENTION_FIELDS}
    out["place"] = asdict(m.place) if m.place else None
    out["interval"] = m.interval.to_list() if m.interval else None
    return out


def mention_from_json(d: dict[str, Any]) -> EventMention:
    fields = dict(d)
    fields["interval"] = Interval.from_list(d.get("interval"))
    fields["place"] = PlaceRef(**d["place"]) if d.get("place") else None
    fields["actors"], fields["targets"] = tuple(d.get("actors", ())), tuple(d.get("targets", ()))
    fields["article_countries"] = tuple(d.get("article_countries", ()))
    return EventMention(**{k: v for k, v in fields.items() if k in EventMention.__dataclass_fields__})


def summarise(event_id: int, mentions: list[EventMention], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The merged event: what most sources say, every value with its sources, and how sure it is."""
    sub = Counter(m.sub_event_type for m in typed_members(mentions)).most_common(1)[0][0]
    etype = next(m.event_type for m in mentions if m.sub_event_type == sub)
    place = _best_place(mentions)
    interval = _agreed_interval(mentions)
    sources = independent_sources([_source_of(m, articles) for m in mentions])
    return {
        "event_id": event_id,
        "event_type": etype,
        "sub_event_type": sub,
        "date": {"lo": interval.lo.isoformat(), "hi": interval.hi.isoformat()} if interval else None,
        "place": asdict(place) if place else None,
        "actors": _ranked(x for m in mentions for x in m.actors),
        "targets": _ranked(x for m in mentions for x in m.targets),
        "fatalities": field_agreement(mentions, "fatalities", articles),
        "injured": field_agreement(mentions, "injured", articles),
        "date_values": field_agreement(mentions, "date_value", articles),
        "place_names": field_agreement([m for m in mentions if m.place], "place_name", articles),
        "sub_event_types": field_agreement(mentions, "sub_event_type", articles),
        "status": _status(mentions, sources),
        "sources": sources,
        "n_mentions": len(mentions),
        "n_articles": len({m.article_id for m in mentions}),
        "n_sources": len(sources),
        "mentions": [mention_to_json(m) | {"outlet": articles.get(m.article_id, {}).get("outlet"), "published": articles.get(m.article_id, {}).get("published")} for m in mentions],
    }


# The fields whose every distinct value a merged event lists (`field_agreement`).
AGREEMENT_FIELDS = ("fatalities", "injured", "date_value", "place_name", "sub_event_type")


def repeats(m: EventMention, members: list[EventMention]) -> bool:
    """A full record's new mention that changes nothing it says: only counted (ledger.overflow)."""
    if not overflow.is_full(members) or m.status not in {x.status for x in members}:
        return False
    if not set(m.actors + m.targets) <= {a for x in members for a in x.actors + x.targets}:
        return False
    return all(_value(m, name) is None or _value(m, name) in {_value(x, name) for x in members} for name in AGREEMENT_FIELDS)


def source_keys(m: EventMention, articles: dict[str, dict[str, Any]]) -> list[str]:
    return identity_keys(_source_of(m, articles))


def _source_of(m: EventMention, articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    info = articles.get(m.article_id, {})
    return {"article_id": m.article_id, "outlet": info.get("outlet"), "agency": m.agency, "syndicate": info.get("syndicate")}


def _value(m: EventMention, name: str) -> Any:
    if name == "place_name":
        return m.place.name if m.place else None
    return getattr(m, name)


def field_agreement(mentions: list[EventMention], name: str, articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every distinct value of one field with the outlets that gave it; a range for numbers."""
    by_value: dict[Any, list[EventMention]] = {}
    for m in mentions:
        value = _value(m, name)
        if value is not None:
            by_value.setdefault(value, []).append(m)
    values = [
        {"value": v, "outlets": sorted({str(articles.get(m.article_id, {}).get("outlet") or m.article_id) for m in ms}), "articles": sorted({m.article_id for m in ms})}
        for v, ms in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))
    ]
    numbers = [v for v in by_value if isinstance(v, int | float) and not isinstance(v, bool)]
    return {"values": values, "agreed": len(values) <= 1, "range": [min(numbers), max(numbers)] if numbers else None}


def _best_place(mentions: list[EventMention]) -> PlaceRef | None:
    places = [m.place for m in mentions if m.place]
    if not places:
        return None
    counts = Counter(name_key(p.name) for p in places)
    return min(places, key=lambda p: (p.radius_km, -counts[name_key(p.name)], p.lat is None))


def _agreed_interval(mentions: list[EventMention]) -> Interval | None:
    intervals = [m.interval for m in mentions if m.interval]
    if not intervals:
        return None
    narrowest = min(intervals, key=lambda i: (i.days, i.lo))
    lo = max(i.lo for i in intervals)
    hi = min(i.hi for i in intervals)
    return Interval(lo, hi) if lo <= hi else narrowest


def _ranked(names: Any) -> list[str]:
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        counts[key] += 1
        shown.setdefault(key, name)
    return [shown[k] for k, _ in counts.most_common()]


def _status(mentions: list[EventMention], sources: list[dict[str, Any]]) -> str:
    statuses = {m.status for m in mentions}
    if statuses & {"denied", "disputed"}:
        return "contested"
    if len(sources) >= 2 and "asserted" in statuses:
        return "corroborated"
    return "single-source" if "asserted" in statuses else sorted(statuses)[0]
