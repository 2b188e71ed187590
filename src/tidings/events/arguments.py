"""Actors and targets as analysts code them: the mention, a normalised name, its country and sector.

`describe_argument("Ukraine's army")` -> {name: "Ukraine's army", normalised: "Military Forces of
Ukraine", country: "UA", countries: ["UA"], sector: "military"}. Names follow ACLED's actor style
("Military Forces of X", "Police Forces of X", "Government of X", "Civilians (X)", "Protesters (X)")
when the sector and country are known; otherwise the mention without determiners and counts.

Also the parse-based repairs of arguments the finder missed (`subject_fallback`, `conjuncts`,
`demonym_actor`), which work on the spaCy tokens of one event, never on the whole document.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from typing import Any

from tidings.events.lexicon import COUNTRY_WORDS, SECTORS, WEAPONS
from tidings.events.link import SAY_LEMMAS
from tidings.geo import country_of_demonym
from tidings.geo.sources import data_path

# Capitalised runs of up to three words ("North Korean", "United States"): demonym and country-name candidates.
_NAME_RUN = re.compile(r"\b[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_NOISE = re.compile(r"^(?:(?:the|a|an|some|several|many|about|around|at least|more than|up to|another|other|\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens of|hundreds of|thousands of)\s+)+", re.I)
# Capitals and institutions used for their state ("Kyiv said", "the Kremlin"): matched case-sensitively.
_METONYMS = {word: code for word, code in COUNTRY_WORDS.items() if word not in {"us", "uk"}}
_ACLED_STYLE = {
    "military": "Military Forces of {}",
    "police": "Police Forces of {}",
    "government": "Government of {}",
    "civilians": "Civilians ({})",
    "protesters": "Protesters ({})",
}
# Words naming the state itself: an argument that is only a country ("Russia", "Pyongyang") acts as its government.
STATE_SECTOR = "government"
_WEAPON_WORDS = frozenset(w.lower() for w in WEAPONS)
_MAX_NAME_RUNS = 20


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO code -> country name, lower-cased name or alias -> ISO code) from the places data."""
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    with data_path("countries.csv").open(encoding="utf-8", newline="") as handle:
        for rec in csv.DictReader(handle):
            names[rec["iso2"]] = rec["name"]
            for alias in [rec["name"], *rec["aliases"].split("|")]:
                if alias:
                    aliases.setdefault(alias.lower(), rec["iso2"])
    return names, aliases


def country_name(code: str) -> str:
    return _country_tables()[0].get(code, code)


def countries_in(text: str) -> list[str]:
    """Country codes named in a mention, in order: demonyms, country names, capitals as metonyms."""
    found: list[str] = []
    _, aliases = _country_tables()
    for match in list(_NAME_RUN.finditer(text))[:_MAX_NAME_RUNS]:
        words = [_POSSESSIVE.sub("", w) for w in match.group().split()]
        for code in _codes_in_run(words, aliases):
            if code not in found:
                found.append(code)
    return found


def _codes_in_run(words: list[str], aliases: dict[str, str]) -> list[str]:
    """Codes in a run of capitalised words, longest match first at each word ("Another Kyiv
    official" -> Kyiv; "North Korean" before "Korean")."""
    codes = []
    at = 0
    while at < len(words):
        for size in range(len(words) - at, 0, -1):
            code = _code_of(" ".join(words[at : at + size]), aliases)
            if code:
                codes.append(code)
                at += size
                break
        else:
            at += 1
    return codes


def _code_of(word: str, aliases: dict[str, str]) -> str | None:
    if not word[:1].isupper():
        return None
    return country_of_demonym(word) or aliases.get(word.lower()) or _METONYMS.get(word.lower())


def sector_of(text: str) -> str | None:
    """The sector of the mention's head word: the last word that names one ("army units" ->
    military), except that a rebel modifier makes generic armed words rebels ("rebel units")."""
    sectors = [s for w in re.findall(r"[\w-]+", text.lower()) if (s := SECTORS.get(w))]
    if not sectors:
        return None
    if sectors[-1] == "military" and "rebels" in sectors:
        return "rebels"
    return sectors[-1]


def normalised_name(text: str, sector: str | None, countries: list[str]) -> str:
    style = _ACLED_STYLE.get(sector or "")
    if style and countries:
        return "; ".join(style.format(country_name(code)) for code in countries)
    plain = _LEADING_NOISE.sub("", _POSSESSIVE.sub("", text.strip())).strip()
    if not plain or plain.lower() in {"people", "others", "persons"}:
        return "Civilians" if sector == "civilians" else (plain or text.strip())
    return plain


def is_state_name(text: str, countries: list[str]) -> bool:
    """The mention is only a country, capital or demonym ("Russia", "Kyiv", "Russian")."""
    words = _LEADING_NOISE.sub("", _POSSESSIVE.sub("", text.strip())).strip()
    return len(countries) == 1 and _code_of(words, _country_tables()[1]) == countries[0]


