"""Choosing the GeoNames entry each toponym refers to.

Each candidate gets a score: a prior from its kind and population, a penalty for matching
only through a weak alias, and bonuses from the article: the countries, states and counties
its other places lie in, an explicit qualifier next to the name ("Paris, Tenn.", "Russia's
Kursk"), a cue that an admin area is meant ("Kursk border region"), and nearness to the
article's other places. Two passes: a context-free one to learn the article's geography, then
the final one, in which a name never votes for itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from tidings.geo.gazetteer import Candidate, Gazetteer
from tidings.geo.mentions import Mention
from tidings.geo.normalize import name_key
from tidings.geo.sources import ALIAS, ALTERNATE, WEAK

# Weights tuned by hand on the LGL dev set (tidings eval places), in score units; the
# population term is POP_WEIGHT * log10(population + 1).
KIND_PRIOR = {"country": 3.0, "continent": 2.5, "admin1": 2.2, "region": 5.0, "water": 5.0, "facility": 4.0, "admin2": 1.0, "city": 0.0}
# National capitals are what a bare "Washington" or "Moscow" means in news.
CAPITAL_BONUS = 3.0
POP_WEIGHT = 0.9
NAME_TYPE_PENALTY = {ALIAS: 0.3, WEAK: 2.5, ALTERNATE: 1.0}
COUNTRY_BONUS = 2.0
ADMIN1_BONUS = 3.0
ADMIN2_BONUS = 1.5
QUALIFIER_BONUS = 4.0
ADMIN_CUE_BONUS = 3.0
NEAR_KM, NEAR_BONUS = 50.0, 1.0
CLOSE_KM, CLOSE_BONUS = 250.0, 0.5
# Places that vote for the article's geography must have won their own first pass by this much.
CONFIDENT_MARGIN = 1.0

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
    if cand.country_code and ctx.countries[cand.country_code] > 0 and cand.kind != "country":
        score += COUNTRY_BONUS
    if cand.admin1 and ctx.admin1s[(cand.country_code or "", cand.admin1)] > 0 and cand.kind != "admin1":
        score += ADMIN1_BONUS
    if cand.admin2 and ctx.admin2s[(cand.admin1 or "", cand.admin2)] > 0 and cand.kind != "admin2":
        score += ADMIN2_BONUS
    if cand.kind in ("city", "admin2", "facility"):
        nearest = min((haversine_km(cand.lat, cand.lon, lat, lon) for k, lat, lon in ctx.anchors if k != key), default=None)
        if nearest is not None:
            score += NEAR_BONUS if nearest <= NEAR_KM else CLOSE_BONUS if nearest <= CLOSE_KM else 0.0
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
    for mention in mentions:
        cue = _ADMIN_CUE.match(text, mention.end) is not None
        cands = gazetteer.candidates(mention.text)
        if cue:
            seen = {c.row for c in cands}
            cands += [c for c in _admin_variants(gazetteer, mention) if c.row not in seen]
        options.append(cands)
        cues.append(cue)
        quals.append(_qualifiers(text, mention, gazetteer))

    first = [_best(cands, q, cue, None, key) for cands, q, cue, key in zip(options, quals, cues, keys, strict=True)]
    contexts = _contexts(first, keys)
    out: list[Resolution] = []
    for mention, cands, q, cue, key in zip(mentions, options, quals, cues, keys, strict=True):
        best, score, _ = _best(cands, q, cue, contexts.get(key), key)
        out.append(Resolution(mention, best, None if score is None else round(score, 3)))
    return out


def _best(cands: list[Candidate], qualifiers: list[Candidate], cue: bool, ctx: _Context | None, key: str) -> tuple[Candidate | None, float | None, float]:
    if not cands:
        return None, None, 0.0
    scored = sorted(((_score(c, qualifiers, cue, ctx, key), i) for i, c in enumerate(cands)), reverse=True)
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 10.0
    return cands[scored[0][1]], scored[0][0], margin


def _contexts(first: list[tuple[Candidate | None, float | None, float]], keys: list[str]) -> dict[str, _Context]:
    """For each distinct name, the article's geography as told by its *other* names."""
    votes: list[tuple[str, Candidate]] = [(k, c) for (c, _, margin), k in zip(first, keys, strict=True) if c is not None and margin >= CONFIDENT_MARGIN]
    out: dict[str, _Context] = {}
    for key in set(keys):
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
