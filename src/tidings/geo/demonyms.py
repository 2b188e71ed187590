"""Demonyms and country adjectives ("North Korean", "Ukrainian"): not places, but they give the
country of an actor. The table comes from `data/geo/countries.csv` (demonyms column)."""

from __future__ import annotations

import csv
from functools import lru_cache

from tidings.errors import E, TidingsError
from tidings.geo.normalize import name_key
from tidings.geo.sources import data_path

# Adjectives of regions, peoples and blocs: never places, and no single country.
_NO_COUNTRY = ("European", "Europeans", "Asian", "Asians", "African", "Africans", "Arab", "Arabs", "Arabic",
               "Western", "Eastern", "Soviet", "Kurd", "Kurds", "Kurdish", "Korean", "Koreans", "Latin American",
               "Scandinavian", "Balkan", "Caucasian", "Middle Eastern", "Nordic", "Baltic", "Slavic", "Jewish",
               "Muslim", "Christian", "Sunni", "Shiite", "Shia", "Pashtun", "Tamil", "Sinhalese", "Hispanic",
               "Latino", "Native American", "Ossetian", "Ossetians", "South Ossetian", "Abkhaz", "Chechen", "Chechens",
               "Dagestani", "Crimean", "Tatar", "Uyghur", "Uighur", "Baloch", "Druze", "Yazidi", "Alawite")


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {name_key(word): None for word in _NO_COUNTRY}
    with data_path("countries.csv").open(encoding="utf-8", newline="") as handle:
        for rec in csv.DictReader(handle):
            for word in rec["demonyms"].split("|"):
                if word:
                    table[name_key(word)] = rec["iso2"]
    return table


def is_demonym(text: str) -> bool:
    return name_key(text) in demonym_table()


def country_of_demonym(text: str) -> str | None:
    """ISO 3166 alpha-2 code of the country a demonym names ("North Korean" -> "KP"), else None.

    Accepts the plural and possessive ("Ukrainians", "Russia's" is not a demonym: None).
    """
    if not isinstance(text, str) or not text.strip():
        raise TidingsError(E.E163, value=text)
    key = name_key(text.strip().removesuffix("'s").removesuffix("’s"))
    return demonym_table().get(key)
