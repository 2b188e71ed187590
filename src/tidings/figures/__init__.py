"""Figures in news text: numbers in digits and words, with their hedge, unit and counted thing.

- `find_figures(text, pos=None, skip_spans=())` -> `Quantity` records (offsets into `text`).
- `parse_number(text)` -> the value of one written number ("3.5 million", "two dozen").
- `casualties(quantities, start, end)` -> killed and injured counts in a span (for events).

Distributive figures ("five units, each of about 3,000 soldiers") give three records: the
units (5), the members (about 3,000) and a derived total spanning both (about 15,000, with
`per_unit` 3,000 and `derived` True).
"""

from __future__ import annotations

from tidings.figures.casualties import Casualties, casualties, casualties_in_text
from tidings.figures.finder import find_figures
from tidings.figures.parse import parse_number

__all__ = ["Casualties", "casualties", "casualties_in_text", "find_figures", "parse_number"]
