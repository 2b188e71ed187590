"""Record inputs: JSON Lines (`{id, text, published, title}`, field names configurable), CSV / TSV
with the same columns, and html-jsonl (`{id, html}`). A record's text is kept verbatim: it is what
the user gave, and every offset refers to it. A bad record is reported with its line number and
the others are read."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from tidings.article import Article
from tidings.errors import E, TidingsError
from tidings.ingest.base import IngestFailure, ReadOptions
from tidings.ingest.dates import parse_date
from tidings.ingest.html import extract_page, page_article
from tidings.ingest.sources import MAX_RECORD_LINE_BYTES, decoded_lines

HTML_FIELD = "html"


def read_jsonl(stream: BinaryIO, origin: str, options: ReadOptions, html: bool = False) -> Iterator[Article | IngestFailure]:
    for number, line in _numbered_lines(stream, origin):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = _parse_json_record(line, origin, number)
            yield _html_record(record, options, origin, number) if html else record_article(record, options, origin, number)
        except TidingsError as err:
            yield IngestFailure(where, err)


def _numbered_lines(stream: BinaryIO, origin: str) -> Iterator[tuple[int, str]]:
    """JSON Lines split at "\\n" only: a JSON string may hold U+2028 and other line breaks."""
    for number, (_, line) in enumerate(decoded_lines(stream, origin, MAX_RECORD_LINE_BYTES), start=1):
        yield number, line


def _parse_json_record(line: str, origin: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise TidingsError(E.E007, path=origin, line=number, reason=f"{err.msg} at column {err.colno}") from err
    if not isinstance(record, dict):
        raise TidingsError(E.E007, path=origin, line=number, reason=f"a JSON {type(record).__name__}, not an object")
    return record


def record_article(record: dict[str, Any], options: ReadOptions, origin: str, number: int) -> Article:
    """An article from one record: text verbatim, the record's id kept as `external_id`."""
    text = _required_text(record, options.text_field, origin, number)
    published = _record_date(record.get(options.date_field))
    external_id = record.get(options.id_field)
    return Article(
        text=text,
        external_id=str(external_id) if external_id not in (None, "") else None,
        title=_optional_text(record.get(options.title_field)),
        url=_optional_text(record.get(options.url_field)),
        published=published or options.published,
        published_how="metadata" if published else ("option" if options.published else "unknown"),
        origin=f"{origin}:{number}",
    )


def _html_record(record: dict[str, Any], options: ReadOptions, origin: str, number: int) -> Article:
    markup = _required_text(record, HTML_FIELD, origin, number)
    url = _optional_text(record.get(options.url_field))
    page = extract_page(markup, url=url)
    if page is None:
        raise TidingsError(E.E011, path=f"{origin}:{number}", reason="")
    article = page_article(page, markup, f"{origin}:{number}")
    external_id = record.get(options.id_field)
    article.external_id = str(external_id) if external_id not in (None, "") else None
    if article.published is None and options.published:
        article.published, article.published_how = options.published, "option"
    return article


def _required_text(record: dict[str, Any], name: str, origin: str, number: int) -> str:
    if name not in record:
        raise TidingsError(E.E008, path=origin, line=number, field=name, seen=", ".join(sorted(map(str, record))) or "none")
    value = record[name]
    if not isinstance(value, str) or not value.strip():
        raise TidingsError(E.E012, path=origin, line=number, field=name)
    return value


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _record_date(value: Any) -> str | None:
    return parse_date(value) if isinstance(value, str) else None


def read_csv(stream: BinaryIO, origin: str, options: ReadOptions, tab: bool = False) -> Iterator[Article | IngestFailure]:
    """CSV (or TSV) with a header row naming the columns."""
    lines = (line for _, line in decoded_lines(stream, origin, MAX_RECORD_LINE_BYTES))
    first = next(lines, "")
    delimiter = "\t" if tab or first.count("\t") > first.count(",") else ","
    csv.field_size_limit(MAX_RECORD_LINE_BYTES)
    reader = csv.DictReader(_chain(first, lines), delimiter=delimiter)
    columns = reader.fieldnames or []
    if options.text_field not in columns:
        raise TidingsError(E.E009, path=origin, field=options.text_field, seen=", ".join(columns) or "none")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield IngestFailure(f"{origin}:{reader.line_num}", TidingsError(E.E100, path=origin, line=reader.line_num, reason=str(err)))
            continue
        number = reader.line_num
        try:
            yield record_article({k: v for k, v in row.items() if k is not None}, options, origin, number)
        except TidingsError as err:
            yield IngestFailure(f"{origin}:{number}", err)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest
