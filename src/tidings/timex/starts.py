"""Where a pattern's matches can start: a cheap superset of positions, found with `str.find`.

`re.finditer` tries a pattern at every character. The time rules open with optional,
case-insensitive modifiers ("early", "the past", "about"), so Python's `re` cannot skip ahead
and each rule costs a crawl of the whole text. Instead, `StartSet.of(pattern)` reads the
pattern's parse tree once and lists what a match must begin with: literal words ("jan",
"early", "the"), a digit, a space, or the start of a word. `TextStarts` finds those in the
text (the literals with `str.find` on the lower-cased text, which runs in C) and
`iter_matches` tries the pattern only there. A pattern also gets `required` literals, one of
which every match contains ('ago'): a text holding none of them is not scanned for it at all.

The result is exactly `pattern.finditer(text, lo, hi)`: every position where a match could
start is tried, in order, and each match resumes the scan at its end, as `finditer` does.
A pattern this reading cannot bound (a leading `.`, a negated set) is scanned the ordinary way.

Measured on 58 generated news articles (bench/bench_ingest.make_corpus, CPU time, one process,
after the `nlp` stage): the `times` stage fell from 0.70 s to 0.10 s, 12% to 1.9% of the
spaCy parse; 98% of the old cost was the per-character crawls.
"""

from __future__ import annotations

import bisect
import re
import re._constants as sre_c  # the parse tree of a compiled pattern (CPython's own parser)
import re._parser as sre_parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Kinds of start besides literal strings.
DIGIT = "digit"  # any character `\d` matches
SPACE = "space"  # any character `\s` matches
WORD_START = "word_start"  # a `\w` character with no `\w` right before it
_ANY = "any"  # cannot bound: scan every position

# A literal start shorter than this is carried on into a following group or branch: one or two
# letters ('e' of 'every|each') occur at almost every word, three rarely.
MIN_LITERAL_CHARS = 3
# A character range in a set wider than this is not listed char by char (it is unbounded).
MAX_RANGE_CHARS = 64

# Characters that a case-insensitive `re` literal matches but that `str.lower()` does not map
# onto it (or maps to two characters): with any of them in the text, literals found in the
# lower-cased text would miss matches, so such a text is scanned the ordinary way.
# Found by trying every code point against `(?i)a` ... `(?i)z`.
CASE_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")

_DIGIT_RUN = re.compile(r"\d+")
_SPACE_RUN = re.compile(r"\s+")
_WORD_RUN = re.compile(r"\w+")

# One node of CPython's (untyped) pattern parse tree: (opcode, argument).
Op = tuple[Any, Any]

_ZERO_WIDTH = {sre_c.AT, sre_c.ASSERT}
_REPEATS = {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT}
_GROUPS = {sre_c.SUBPATTERN, sre_c.ATOMIC_GROUP}


@dataclass(frozen=True)
class StartSet:
    """What a match can begin with: lower-case literals (any occurrence may start a match) and
    kinds (DIGIT, SPACE, WORD_START). `bounded` is False when anything may start one."""

    literals: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    bounded: bool = True
    # Lower-case literals one of which every match contains ('ago'); empty when none is known.
    # A text holding none of them has no match at all and is not scanned.
    required: frozenset[str] = frozenset()

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> StartSet:
        try:
            return cls._read(pattern)
        except Exception:  # a surprise in CPython's private parse tree: the full scan is always right
            return cls(bounded=False)

    @classmethod
    def _read(cls, pattern: re.Pattern[str]) -> StartSet:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        if tree.getwidth()[0] == 0 or pattern.flags & re.IGNORECASE:
            # An empty match changes how finditer advances; a global (?i) is simply not read.
            return cls(bounded=False)
        required = _shortest_prefixes(frozenset(_required(list(tree.data)) or ()))
        starts, nullable = _starts(list(tree.data), guarded=False)
        if nullable or _ANY in starts:
            return cls(bounded=False, required=required)
        kinds = frozenset(starts & {DIGIT, SPACE, WORD_START})
        literals = _shortest_prefixes(frozenset(starts - kinds))
        if DIGIT in kinds:  # a literal opening with an ASCII digit is already a digit start
            literals = frozenset(lit for lit in literals if not ("0" <= lit[0] <= "9"))
        return cls(literals, kinds, required=required)


