"""Quotation-mark spans, found by one linear scan over the text (no regex backtracking).

A quoted span runs from an opening mark to its closing mark inside one paragraph. A paragraph
that opens a quote without closing it continues into the next paragraph when that one opens
with a quote mark (the newspaper convention for quotes over several paragraphs); otherwise the
quote is closed at the paragraph end. Straight `"` and doubled `''` toggle; curly marks have a
side.

Single curly quotes (`‘...’`, the first level in British style, the second in American) share
their closing mark with the apostrophe, so they are read apart (`_single_quoted`): one opens only
at the start of a word and not in an elision (`‘90s`, `rock ‘n’ roll`), closes only at a mark no
letter follows (not `don’t`), preferably not a plural possessive (`voters’ anger`), within its
paragraph. A single-quoted passage inside a double-quoted one is an inner quote; one that holds
double-quoted passages is the outer quote, and replaces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = frozenset("“„«")
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
# Characters that only ever quote (the closing single mark is also the apostrophe): a span
# holding one holds a quotation, or part of one.
QUOTE_CHARS = frozenset({'"', "“", "”", SINGLE_OPEN})
CLOSING = frozenset("”»")
TOGGLES = frozenset('"')
# Where `_mark_at` finds a mark: any mark character, or a doubled straight single quote. A
# character class and one literal: the regex engine skips the text between marks in C.
_MARK = re.compile("[" + re.escape("".join(sorted(OPENING | CLOSING | TOGGLES))) + "]|''")


@dataclass(frozen=True)
class Quoted:
    """A quoted passage: `pieces` are `[start, end)` ranges, quote marks included, one per paragraph."""

    pieces: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _mark_at(text: str, i: int) -> tuple[str, int] | None:
    """(`open`|`close`|`toggle`, width) when a quotation mark starts at `i`."""
    ch = text[i]
    if ch in OPENING:
        return "open", 1
    if ch in CLOSING:
        return "close", 1
    if ch in TOGGLES:
        return "toggle", 1
    if ch == "'" and text.startswith("''", i):
        return "toggle", 2
    return None


def _paragraph_ranges(text: str) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            if i > start:
                ranges.append((start, i))
            start = i + 1
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    i = start
    while i < end and text[i] in " \t":
        i += 1
    found = _mark_at(text, i) if i < end else None
    return found is not None and found[0] in ("open", "toggle")


def _quotes_in_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotes in one paragraph and the offset of a quote left open at its end.

    A quote opened with a curly mark closes at its matching curly mark: curly marks nested in
    it count up and down (`“... what he calls “hell” ...”`) and straight marks inside are
    inner quotes. A straight quote closes at the next straight mark, or at a closing curly mark
    that no curly mark inside it opened (`"... mixed marks,” he said`: a common typing slip). A
    closing curly mark that opens a paragraph is read as an opening one (a common typing slip)."""
    closed: list[tuple[int, int]] = []
    open_at: int | None = None
    depth = 0
    first = _first_mark(text, start, end)
    for match in _MARK.finditer(text, start, end):
        i = match.start()
        kind, width = _mark_at(text, i) or ("", 0)
        if open_at is None and (kind in ("open", "toggle") or i == first):
            open_at, depth = i, 0
        elif open_at is not None and kind == "open":
            depth += 1
        elif open_at is not None and kind == "close" and depth > 0:
            depth -= 1
        elif open_at is not None and kind in ("close", "toggle"):
            closed.append((open_at, i + width))
            open_at = None
    return closed, open_at


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted passage in `text`, in order: double-quoted ones (multi-paragraph quotes are one
    `Quoted`) and the single-quoted ones outside them."""
    double = _double_quoted(text)
    if SINGLE_OPEN not in text:
        return double
    single = [q for q in _single_quoted(text) if not any(_inside(q, d) for d in double)]
    kept = [d for d in double if not any(_inside(d, q) for q in single)]
    return sorted(kept + single, key=lambda q: q.start)


def _inside(inner: Quoted, outer: Quoted) -> bool:
    return any(s <= inner.start and inner.end <= e for s, e in outer.pieces)


def _double_quoted(text: str) -> list[Quoted]:
    found: list[Quoted] = []
    carried: list[tuple[int, int]] = []
    paragraphs = _paragraph_ranges(text)
    for n, (start, end) in enumerate(paragraphs):
        closed, open_at = _quotes_in_paragraph(text, start, end)
        first = _first_mark(text, start, end)
        if carried and closed and closed[0][0] == first:
            found.append(Quoted((*carried, closed[0])))
            closed = closed[1:]
            carried = []
        elif carried and not (not closed and open_at == first):
            found.append(Quoted(tuple(carried)))
            carried = []
        found.extend(Quoted((piece,)) for piece in closed)
        if open_at is not None:
            next_opens = n + 1 < len(paragraphs) and _opens_with_mark(text, *paragraphs[n + 1])
            carried.append((open_at, _trim_end(text, end)))
            if not next_opens:
                found.append(Quoted(tuple(carried)))
                carried = []
    if carried:
        found.append(Quoted(tuple(carried)))
    return [q for q in found if all(e - s > 2 for s, e in q.pieces)]


def _first_mark(text: str, start: int, end: int) -> int:
    i = start
    while i < end and text[i] in " \t":
        i += 1
    return i


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\r":
        end -= 1
    return end


# Characters a single opening mark may follow: it starts a word.
_BEFORE_OPENING = frozenset(" \t\n([{\u201c\"—–-/")
# An opening mark that starts an elision, not a quote: `‘90s`, `‘em`, `‘til`, `rock ‘n’ roll`.
_ELISION = re.compile(r"\u2018(?:\d\d?s?\b|(?:em|til|cause|n|tis|twas|bout|round)\b)", re.I)
# A closing mark in a plural possessive (`the voters’ anger`): a closer only if no other follows.
_POSSESSIVE = re.compile(r"s\u2019 [a-z]")
# Longest single-quoted passage read: a stray opening mark cannot reach across a long paragraph.
MAX_SINGLE_QUOTE_CHARS = 600


def _single_quoted(text: str) -> list[Quoted]:
    """Single-curly-quoted passages, each inside one paragraph, found in one pass per mark."""
    found: list[Quoted] = []
    start = text.find(SINGLE_OPEN)
    while start != -1:
        end = _single_close(text, start) if _opens_single(text, start) else None
        if end is not None and end - start > 2:
            found.append(Quoted(((start, end),)))
        start = text.find(SINGLE_OPEN, end if end is not None else start + 1)
    return found


def _opens_single(text: str, i: int) -> bool:
    before_ok = i == 0 or text[i - 1] in _BEFORE_OPENING
    after = text[i + 1 : i + 2]
    return before_ok and after != "" and not after.isspace() and not _ELISION.match(text, i)


def _single_close(text: str, start: int) -> int | None:
    """End (after the mark) of the single quote opened at `start`, or None when it does not close
    in its paragraph, within MAX_SINGLE_QUOTE_CHARS, before another opening mark (a nested single
    quote is not read: the outer one is left for the double-quote reading or none)."""
    limit = min(len(text), start + MAX_SINGLE_QUOTE_CHARS)
    for stop in (text.find("\n", start, limit), text.find(SINGLE_OPEN, start + 1, limit)):
        limit = stop if stop != -1 else limit
    possessive = None
    i = text.find(SINGLE_CLOSE, start + 1, limit)
    while i != -1:
        after = text[i + 1 : i + 2]
        if not after.isalnum():
            if not _POSSESSIVE.match(text, i - 1):
                return i + 1
            possessive = possessive or i + 1
        i = text.find(SINGLE_CLOSE, i + 1, limit)
    return possessive
