"""A linear tokenizer for figure finding: numbers, words and punctuation with their offsets.

The finder works on these tokens, never on backtracking regexes over whole sentences, so its
run time stays linear in the text whatever the input looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["num", "frac", "word", "punct"]

# One alternative per kind. Digit runs: groups joined by ',' or '.' (every group must start
# with a separator, so matching is linear), or thousands split by a no-break/thin space.
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?!\d)|\d+(?:[.,]\d+)*)"
    r"|(?P<frac>[½⅓⅔¼¾⅛⅜⅝⅞])"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)"
    r"|(?P<punct>[^\s])"
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: TokenKind
    spaced: bool  # whitespace (or the start of the text) comes right before it
    lower: str  # the text in lower case, computed once

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = -1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None  # every alternative is a named group
        spaced = previous_end < 0 or match.start() > previous_end
        word = match.group()
        tokens.append(Token(word, match.start(), match.end(), kind, spaced, word.lower()))  # type: ignore[arg-type]
        previous_end = match.end()
    return tokens