def _shortest_prefixes(literals: frozenset[str]) -> frozenset[str]:
    """Drop a literal when a shorter one is its prefix: every place it occurs, the shorter does."""
    kept: list[str] = []
    for literal in sorted(literals, key=len):
        if not any(literal.startswith(short) for short in kept):
            kept.append(literal)
    return frozenset(kept)


def _starts(ops: list[Op], guarded: bool) -> tuple[set[str], bool]:
    """(what a non-empty match of `ops` can begin with, whether `ops` can match empty).

    `guarded`: a lookbehind `(?<![\\w...])` stands right before, so a `\\w` start is a word start.
    """
    literal = ""
    for index, (op, av) in enumerate(ops):
        if op is sre_c.LITERAL:
            literal += chr(av).lower()
            continue
        if literal:
            return _extended(literal, ops[index:]), False
        rest = ops[index + 1 :]
        if op in _ZERO_WIDTH:
            continue
        if op is sre_c.ASSERT_NOT:
            guarded = guarded or _is_word_lookbehind(av)
            continue
        if op in _GROUPS:
            return _starts(list(_group_body(op, av).data) + rest, guarded)
        if op is sre_c.BRANCH:
            return _union(_starts(list(alt.data) + rest, guarded) for alt in av[1])
        if op in _REPEATS:
            return _repeat_starts(av, rest, guarded)
        if op is sre_c.IN:
            return _set_starts(av, guarded), False
        return {_ANY}, False
    if literal:
        return {literal}, False
    return set(), True


def _extended(literal: str, ops: list[Op]) -> set[str]:
    """A short literal run into a group or branch: 'e' + ('very' | 'ach') gives 'every', 'each'."""
    if len(literal) >= MIN_LITERAL_CHARS or ops[0][0] not in _GROUPS | {sre_c.BRANCH}:
        return {literal}
    after, nullable = _starts(ops, guarded=False)
    if nullable or any(start in (DIGIT, SPACE, WORD_START, _ANY) for start in after):
        return {literal}
    return {literal + start for start in after}


def _required(ops: list[Op]) -> set[str] | None:
    """Literals one of which every match of `ops` contains, or None when none is known: the
    rarest-looking of the mandatory pieces (longest shortest literal, then fewest literals)."""
    options: list[set[str]] = []
    literal = ""
    for op, av in [*ops, (None, None)]:
        if op is sre_c.LITERAL:
            literal += chr(av).lower()
            continue
        if literal:
            options.append({literal})
            literal = ""
        found = _required_in(op, av)
        if found:
            options.append(found)
    if not options:
        return None
    return max(options, key=lambda found: (min(map(len, found)), -len(found)))


def _required_in(op: Any, av: Any) -> set[str] | None:
    if op in _GROUPS:
        return _required(list(_group_body(op, av).data))
    if op is sre_c.BRANCH:
        found: set[str] = set()
        for alt in av[1]:
            inner = _required(list(alt.data))
            if inner is None:
                return None
            found |= inner
        return found
    if op in _REPEATS and av[0] >= 1:
        return _required(list(av[2].data))
    if op is sre_c.IN:
        chars = _set_starts(av, guarded=False)
        return None if chars & {DIGIT, SPACE, WORD_START, _ANY} else chars
    return None


def _group_body(op: Any, av: Any) -> Any:
    return av if op is sre_c.ATOMIC_GROUP else av[-1]


def _union(results: Iterator[tuple[set[str], bool]] | list[tuple[set[str], bool]]) -> tuple[set[str], bool]:
    starts: set[str] = set()
    nullable = False
    for found, empty in results:
        starts |= found
        nullable = nullable or empty
    return starts, nullable


