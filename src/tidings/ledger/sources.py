"""Which reports are independent: syndicated copies (near-identical text, found by MinHash and
locality-sensitive hashing) and reports relaying one agency count once. Pure."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from tidings.ledger.names import fold

SHINGLE_WORDS = 5
NUM_HASHES = 64
# 16 bands of 4 rows: two texts whose shingle sets have Jaccard 0.5 share a band with p ~0.65,
# at 0.7 with p ~0.99 (1 - (1 - J^4)^16).
BANDS = 16
# Copies of one wire story edited by different outlets keep most 5-word shingles; unrelated
# reports of one event share few (< 0.1 on tests/data/ledger). Set between, nearer the copies.
SYNDICATION_JACCARD = 0.5
_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20240611)
_A = _RNG.integers(1, 1 << 31, NUM_HASHES, dtype=np.uint64)
_B = _RNG.integers(0, 1 << 31, NUM_HASHES, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    words = _WORD.findall(fold(text))
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


def minhash(items: Iterable[int]) -> list[int]:
    values = np.fromiter(items, dtype=np.uint64)
    if values.size == 0:
        return [0] * NUM_HASHES
    # (a*x + b) mod 2^32 with 32-bit x: a cheap universal family, exact in uint64 arithmetic
    hashed = (np.outer(_A, values & np.uint64(0xFFFFFFFF)) + _B[:, None]) & np.uint64(0xFFFFFFFF)
    return [int(v) for v in hashed.min(axis=1)]


def band_keys(signature: list[int], prefix: str) -> list[str]:
    rows = len(signature) // BANDS
    return [f"{prefix}|{b}|{zlib.crc32(str(signature[b * rows : (b + 1) * rows]).encode()):08x}" for b in range(BANDS)]


def similarity(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else 0.0


def independent_sources(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group reports {article_id, outlet, agency, syndicate} into independent sources: two reports
    are one source when they share an agency, a syndicated text or an outlet."""
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_by_key: dict[str, int] = {}
    for i, report in enumerate(reports):
        for key in identity_keys(report):
            if key in first_by_key:
                parent[find(i)] = find(first_by_key[key])
            else:
                first_by_key[key] = i
    groups: dict[int, list[dict[str, Any]]] = {}
    for i, report in enumerate(reports):
        groups.setdefault(find(i), []).append(report)
    return [_describe(group) for group in groups.values()]


def identity_keys(report: dict[str, Any]) -> list[str]:
    keys = [f"article:{report['article_id']}"]
    if report.get("agency"):
        keys.append(f"agency:{report['agency']}")
    if report.get("syndicate"):
        keys.append(f"syndicate:{report['syndicate']}")
    if report.get("outlet"):
        keys.append(f"outlet:{fold(str(report['outlet']))}")
    return keys


def _describe(group: list[dict[str, Any]]) -> dict[str, Any]:
    agencies = sorted({r["agency"] for r in group if r.get("agency")})
    outlets = sorted({str(r["outlet"]) for r in group if r.get("outlet")})
    return {"via": agencies[0] if agencies else (outlets[0] if outlets else group[0]["article_id"]), "agencies": agencies, "outlets": outlets, "articles": sorted({r["article_id"] for r in group})}
