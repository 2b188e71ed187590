"""The options and results of reading inputs, shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass

from tidings.errors import E, TidingsError
from tidings.ingest.dates import require_date

FORMATS: tuple[str, ...] = ("text", "html", "html-jsonl", "rss", "jsonl", "csv")


@dataclass
class ReadOptions:
    """How to read inputs. `format` forces one format for every input (None: detect each one);
    `published` is the fallback date for articles whose input gives none; the `*_field`s name the
    JSON keys / CSV columns of records."""

    format: str | None = None
    published: str | None = None
    text_field: str = "text"
    title_field: str = "title"
    date_field: str = "published"
    url_field: str = "url"
    id_field: str = "id"

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise TidingsError(E.E006, name=self.format, valid=", ".join(FORMATS))
        if self.published is not None:
            self.published = require_date(self.published, "--published")


@dataclass
class IngestFailure:
    """An input (or one record of it) that could not be read; the others still are."""

    origin: str  # "path" or "path:LINE"
    error: TidingsError

    def __str__(self) -> str:
        return str(self.error)
