"""Figures across sources: the same quantity (North Korean troops in Russia) reported by several
sources becomes one figure holding every value, hedge and source, with a range and the consensus
interval most sources allow. A figure about a different thing, or of another magnitude, stays out.
Pure."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from tidings.ledger import overflow
from tidings.ledger.mentions import FigureMention
from tidings.ledger.names import fold, tokens

# Reports of one quantity stay within this factor of each other (10,000 vs 15,000 troops); the
# size of a whole army (1.3 million) is 100x off. Chosen by hand, checked on tests/data/ledger.
MAGNITUDE_RATIO = 3.0
# Figures of one quantity are compared within this many days: counts are revised over weeks.
FIGURE_WINDOW_DAYS = 60
# "about N" is read as N +/- this fraction when finding the consensus.
ABOUT_SPREAD = 0.1

HEAD_SYNONYMS = {
    "soldiers": "troops", "soldier": "troops", "troop": "troops", "forces": "troops", "servicemen": "troops",
    "personnel": "troops", "fighters": "troops", "units": "troops", "unit": "troops", "army": "troops",
    "protesters": "people", "demonstrators": "people", "marchers": "people", "persons": "people", "person": "people", "civilians": "people", "residents": "people", "individuals": "people",
    "dead": "deaths", "death": "deaths", "fatalities": "deaths", "killed": "deaths",
    "refugees": "displaced", "evacuees": "displaced",
}
_STOP = frozenset(["a", "an", "the", "of", "some", "more", "than", "about", "around", "up", "to", "at", "least", "most", "over", "under", "nearly", "almost", "new", "other", "combat"])


def head_of(counted: str) -> str:
    words = [w for w in tokens(counted) if w not in _STOP and not w.isdigit()]
    head = words[-1] if words else fold(counted)
    return HEAD_SYNONYMS.get(head, head)


def qualifiers_of(m: FigureMention) -> frozenset[str]:
    """Who or what the figure counts beyond its head noun: "North Korean" in "North Korean troops"."""
    words = [w for w in m.counted.split() if w[:1].isupper()]
    found = {fold(w) for w in words} | {t for c in m.context_words for t in tokens(c)}
    return frozenset(w for w in found if w not in _STOP)


def point(m: FigureMention | dict[str, Any]) -> float | None:
    get = m.get if isinstance(m, dict) else lambda k: getattr(m, k)
    value, low, high = get("value"), get("low"), get("high")
    if value is not None:
        return float(value)
    if low is not None and high is not None:
        return (float(low) + float(high)) / 2
    return float(low) if low is not None else (float(high) if high is not None else None)


def interval(m: dict[str, Any]) -> tuple[float, float]:
    """What a hedged value allows: "up to N" -> [0, N], "at least N" -> [N, inf], "about N" -> N +/- 10%."""
    value = point(m)
    q = m["qualifier"]
    if value is None:
        return (0.0, math.inf)
    if q == "range" and m.get("low") is not None and m.get("high") is not None:
        return (float(m["low"]), float(m["high"]))
    if q in ("up_to", "at_most"):
        return (0.0, value)
    if q == "at_least":
        return (value, math.inf)
    if q == "about":
        return (value * (1 - ABOUT_SPREAD), value * (1 + ABOUT_SPREAD))
    return (value, value)


def storage_keys(m: FigureMention, published: str | None) -> set[str]:
    month = (published or "????-??")[:7]
    return {f"fig|{m.unit or ''}|{head_of(m.counted)}|{month}"}


def lookup_keys(m: FigureMention, published: str | None) -> set[str]:
    if not published:
        return {f"fig|{m.unit or ''}|{head_of(m.counted)}|????-??"}
    day = date.fromisoformat(published[:10])
    months = {(day + timedelta(days=d)).isoformat()[:7] for d in range(-FIGURE_WINDOW_DAYS, FIGURE_WINDOW_DAYS + 1, 15)}
    return {f"fig|{m.unit or ''}|{head_of(m.counted)}|{mo}" for mo in months}


def match_score(m: FigureMention, record: dict[str, Any]) -> float:
    if head_of(m.counted) != record["head"] or (m.unit or "") != record.get("unit", ""):
        return 0.0
    mine, theirs = qualifiers_of(m), frozenset(record["qualifiers"])
    if (mine or theirs) and not (mine & theirs):
        return 0.0
    value = point(m)
    if value is None or not record["values"]:
        return 0.0
    points = [p for p in (point(v) for v in record["values"]) if p]
    if not points or value <= 0:
        return 0.0
    centre = sorted(points)[len(points) // 2]
    ratio = max(value, centre) / min(value, centre)
    return 0.0 if ratio > MAGNITUDE_RATIO else 1.0 - 0.3 * (ratio - 1) / (MAGNITUDE_RATIO - 1)


def new_record(figure_id: int, m: FigureMention) -> dict[str, Any]:
    return {"figure_id": figure_id, "topic": m.counted, "head": head_of(m.counted), "unit": m.unit or "", "qualifiers": sorted(qualifiers_of(m)), "values": []}


def absorb(record: dict[str, Any], m: FigureMention, info: dict[str, Any]) -> dict[str, Any]:
    record["values"].append(
        {
            "text": m.text, "value": m.value, "low": m.low, "high": m.high, "qualifier": m.qualifier, "source": m.source,
            "status": m.status, "sentence": m.sentence, "article_id": m.article_id, "idx": m.idx, "start": m.start, "end": m.end,
            "outlet": info.get("outlet"), "published": info.get("published"), "agency": m.agency, "syndicate": info.get("syndicate"),
        }
    )
    record["qualifiers"] = sorted(set(record["qualifiers"]) | qualifiers_of(m))
    return summarise(record)


def summarise(record: dict[str, Any]) -> dict[str, Any]:
    points = [p for p in (point(v) for v in record["values"]) if p is not None]
    distinct = {(v["value"], v["low"], v["high"], v["qualifier"]) for v in record["values"]}
    record["range"] = [min(points), max(points)] if points else None
    record["consensus"] = consensus([interval(v) for v in record["values"]])
    record["contested"] = len(distinct) > 1
    record["sources"] = sorted({source_name(v["source"], v["outlet"], v["article_id"]) for v in record["values"]})
    record["n_sources"] = len(record["sources"])
    return record


def source_name(source: str | None, outlet: str | None, article_id: str) -> str:
    """Who gave a value: its own source when the text names one, else the outlet, else the article."""
    return str(source or outlet or article_id)


def repeats(m: FigureMention, record: dict[str, Any]) -> bool:
    """A full record's new value that it already lists: only counted (ledger.overflow)."""
    listed = {(v["value"], v["low"], v["high"], v["qualifier"]) for v in record["values"]}
    return overflow.is_full(record["values"]) and (m.value, m.low, m.high, m.qualifier) in listed


def consensus(intervals: list[tuple[float, float]]) -> dict[str, Any] | None:
    """The interval that the most values allow, and how many allow it (None if no two agree)."""
    events = sorted([(lo, 0) for lo, _ in intervals] + [(hi, 1) for _, hi in intervals])
    depth, best, best_lo = 0, 0, None
    best_span: tuple[float, float] | None = None
    for x, kind in events:
        if kind == 0:
            depth += 1
            if depth > best:
                best, best_lo = depth, x
        else:
            if depth == best and best_lo is not None and best_span is None:
                best_span = (best_lo, x)
            depth -= 1
            if depth < best and best_span is None and best_lo is not None:
                best_span = (best_lo, x)
    if best < 2 or best_span is None:
        return None
    lo, hi = best_span
    return {"low": lo, "high": None if math.isinf(hi) else hi, "agreeing": best}
