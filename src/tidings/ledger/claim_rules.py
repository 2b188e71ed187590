"""Claims across sources: the same statement from independent sources is corroborated; a denial
or a contradicting statement makes it contested, and the record says by whom. Pure."""

from __future__ import annotations

import zlib
from functools import lru_cache
from typing import Any

from tidings.ledger import overflow
from tidings.ledger.mentions import ClaimMention
from tidings.ledger.names import tokens
from tidings.ledger.sources import band_keys, independent_sources, minhash

# Two claims are one when their content words overlap at least this much (Jaccard). Paraphrases
# in tests/data/ledger share 0.4-0.7 of their content words; unrelated claims about one event
# share under 0.3. Chosen between.
CLAIM_SIMILARITY = 0.4
# Signature length for claim blocking: 16 bands of 2 rows find pairs with Jaccard 0.4 with p ~0.93.
CLAIM_HASHES = 32
_AGAINST = frozenset({"denied", "disputed"})
NEGATIONS = frozenset(["not", "no", "never", "nothing", "none", "neither", "nor", "denied", "denies", "deny", "false", "fake", "untrue"])
_STOP = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "and", "or", "but", "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "could", "should", "may", "might", "can", "it", "its", "he", "she", "they", "them", "his", "her", "their", "we", "our", "you", "your", "i", "as", "said", "says", "say", "told", "according", "also", "there", "which", "who", "whom", "what", "when", "where", "than", "then", "so", "if", "into", "about", "over", "after", "before", "while", "during"]
)


# Claim texts whose content words and keys are kept: each claim's are read for its lookup, its
# match against every candidate and its record, all within one update batch (bench/profile_ingest.py);
# 4096 covers a batch's claims (about 500 in 48 bench articles) in a few MB.
CLAIM_CACHE_SIZE = 4096


@lru_cache(maxsize=CLAIM_CACHE_SIZE)
def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in tokens(text) if w not in _STOP and w not in NEGATIONS and len(w) > 1)


def polarity(m: ClaimMention) -> bool:
    """False for a negated statement ("did not", "never"); a denial is told by its status."""
    return not (set(tokens(m.text)) & NEGATIONS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def keys(m: ClaimMention) -> set[str]:
    return set(_text_keys(m.text))


@lru_cache(maxsize=CLAIM_CACHE_SIZE)
def _text_keys(text: str) -> frozenset[str]:
    words = content_words(text)
    if not words:
        return frozenset()
    signature = minhash(zlib.crc32(w.encode()) for w in words)[:CLAIM_HASHES]
    return frozenset(band_keys(signature, "cl"))


def match_score(m: ClaimMention, record: dict[str, Any]) -> float:
    mine = content_words(m.text)
    return max((jaccard(mine, frozenset(v["words"])) for v in record["mentions"]), default=0.0)


def new_record(claim_id: int, m: ClaimMention) -> dict[str, Any]:
    return {"claim_id": claim_id, "text": m.text, "mentions": []}


def absorb(record: dict[str, Any], m: ClaimMention, info: dict[str, Any]) -> dict[str, Any]:
    record["mentions"].append(
        {
            "text": m.text, "words": sorted(content_words(m.text)), "claimant": m.claimant, "via": list(m.via), "status": m.status,
            "positive": polarity(m), "article_id": m.article_id, "idx": m.idx, "start": m.start, "end": m.end,
            "outlet": info.get("outlet"), "published": info.get("published"), "agency": m.agency, "syndicate": info.get("syndicate"),
        }
    )
    return summarise(record)


def repeats(m: ClaimMention, record: dict[str, Any]) -> bool:
    """A full record's new mention that does not go against it: only counted (ledger.overflow)."""
    return overflow.is_full(record["mentions"]) and not _is_against(m.status, polarity(m), _sense(record["mentions"]))


def _sense(mentions: list[dict[str, Any]]) -> bool:
    """The claim's sense: the first report's, reversed if that report denies or disputes it."""
    return bool(mentions[0]["positive"] if mentions[0]["status"] not in _AGAINST else not mentions[0]["positive"])


def _is_against(status: str, positive: bool, sense: bool) -> bool:
    """A denial, a dispute or the opposite sense is against the claim."""
    return (status in _AGAINST) == (positive == sense)


def summarise(record: dict[str, Any]) -> dict[str, Any]:
    mentions = record["mentions"]
    sense = _sense(mentions)
    against = [v for v in mentions if _is_against(v["status"], v["positive"], sense)]
    supporting = [v for v in mentions if v not in against]
    sources = independent_sources([{"article_id": v["article_id"], "outlet": v["outlet"], "agency": v["agency"], "syndicate": v["syndicate"]} for v in supporting])
    record["n_sources"] = len(sources)
    record["contested"] = bool(against)
    record["contested_by"] = sorted({v["claimant"] or v["outlet"] or v["article_id"] for v in against})
    record["status"] = "contested" if against else ("corroborated" if len(sources) >= 2 else "single-source")
    return record
