"""The ledger's tables (migrations 10 and 11): records by kind with a JSON doc, the blocking keys
that find them (with their 64-bit hash), and links from records to the article spans they were
read from.

DuckDB answers one statement in a few milliseconds whatever it does, uses no index for a list of
keys, and single-row reads and writes grow slower as tables grow. So `LedgerDB` works per update
batch: `prefetch` reads every blocking key the batch will look up (one scan of the integer hash
column) and the records each lookup will weigh; lookups, new records and changes are then served from memory;
and `flush` writes the batch back with one bulk statement per table. bench/bench_ledger.py, per
new article, same shared 2-core machine, wall (CPU) median:
  one statement per lookup and write (before): 68 (26) ms at 10k events, 91 (30) ms at 100k;
  per batch of 50, ledger growing over time (--per-day 100): 4.9 (1.8) ms at 10k, 4.7 (2.1) ms at 100k;
  per batch of 50, same 5 years growing 10x denser: 3.1 (1.2) ms at 10k, 5.6 (2.2) ms at 100k
  (each new event then meets 10x the candidates in its blocks)."""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import duckdb

from tidings.article import Article
from tidings.store import insert_rows
from tidings.store.migrations import ledger_key_hash
from tidings.store.rows import iso_date

# Record ids are drawn from the sequence this many at a time (unused ones are simply skipped).
ID_BLOCK = 256
# A blocking key's candidates are its newest records only. Coarse keys (a country and a week, a
# counted thing and a month) gather records as the store grows, and every candidate is parsed
# and scored: on the bench corpus candidates per lookup went 3 -> 18 and ledger CPU 17 -> 38 ms
# per article over the first 1,500 articles. News about one event clusters in time, so the
# newest records are the likely matches; an older one is still found through its narrower keys.
MAX_RECORDS_PER_KEY = 32
# A lookup's candidates, for the kinds named here, are at most this many of the records its keys
# file: those that fit the mention best (Lookup.fit), then share the most of its own keys, then
# of its keys, the newest first. A claim looks up by 16 word bands and an event by ~40 cell,
# country and week keys, each filing up to MAX_RECORDS_PER_KEY records, so without this the
# candidates, the docs read and parsed for them and the match scores grew with the store (event
# candidates per lookup ~115 at 8,700 bench articles). Measured on the first 3,000 bench articles
# (bench/ledger_candidates.py, pairwise agreement of merges with no cap): claims ranked by shared
# word bands, cap 4: precision 1.0, recall 0.998, ledger CPU 55 -> 38 ms per article; events
# ranked by type, place and dates, cap 32: 0.976 / 0.968 (cap 16: 0.943 / 0.920; ranked by shared
# keys alone, cap 16: 0.51 / 0.37). Entities (2.7 candidates per lookup) and figures are not capped.
MAX_CANDIDATES = {"claim": 4, "event": 32}
# Most JSON a flush writes to ledger_records in one statement. A statement's parameters are
# allocated whole inside the batch's DuckDB pool (BATCH_MEMORY_LIMIT, 96 MB), beside the store's
# indexes: replaced records carry every mention, so a batch's docs grew with the store (a replay at
# 96 articles a commit: 5.6 MB a flush at 2,500 articles, 14 MB at 18,000) until one statement
# could not allocate its 16 MB and the ingest stopped with E036.
FLUSH_CHUNK_CHARS = 2_000_000


@dataclass(frozen=True)
class Link:
    article_id: str
    idx: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Columns:
    """The queryable columns kept beside a record's JSON doc."""

    label: str | None = None
    name: str | None = None
    date_lo: str | None = None
    date_hi: str | None = None
    contested: bool = False
    n_sources: int = 0


NO_COLUMNS = Columns()


