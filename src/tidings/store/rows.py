"""Article and annotation records -> table rows. The full article is kept as JSON in
`articles.doc` (lossless); the annotation tables are query indexes derived from it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from tidings.article import (
    Article,
    Claim,
    Entity,
    Event,
    Place,
    Quantity,
    Quote,
    Span,
    TimeExpr,
)

Row = tuple[Any, ...]


def article_row(article: Article, encoded: dict[str, Any] | None = None) -> Row:
    """The `articles` row; `encoded` is `article.to_dict()` when the caller has it already."""
    return (
        article.id,
        article.external_id,
        article.title,
        iso_date(article.published),
        article.published_how,
        article.source,
        article.url,
        article.author,
        article.origin,
        len(article.text.split()),
        article.text,
        json.dumps(encoded if encoded is not None else article.to_dict(), ensure_ascii=False),
    )


def iso_date(value: str | None) -> date | None:
    """The first day an ISO/TIMEX value can denote (`2024-11` -> 2024-11-01); None if not a date."""
    if not value:
        return None
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _common(article: Article, idx: int, span: Span | Entity | TimeExpr | Place | Quantity) -> Row:
    return (article.id, idx, span.start, span.end, span.text)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def article_rows(article: Article) -> tuple[Row, dict[str, list[Row]]]:
    """The article's row and its annotation rows, serialising the article once."""
    encoded = article.to_dict()
    return article_row(article, encoded), {table: make(article, encoded[table]) for table, (_, make) in ANNOTATION_ROWS.items()}


def _entity_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [(*_common(a, i, e), e.label, _json(enc[i])) for i, e in enumerate(a.entities)]


def _quote_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [(*_common(a, i, q.content), q.speaker_name, q.speaker.text if q.speaker else None, q.kind, _json(enc[i])) for i, q in enumerate(a.quotes)]


def _claim_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [(*_common(a, i, c.content), c.claimant, c.status, _json(enc[i])) for i, c in enumerate(a.claims)]


def _time_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [(*_common(a, i, t), t.type, t.value, _json(enc[i])) for i, t in enumerate(a.times)]


def _place_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [(*_common(a, i, p), p.name, p.geonameid, p.lat, p.lon, p.country_code, _json(enc[i])) for i, p in enumerate(a.places)]


def _quantity_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [(*_common(a, i, q), q.value, q.low, q.high, q.qualifier, q.counted, _json(enc[i])) for i, q in enumerate(a.quantities)]


def _event_rows(a: Article, enc: list[Any]) -> list[Row]:
    return [_event_row(a, i, ev, enc[i]) for i, ev in enumerate(a.events)]


def _event_row(a: Article, idx: int, ev: Event, encoded: Any) -> Row:
    place = a.places[ev.place] if ev.place is not None and 0 <= ev.place < len(a.places) else None
    date_value = ev.date.value if ev.date else None
    return (
        *_common(a, idx, ev.trigger),
        ev.event_type,
        ev.sub_event_type,
        iso_date(date_value),
        date_value,
        ev.date.precision if ev.date else None,
        place.name if place else None,
        place.lat if place else None,
        place.lon if place else None,
        place.country_code if place else None,
        ev.fatalities,
        ev.injured,
        ev.status,
        ev.confidence,
        ev.attributed_to,
        _json(encoded),
    )


# table -> (number of columns, row maker)
ANNOTATION_ROWS: dict[str, tuple[int, Callable[[Article, list[Any]], list[Row]]]] = {
    "entities": (7, _entity_rows),
    "quotes": (9, _quote_rows),
    "claims": (8, _claim_rows),
    "times": (8, _time_rows),
    "places": (11, _place_rows),
    "quantities": (11, _quantity_rows),
    "events": (20, _event_rows),
}

__all__ = ["ANNOTATION_ROWS", "Claim", "Quote", "article_row", "article_rows", "iso_date"]
