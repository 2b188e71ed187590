"""Split a scraped text dump (several articles in one file, with the scraper's debris) into articles.

The input is read line by line (`DumpLine`s from `lines_of`), and articles come out one at a
time (`split_dump`), so a file of any size is handled in memory bounded by its longest article.

How an article is recognised: a headline-shaped line (short, no final full stop) starts a new
article when enough evidence says so (`boundary_score`): a wider gap of blank lines than between
the paragraphs so far, the line repeated just below it (scrapers print headline and caption two or
three times), a caption, byline, date line or dateline right after it, Title Case. Inside an
article, everything before the first real paragraph is the preamble: the title, captions, bylines,
date lines, and debris; from the first real paragraph on, the body. Repeated lines and junk are
dropped anywhere; captions are kept once, apart from the body.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import ftfy

from tidings.article import Article, Caption, Paragraph, Segment
from tidings.ingest import debris

# How many lines below a candidate headline are searched for its repeat and the lines that
# confirm it. The sample dumps repeat a headline within 4 lines; 8 leaves room for more debris.
LOOKAHEAD_LINES = 8

# A candidate headline starts a new article at this score (see `boundary_score`).
BOUNDARY_SCORE = 2

# An article grows at most this long before it is cut at the next paragraph: bounds memory on a
# dump whose articles cannot be told apart (a 200 MB file of paragraphs without headlines).
MAX_ARTICLE_CHARS = 2_000_000

# A line this long or longer, not ending like a sentence, that runs on into the next line without
# a blank line between is a hard-wrapped paragraph (mail and terminal dumps wrap at 60-80 columns).
WRAP_MIN_CHARS = 40

_SEPARATOR = re.compile(r"^(?:[-=*_#~•·+]\s*){3,}$")
_SENTENCE_END = tuple('.!?"”’\')]…:')
# UTF-8 read as cp1252/Latin-1 turns each multi-byte character into a lead letter (Â..ô) followed
# by a continuation character (U+0080..U+00BF or its cp1252 stand-in such as € ™ ’ “ •).
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization=None,
)


@dataclass(frozen=True)
class DumpLine:
    """One non-blank line of the dump, with the blank lines before it."""

    text: str  # content: stripped, mojibake fixed
    raw: str  # the line as read, end of line included
    lead: int  # characters of `raw` before the content starts
    raw_len: int  # characters of `raw` the content was made from
    gap: int  # blank lines just before it
    blank_raw: str  # the raw text of those blank lines
    number: int  # 1-based line number in the file
    key: str = ""  # the text as compared to find repeated lines

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", debris.normalise_line(self.text))


@dataclass
class DumpArticle:
    """The lines of one article, sorted into their roles."""

    number: int
    lines: list[DumpLine] = field(default_factory=list)
    title: DumpLine | None = None
    paragraphs: list[list[DumpLine]] = field(default_factory=list)
    captions: list[tuple[DumpLine, str | None]] = field(default_factory=list)
    author: str | None = None
    source: str | None = None
    published: str | None = None
    repeated: int = 0
    junk: int = 0
    chars: int = 0
    seen: set[str] = field(default_factory=set)
    gaps: Counter[int] = field(default_factory=Counter)

    @property
    def has_body(self) -> bool:
        return bool(self.paragraphs)

    def typical_gap(self) -> int:
        return self.gaps.most_common(1)[0][0] if self.gaps else 1


def lines_of(chunks: Iterable[str]) -> Iterator[DumpLine]:
    """Non-blank `DumpLine`s from decoded raw lines (each with its end of line)."""
    blank: list[str] = []
    for number, raw in enumerate(chunks, start=1):
        content = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = content.strip()
        if not stripped:
            blank.append(raw)
            continue
        lead = len(content) - len(content.lstrip())
        yield DumpLine(
            text=fix_line(stripped),
            raw=raw,
            lead=lead,
            raw_len=len(stripped),
            gap=len(blank),
            blank_raw="".join(blank),
            number=number,
        )
        blank = []


def fix_line(text: str) -> str:
    """Mojibake repaired (`â€™` -> `’`); lines without its tell-tale pairs skip ftfy's slower check."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text
    return ftfy.fix_text(text, config=_FTFY_CONFIG).strip()


def split_dump(lines: Iterable[DumpLine]) -> Iterator[DumpArticle]:
    """Articles, in file order; an article with no body paragraph is dropped."""
    pending = iter(lines)
    ahead: deque[DumpLine] = deque()
    _fill(ahead, pending)
    current = DumpArticle(number=1)
    while ahead:
        line = ahead.popleft()
        _fill(ahead, pending)
        if _SEPARATOR.match(line.text):
            if current.has_body:
                yield current
                current = DumpArticle(number=current.number + 1)
            continue
        if current.has_body and (current.chars > MAX_ARTICLE_CHARS or starts_article(line, ahead, current)):
            yield current
            current = DumpArticle(number=current.number + 1)
        _place(line, current)
    if current.has_body:
        yield current


def _fill(ahead: deque[DumpLine], pending: Iterator[DumpLine]) -> None:
    while len(ahead) < LOOKAHEAD_LINES:
        nxt = next(pending, None)
        if nxt is None:
            return
        ahead.append(nxt)


def starts_article(line: DumpLine, ahead: deque[DumpLine], current: DumpArticle) -> bool:
    """Does `line`, met after the body of `current` began, open the next article?"""
    text = line.text
    if debris.is_headline_shaped(text) and not debris.is_junk(text):
        return boundary_score(line, ahead, current) >= BOUNDARY_SCORE
    opens_with_dateline, _ = debris.dateline_source(text)
    return _wider_gap(line, current) and (opens_with_dateline or debris.byline_author(text) is not None)