class Lookup(NamedTuple):
    """A mention's lookup: records of `kind` filed under any of `keys`. When they are more than
    the kind's MAX_CANDIDATES they are ranked by `fit` (how well a record's columns fit the
    mention, read without its doc), then by how many of `own`, the keys the mention itself is
    filed under, and of `keys` they share."""

    kind: str
    keys: frozenset[str]
    own: frozenset[str]
    fit: Callable[[Columns], float] | None = None


@dataclass
class _Pending:
    """What a batch has written and not yet flushed."""

    records: dict[int, tuple[str, Columns]]
    replaced: set[int]
    keys: set[tuple[str, int]]
    links: list[tuple[Any, ...]]
    articles: list[tuple[Any, ...]]
    bands: list[tuple[str, str]]

    @classmethod
    def empty(cls) -> _Pending:
        return cls({}, set(), set(), [], [], [])


def ledger_order(article: Article) -> tuple[bool, date, str]:
    """`pending_articles`' order for articles stored in one transaction (one `ingested_at`)."""
    day = iso_date(article.published)
    return (day is None, day or date.min, article.id)


class LedgerDB:
    """Batch-scoped access to the ledger tables through one open write connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._ids_by_key: dict[str, set[int]] = {}
        self._loaded_keys: set[str] = set()
        self._truncated_keys: set[str] = set()  # loaded, but only their newest MAX_RECORDS_PER_KEY records
        self._stored_pairs: set[tuple[str, int]] = set()
        self._new_ids: set[int] = set()
        self._docs: dict[int, dict[str, Any]] = {}
        self._columns: dict[int, Columns] = {}
        self._bands: dict[str, set[str]] = {}
        self._loaded_bands: set[str] = set()
        self._article_info: dict[str, dict[str, Any]] = {}
        self._free_ids: list[int] = []
        self._pending = _Pending.empty()
        # Each prefetched lookup's candidates, and the records ranked by fit to choose them;
        # `find` takes them while the batch has filed no record under the lookup's keys and
        # changed no such record's columns since (it ranked every lookup twice: 16% of the
        # ledger's CPU in a replay of 3,000 articles).
        self._ranked: dict[Lookup, tuple[list[int], Set[int]]] = {}
        self._changed_keys: set[str] = set()
        self._changed_columns: set[int] = set()

    # -- articles ------------------------------------------------------------------------------
    def pending_articles(self) -> list[str]:
        """Stored articles not yet in the ledger, oldest first (so a report meets earlier ones)."""
        rows = self.con.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM ledger_articles l WHERE l.article_id = a.id)"
            " ORDER BY a.published NULLS LAST, a.ingested_at, a.id",
        ).fetchall()
        return [r[0] for r in rows]

    def not_in_ledger(self, ids: Sequence[str]) -> list[str]:
        rows = self.con.execute("SELECT article_id FROM ledger_articles WHERE article_id IN (SELECT unnest($1::VARCHAR[]))", [list(ids)]).fetchall()
        done = {r[0] for r in rows}
        return [i for i in ids if i not in done]

    def article_docs(self, ids: Sequence[str]) -> list[str]:
        rows = self.con.execute("SELECT id, doc FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))", [list(ids)]).fetchall()
        by_id = dict(rows)
        return [by_id[i] for i in ids if i in by_id]

    def prefetch_bands(self, bands: Iterable[str]) -> None:
        """Read, in two statements, the ledger articles filed under any of `bands`."""
        wanted = sorted(set(bands) - self._loaded_bands)
        if not wanted:
            return
        self._loaded_bands.update(wanted)
        rows = self.con.execute("SELECT band, article_id FROM ledger_article_bands WHERE band IN (SELECT unnest($1::VARCHAR[]))", [wanted]).fetchall()
        for band, article_id in rows:
            self._bands.setdefault(band, set()).add(article_id)
        missing = sorted({a for _, a in rows} - set(self._article_info))
        if missing:
            infos = self.con.execute(
                "SELECT article_id, syndicate, signature FROM ledger_articles WHERE article_id IN (SELECT unnest($1::VARCHAR[]))", [missing]
            ).fetchall()
            for article_id, syndicate, signature in infos:
                self._article_info[article_id] = {"syndicate": syndicate, "signature": json.loads(signature) if signature else []}

    def articles_by_band(self, bands: Sequence[str]) -> dict[str, dict[str, Any]]:
        self.prefetch_bands(bands)
        ids = {a for band in bands for a in self._bands.get(band, ())}
        return {a: self._article_info[a] for a in ids if a in self._article_info}

    def add_article(self, article_id: str, info: dict[str, Any], signature: list[int], bands: Iterable[str]) -> None:
        published = (info.get("published") or "")[:10] or None
        self._pending.articles.append((article_id, published, info.get("outlet"), info.get("syndicate"), info.get("agency"), json.dumps(signature)))
        self._article_info[article_id] = {"syndicate": info.get("syndicate"), "signature": signature}
        for band in set(bands):
            self._pending.bands.append((band, article_id))
            self._bands.setdefault(band, set()).add(article_id)

    # -- records -------------------------------------------------------------------------------
    def new_id(self) -> int:
        if not self._free_ids:
            rows = self.con.execute("SELECT nextval('ledger_ids') FROM range(?)", [ID_BLOCK]).fetchall()
            self._free_ids = sorted((int(r[0]) for r in rows), reverse=True)
        return self._free_ids.pop()

    def prefetch(self, lookups: Iterable[Lookup]) -> None:
        """Read the blocking keys of every lookup, the columns its candidates are ranked by and
        the docs of those it keeps (four statements, whatever their number)."""
        unique = list(dict.fromkeys(lookups))  # lookups without a fit are equal when their keys are
        self._load_keys(frozenset().union(*(lookup.keys for lookup in unique)))
        filed = {lookup: self._filed(lookup) for lookup in unique}
        by_fit = {lookup for lookup, shared in filed.items() if self._ranks_by_fit(lookup, shared)}
        self._load_columns({rid for lookup in by_fit for rid in filed[lookup]})
        self._ranked = {lookup: (self._candidates(lookup, shared), shared.keys() if lookup in by_fit else frozenset()) for lookup, shared in filed.items()}
        self._changed_keys.clear()
        self._changed_columns.clear()
        self._load_docs({rid for ids, _ in self._ranked.values() for rid in ids})

    def _prefetched(self, lookup: Lookup) -> list[int] | None:
        """The candidates `prefetch` chose for the lookup, unless what chose them has changed."""
        ranked = self._ranked.get(lookup)
        if ranked is None or not lookup.keys.isdisjoint(self._changed_keys) or not lookup.own.isdisjoint(self._changed_keys):
            return None
        ids, ranked_by_fit = ranked
        return ids if ranked_by_fit.isdisjoint(self._changed_columns) else None  # a dict's keys iterate the smaller side

    def _load_keys(self, keys: Iterable[str]) -> None:
        wanted = sorted(key for key in keys if key not in self._loaded_keys)
        if wanted:
            self._loaded_keys.update(wanted)
            rows = self._key_rows(wanted)
            for key, record_id in rows:
                self._ids_by_key.setdefault(key, set()).add(record_id)
            self._stored_pairs.update(rows)

    def _filed(self, lookup: Lookup) -> Counter[int]:
        """Each record filed under the lookup's keys, with how many of them."""
        return Counter(rid for key in lookup.keys for rid in self._ids_by_key.get(key, ()))

    @staticmethod
    def _ranks_by_fit(lookup: Lookup, shared: Counter[int]) -> bool:
        return lookup.fit is not None and len(shared) > MAX_CANDIDATES.get(lookup.kind, len(shared))

    def _candidates(self, lookup: Lookup, shared: Counter[int]) -> list[int]:
        """The records filed under the lookup's keys (`shared`, from `_filed`); for the kinds in
        MAX_CANDIDATES, those that fit best, then share the most of its own keys, then of its
        keys, newest first."""
        cap = MAX_CANDIDATES.get(lookup.kind)
        if cap is None or len(shared) <= cap:
            return list(shared)
        shared_own = Counter(rid for key in lookup.own for rid in self._ids_by_key.get(key, ()))
        fit = lookup.fit
        if fit is None:
            return heapq.nlargest(cap, shared, key=lambda rid: (shared_own[rid], shared[rid], rid))
        self._load_columns(shared)
        return heapq.nlargest(cap, shared, key=lambda rid: (fit(self._columns.get(rid, NO_COLUMNS)), shared_own[rid], shared[rid], rid))

    def _load_columns(self, record_ids: Iterable[int]) -> None:
        missing = sorted({rid for rid in record_ids if rid not in self._columns})
        if missing:
            rows = self.con.execute(
                "SELECT record_id, label, name, date_lo, date_hi, contested, n_sources FROM ledger_records WHERE record_id IN (SELECT unnest($1::BIGINT[]))", [missing]
            ).fetchall()
            for rid, label, name, lo, hi, contested, n_sources in rows:
                self._columns[int(rid)] = Columns(label, name, lo and lo.isoformat(), hi and hi.isoformat(), bool(contested), n_sources or 0)

    def _key_rows(self, keys: list[str]) -> list[tuple[str, int]]:
        """Stored (key, record id) pairs for `keys`, at most the newest MAX_RECORDS_PER_KEY records
        per key: one scan of the two integer columns (reading the text column as well made the
        scan 3x slower at 100k events)."""
        by_hash: dict[int, list[str]] = {}
        for key in keys:
            by_hash.setdefault(ledger_key_hash(key), []).append(key)
        rows = self.con.execute(
            "SELECT h, record_id, count(*) OVER (PARTITION BY h) FROM ledger_keys WHERE h IN (SELECT unnest($1::BIGINT[]))"
            " QUALIFY row_number() OVER (PARTITION BY h ORDER BY record_id DESC) <= $2",
            [sorted(by_hash), MAX_RECORDS_PER_KEY],
        ).fetchall()
        self._truncated_keys.update(key for h, _, n in rows if n > MAX_RECORDS_PER_KEY for key in by_hash[int(h)])
        return [(key, int(record_id)) for h, record_id, _ in rows for key in by_hash[int(h)]]

    def _load_docs(self, record_ids: Iterable[int]) -> None:
        missing = sorted({rid for rid in record_ids if rid not in self._docs})
        if missing:
            rows = self.con.execute("SELECT record_id, doc FROM ledger_records WHERE record_id IN (SELECT unnest($1::BIGINT[]))", [missing]).fetchall()
            self._docs.update((int(r[0]), json.loads(r[1])) for r in rows)

    def find(self, lookup: Lookup) -> dict[int, dict[str, Any]]:
        """Records of the lookup's kind among its candidates: the blocking lookup. The batch's
        `prefetch` has read what it needs unless the batch has filed records since."""
        ids = self._prefetched(lookup)
        if ids is None:
            self._load_keys(lookup.keys)
            ids = self._candidates(lookup, self._filed(lookup))
        self._load_docs(ids)
        return {rid: self._docs[rid] for rid in sorted(ids) if rid in self._docs and self._docs[rid].get("kind") == lookup.kind}

    def get(self, record_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        self._load_docs(record_ids)
        return {rid: self._docs[rid] for rid in record_ids if rid in self._docs}

    def insert(self, record_id: int, kind: str, doc: dict[str, Any], cols: Columns) -> None:
        doc["kind"] = kind
        self._docs[record_id] = doc
        self._set_columns(record_id, cols)
        self._new_ids.add(record_id)
        self._pending.records[record_id] = (kind, cols)

    def replace(self, record_id: int, doc: dict[str, Any], cols: Columns) -> None:
        kind = doc.get("kind") or self._docs.get(record_id, {}).get("kind")
        doc["kind"] = kind
        self._docs[record_id] = doc
        self._set_columns(record_id, cols)
        if record_id not in self._pending.records:
            self._pending.replaced.add(record_id)
        self._pending.records[record_id] = (str(kind), cols)

    def _set_columns(self, record_id: int, cols: Columns) -> None:
        if self._columns.get(record_id) != cols:
            self._columns[record_id] = cols
            self._changed_columns.add(record_id)

    def add_keys(self, record_id: int, keys: Iterable[str]) -> None:
        for key in keys:
            filed = self._ids_by_key.setdefault(key, set())
            if record_id not in filed:
                filed.add(record_id)
                self._changed_keys.add(key)
            self._pending.keys.add((key, record_id))

    def add_links(self, record_id: int, kind: str, links: Iterable[Link]) -> None:
        self._pending.links += [(record_id, kind, link.article_id, link.idx, link.start, link.end, link.text) for link in links]

    # -- writing -------------------------------------------------------------------------------
    def flush(self) -> None:
        """Write what the batch added: one bulk statement per table."""
        done, self._pending = self._pending, _Pending.empty()
        insert_rows(self.con, "ledger_articles", done.articles, columns="(article_id, published, outlet, syndicate, agency, signature)")
        insert_rows(self.con, "ledger_article_bands", done.bands)
        if done.replaced:
            self.con.execute("DELETE FROM ledger_records WHERE record_id IN (SELECT unnest($1::BIGINT[]))", [sorted(done.replaced)])
        rows = [(rid, kind, *_columns(cols), json.dumps(self._docs[rid], ensure_ascii=False)) for rid, (kind, cols) in sorted(done.records.items())]
        for chunk in chunked_by_size(rows, FLUSH_CHUNK_CHARS):
            insert_rows(self.con, "ledger_records", chunk)
        self._insert_new_keys(sorted(done.keys))
        insert_rows(self.con, "ledger_links", done.links)

    def _insert_new_keys(self, pairs: list[tuple[str, int]]) -> None:
        """Add the pairs not stored yet: a batch knows every stored pair under the keys it read in
        full and that its new records have none; the rest are checked pair by pair in one statement
        (not key by key: a surname key can file thousands of people)."""
        complete = self._loaded_keys - self._truncated_keys
        unknown = [(k, r) for k, r in pairs if r not in self._new_ids and k not in complete and (k, r) not in self._stored_pairs]
        stored = self._stored_pairs | self._stored_among(unknown)
        fresh = [(k, r, ledger_key_hash(k)) for k, r in pairs if (k, r) not in stored]
        insert_rows(self.con, "ledger_keys", fresh)
        self._stored_pairs.update((k, r) for k, r, _ in fresh)

    def _stored_among(self, pairs: list[tuple[str, int]]) -> set[tuple[str, int]]:
        if not pairs:
            return set()
        by_hash = {(ledger_key_hash(k), r): (k, r) for k, r in pairs}
        rows = self.con.execute(
            "SELECT k.h, k.record_id FROM ledger_keys k JOIN (SELECT unnest($1::BIGINT[]) AS h, unnest($2::BIGINT[]) AS r) p"
            " ON k.h = p.h AND k.record_id = p.r",
            [[h for h, _ in by_hash], [r for _, r in by_hash]],
        ).fetchall()
        return {by_hash[(int(h), int(r))] for h, r in rows}


def chunked_by_size(rows: Sequence[tuple[Any, ...]], most: int) -> Iterator[Sequence[tuple[Any, ...]]]:
    """`rows` in order, in runs whose last fields (a record's JSON doc) add up to at most `most`
    characters; a single larger row is a run of its own."""
    first, size = 0, 0
    for n, row in enumerate(rows):
        if size and size + len(row[-1]) > most:
            yield rows[first:n]
            first, size = n, 0
        size += len(row[-1])
    if first < len(rows):
        yield rows[first:]


def _columns(cols: Columns) -> tuple[Any, ...]:
    return (cols.label, cols.name, cols.date_lo, cols.date_hi, cols.contested, cols.n_sources)


