"""An article as the reader shows it: its text cut into runs, each run carrying the highlights
(quotes, claims, events, places, times, figures) that cover it, in the cleaned text and in the
raw original. The browser only places the runs with `textContent`: no markup comes from here."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from tidings.article import Article

KINDS = ("quote", "claim", "event", "place", "time", "figure", "entity")


@dataclass(frozen=True)
class Highlight:
    id: int
    kind: str
    start: int
    end: int
    label: str
    detail: dict[str, Any]
    group: str | None = None  # quotes: the speaker, so the page colours one speaker alike


def highlights_of(article: Article) -> list[Highlight]:
    """Every annotation of `article` with a span, as a flat list of highlights."""
    made: list[tuple[str, int, int, str, dict[str, Any], str | None]] = []
    for q in article.quotes:
        speaker = q.speaker_name or (q.speaker.text if q.speaker else None)
        made.append(("quote", q.content.start, q.content.end, f"quote · {speaker or 'unknown speaker'}",
                     {"speaker": speaker, "kind": q.kind, "via": q.via, "cue": q.cue.text if q.cue else None}, speaker or "?"))
    for c in article.claims:
        made.append(("claim", c.content.start, c.content.end, f"claim · {c.status}",
                     {"claimant": c.claimant, "status": c.status, "via": c.via, "cue": c.status_cue.text if c.status_cue else None}, None))
    for ev in article.events:
        place = article.places[ev.place].name if ev.place is not None and 0 <= ev.place < len(article.places) else None
        made.append(("event", ev.trigger.start, ev.trigger.end, f"event · {ev.sub_event_type}",
                     {"event_type": ev.event_type, "sub_event_type": ev.sub_event_type, "status": ev.status,
                      "date": ev.date.value if ev.date else None, "place": place, "actors": ev.actors,
                      "fatalities": ev.fatalities, "injured": ev.injured}, ev.event_type))
    for p in article.places:
        made.append(("place", p.start, p.end, f"place · {p.name}",
                     {"name": p.name, "country_code": p.country_code, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid}, None))
    for t in article.times:
        made.append(("time", t.start, t.end, f"time · {t.value or t.type}", {"type": t.type, "value": t.value}, None))
    for n in article.quantities:
        made.append(("figure", n.start, n.end, f"figure · {n.qualifier}",
                     {"value": n.value, "low": n.low, "high": n.high, "qualifier": n.qualifier, "counted": n.counted}, None))
    for e in article.entities:
        made.append(("entity", e.start, e.end, f"entity · {e.label}", {"label": e.label}, None))
    ok = [m for m in made if 0 <= m[1] < m[2] <= len(article.text)]
    return [Highlight(i, *m) for i, m in enumerate(ok)]


def runs(text_length: int, spans: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """Cut [0, text_length) at every span boundary; each run lists the ids of the spans covering it.

    `spans` are (id, start, end). Runs are returned in order and tile the text exactly.
    """
    cuts = {0, text_length}
    for _, start, end in spans:
        cuts.add(max(0, min(start, text_length)))
        cuts.add(max(0, min(end, text_length)))
    points = sorted(cuts)
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for span_id, start, end in spans:
        if start < end:
            opening.setdefault(start, []).append(span_id)
            closing.setdefault(end, []).append(span_id)
    active: set[int] = set()
    out = []
    for left, right in pairwise(points):
        active.difference_update(closing.get(left, []))
        active.update(opening.get(left, []))
        if right > left:
            out.append({"start": left, "end": right, "marks": sorted(active)})
    return out


def article_view(article: Article, sources: list[dict[str, Any]]) -> dict[str, Any]:
    marks = highlights_of(article)
    raw_spans = []
    for h in marks:
        raw_start, raw_end = article.to_raw(h.start, h.end)
        if 0 <= raw_start < raw_end <= len(article.raw):
            raw_spans.append((h.id, raw_start, raw_end))
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "published": article.published,
        "published_how": article.published_how,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "origin": article.origin,
        "sources": sources,
        "text": article.text,
        "raw": article.raw,
        "captions": [c.__dict__ for c in article.captions],
        "highlights": [h.__dict__ for h in marks],
        "runs": runs(len(article.text), [(h.id, h.start, h.end) for h in marks]),
        "raw_runs": runs(len(article.raw), raw_spans),
        "counts": {k: len(getattr(article, k)) for k in ("entities", "quotes", "claims", "times", "places", "quantities", "events")},
    }
