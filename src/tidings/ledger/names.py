"""Name folding and aliases: the pure text rules the ledger matches names with."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Well-known alternative names: alias key -> canonical key. General knowledge, kept short; a
# name missing here is still matched by its own key, by acronym and by within-article short forms.
ALIASES: dict[str, str] = {
    "pentagon": "us department of defense",
    "the pentagon": "us department of defense",
    "department of defense": "us department of defense",
    "defense department": "us department of defense",
    "us defense department": "us department of defense",
    "dod": "us department of defense",
    "state department": "us department of state",
    "us state department": "us department of state",
    "kbs": "korean broadcasting system",
    "un": "united nations",
    "nato": "north atlantic treaty organization",
    "eu": "european union",
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "dprk": "north korea",
    "democratic people s republic of korea": "north korea",
    "rok": "south korea",
    "republic of korea": "south korea",
    "russian federation": "russia",
    "idf": "israel defense forces",
    "israeli military": "israel defense forces",
    "ap": "associated press",
    "afp": "agence france presse",
    "who": "world health organization",
    "iaea": "international atomic energy agency",
    "ecfr": "european council on foreign relations",
    "kyiv": "kiev",
    "kiev": "kiev",
}

# Honorifics dropped from a name key; role words kept apart from the name.
_HONORIFICS = frozenset(["mr", "mrs", "ms", "dr", "sir", "gen", "lt", "col", "adm", "sgt", "capt", "gov", "sen", "rep", "the"])
_CONNECTIVES = frozenset({"of", "the", "for", "and", "on", "in", "de", "&"})
_NON_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")
# Distinct names whose folded form and name key are kept. The ledger folds the same names again
# and again (each mention, each candidate, each key): caching them cut the ledger's CPU per
# article by about a third on 600 bench articles (bench/profile_ingest.py). Only strings up to
# CACHED_CHARS long are kept (names, not sentences or whole articles, which never recur): 2**16
# of them hold about 15 MB.
NAME_CACHE_SIZE = 2**16
CACHED_CHARS = 100


def fold(text: str) -> str:
    """Accents, case, punctuation and hyphens folded: "Kim Yung-ho" -> "kim yung ho"."""
    return _fold_name(text) if len(text) <= CACHED_CHARS else _fold(text)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _fold_name(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    plain = text if text.isascii() else _strip_accents(text)  # NFKD leaves ASCII as it is
    plain = plain.replace("\u2019", "'").replace("'s ", " ").removesuffix("'s")
    plain = re.sub(r"(?<=\b\w)\.(?=\w\.)|(?<=\b\w\.\w)\.", "", plain)  # U.S. -> US
    return _SPACES.sub(" ", _NON_WORD.sub(" ", plain)).strip().casefold()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    marks = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    return decomposed.translate(marks) if marks else decomposed


def name_key(text: str) -> str:
    """The key a name is matched by: folded, honorifics dropped, aliases resolved."""
    return _name_key(text) if len(text) <= CACHED_CHARS else _key_of(text)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _name_key(text: str) -> str:
    return _key_of(text)


def _key_of(text: str) -> str:
    words = [w for w in fold(text).split() if w not in _HONORIFICS]
    key = " ".join(words)
    return ALIASES.get(key, key)


def acronym(text: str) -> str | None:
    """Initials of a multi-word name ("Korean Broadcasting System" -> "kbs"); None for one word."""
    words = [w for w in fold(text).split() if w not in _CONNECTIVES]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def looks_like_acronym(text: str) -> bool:
    letters = text.replace(".", "").strip()
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def tokens(text: str) -> list[str]:
    return fold(text).split()

_PLACE_SUFFIXES = frozenset({"region", "oblast", "province", "city", "district", "border", "area", "governorate", "county"})


def place_key(text: str) -> str:
    """A place name without its kind: "Kursk region" and "Kursk" share "kursk"."""
    return _place_key(text) if len(text) <= CACHED_CHARS else _place_key_of(text)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _place_key(text: str) -> str:
    return _place_key_of(text)


def _place_key_of(text: str) -> str:
    words = name_key(text).split()
    while len(words) > 1 and words[-1] in _PLACE_SUFFIXES:
        words.pop()
    return " ".join(words)
