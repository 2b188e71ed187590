"""Choosing the GeoNames entry each toponym refers to.

Each candidate gets a score: a prior from its kind and population, a penalty for matching
only through a weak alias, and bonuses from the article: the countries, states and counties
its other places lie in, an explicit qualifier next to the name ("Paris, Tenn.", "Russia's
Kursk"), a cue that an admin area is meant ("Kursk border region"), and nearness to the
article's other places. Two passes: a context-free one to learn the article's geography, then
context passes, in which a name never votes for itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from tidings.geo.gazetteer import Candidate, Gazetteer
from tidings.geo.mentions import TENTATIVE, Mention
from tidings.geo.normalize import name_key
from tidings.geo.sources import ALIAS, ALTERNATE, WEAK

# Weights tuned by hand on the LGL dev set (tidings eval places), in score units; the
# population term is POP_WEIGHT * log10(population + 1).
KIND_PRIOR = {"country": 3.0, "continent": 2.5, "admin1": 2.2, "region": 7.0, "water": 7.0, "facility": 6.0, "admin2": 1.0, "city": 0.0}
# National capitals are what a bare "Washington" or "Moscow" means in news.
CAPITAL_BONUS = 3.0
POP_WEIGHT = 0.9
NAME_TYPE_PENALTY = {ALIAS: 0.3, WEAK: 2.5, ALTERNATE: 1.0}
COUNTRY_BONUS = 3.0
# The state bonus is scaled by the state's share of the article's votes (half at the least):
# the article's home state counts more than one mentioned in passing (+0.2 points on LGL dev).
ADMIN1_BONUS = 2.0
ADMIN2_BONUS = 0.5
QUALIFIER_BONUS = 5.0
ADMIN_CUE_BONUS = 3.0
# Spatial minimality: SPREAD_WEIGHT per other name with a reading at 0 km (linear to 0 at
# SPREAD_KM), at most SPREAD_CAP in all; each name offers its SPREAD_CANDIDATES likeliest points.
SPREAD_WEIGHT, SPREAD_KM, SPREAD_CAP, SPREAD_CANDIDATES = 2.0, 100.0, 3.0, 5
# Nearness to the article's other places: PROXIMITY_BONUS at 0 km, falling linearly to 0 at PROXIMITY_KM.
PROXIMITY_BONUS, PROXIMITY_KM = 1.0, 250.0
# A town found only tentatively (tagged ORG or PERSON) must lie this close to a firm one
# (20-80 km gave the same F1 within 0.002 on LGL dev).
TENTATIVE_KM = 40.0
# Places that vote for the article's geography must have won their own pass by this much.
CONFIDENT_MARGIN = 1.0
# Passes with context after the context-free one: each lets a name settled in the last pass
# ("Georgia" the state) settle others ("Gainesville"). Two gained on LGL dev; more gained nothing.
CONTEXT_PASSES = 2

_ADMIN_CUE = re.compile(r"\s+(?:(?:border|frontline|front-line|northern|southern|eastern|western|central)\s+)?(?:region|oblast|province|governorate|krai|district|area)\b", re.IGNORECASE)
_POSSESSOR = re.compile(r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)['’]s\s+(?:[a-z\-]+\s+){0,2}$")
_AFTER_COMMA = re.compile(r",\s*((?:[A-Z][\w]*\.?\s?){1,3})")


@dataclass(frozen=True)
class Resolution:
    mention: Mention
    candidate: Candidate | None
    score: float | None = None


@dataclass
class _Context:
    countries: Counter[str]
    admin1s: Counter[tuple[str, str]]
    admin2s: Counter[tuple[str, str]]
    anchors: list[tuple[str, float, float]]
    spread: _Spread | None = None


_POINT_KINDS = ("city", "admin2", "facility")


class _Spread:
    """The likely points of every name in the article, for 'spatial minimality': a reading
    of an ambiguous name that lies near some reading of the article's other names is likelier
    (local news names places that are near each other)."""

    def __init__(self, options: list[list[Candidate]], keys: list[str]) -> None:
        per_key: dict[str, list[Candidate]] = {}
        for cands, key in zip(options, keys, strict=True):
            if key not in per_key:
                points = [c for c in cands if c.kind in _POINT_KINDS]
                per_key[key] = sorted(points, key=prior_score, reverse=True)[:SPREAD_CANDIDATES]
        self.keys = [k for k, v in per_key.items() if v]
        lats: list[float] = []
        lons: list[float] = []
        starts: list[int] = []
        for key in self.keys:
            starts.append(len(lats))
            lats += [c.lat for c in per_key[key]]
            lons += [c.lon for c in per_key[key]]
        self.lat = np.radians(np.asarray(lats, dtype=np.float64))
        self.lon = np.radians(np.asarray(lons, dtype=np.float64))
        self.starts = np.asarray(starts, dtype=np.int64)
        self.index = {k: i for i, k in enumerate(self.keys)}

    def closeness(self, cand: Candidate, key: str) -> float:
        """Sum over the other names of how close their nearest reading lies (1 at 0 km, 0 beyond SPREAD_KM)."""
        if len(self.keys) < 2:
            return 0.0
        lat, lon = math.radians(cand.lat), math.radians(cand.lon)
        a = np.sin((self.lat - lat) / 2) ** 2 + math.cos(lat) * np.cos(self.lat) * np.sin((self.lon - lon) / 2) ** 2
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
        nearest = np.minimum.reduceat(km, self.starts)
        if key in self.index:
            nearest[self.index[key]] = np.inf
        return float(np.clip(1.0 - nearest / SPREAD_KM, 0.0, None).sum())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def prior_score(cand: Candidate) -> float:
    score = KIND_PRIOR[cand.kind] + POP_WEIGHT * math.log10(cand.population + 1) - NAME_TYPE_PENALTY.get(cand.name_type, 0.0)
    if cand.feature_code == "PPLC":
        score += CAPITAL_BONUS
    return score


def _qualifiers(text: str, mention: Mention, gazetteer: Gazetteer) -> list[Candidate]:
    """Places that explicitly qualify the mention: 'X, Tenn.' after it or "Russia's X" before it."""
    found: list[Candidate] = []
    after = _AFTER_COMMA.match(text, mention.end)
    if after:
        found += [c for c in gazetteer.candidates(after.group(1).strip()) if c.kind in ("country", "admin1", "admin2")]
    before = _POSSESSOR.search(text, max(0, mention.start - 60), mention.start)
    if before and before.end() == mention.start:
        found += [c for c in gazetteer.candidates(before.group(1)) if c.kind in ("country", "admin1")]
    return found


def _qualifies(qualifier: Candidate, cand: Candidate) -> bool:
    if qualifier.row == cand.row:
        return False
    if qualifier.kind == "country":
        return cand.country_code == qualifier.country_code
    if qualifier.kind == "admin1":
        return cand.country_code == qualifier.country_code and cand.admin1 == qualifier.admin1
    return cand.admin2 == qualifier.admin2 and cand.admin1 == qualifier.admin1


def _score(cand: Candidate, qualifiers: list[Candidate], admin_cue: bool, ctx: _Context | None, key: str) -> float:
    score = prior_score(cand)
    if any(_qualifies(q, cand) for q in qualifiers):
        score += QUALIFIER_BONUS
    if admin_cue and cand.kind in ("admin1", "admin2"):
        score += ADMIN_CUE_BONUS
    if ctx is None:
        return score
    # A name never votes for itself (contexts leave its own key out), so a country or state is
    # backed by the article's other places inside it ("Georgia" with Tbilisi, or with Atlanta).
    if cand.country_code and ctx.countries[cand.country_code] > 0:
        score += COUNTRY_BONUS
    if cand.admin1 and ctx.admin1s[(cand.country_code or "", cand.admin1)] > 0:
        top = max(ctx.admin1s.values())
        score += ADMIN1_BONUS * (0.5 + 0.5 * ctx.admin1s[(cand.country_code or "", cand.admin1)] / top)
    if cand.admin2 and ctx.admin2s[(cand.admin1 or "", cand.admin2)] > 0 and cand.kind != "admin2":
        score += ADMIN2_BONUS
    if cand.kind in _POINT_KINDS and ctx.spread is not None:
        score += min(SPREAD_CAP, SPREAD_WEIGHT * ctx.spread.closeness(cand, key))
    if cand.kind in _POINT_KINDS:
        nearest = min((haversine_km(cand.lat, cand.lon, lat, lon) for k, lat, lon in ctx.anchors if k != key), default=None)
        if nearest is not None:
            score += PROXIMITY_BONUS * max(0.0, 1.0 - nearest / PROXIMITY_KM)
    return score


def _admin_variants(gazetteer: Gazetteer, mention: Mention) -> list[Candidate]:
    """'Kursk' followed by 'region': also the admin areas named 'Kursk Oblast', 'Kursk region'."""
    out: list[Candidate] = []
    for suffix in (" Oblast", " region", " Province", " County", " Governorate", " Krai"):
        out += [c for c in gazetteer.candidates(mention.text + suffix) if c.kind in ("admin1", "admin2")]
    return out


def resolve_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Resolution]:
    keys = [name_key(m.text) for m in mentions]
    options: list[list[Candidate]] = []
    cues: list[bool] = []
    quals: list[list[Candidate]] = []
    looked_up: dict[str, list[Candidate]] = {}
    for mention in mentions:
        cue = _ADMIN_CUE.match(text, mention.end) is not None
        if mention.text not in looked_up:
            looked_up[mention.text] = gazetteer.candidates(mention.text)
        cands = list(looked_up[mention.text])
        if cue:
            seen = {c.row for c in cands}
            cands += [c for c in _admin_variants(gazetteer, mention) if c.row not in seen]
        options.append(cands)
        cues.append(cue)
        quals.append(_qualifiers(text, mention, gazetteer))

    rows = list(zip(options, quals, cues, keys, strict=True))
    same = [(m.text, cue, tuple(c.row for c in q)) for m, q, cue in zip(mentions, quals, cues, strict=True)]
    current = _best_of_each(rows, same, None)
    firm = [i for i, m in enumerate(mentions) if m.source != TENTATIVE]
    spread = _Spread([options[i] for i in firm], [keys[i] for i in firm])
    for _ in range(CONTEXT_PASSES):
        contexts = _contexts([current[i] for i in firm], [keys[i] for i in firm], set(keys))
        for ctx in contexts.values():
            ctx.spread = spread
        current = _best_of_each(rows, same, contexts)
    current = _one_sense_per_article(current, keys, cues, quals)
    firm_results = [r for r, m in zip(current, mentions, strict=True) if m.source != TENTATIVE]
    out = []
    for mention, (best, score, _) in zip(mentions, current, strict=True):
        if mention.source == TENTATIVE and not _near_the_others(best, firm_results):
            continue
        out.append(Resolution(mention, best, None if score is None else round(score, 3)))
    return out


Row = tuple[list[Candidate], list[Candidate], bool, str]


def _best_of_each(rows: list[Row], same: list[tuple[str, bool, tuple[int, ...]]], contexts: dict[str, _Context] | None) -> list[tuple[Candidate | None, float | None, float]]:
    """`_best` for each mention, scored once per distinct (text, cue, qualifiers): a name an
    article repeats has the same candidates and context each time."""
    done: dict[tuple[str, bool, tuple[int, ...]], tuple[Candidate | None, float | None, float]] = {}
    out = []
    for (cands, q, cue, key), signature in zip(rows, same, strict=True):
        if signature not in done:
            done[signature] = _best(cands, q, cue, None if contexts is None else contexts.get(key), key)
        out.append(done[signature])
    return out


def _near_the_others(cand: Candidate | None, firm: list[tuple[Candidate | None, float | None, float]]) -> bool:
    """A tentative town stands if it lies within TENTATIVE_KM of a firmly found town or county."""
    if cand is None or cand.kind != "city":
        return False
    points = [c for c, _, _ in firm if c is not None and c.kind in _POINT_KINDS and c.row != cand.row]
    return any(haversine_km(cand.lat, cand.lon, c.lat, c.lon) <= TENTATIVE_KM for c in points)


def _one_sense_per_article(current: list[tuple[Candidate | None, float | None, float]], keys: list[str], cues: list[bool], quals: list[list[Candidate]]) -> list[tuple[Candidate | None, float | None, float]]:
    """A name qualified once ("Paris, Tenn.") means the same place when it recurs bare."""
    chosen: dict[str, tuple[Candidate | None, float | None, float]] = {}
    for result, key, cue, qual in zip(current, keys, cues, quals, strict=True):
        if qual and not cue and result[0] is not None and (key not in chosen or (result[1] or 0) > (chosen[key][1] or 0)):
            chosen[key] = result
    return [chosen[key] if key in chosen and not cue and not qual else result for result, key, cue, qual in zip(current, keys, cues, quals, strict=True)]


def _best(cands: list[Candidate], qualifiers: list[Candidate], cue: bool, ctx: _Context | None, key: str) -> tuple[Candidate | None, float | None, float]:
    if not cands:
        return None, None, 0.0
    scored = sorted(((_score(c, qualifiers, cue, ctx, key), i) for i, c in enumerate(cands)), reverse=True)
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 10.0
    return cands[scored[0][1]], scored[0][0], margin


def _contexts(first: list[tuple[Candidate | None, float | None, float]], keys: list[str], all_keys: set[str]) -> dict[str, _Context]:
    """For each distinct name, the article's geography as told by its *other* (firm) names."""
    votes: list[tuple[str, Candidate]] = [(k, c) for (c, _, margin), k in zip(first, keys, strict=True) if c is not None and margin >= CONFIDENT_MARGIN]
    out: dict[str, _Context] = {}
    for key in all_keys:
        ctx = _Context(Counter(), Counter(), Counter(), [])
        for other, cand in votes:
            if other == key:
                continue
            if cand.country_code:
                ctx.countries[cand.country_code] += 1
            if cand.admin1 and cand.kind in ("admin1", "admin2", "city"):
                ctx.admin1s[(cand.country_code or "", cand.admin1)] += 1
            if cand.admin2 and cand.kind in ("admin2", "city"):
                ctx.admin2s[(cand.admin1 or "", cand.admin2)] += 1
            if cand.kind in ("city", "admin2", "facility"):
                ctx.anchors.append((other, cand.lat, cand.lon))
        out[key] = ctx
    return out
