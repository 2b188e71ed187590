"""End to end on examples/sample.txt: every attribution with its speaker, chain and status.

The expectations were read off the article by hand; the code has no knowledge of it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_records

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample.txt"


@lru_cache(maxsize=1)
def sample_out() -> dict[str, Any]:
    return next(analyze_records([{"id": "sample", "text": SAMPLE.read_text(encoding="utf-8")}]))


def quote_with(words: str) -> dict[str, Any]:
    found = [q for q in sample_out()["quotes"] if words in q["content"]["text"]]
    assert found, f"no quote holds {words!r}"
    return min(found, key=lambda q: len(q["content"]["text"]))  # the innermost of nested reports


def claim_with(words: str) -> dict[str, Any]:
    found = [c for c in sample_out()["claims"] if words in c["content"]["text"]]
    assert found, f"no claim holds {words!r}"
    return min(found, key=lambda c: len(c["content"]["text"]))


# (words in content, speaker mention, resolved name, via, medium or None, claim status)
EXPECTED = [
    ("unlikely to cut back its forces", "the South's minister tasked with matters related to neighbouring North Korea", "Kim Yung Ho", [], "a television interview", "hypothetical"),
    ("One of the concerns many people have", "Kim", "Kim Yung Ho", ["Reuters"], None, "hypothetical"),
    ("requires congressional approval", "December's National Defense Authorization Act", "December's National Defense Authorization Act", ["Kim"], None, "asserted"),
    ("Strengthening ties between the United States", "he", "Kim Yung Ho", [], None, "expected"),
    ("Trump was considering letting North Korea", "Politico", "Politico", [], None, "denied"),
    ("Recognizing North Korea as a nuclear power", "Kim", "Kim Yung Ho", [], None, "expected"),
    ("Neither the United States or South Korea can accept", "Kim", "Kim Yung Ho", [], None, "asserted"),
    ("engaged with North Korean units that were recently deployed", "Ukraine's defense minister", "Rustem Umerov", [], None, "unconfirmed"),
    ("army fired artillery at North Korean soldiers", "Another Kyiv official", "Another Kyiv official", [], None, "unconfirmed"),
    ("small-scale", "Ukraine’s Defense Minister Rustem Umerov", "Rustem Umerov", [], "interview with KBS", "asserted"),
    ("mixed with Russian troops", "Umerov", "Rustem Umerov", ["KBS"], None, "asserted"),
    ("hard to say whether there were any North Korean casualties", "he", "Rustem Umerov", [], None, "asserted"),
    ("he expects that five North Korean units", "Umerov", "Rustem Umerov", [], None, "unconfirmed"),
    ("five North Korean units", "he", "Rustem Umerov", [], None, "expected"),
    ("the first North Korean troops have already been shelled", "Andrii Kovalenko, the head of the counter-disinformation branch of Ukraine’s Security Council", "Andrii Kovalenko", [], None, "asserted"),
    ("would be sent to Russia’s Kursk border region", "Western governments", "Western governments", [], None, "expected"),
    ("up to 12,000 North Korean combat troops", "US, South Korean and Ukrainian intelligence assessments", "US, South Korean and Ukrainian intelligence assessments", [], None, "asserted"),
    ("at least 10,000 North Korean soldiers", "The Pentagon", "Pentagon", [], None, "asserted"),
    ("may be slated for deployment", "an analysis published Tuesday by the European Council on Foreign Relations", "an analysis published Tuesday by the European Council on Foreign Relations", [], None, "hypothetical"),
    ("The ramifications extend far beyond Europe", "it", "an analysis published Tuesday by the European Council on Foreign Relations", [], None, "asserted"),
    ("Despite integration challenges", "the analysis", "an analysis published Tuesday by the European Council on Foreign Relations", [], None, "asserted"),
    ("battlefield gains of up to 9 kilometers", "the UK Defense Ministry", "UK Defense Ministry", [], "the social platform X", "asserted"),
    ("Russia has superior troop numbers", "It", "UK Defense Ministry", [], None, "asserted"),
    ("Western military support takes too long", "Ukrainian officials", "Ukrainian officials", [], None, "asserted"),
    ("long-range aerial attacks on civilian areas", "authorities", "authorities", [], None, "asserted"),
    ("killed six people and injured 23 others", "regional Gov. Ivan Fedorov", "Ivan Fedorov", [], None, "asserted"),
    ("must be stopped with strong action", "The head of Ukraine’s presidential office, Andrii Yermak", "Andrii Yermak", [], None, "asserted"),
    ("A stronger position by", "he", "Andrii Yermak", [], "Telegram", "asserted"),
]


def test_every_attribution_in_the_sample() -> None:
    got = []
    for words, *_ in EXPECTED:
        q = quote_with(words)
        got.append((words, q["speaker"] and q["speaker"]["text"], q["speaker_name"], q["via"], q["medium"], claim_with(words)["status"]))
    assert got == [tuple(e) for e in EXPECTED]


def test_sample_roles_and_types() -> None:
    assert quote_with("mixed with Russian troops")["speaker_role"] == "Ukraine’s Defense Minister"
    assert quote_with("One of the concerns")["speaker_role"] == "Unification Minister"
    assert quote_with("up to 12,000")["speaker_type"] == "unnamed group"
    assert quote_with("requires congressional approval")["speaker_type"] == "document"
    assert quote_with("A stronger position")["kind"] == "direct"
    assert quote_with("must be stopped")["kind"] == "mixed"


def test_neither_claim_is_the_status_cue() -> None:
    claim = claim_with("army fired artillery")
    assert claim["status_cue"]["text"] == "Neither claim could be independently confirmed"


def test_denial_by_trump_is_the_cue() -> None:
    assert claim_with("Trump was considering")["status_cue"]["text"] == "denied"
