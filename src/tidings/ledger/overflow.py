"""Records that stop growing: a record keeps in full the first MAX_KEPT_MENTIONS mentions and,
after them, only mentions that can change what it says (a new value, a denial); any other
repeat is only counted (mentions, articles, independent sources). Pure.

Why: every mention a record gains is read and written again with the whole record, so a story
repeated by hundreds of outlets made each new report cost more than the last. Every mention keeps its link row
(`ledger_links`), so what a record was read from is never lost, only not copied into it.

Independent sources among the counted repeats are told apart by the identity keys of each
report (article, agency, syndicate, outlet) in a fixed-size Bloom filter: a report whose keys
were all unseen is a new source. A false positive (1 in ~1,000 at 300 keys) undercounts one
source; two earlier sources that a later report bridges stay two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

# Mentions a record keeps in full before repeats are only counted (new values are kept beyond
# it). Bench corpus from 300 paragraphs (each repeated ~36 times by 2,400 articles), ledger CPU
# per article at 1,200 / 2,400 articles: uncapped 39 / 66 ms and rising, 12 kept 42 / 43 ms
# (flat from 1,200 on). The ledger's gold set scores the same (tests/data/ledger/floors*.json).
MAX_KEPT_MENTIONS = 12
BLOOM_BITS = 4096
_HASHES = 3
# A record's count fields and the tally entries that hold their counted repeats.
_COUNTED = (("n_mentions", "mentions"), ("n_articles", "articles"), ("n_sources", "sources"))


def is_full(kept: list[Any]) -> bool:
    return len(kept) >= MAX_KEPT_MENTIONS


def count_repeat(doc: dict[str, Any], article_id: str, report_keys: Iterable[str], kept_articles: Iterable[str], kept_keys: Iterable[str]) -> None:
    """Count one repeated mention in `doc` (its tally and its n_* fields) without keeping it.
    `kept_articles`/`kept_keys` (the kept mentions' articles and identity keys) seed the tally
    the first time."""
    tally = doc.get("tally")
    if tally is None:
        tally = doc["tally"] = {"mentions": 0, "articles": 0, "sources": 0, "last_article": None, "seen": format(_bloom_add(0, kept_keys), "x")}
    keys = list(report_keys)
    bloom = int(tally["seen"], 16)
    new_source = not any(_bloom_has(bloom, key) for key in keys)
    new_article = article_id != tally["last_article"] and article_id not in set(kept_articles)
    tally["seen"] = format(_bloom_add(bloom, keys), "x")
    tally["last_article"] = article_id
    added = {"mentions": 1, "articles": int(new_article), "sources": int(new_source)}
    for name, counted in _COUNTED:
        tally[counted] += added[counted]
        if name in doc:
            doc[name] += added[counted]
    _corroborate(doc)


def carry_tally(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """A record summarised again from its kept mentions gets its counted repeats back."""
    tally = (old or {}).get("tally")
    if tally is None:
        return new
    new["tally"] = tally
    for name, counted in _COUNTED:
        if name in new:
            new[name] += tally[counted]
    _corroborate(new)
    return new


def _corroborate(doc: dict[str, Any]) -> None:
    if doc.get("status") == "single-source" and doc.get("n_sources", 0) >= 2:
        doc["status"] = "corroborated"


def _positions(key: str) -> list[int]:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4 * _HASHES).digest()
    return [int.from_bytes(digest[4 * i : 4 * i + 4], "big") % BLOOM_BITS for i in range(_HASHES)]


def _bloom_add(bloom: int, keys: Iterable[str]) -> int:
    for key in keys:
        for bit in _positions(key):
            bloom |= 1 << bit
    return bloom


def _bloom_has(bloom: int, key: str) -> bool:
    return all(bloom >> bit & 1 for bit in _positions(key))