def describe_argument(text: str, place_countries: list[str] | None = None) -> dict[str, Any]:
    """Name, normalised name, country (the first named), all countries named, and sector.

    `place_countries`: countries of resolved places inside the mention ("the city of Zaporizhzhia"),
    used when the mention names no country itself."""
    countries = countries_in(text) or [c for c in dict.fromkeys(place_countries or []) if c]
    sector = sector_of(text)
    if sector is None and is_state_name(text, countries):
        sector = STATE_SECTOR
    return {
        "name": text,
        "normalised": normalised_name(text, sector, countries),
        "country": countries[0] if countries else None,
        "countries": countries,
        "sector": sector,
    }


# ACLED tells its two territory types apart by who takes control: government forces and their
# affiliates regain territory, non-state actors overtake it. The text classifier reads the words
# around the trigger, not which of them is the subject, and confused the two in 7 of the 304 CASE
# dev snippets (5-fold CV); the actor's sector, when the parse found one, decides. The actor of
# a withdrawal gave the place up (the other side took it); the actor of a reporting verb ("a
# military spokesman said ...") is its speaker, who decides nothing.
GOVERNMENT_REGAINS, NON_STATE_OVERTAKES = "Government regains territory", "Non-state actor overtakes territory"
_TAKER_BY_SECTOR = {"military": True, "police": True, STATE_SECTOR: True, "rebels": False}
WITHDRAW_LEMMAS = frozenset({"withdraw", "retreat", "flee", "abandon", "evacuate", "pull", "leave", "lose", "cede", "surrender"})


def territory_type(sub_event_type: str, actor_sectors: list[str | None], trigger_lemma: str) -> str:
    """The territory sub-type the trigger's first actor with a known sector gives (state or not,
    taking or giving up); any other type, or no such actor, unchanged."""
    if sub_event_type not in (GOVERNMENT_REGAINS, NON_STATE_OVERTAKES) or trigger_lemma in SAY_LEMMAS:
        return sub_event_type
    state = next((_TAKER_BY_SECTOR[s] for s in actor_sectors if s in _TAKER_BY_SECTOR), None)
    if state is None:
        return sub_event_type
    return GOVERNMENT_REGAINS if state != (trigger_lemma in WITHDRAW_LEMMAS) else NON_STATE_OVERTAKES


def is_weapon(text: str) -> bool:
    """A mention that only names a weapon ("artillery" in "fired artillery at X"): the means, not a target."""
    return _LEADING_NOISE.sub("", text.strip()).lower() in _WEAPON_WORDS


def names_place_at(text: str, start: int) -> bool:
    """The mention follows 'at'/'in'/'near' ("agreed at Camp David"): a location, not a target."""
    before = text[max(0, start - 6) : start].lower()
    return bool(re.search(r"\b(?:at|in|near|inside|outside)\s+(?:the\s+)?$", before))


# --- repairs on the parse of one event ---------------------------------------------------------

_SUBJECT_DEPS = ("nsubj",)
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})


def subject_fallback(trigger: Any, sent: Any) -> Any | None:
    """The nearest subject before a verb trigger the parser attached elsewhere ("Troops have for the
    first time engaged with ...", where 'engaged' came out as a modifier of 'time')."""
    if trigger.pos_ != "VERB" or any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
        return None
    for token in reversed(sent.doc[sent.start : trigger.i]):
        if token.dep_ in _SUBJECT_DEPS and token.pos_ in ("NOUN", "PROPN"):
            return token
        if (token.dep_ == "relcl" and not token.is_ancestor(trigger)) or token.lower_ in (";", ":"):
            break
    return None


def relative_antecedent(trigger: Any) -> Any | None:
    """The noun a relative clause trigger is about ("units that were deployed" -> units)."""
    if trigger.dep_ != "relcl":
        return None
    if any(c.lower_ in _RELATIVE_PRONOUNS and c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
        return trigger.head if trigger.head.pos_ in ("NOUN", "PROPN") else None
    return None


def is_passive(trigger: Any) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in trigger.children)


def conjuncts(token: Any) -> list[Any]:
    """Nouns coordinated with an argument head ("Biden and the leaders of X" -> leaders)."""
    return [c for c in token.conjuncts if c.pos_ in ("NOUN", "PROPN") and c.i > token.i]


def demonym_actor(trigger: Any) -> Any | None:
    """A demonym modifying a noun trigger or its modifiers ("a Russian glide bomb strike" -> Russian)."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return None
    for token in trigger.lefts:
        for node in (token, *token.lefts):
            # The small model often tags a rarer demonym ("Nigerien") as a name: the word decides.
            if node.dep_ in ("amod", "compound") and node.text[:1].isupper() and country_of_demonym(node.text):
                return node
    return None
