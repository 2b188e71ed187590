"""Fatality and injury counts from a sentence ("killed six people and injured 23 others")."""

from __future__ import annotations

import re

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a dozen": 12, "dozen": 12,
    # Vague plurals as ACLED codes them.
    "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100,
}
# Numbers of at most 7 digits: larger ones in casualty counts are typos or hostile input.
_NUM = r"(?<![\d^.,])(?:\d{1,3}(?:,\d{3}){1,2}|\d{1,7})(?![\d^]|,\d)|\b(?:" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")\b"
_QUAL = r"(?:at least |more than |over |about |around |some |nearly |almost |up to |another |a further )?"
# A few words between the number and the verb ("people", "of them", ", including two children,"),
# never a conjunction or another casualty verb, so that "killed six and injured 23" splits right.
_GAP = r"(?:(?!and\b|or\b|killed\b|injured\b|wounded\b)[\w'-]+\s+){0,3}?(?:[\w'-]+,[^,;.]{1,40},\s*)?"

_KILLED_AFTER = re.compile(r"\b(?:killing|killed|kills|kill|leaving|left|claimed the lives of)\s+" + _QUAL + "(" + _NUM + ")", re.I)
_KILLED_BEFORE = re.compile(r"(?<!\bno )(" + _NUM + r")\s+" + _GAP + r"(?:were |was |have been |had been |are |been )?(?:killed|dead|died|slain|shot dead|lost their lives)\b", re.I)
_INJURED_AFTER = re.compile(r"\b(?:injuring|injured|wounding|wounded|hurting)\s+" + _QUAL + "(" + _NUM + ")", re.I)
_INJURED_BEFORE = re.compile(r"(?<!\bno )(" + _NUM + r")\s+" + _GAP + r"(?:were |was |have been |had been |are |been )?(?:injured|wounded|hurt|hospitali[sz]ed)\b", re.I)
_NONE_KILLED = re.compile(r"\b(?:no one|nobody|no casualties|no deaths)\b[^.;]{0,40}?\b(?:killed|died|dead|reported|hurt|injured)?", re.I)
_NONE_INJURED = re.compile(r"\b(?:no one|nobody|no injuries)\b[^.;]{0,40}?\b(?:injured|hurt|wounded)\b", re.I)
# Sentences are cut to this many characters before matching: bounds the time on hostile input.
MAX_SENTENCE = 3000


def number_value(text: str) -> int | None:
    key = text.lower().replace(",", "")
    if key.isdigit():
        return int(key)
    return _WORD_NUMBERS.get(text.lower())


def _first_count(patterns: tuple[re.Pattern[str], ...], text: str) -> int | None:
    hits = [(m.start(1), number_value(m.group(1))) for p in patterns for m in p.finditer(text)]
    hits = [(at, v) for at, v in hits if v is not None]
    return min(hits)[1] if hits else None


def fatalities_in(sentence: str) -> int | None:
    text = sentence[:MAX_SENTENCE]
    found = _first_count((_KILLED_AFTER, _KILLED_BEFORE), text)
    if found is None and _NONE_KILLED.search(text) and re.search(r"\b(?:killed|died|dead|casualties|deaths)\b", text, re.I):
        return 0
    return found


def injured_in(sentence: str) -> int | None:
    text = sentence[:MAX_SENTENCE]
    found = _first_count((_INJURED_AFTER, _INJURED_BEFORE), text)
    if found is None and _NONE_INJURED.search(text):
        return 0
    return found