def boundary_score(line: DumpLine, ahead: deque[DumpLine], current: DumpArticle) -> int:
    """Evidence that headline-shaped `line` is the title of a new article, not a subheading."""
    score = 0
    if _wider_gap(line, current):
        score += 2
    if line.gap == 0 and current.typical_gap() > 0:
        score -= 2
    if any(other.key == line.key for other in ahead):
        score += 2
    follower = next((other for other in ahead if not debris.is_junk(other.text)), None)
    if follower is not None:
        if debris.byline_author(follower.text) or debris.date_line_value(follower.text) or debris.dateline_source(follower.text)[0]:
            score += 2
        elif debris.caption_credit(follower.text):
            score += 1
    if debris.title_case_ratio(line.text) >= 0.6:
        score += 1
    return score


def _wider_gap(line: DumpLine, current: DumpArticle) -> bool:
    """More blank lines before `line` than between the paragraphs of `current` so far."""
    typical = current.typical_gap()
    return line.gap > typical and (line.gap >= 2 or typical == 0)


def _place(line: DumpLine, article: DumpArticle) -> None:
    """Give `line` its role in `article`: title, caption, byline, date, paragraph, or dropped."""
    article.lines.append(line)
    article.chars += len(line.raw) + len(line.blank_raw)
    text, key = line.text, line.key
    if debris.is_junk(text):
        article.junk += 1
        return
    if key in article.seen:
        article.repeated += 1
        return
    credit = debris.caption_credit(text)
    if credit is not None:
        article.seen.add(key)
        article.captions.append((line, credit))
        return
    if not article.has_body and _place_preamble(line, article):
        return
    article.seen.add(key)
    last = article.paragraphs[-1] if article.paragraphs else None
    if last is not None and line.gap == 0 and continues_paragraph(last[-1].text, text):
        last.append(line)
        return
    if last is not None:
        article.gaps[line.gap] += 1
    article.paragraphs.append([line])
    if article.source is None and len(article.paragraphs) == 1:
        article.source = debris.dateline_source(text)[1]


def _place_preamble(line: DumpLine, article: DumpArticle) -> bool:
    """Title, byline or date line before the body; False when `line` is the first paragraph."""
    text, key = line.text, line.key
    author = debris.byline_author(text)
    if author is not None:
        article.author = article.author or author
        article.seen.add(key)
        return True
    published = debris.date_line_value(text)
    if published is not None:
        article.published = article.published or published
        article.seen.add(key)
        return True
    headline = debris.is_headline_shaped(text) and not debris.dateline_source(text)[0]
    if headline and (article.title is None or _is_kicker(article.title, line)):
        if article.title is not None:
            article.junk += 1  # the kicker above the real headline
        article.title = line
        article.seen.add(key)
        return True
    if debris.is_label(text):
        article.junk += 1
        return True
    return False


def _is_kicker(title: DumpLine, line: DumpLine) -> bool:
    """A short label taken as the title, followed by the longer real headline."""
    return debris.is_label(title.text) and len(line.text.split()) > len(title.text.split())


def continues_paragraph(previous: str, text: str) -> bool:
    """Is `text` the next wrapped line of the paragraph that `previous` ended?"""
    if len(previous) < WRAP_MIN_CHARS or previous.endswith(_SENTENCE_END):
        return False
    first = text[:1]
    return first.islower() or first.isdigit() or previous[-1] in ",;-–—(" or debris.title_case_ratio(previous) < 0.5


def to_article(dump: DumpArticle, origin: str) -> Article:
    """The cleaned `Article`: body paragraphs joined by a blank line, then the captions."""
    raw_parts: list[str] = []
    raw_at: dict[int, int] = {}
    cursor = 0
    for index, line in enumerate(dump.lines):
        if index:
            raw_parts.append(line.blank_raw)
            cursor += len(line.blank_raw)
        raw_at[id(line)] = cursor + line.lead
        raw_parts.append(line.raw)
        cursor += len(line.raw)
    raw = "".join(raw_parts)

    pieces: list[str] = []
    segments: list[Segment] = []
    paragraphs: list[Paragraph] = []
    captions: list[Caption] = []
    offset = 0

    def add(lines: list[DumpLine], kind: str) -> tuple[int, int]:
        nonlocal offset
        if pieces:
            pieces.append("\n\n")
            offset += 2
        start = offset
        for position, line in enumerate(lines):
            if position:
                pieces.append(" ")
                offset += 1
            pieces.append(line.text)
            raw_start = raw_at[id(line)]
            segments.append(Segment(offset, offset + len(line.text), raw_start, raw_start + line.raw_len))
            offset += len(line.text)
        paragraphs.append(Paragraph(start, offset, "caption" if kind == "caption" else "body"))
        return start, offset

    for paragraph in dump.paragraphs:
        add(paragraph, "body")
    for line, credit in dump.captions:
        start, end = add([line], "caption")
        captions.append(Caption(start, end, line.text, credit))
    text = "".join(pieces)
    return Article(
        text=text,
        raw=raw,
        title=dump.title.text if dump.title else None,
        published=dump.published,
        published_how="metadata" if dump.published else "unknown",
        source=dump.source,
        author=dump.author,
        origin=origin,
        paragraphs=paragraphs,
        captions=captions,
        offset_map=segments,
    )
