"""Find time expressions in text and normalise them against an anchor date.

Every rule proposes candidates; a candidate that its handler rejects is dropped; among the
rest the longest wins (then the leftmost, then the earlier rule), so "early October 2024" beats
"October" and "the past year" beats "past year". Each rule is tried only where a match of it
can start (tidings.timex.starts), which finds the same matches as a scan of every character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tidings.timex.rules import RULES, Context, NeedsAnchor, Part, Rule
from tidings.timex.starts import StartSet, TextStarts, iter_matches
from tidings.timex.tense import TenseOf, text_tense_of

# Longest input handled in one piece; longer text is scanned in overlapping windows so that
# memory for the candidate lists stays bounded.
WINDOW_CHARS = 200_000
WINDOW_OVERLAP = 200

# What each rule's matches can begin with, read once from its pattern (see tidings.timex.starts).
_RULE_STARTS: tuple[StartSet, ...] = tuple(StartSet.of(rule.pattern) for rule in RULES)


@dataclass(frozen=True)
class Timex:
    """One time expression: `text == source[start:end]`, its TIMEX3 type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str | None
    mod: str | None = None
    resolved: bool = True


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    order: int
    parts: tuple[Part, ...]


def find_timexes(text: str, anchor: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
    """All time expressions in `text`, in order. Relative ones resolve against `anchor`; with
    no anchor they keep their span with `value=None, resolved=False`."""
    ctx = Context(text, anchor, tense_of or text_tense_of(text))
    starts = TextStarts(text)
    found: list[Timex] = []
    for lo, hi in _windows(len(text)):
        for timex in _find_in(ctx, starts, lo, hi):
            if not found or timex.start >= found[-1].end:
                found.append(timex)
    return found


def _windows(length: int) -> list[tuple[int, int]]:
    if length <= WINDOW_CHARS:
        return [(0, length)]
    step = WINDOW_CHARS - WINDOW_OVERLAP
    return [(lo, min(length, lo + WINDOW_CHARS)) for lo in range(0, length, step)]


def _find_in(ctx: Context, starts: TextStarts, lo: int, hi: int) -> list[Timex]:
    candidates: list[_Candidate] = []
    for order, (rule, rule_starts) in enumerate(zip(RULES, _RULE_STARTS, strict=True)):
        candidates += _candidates(ctx, rule, order, iter_matches(rule.pattern, rule_starts, starts, lo, hi))
    chosen: list[_Candidate] = []
    taken = bytearray(hi - lo)
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.start, c.order)):
        if not any(taken[cand.start - lo : cand.end - lo]):
            chosen.append(cand)
            taken[cand.start - lo : cand.end - lo] = b"\x01" * (cand.end - cand.start)
    parts = sorted((p for c in chosen for p in c.parts), key=lambda p: p.start)
    return [Timex(p.start, p.end, ctx.text[p.start : p.end], p.type, p.value, p.mod, p.resolved) for p in parts]


def _candidates(ctx: Context, rule: Rule, order: int, matches: Iterator[re.Match[str]]) -> list[_Candidate]:
    out = []
    for match in matches:
        if match.end() == match.start():
            continue
        try:
            parts = rule.handler(match, ctx)
        except NeedsAnchor:
            parts = [Part(match.start(), match.end(), rule.type, None, None, resolved=False)]
        if parts:
            out.append(_Candidate(match.start(), match.end(), order, tuple(parts)))
    return out
