"""Finding toponyms in a parsed article.

spaCy's GPE/LOC/FAC entities are the first source, trimmed ("the", possessive "'s") and
checked against a stop-list. The small model mislabels places (Kursk as a product, Chasiv Yar
as a person) and places hide inside organisation names ("the Shreveport Police Department"),
so the gazetteer corrects it: such spans are kept when they name a place that is unlikely to
be anything else (a country, a state, a county, a sizeable city, or a name the article already
uses as a place). Demonyms ("North Korean", "Ukrainian") are never places here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_UPPER, LENGTH, POS
from spacy.symbols import PROPN

from tidings.geo.demonyms import is_demonym
from tidings.geo.gazetteer import Candidate, Gazetteer
from tidings.geo.normalize import name_key
from tidings.geo.sources import ALIAS, ALTERNATE, PRIMARY, WEAK, data_path
from tidings.nlp import entities, text_of

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Labels whose spans may be (or contain) a place the small model got wrong.
HOST_LABELS = {"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP", "LAW"}
# A city found only through the gazetteer (inside an organisation name, or a PERSON that the
# model mislabelled) must be at least this big, unless the article names it as a place elsewhere.
# Measured on the LGL dev set: 20k kept most true embedded towns while dropping surname hits.
MIN_POP_UNLABELLED_CITY = 20000
MAX_NAME_TOKENS = 5
_ROAD_WORDS = re.compile(r"\b(Street|St\.|Road|Rd\.|Avenue|Ave\.|Boulevard|Blvd\.|Drive|Dr\.|Lane|Highway|Parkway|Pike|Trail|Route|Interstate|Bridge|Square|Way)$")
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s|['’]|[.,;:])$")
# "the city of Chasiv Yar", "the town of Vuhledar": whatever follows is a place.
_PLACE_CUE = re.compile(r"\b(?:city|town|village|hamlet|settlement|port|region|province|district|county|capital|outskirts|suburbs?)\s+of\s+$", re.IGNORECASE)
# "in Lanexa", "near Toco": a name right after a locative preposition is a place.
_LOCATIVE = re.compile(r"\b(?:in|near|outside|across|around|throughout)\s+$")
_PARTY_DISTRICT = re.compile(r"\b[DRI]-([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
_QUALIFIER = re.compile(r",\s*((?:[A-Z][A-Za-z]*\.?\s?){1,3})")


TENTATIVE = "tentative"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    source: str  # "entity", "embedded", "party", "qualifier", "curated", "tentative"
    label: str | None = None


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    lines = data_path("stoplist.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(name_key(line) for line in lines if line.strip() and not line.startswith("#"))


def is_stopped(text: str) -> bool:
    return name_key(text) in stoplist()


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive or punctuation from `text[start:end]`."""
    for _ in range(3):
        piece = text[start:end]
        lead = _LEADING.match(piece)
        if lead:
            start += lead.end()
            continue
        trail = _TRAILING.search(piece)
        if trail and trail.start() > 0 and not _keeps_final_dot(piece):
            end = start + trail.start()
            continue
        break
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _keeps_final_dot(piece: str) -> bool:
    # "Tenn.", "U.S." and "W.Va." keep their dot: it is part of the abbreviation.
    if not piece.endswith("."):
        return False
    return "." in piece[:-1] or piece.rsplit(None, 1)[-1] in _abbreviations()


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    import csv

    with data_path("us_states.csv").open(encoding="utf-8", newline="") as handle:
        return frozenset(a for rec in csv.DictReader(handle) for a in rec["abbreviations"].split("|") if a)


def is_notable(cands: Iterable[Candidate], known_keys: set[str], key: str) -> bool:
    """A name that is a place with little doubt, even without spaCy saying so."""
    if key in known_keys:
        return True
    for cand in cands:
        if cand.name_type == WEAK:
            continue
        if cand.name_type == ALTERNATE and cand.population < MIN_POP_UNLABELLED_CITY * 5:
            continue
        if cand.kind in ("country", "admin1", "continent", "region", "water", "facility"):
            return True
        if cand.kind == "admin2" and cand.name_type == PRIMARY:
            return True
        if cand.kind == "city" and cand.population >= MIN_POP_UNLABELLED_CITY:
            return True
    return False


