"""Finding typed events in news text: the taxonomy, the classifier and the finding logic.

`taxonomy()` gives the 30 sub-event types (ACLED's 25 plus five for security and diplomacy),
each with its ACLED event type, disorder type and a definition.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _taxonomy() -> tuple[dict[str, str], ...]:
    ref = resources.files("tidings") / "data" / "events" / "taxonomy.json"
    return tuple(json.loads(ref.read_text(encoding="utf-8"))["types"])


def taxonomy() -> list[dict[str, Any]]:
    """Every sub-event type as {sub_event_type, code, event_type, disorder_type, definition}."""
    return [dict(t) for t in _taxonomy()]


def event_type_of(sub_event_type: str) -> str:
    for entry in _taxonomy():
        if entry["sub_event_type"] == sub_event_type:
            return entry["event_type"]
    raise KeyError(sub_event_type)


def sub_event_types() -> list[str]:
    return [t["sub_event_type"] for t in _taxonomy()]


__all__ = ["event_type_of", "sub_event_types", "taxonomy"]
