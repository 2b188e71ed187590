"""RSS and Atom feed files, with feedparser: one article per entry (its content, else its summary),
with the entry's title, date, link and author; the feed's title is the source."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import feedparser

from tidings.errors import E, TidingsError
from tidings.ingest.dates import parse_date
from tidings.ingest.html import fragment_paragraphs


@dataclass(frozen=True)
class FeedEntry:
    number: int  # 1-based position in the feed
    paragraphs: list[str]
    raw: str
    title: str | None
    published: str | None
    url: str | None
    author: str | None
    source: str | None


def parse_feed(data: bytes, origin: str) -> Iterator[FeedEntry]:
    """The feed's entries that carry text; E010 when it has none at all."""
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise TidingsError(E.E010, path=origin, reason=reason)
    source = (parsed.get("feed") or {}).get("title") or None
    for number, entry in enumerate(entries, start=1):
        raw = _entry_body(entry)
        yield FeedEntry(
            number=number,
            paragraphs=fragment_paragraphs(raw),
            raw=raw,
            title=" ".join((entry.get("title") or "").split()) or None,
            published=_entry_date(entry),
            url=entry.get("link") or None,
            author=entry.get("author") or None,
            source=source,
        )


def _entry_body(entry: Any) -> str:
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return str(value)
    return str(entry.get("summary") or entry.get("description") or "")


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    for key in ("published", "updated", "dc_date"):
        value = entry.get(key)
        if value:
            return parse_date(str(value))
    return None
