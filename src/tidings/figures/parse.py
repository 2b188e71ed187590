"""`parse_number`: the value of one written number, for callers that hold a single figure."""

from __future__ import annotations

from tidings.errors import E, TidingsError
from tidings.figures.finder import _currency_prefix
from tidings.figures.numbers import read_number
from tidings.figures.tokens import tokenize

# Longer inputs are not "one number"; refusing them keeps the call cheap on hostile input.
MAX_NUMBER_CHARS = 200


def parse_number(text: str) -> float:
    """'28,500' -> 28500.0, 'two dozen' -> 24.0, '$3.5bn' -> 3.5e9, 'dozens' -> 12.0.

    Raises E180 when `text` is not exactly one number, or is too large to hold.
    """
    if not isinstance(text, str) or not text.strip():
        raise TidingsError(E.E180, text=text, reason="empty")
    if len(text) > MAX_NUMBER_CHARS:
        raise TidingsError(E.E180, text=text[:40] + "...", reason=f"longer than {MAX_NUMBER_CHARS} characters")
    tokens = tokenize(text)
    currency, start = _currency_prefix(tokens, 0)
    core = read_number(tokens, start, money=currency is not None)
    if core is None:
        raise TidingsError(E.E180, text=text, reason="no number at its start")
    if core.last != len(tokens) - 1:
        raise TidingsError(E.E180, text=text, reason=f"'{text[tokens[core.last + 1].start:]}' follows the number")
    if core.value is None:
        raise TidingsError(E.E180, text=text, reason="too large to hold as a number")
    return core.value
