"""Main text and metadata of a news HTML page, with trafilatura.

Options measured on ../shared/eval/html/aeb-dev (54 pages, word-4-gram F1, macro over pages):
plain `trafilatura.extract()` 0.958; without comments 0.961; favor_recall without comments 0.970;
favor_precision without comments 0.974 (chosen); dropping a first paragraph that repeats the page
title 0.976.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

from tidings.article import Article, Paragraph, Segment
from tidings.ingest.dates import parse_date

# The trafilatura options chosen by the measurements above.
FAVOR_PRECISION = True
INCLUDE_COMMENTS = False

# Fewer words than this is not article text ("<<<>>>", a lone link): the page gives E011.
MIN_WORDS = 3
_WORDS = re.compile(r"[^\W\d_]{2,}")

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table", "section", "article", "figure", "figcaption"}


@dataclass(frozen=True)
class Page:
    """What was extracted from one page: paragraphs of main text and metadata."""

    paragraphs: list[str]
    title: str | None
    published: str | None
    author: str | None
    url: str | None
    sitename: str | None


def extract_page(markup: str | bytes, url: str | None = None) -> Page | None:
    """The page's main text, or None when trafilatura finds no article text in it."""
    doc = trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, favor_precision=FAVOR_PRECISION, include_comments=INCLUDE_COMMENTS
    )
    if doc is None or isinstance(doc, dict):
        return None
    text = doc.text or ""
    paragraphs = [" ".join(p.split()) for p in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and doc.title and _same_words(paragraphs[0], doc.title):
        paragraphs = paragraphs[1:]  # the headline is metadata, not body text
    if sum(len(_WORDS.findall(p)) for p in paragraphs) < MIN_WORDS:
        return None
    return Page(
        paragraphs=paragraphs,
        title=doc.title or None,
        published=parse_date(doc.date) if doc.date else None,
        author=doc.author or None,
        url=doc.url or url,
        sitename=doc.sitename or None,
    )


def _same_words(first: str, second: str) -> bool:
    return _WORDS.findall(first.casefold()) == _WORDS.findall(second.casefold())


def fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed entry's content): text split at block elements."""
    if "<" not in fragment:
        return [" ".join(p.split()) for p in fragment.split("\n\n") if p.strip()]
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on hopeless markup; fall back to the bare text
        return [" ".join(fragment.split())] if fragment.strip() else []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in {"script", "style"}:
            element.text = ""
        elif tag == "br":
            element.tail = "\n\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def page_article(page: Page, raw: str, origin: str) -> Article:
    """An `Article` from extracted paragraphs; each paragraph maps back to the raw page where its
    text occurs there verbatim (text broken by inline tags or entities maps to the whole page)."""
    text, paragraphs, segments = join_paragraphs(page.paragraphs, raw)
    return Article(
        text=text,
        raw=raw,
        title=page.title,
        published=page.published,
        published_how="metadata" if page.published else "unknown",
        author=page.author,
        url=page.url,
        source=page.sitename,
        origin=origin,
        paragraphs=paragraphs,
        offset_map=segments,
    )


def join_paragraphs(parts: list[str], raw: str) -> tuple[str, list[Paragraph], list[Segment]]:
    """Paragraphs joined by a blank line, with a segment for each paragraph found verbatim in `raw`."""
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    segments: list[Segment] = []
    offset = 0
    cursor = 0
    for part in parts:
        if text_parts:
            text_parts.append("\n\n")
            offset += 2
        text_parts.append(part)
        paragraphs.append(Paragraph(offset, offset + len(part)))
        found = raw.find(part, cursor)
        if found >= 0:
            segments.append(Segment(offset, offset + len(part), found, found + len(part)))
            cursor = found + len(part)
        offset += len(part)
    if not segments:
        segments = [Segment(0, offset, 0, len(raw))]
    return "".join(text_parts), paragraphs, segments