def find_mentions(doc: Any, gazetteer: Gazetteer) -> list[Mention]:
    """Toponym mentions in a spaCy Doc, in text order, without overlaps."""
    text = text_of(doc)
    # Words of the multi-word person names the article uses ("Kim Yung Ho"): alone, they are that person.
    person_words = {w for ent in entities(doc) if ent.label_ == "PERSON" and len(ent.text.split()) > 1 for w in ent.text.split()}
    found: list[Mention] = []
    for ent in entities(doc):
        if ent.label_ in PLACE_LABELS:
            found.extend(m for m in _from_place_entity(text, ent, gazetteer) if _plausible(m, gazetteer, person_words))
    known = {name_key(m.text) for m in found}
    taken = _Coverage(found)
    for ent in entities(doc):
        if ent.label_ in HOST_LABELS:
            for mention in _from_host_entity(text, ent, gazetteer, known, person_words):
                if taken.add(mention):
                    found.append(mention)
    for mention in _from_bare_tokens(doc, gazetteer, known):
        if taken.add(mention):
            found.append(mention)
    for mention in _from_curated_phrases(text):
        if taken.add(mention):
            found.append(mention)
    for mention in _from_patterns(text, gazetteer, found):
        if taken.add(mention):
            found.append(mention)
    found = [_with_feature_word(text, m) for m in found]
    found = [m for m in found if _letters(m.text) >= 2 and not is_stopped(m.text) and not is_demonym(m.text)]
    found = [m for m in found if m.source == "entity" or _unlabelled_ok(m, gazetteer, known, person_words)]
    return sorted(_dedupe(found), key=lambda m: m.start)


def _plausible(mention: Mention, gazetteer: Gazetteer, person_words: set[str]) -> bool:
    """An entity the gazetteer does not know is kept only if it looks like a name, and not
    like the surname of a person the article names ("Saakashvili" tagged GPE)."""
    if gazetteer.has_key(name_key(mention.text)):
        return True
    if not mention.text[:1].isupper():
        return False
    return mention.text not in person_words


def _unlabelled_ok(mention: Mention, gazetteer: Gazetteer, known: set[str], person_words: set[str]) -> bool:
    """Checks on a place spaCy did not label: not the surname of a person the article names
    ("Walker"), and not a short acronym ("SWAT", "PTA") unless it is a country or region's."""
    key = name_key(mention.text)
    if key in known:
        return True
    if mention.text in person_words:
        return False
    if mention.text.isupper() and _letters(mention.text) <= 4:
        return any(c.kind in ("country", "admin1", "region", "water") and c.name_type in (PRIMARY, ALIAS) for c in gazetteer.candidates(mention.text))
    return True


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


# A place name followed by one of these names another feature ("Catawba River", "Darby
# Street"): the mention is the whole name, resolved (if at all) as that feature.
_FEATURE_WORD = re.compile(r" (?:River|Creek|Lake|Valley|Bay|Islands?|Mountains?|Canyon|Street|St\.|Road|Rd\.|Avenue|Ave\.|Drive|Boulevard|Lane|Parkway|Pike|Highway|Trail)\b")


def _with_feature_word(text: str, mention: Mention) -> Mention:
    if mention.source == "curated":
        return mention
    follow = _FEATURE_WORD.match(text, mention.end)
    if not follow:
        return mention
    end = follow.end()
    return Mention(mention.start, end, text[mention.start:end], mention.source, mention.label)


class _Coverage:
    def __init__(self, mentions: list[Mention]) -> None:
        self.spans = [(m.start, m.end) for m in mentions]

    def add(self, mention: Mention) -> bool:
        if any(mention.start < e and s < mention.end for s, e in self.spans):
            return False
        self.spans.append((mention.start, mention.end))
        return True


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return out


def _from_place_entity(text: str, ent: Any, gazetteer: Gazetteer) -> list[Mention]:
    start, end = trim_span(text, ent.start_char, ent.end_char)
    if end <= start:
        return []
    piece = text[start:end]
    whole = gazetteer.has_key(name_key(piece))
    if ent.label_ == "FAC" and not whole and not _ROAD_WORDS.search(piece):
        # A building or venue named after its town ("Paris City Hall"): the town is the place.
        return list(_leading_place(text, start, end, gazetteer, set(), strict=True))
    if not whole:
        # "Guernsey County Courthouse", "Northeast Georgia": the place named inside is the toponym.
        inner = list(_leading_place(text, start, end, gazetteer, set(), strict=False))
        if inner:
            return inner
    return [Mention(start, end, piece, "entity", ent.label_)]


