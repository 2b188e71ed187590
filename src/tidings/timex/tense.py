"""A text-only tense cue for a time expression: does its clause look forward or back?

Used when no parse is available (and as the fallback when the parse gives no verb). The
nearest cue word within the clause decides; news defaults to the past.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

Tense = Literal["past", "present", "future"]
TenseOf = Callable[[int, int], Tense]

# How far around the expression to look for a cue, in characters; a clause rarely reaches
# further, and a longer window picks up the tense of the neighbouring clause.
CUE_WINDOW_BEFORE = 70
CUE_WINDOW_AFTER = 50

_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going\s+to|due\s+to|set\s+to|plans?\s+to|planned\s+to|scheduled|"
    r"expected\s+to|is\s+to|are\s+to|intends?\s+to|upcoming|would)\b|'ll\b|’ll\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:said|told|was|were|had|did|came|went|began|took|gave|saw|met|fled|fought|struck|won|lost|"
    r"announced|reported|added|claimed|died|killed)\b",  # irregular and common past forms; regular
    # "-ed" forms are left out because they double as participles ("will be held")
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;!?\n]")


def clause_window(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - CUE_WINDOW_BEFORE)
    hi = min(len(text), end + CUE_WINDOW_AFTER)
    before = [m.end() for m in _CLAUSE_END.finditer(text, lo, start)]
    after = _CLAUSE_END.search(text, end, hi)
    return (before[-1] if before else lo), (after.start() if after else hi)


def text_tense(text: str, start: int, end: int) -> Tense:
    lo, hi = clause_window(text, start, end)
    return _nearest_cue(text, start, end, lo, hi, ((_FUTURE, "future"), (_PAST, "past"))) or "past"


def _nearest_cue(
    text: str, start: int, end: int, lo: int, hi: int, cues: tuple[tuple[re.Pattern[str], Tense], ...]
) -> Tense | None:
    best: tuple[int, Tense] | None = None
    for pattern, tense in cues:
        for match in pattern.finditer(text, lo, hi):
            if start <= match.start() < end:
                continue
            distance = start - match.end() if match.end() <= start else match.start() - end
            if best is None or distance < best[0]:
                best = (distance, tense)
    return best[1] if best else None


def text_tense_of(text: str) -> TenseOf:
    return lambda start, end: text_tense(text, start, end)
