"""Name keys: the folded form under which the gazetteer indexes a place name and looks it up."""

from __future__ import annotations

import re
import unicodedata

# Leading abbreviations that GeoNames spells out ("St. Louis" is "Saint Louis").
_LEADING_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_SEPARATORS = re.compile(r"[\s.\-–—,/()]+")
# Keys longer than this are not place names worth indexing (and would bloat the fixed-width index).
MAX_KEY_BYTES = 60


def fold(text: str) -> str:
    """Strip accents and case: 'Zaporizhzhia' and 'ZAPORIZHZHIA' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(text: str) -> str:
    """The lookup key of a name: folded, apostrophes dropped, punctuation as single spaces."""
    words = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", fold(text))).split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 1 and words[0] in _LEADING_ABBREVIATIONS:
        words[0] = _LEADING_ABBREVIATIONS[words[0]]
    return " ".join(words)


def is_latin(text: str) -> bool:
    """True when every letter is Latin script (alternate names in other scripts are not indexed)."""
    for char in text:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            return False
    return True