def _repeat_starts(av: Any, rest: list[Op], guarded: bool) -> tuple[set[str], bool]:
    low, _high, item = av
    # The item alone (a literal prefix must not run on into the next repetition or the rest).
    starts, nullable = _starts(list(item.data), guarded)
    if low == 0 or nullable:
        more, rest_nullable = _starts(rest, guarded)
        return starts | more, rest_nullable
    return starts, False


def _set_starts(items: list[Op], guarded: bool) -> set[str]:
    starts: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            starts.add(chr(av).lower())
        elif op is sre_c.RANGE:
            starts |= _range_starts(*av)
        elif op is sre_c.CATEGORY and av is sre_c.CATEGORY_DIGIT:
            starts.add(DIGIT)
        elif op is sre_c.CATEGORY and av is sre_c.CATEGORY_SPACE:
            starts.add(SPACE)
        elif op is sre_c.CATEGORY and av is sre_c.CATEGORY_WORD and guarded:
            starts.add(WORD_START)
        else:
            return {_ANY}
    return starts


def _range_starts(low: int, high: int) -> set[str]:
    if ord("0") <= low and high <= ord("9"):
        return {DIGIT}
    if high - low >= MAX_RANGE_CHARS:
        return {_ANY}
    return {chr(code).lower() for code in range(low, high + 1)}


def _is_word_lookbehind(av: Any) -> bool:
    """`(?<![\\w...])`: the character before is not a word character."""
    direction, body = av
    if direction != -1 or len(body.data) != 1:
        return False
    op, items = body.data[0]
    return op is sre_c.IN and (sre_c.CATEGORY, sre_c.CATEGORY_WORD) in items


@dataclass
class TextStarts:
    """One text's start positions, found once per literal or kind and shared by all patterns."""

    text: str
    lowered: str | None = field(init=False)
    _found: dict[str, list[int]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        lowered = self.text.lower()
        exact = len(lowered) == len(self.text) and not any(trap in self.text for trap in CASE_FOLD_TRAPS)
        self.lowered = lowered if exact else None

    def positions(self, starts: StartSet) -> list[int] | None:
        """Sorted positions where a match of a pattern with `starts` can begin; None: anywhere."""
        if self.lowered is None:
            return None
        if starts.required and not any(literal in self.lowered for literal in starts.required):
            return []
        if not starts.bounded:
            return None
        found: set[int] = set()
        for key in (*starts.literals, *starts.kinds):
            found.update(self._positions_of(key))
        return sorted(found)

    def _positions_of(self, key: str) -> list[int]:
        if key not in self._found:
            self._found[key] = self._find(key)
        return self._found[key]

    def _find(self, key: str) -> list[int]:
        if key == DIGIT:
            return _every_position(_DIGIT_RUN, self.text)
        if key == SPACE:
            return _every_position(_SPACE_RUN, self.text)
        if key == WORD_START:
            return [m.start() for m in _WORD_RUN.finditer(self.text)]
        return _occurrences(self.lowered or "", key)


def _every_position(run: re.Pattern[str], text: str) -> list[int]:
    return [i for m in run.finditer(text) for i in range(m.start(), m.end())]


def _occurrences(text: str, literal: str) -> list[int]:
    """Every start of `literal` in `text`, overlapping ones included."""
    out = []
    at = text.find(literal)
    while at >= 0:
        out.append(at)
        at = text.find(literal, at + 1)
    return out


def iter_matches(pattern: re.Pattern[str], starts: StartSet, index: TextStarts, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The same matches as `pattern.finditer(index.text, lo, hi)`, trying only possible starts."""
    positions = index.positions(starts)
    if positions is None:
        yield from pattern.finditer(index.text, lo, hi)
        return
    text = index.text
    resume = lo
    for at in positions[bisect.bisect_left(positions, lo) :]:
        if at >= hi:
            return
        if at < resume:
            continue
        match = pattern.match(text, at, hi)
        if match is not None:
            yield match
            resume = match.end()