def _from_host_entity(text: str, ent: Any, gazetteer: Gazetteer, known: set[str], person_words: set[str]) -> Iterable[Mention]:
    start, end = trim_span(text, ent.start_char, ent.end_char)
    piece = text[start:end]
    key = name_key(piece)
    if piece in person_words and key not in known:
        return
    cands = gazetteer.candidates(piece)
    cued = _PLACE_CUE.search(text, max(0, start - 40), start) is not None or (
        _LOCATIVE.search(text, max(0, start - 12), start) is not None and any(c.name_type == PRIMARY for c in cands)
    )
    notable = bool(cands) and (cued or is_notable(cands, known, key))
    if notable and (cued or ent.label_ != "PERSON" or _person_is_place(cands, key, known)):
        yield Mention(start, end, piece, "embedded", ent.label_)
        return
    if ent.label_ != "NORP" and any(c.kind == "city" and c.name_type == PRIMARY for c in cands):
        # A small town the model took for an organisation or a person: kept only if it
        # resolves next to the article's other places (see resolve.py).
        yield Mention(start, end, piece, TENTATIVE, ent.label_)
        return
    if ent.label_ in ("PERSON", "NORP"):
        return
    yield from _leading_place(text, start, end, gazetteer, known, strict=True)


def _person_is_place(cands: list[Candidate], key: str, known: set[str]) -> bool:
    if key in known:
        return True
    return any(c.kind in ("country", "admin1") and c.name_type != WEAK for c in cands) or any(
        c.kind == "city" and c.name_type == PRIMARY and c.population >= 100000 for c in cands
    )


def _token_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in re.finditer(r"[\w.'’\-]+", text[start:end])]


def _leading_place(text: str, start: int, end: int, gazetteer: Gazetteer, known: set[str], strict: bool) -> Iterable[Mention]:
    """The longest place name among the capitalised words of a name ("Shreveport Police" -> Shreveport)."""
    tokens = _token_spans(text, start, end)
    i = 0
    while i < len(tokens):
        if not text[tokens[i][0]].isupper():
            i += 1
            continue
        best = None
        for j in range(min(len(tokens), i + MAX_NAME_TOKENS), i, -1):
            s, e = tokens[i][0], tokens[j - 1][1]
            s, e = trim_span(text, s, e)
            piece = text[s:e]
            if not piece or (not piece[-1].isalnum() and not piece.endswith(".")):
                continue
            key = name_key(piece)
            cands = gazetteer.candidates(piece) if gazetteer.has_key(key) and not is_stopped(piece) else []
            if cands and (is_notable(cands, known, key) if strict else any(c.name_type != WEAK for c in cands)):
                best = Mention(s, e, piece, "embedded")
                i = j
                break
        if best:
            yield best
        else:
            i += 1


def _from_bare_tokens(doc: Any, gazetteer: Gazetteer, known: set[str]) -> Iterable[Mention]:
    """Proper-noun runs outside any entity that name a notable place ("CROMWELL —" datelines too)."""
    for start, end in _bare_name_runs(doc):
        yield from _leading_place(text_of(doc), start, end, gazetteer, known, strict=True)


def _bare_name_runs(doc: Any) -> list[tuple[int, int]]:
    """(start, end) of each run of tokens outside any entity that are proper nouns or all-caps
    words of 3+ letters, read from the parse's arrays: no Python object per token (making one
    was most of this stage's per-token cost)."""
    if not len(doc):
        return []
    ent, pos, upper, alpha, idx, length = doc.to_array([ENT_TYPE, POS, IS_UPPER, IS_ALPHA, IDX, LENGTH]).T
    named = (ent == 0) & ((pos == PROPN) | ((upper == 1) & (alpha == 1) & (length > 2)))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], named.astype(np.int8), [0]))))
    return [(int(idx[a]), int(idx[b - 1] + length[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _from_patterns(text: str, gazetteer: Gazetteer, found: list[Mention]) -> Iterable[Mention]:
    for match in _PARTY_DISTRICT.finditer(text):
        piece = match.group(1)
        if gazetteer.has_key(name_key(piece)):
            yield Mention(match.start(1), match.end(1), piece, "party")
    for mention in found:
        after = _QUALIFIER.match(text, mention.end)
        if not after:
            continue
        s, e = trim_span(text, after.start(1), after.end(1))
        piece = text[s:e]
        if any(c.kind in ("admin1", "country") for c in gazetteer.candidates(piece)):
            yield Mention(s, e, piece, "qualifier")


@lru_cache(maxsize=1)
def _curated_phrases() -> re.Pattern[str] | None:
    """Lower-case aliases in the curated table ("demilitarized zone"): matched in any case."""
    import csv

    with data_path("features.csv").open(encoding="utf-8", newline="") as handle:
        phrases = [a for rec in csv.DictReader(handle) for a in rec["aliases"].split("|") if a[:1].islower()]
    if not phrases:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def _from_curated_phrases(text: str) -> Iterable[Mention]:
    pattern = _curated_phrases()
    if pattern is None:
        return
    for match in pattern.finditer(text):
        yield Mention(match.start(), match.end(), match.group(), "curated")
