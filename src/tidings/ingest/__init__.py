"""Raw news in, clean `Article`s out: text dumps, HTML pages, RSS/Atom feeds, JSON Lines and CSV,
from files, directories (walked recursively), `-` for stdin, and `.gz` versions of any of them.

`read_inputs` yields articles and `IngestFailure`s in input order: a bad input (or a bad record of
one) is reported with a coded error naming the file (and line), and reading goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from tidings.article import Article
from tidings.errors import E, TidingsError, W, warn
from tidings.ingest.base import FORMATS, IngestFailure, ReadOptions
from tidings.ingest.dump import lines_of, split_dump, to_article
from tidings.ingest.feeds import parse_feed
from tidings.ingest.html import extract_page, join_paragraphs, page_article
from tidings.ingest.records import read_csv, read_jsonl
from tidings.ingest.sources import (
    Source,
    binary_kind,
    decoded_lines,
    detect_format,
    expand,
    open_source,
    peek_head,
)


def read_inputs(paths: Sequence[str], options: ReadOptions | None = None) -> Iterator[Article | IngestFailure]:
    """Every article in `paths`, in order, and a failure for each input or record that could not be read."""
    options = options or ReadOptions()
    for item in expand(list(paths)):
        if isinstance(item, TidingsError):
            yield IngestFailure(str(item.details.get("path", "")), item)
            continue
        yield from read_source(item, options)


def read_source(source: Source, options: ReadOptions) -> Iterator[Article | IngestFailure]:
    """One file's articles; an error that stops the file comes last, after what was read before it."""
    try:
        with open_source(source) as stream:
            head = peek_head(stream)
            kind = binary_kind(head)
            if kind is not None:
                raise TidingsError(E.E004, path=source.origin, kind=kind)
            if not head.strip(b" \t\r\n\xef\xbb\xbf"):
                raise TidingsError(E.E003, path=source.origin)
            fmt = options.format or detect_format(source, head, options.text_field)
            for item in _read_format(fmt, stream, source, options):
                if isinstance(item, Article):
                    _apply_fallbacks(item, options)
                yield item
    except TidingsError as err:
        yield IngestFailure(source.origin, err)


def _read_format(fmt: str, stream: BinaryIO, source: Source, options: ReadOptions) -> Iterator[Article | IngestFailure]:
    origin = source.origin
    if fmt == "text":
        return read_text_dump(stream, origin)
    if fmt == "html":
        return iter([read_html(stream, origin)])
    if fmt == "rss":
        return read_feed(stream, origin)
    if fmt == "csv":
        return read_csv(stream, origin, options, tab=source.inner_name.lower().endswith(".tsv"))
    return read_jsonl(stream, origin, options, html=fmt == "html-jsonl")


def bench_stream(path: str) -> dict[str, object]:
    """Read a text dump, timing it and measuring peak RSS growth (see `tidings.ingest.bench`)."""
    # Imported late: `python -m tidings.ingest.bench` must find that module not yet imported.
    from tidings.ingest.bench import bench_stream as measure

    return measure(path)


def _apply_fallbacks(article: Article, options: ReadOptions) -> None:
    if article.published is None and options.published:
        article.published = options.published
        article.published_how = "option"
    if article.source and article.source not in article.sources:
        article.sources.append(article.source)


def read_text_dump(stream: BinaryIO, origin: str) -> Iterator[Article]:
    """Articles of a scraped text dump, streamed one article at a time."""
    chunks = (line for _, line in decoded_lines(stream, origin))
    found = 0
    repeated = junk = lines = 0
    for dump in split_dump(lines_of(_split_breaks(chunks))):
        found += 1
        repeated += dump.repeated
        junk += dump.junk
        lines += len(dump.lines)
        yield to_article(dump, f"{origin}#{found}")
    if not found:
        raise TidingsError(E.E101, path=origin, lines=lines)
    if repeated or junk:
        warn(W.W001, path=origin, count=repeated, junk=junk)


def _split_breaks(chunks: Iterator[str]) -> Iterator[str]:
    """Lines ended by any line break (a lone "\\r" too), each with its own end of line."""
    for chunk in chunks:
        if "\r" in chunk[:-2] or "\u2028" in chunk or "\x0c" in chunk:
            yield from chunk.splitlines(keepends=True)
        else:
            yield chunk


def read_html(stream: BinaryIO, origin: str) -> Article:
    data = stream.read()
    try:
        markup: str | bytes = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        markup = data  # pages in other encodings: trafilatura reads their declared charset
    page = extract_page(markup)
    if page is None:
        raise TidingsError(E.E011, path=origin, reason=" (the page may be malformed, empty or not an article)")
    raw = markup if isinstance(markup, str) else data.decode("utf-8", errors="replace")
    return page_article(page, raw, origin)


def read_feed(stream: BinaryIO, origin: str) -> Iterator[Article | IngestFailure]:
    for entry in parse_feed(stream.read(), origin):
        where = f"{origin}#{entry.number}"
        if not entry.paragraphs:
            yield IngestFailure(where, TidingsError(E.E012, path=origin, line=f"entry {entry.number}", field="content"))
            continue
        text, paragraphs, segments = join_paragraphs(entry.paragraphs, entry.raw)
        yield Article(
            text=text,
            raw=entry.raw,
            title=entry.title,
            published=entry.published,
            published_how="metadata" if entry.published else "unknown",
            url=entry.url,
            author=entry.author,
            source=entry.source,
            origin=where,
            paragraphs=paragraphs,
            offset_map=segments,
        )


__all__ = ["FORMATS", "IngestFailure", "ReadOptions", "bench_stream", "page_article", "read_inputs", "read_source"]
