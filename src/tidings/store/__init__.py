"""The DuckDB store.

Concurrency: DuckDB lets one process write, and no process read while another holds the file
open for writing. tidings therefore never keeps the file open for long: every operation opens a
short connection (read-only for reads), does its work in one transaction and closes it. An ingest
(and `tidings ledger update`) holds the file open across its batches for at most `WRITE_LEASE_S`
(`Store.held_open`), then closes it for `READER_WINDOW_S`, so `tidings serve`, `tidings articles`
and other readers get in at least that often; a connection that finds the file locked retries
for `LOCK_WAIT_S` seconds and then fails with E030.

Each batch of articles is written in one transaction: killing an ingest at any moment leaves every
committed batch whole and nothing of the batch in flight; running it again skips what is stored.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from tidings.article import Article
from tidings.errors import E, TidingsError
from tidings.heap import release_freed_memory
from tidings.store.migrations import LATEST_VERSION, current_version, migrate
from tidings.store.rows import ANNOTATION_ROWS, article_rows

DEFAULT_DB = "tidings.duckdb"
# A batch commit takes well under a second here; 30 s covers a slow disk and a long batch.
LOCK_WAIT_S = 30.0
_LOCK_RETRY_S = 0.05
# DuckDB's buffer pool defaults to 80% of the machine's memory and keeps every block a query has
# read: the ledger's blocking lookups scan its key table once per batch, so an ingest's memory
# grew with the store (main process +70 MB per 1,000 articles; +25 MB with this limit, the rest
# being bounded caches filling). Blocks beyond the limit are read again from disk or spilled.
# Override with TIDINGS_DB_MEMORY (a DuckDB size such as "1GB") for large interactive queries.
# A write connection's pool is this much beside what the store's indexes hold of it once a batch
# has loaded them (`Store._pool`), unless TIDINGS_DB_MEMORY set it.
DB_MEMORY_LIMIT = os.environ.get("TIDINGS_DB_MEMORY", "256MB")
MEMORY_FROM_ENV = "TIDINGS_DB_MEMORY" in os.environ
# The buffer pool while a batch is merged into the ledger (an ingest, `tidings ledger update`;
# `Store.batch_memory`). Every block it keeps is dropped when the connection closes, so a larger
# pool buys nothing across batches, while within one it adds to the peak: the ingest's main
# process rose from ~250 to 500-600 MB during each batch at 4,000 articles with 256 MB, and to
# ~400 MB with 96 MB, at the same CPU per article (bench/ledger_growth.py, 4,000 articles: 98.5
# and 95.1 ms). TIDINGS_DB_MEMORY, when set, applies here too, as it is. Otherwise the pool is this
# much beside what the store's indexes hold of it (`Store._pool`): they stay in the pool and grow
# with the store (~1 MB per 1,000 articles), and a replay at 96 articles a batch
# (bench/ledger_growth.py) under a flat 96 MB ran out at ~67,000 articles (ART indexes up to 56 MB
# of it from 50,000 on). A batch that outgrows its pool all the same is done again by
# `add_articles` with DB_MEMORY_LIMIT of room.
BATCH_MEMORY_LIMIT = os.environ.get("TIDINGS_DB_MEMORY", "96MB")
# DuckDB threads of a write connection. Its work is the ingest's commits, ledger lookups and the
# checkpoint each close runs, while the ingest's workers already keep every core busy: with one
# thread the ledger replay (bench/ledger_growth.py, 1,000 articles) ran 20.8 -> 23.5 articles/s
# (CPU 49 -> 43 ms per article) and its peak RSS fell 345 -> 324 MB. Read connections (the web
# app, exports, reports) keep DuckDB's default of one thread per core.
WRITE_THREADS = 1
# How long an ingest keeps the file open across its commit batches (`Store.held_open`). Closing a
# write connection runs a checkpoint: 0.47 s per 48-article batch at 3,000 articles, against
# 2.1 s for the batch itself (replay of the bench corpus, bench/ledger_growth.py's path). Held
# open, DuckDB checkpoints only when its log passes 16 MB (about every third batch): 2.65 -> 1.97 s
# per batch; a 2,000-article ingest (2 workers) used 96.9 -> 79.6 CPU-s in its main process, with
# the same ledger (records, keys and links identical in the replay). Then the file is closed for
# READER_WINDOW_S, so that readers retrying on the lock (every _LOCK_RETRY_S) get in at least that
# often. TIDINGS_WRITE_LEASE (seconds) overrides WRITE_LEASE_S.
WRITE_LEASE_S = 10.0
READER_WINDOW_S = 0.15


# Work done inside an add_articles transaction with the articles it stored.
AfterInsert = Callable[[duckdb.DuckDBPyConnection, list[Article]], None]


@dataclass
class StoredCounts:
    new: int = 0
    duplicate: int = 0


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB, lock_wait_s: float = LOCK_WAIT_S) -> None:
        self.path = Path(path)
        self.lock_wait_s = lock_wait_s
        self._migrated = False
        self._lease_s: float | None = None  # set inside held_open
        self._keeper: duckdb.DuckDBPyConnection | None = None
        self._keeper_since = 0.0
        self._open_connections = 0
        self._index_bytes = 0  # the most of the buffer pool the store's indexes were seen to hold

    # -- connections -----------------------------------------------------------------------
    @contextmanager
    def held_open(self, lease_s: float | None = None) -> Iterator[Store]:
        """Within this block, the store's connections (reads too) share one database kept open
        for writing, closed and opened again once it has been held `lease_s` seconds (default:
        `write_lease_s()`), when no connection is open: many short transactions without a
        checkpoint each. For one thread (an ingest, `tidings ledger update`); other processes
        wait for the lock meanwhile."""
        if self._lease_s is not None:  # an enclosing block holds it already
            yield self
            return
        self._lease_s = write_lease_s() if lease_s is None else lease_s
        try:
            yield self
        finally:
            self._lease_s = None
            self._release(window=0.0)

    @contextmanager
    def connect(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if not write and not self.path.exists():
            raise TidingsError(E.E034, path=self.path)
        con = self._connection(write)
        self._open_connections += 1
        try:
            if write and not self._migrated:
                self._migrate(con)
            elif not write:
                self._check_version(con)
            yield con
        except (duckdb.OutOfMemoryException, duckdb.FatalException) as err:
            # A FatalException here is DuckDB's checkpoint after a durable commit running out of memory.
            self._drop_keeper()  # DuckDB may have invalidated the database: the next connection opens it anew
            if isinstance(err, duckdb.FatalException) and "memory" not in str(err).lower():
                raise
            raise self._out_of_memory(err, DB_MEMORY_LIMIT) from err
        finally:
            with contextlib.suppress(duckdb.Error):  # a connection that hit a fatal error may refuse to close
                con.close()
            self._open_connections -= 1
            if self._lease_s is not None and time.monotonic() - self._keeper_since >= self._lease_s:
                self._release(window=READER_WINDOW_S)

    def _connection(self, write: bool) -> duckdb.DuckDBPyConnection:
        if self._lease_s is None:
            return self._open(write)
        if self._keeper is None:
            self._keeper, self._keeper_since = self._open(True), time.monotonic()
        return self._keeper.cursor()

    def _release(self, window: float) -> None:
        """Close the held database (its checkpoint runs) unless a connection to it is open, and
        leave the file to other processes for `window` seconds."""
        if self._keeper is None or self._open_connections:
            return
        self._drop_keeper()
        time.sleep(window)

    def _drop_keeper(self) -> None:
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            with contextlib.suppress(duckdb.Error):
                keeper.close()

    def _open(self, write: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_wait_s
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=not write, config=_config(write))
            except duckdb.IOException as err:
                if "lock" not in str(err).lower() or time.monotonic() > deadline:
                    raise self._open_error(err) from err
                time.sleep(_LOCK_RETRY_S)
            except duckdb.ParserException as err:
                raise TidingsError(E.E035, value=DB_MEMORY_LIMIT, reason=str(err).splitlines()[0]) from err
            except duckdb.Error as err:
                raise self._open_error(err) from err

    def _out_of_memory(self, err: Exception, limit: str) -> TidingsError:
        return TidingsError(E.E036, path=self.path, value=limit, reason=str(err).splitlines()[0])

    @contextmanager
    def batch_memory(self, con: duckdb.DuckDBPyConnection, full_pool: bool = False, retriable: bool = False) -> Iterator[None]:
        """Run a batch's ledger work with BATCH_MEMORY_LIMIT of room (DB_MEMORY_LIMIT with
        `full_pool`) beside the store's indexes (`_pool`), then hand the heap it freed back and
        give the commit that follows DB_MEMORY_LIMIT of room back: the checkpoint a commit may run
        pins blocks that grow with the store (a ledger replay under 96 MB throughout failed its
        checkpoint between 7,500 and 10,000 articles). With `retriable`, running out of a room
        smaller than DB_MEMORY_LIMIT raises _BatchPoolTooSmall for the caller to retry with it."""
        room = DB_MEMORY_LIMIT if full_pool else BATCH_MEMORY_LIMIT
        _set_memory_limit(con, self._pool(con, room))
        try:
            yield
        except duckdb.OutOfMemoryException as err:
            if retriable and room != DB_MEMORY_LIMIT:
                raise _BatchPoolTooSmall(str(err)) from err
            raise self._out_of_memory(err, room) from err
        release_freed_memory()  # the records the batch read, before the checkpoint's own peak
        _set_memory_limit(con, self._pool(con, DB_MEMORY_LIMIT))  # its indexes are all loaded now

    def _pool(self, con: duckdb.DuckDBPyConnection, room: str) -> str:
        """A buffer pool of `room` beside the most the store's indexes were seen to hold of it
        (they load lazily: a database opened anew holds only those its statements touched so
        far); `room` as it is when TIDINGS_DB_MEMORY set it or it is no size we read."""
        room_bytes = _size_bytes(room)
        if room_bytes is None or MEMORY_FROM_ENV:
            return room
        self._index_bytes = max(self._index_bytes, _index_bytes(con))
        return f"{math.ceil((room_bytes + self._index_bytes) / 1e6)}MB"

    def _open_error(self, err: Exception) -> TidingsError:
        if "lock" in str(err).lower():
            return TidingsError(E.E030, path=self.path)
        return TidingsError(E.E033, path=self.path, reason=str(err).splitlines()[0])

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        found = current_version(con)
        if found > LATEST_VERSION:
            raise TidingsError(E.E031, path=self.path, found=found, known=LATEST_VERSION)
        migrate(con)
        self._migrated = True

    def _check_version(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        except duckdb.CatalogException as err:
            raise TidingsError(E.E033, path=self.path, reason="no schema_migrations table") from err
        found = int(row[0]) if row and row[0] is not None else 0
        if found > LATEST_VERSION:
            raise TidingsError(E.E031, path=self.path, found=found, known=LATEST_VERSION)

    def init(self) -> None:
        with self.connect(write=True):
            pass

    # -- writing ---------------------------------------------------------------------------
    def known_ids(self, ids: Sequence[str]) -> set[str]:
        # A write connection: a process may not hold read-only and read-write connections to one
        # file at once, and the ingest that asks this writes between lookups.
        if not ids:
            return set()
        with self.connect(write=True) as con:
            rows = con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]).fetchall()
        return {r[0] for r in rows}

    def add_sources(self, articles: Sequence[Article]) -> None:
        """Record that already stored articles were seen again at these origins."""
        if not articles:
            return
        with self.connect(write=True) as con, transaction(con):
            _insert_sources(con, articles)

    def add_articles(self, articles: Sequence[Article], then: AfterInsert | None = None) -> int:
        """Store analysed articles in one transaction; those already stored only gain a source.
        `then(con, fresh)` runs in the same transaction with the articles that were new (the
        ingest merges them into the ledger there: one connection and one commit, not two). When
        `then` outgrows BATCH_MEMORY_LIMIT the whole batch is rolled back and done again once with
        DB_MEMORY_LIMIT for `then`, on a database opened anew."""
        if not articles:
            return 0
        try:
            return self._add_articles(articles, then, full_pool=False)
        except _BatchPoolTooSmall:
            self._drop_keeper()  # DuckDB may refuse the failed transaction's rollback: open it anew
            return self._add_articles(articles, then, full_pool=True)

    def _add_articles(self, articles: Sequence[Article], then: AfterInsert | None, full_pool: bool) -> int:
        with self.connect(write=True) as con, transaction(con):
            ids = [a.id for a in articles]
            stored = {r[0] for r in con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
            fresh = _unique([a for a in articles if a.id not in stored])
            if fresh:
                rows = [article_rows(a) for a in fresh]
                insert_rows(con, "articles", [article for article, _ in rows], extra=", current_timestamp")
                for table in ANNOTATION_ROWS:
                    insert_rows(con, table, [row for _, tables in rows for row in tables[table]])
            _insert_sources(con, articles)
            if then is not None and fresh:
                with self.batch_memory(con, full_pool, retriable=True):
                    then(con, fresh)
        return len(fresh)

    # -- reading ---------------------------------------------------------------------------
    def count_articles(self) -> int:
        with self.connect() as con:
            row = con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    def list_articles(self, limit: int = 50, offset: int = 0, search: str | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT a.id, a.title, CAST(a.published AS VARCHAR) AS published, a.source, a.origin, a.words,"
            " (SELECT count(*) FROM article_sources s WHERE s.article_id = a.id) AS sources,"
            " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events"
            " FROM articles a"
        )
        params: list[Any] = []
        if search:
            sql += " WHERE a.text ILIKE ? OR a.title ILIKE ?"
            params += [f"%{search}%", f"%{search}%"]
        sql += " ORDER BY a.published DESC NULLS LAST, a.ingested_at, a.id LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self.connect() as con:
            return _dicts(con.execute(sql, params))

    def get_article(self, article_id: str) -> Article:
        with self.connect() as con:
            row = con.execute("SELECT doc FROM articles WHERE id = ? OR external_id = ?", [article_id, article_id]).fetchone()
            if row is None:
                matches = con.execute("SELECT doc FROM articles WHERE id LIKE ? LIMIT 2", [f"{article_id}%"]).fetchall()
                row = matches[0] if len(matches) == 1 else None
        if row is None:
            raise TidingsError(E.E032, id=article_id, path=self.path)
        return Article.from_dict(json.loads(row[0]))

    def article_sources(self, article_id: str) -> list[dict[str, Any]]:
        with self.connect() as con:
            return _dicts(con.execute("SELECT origin, url, source, seen_at FROM article_sources WHERE article_id = ? ORDER BY seen_at, origin", [article_id]))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.connect() as con:
            return _dicts(con.execute(sql, list(params)))


def write_lease_s() -> float:
    value = os.environ.get("TIDINGS_WRITE_LEASE")
    if value is None:
        return WRITE_LEASE_S
    try:
        lease = float(value)
    except ValueError:
        lease = math.nan
    if not 0 <= lease < math.inf:
        raise TidingsError(E.E037, value=value)
    return lease


class _BatchPoolTooSmall(Exception):
    """A batch's ledger work ran out of BATCH_MEMORY_LIMIT (`Store.add_articles` retries it)."""


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b|bytes)\s*", re.IGNORECASE)
_UNIT_BYTES = {"b": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def _size_bytes(size: str) -> int | None:
    """A DuckDB memory size ("96MB", "1.5GiB", "2048 bytes") in bytes; None for any other text."""
    match = _SIZE.fullmatch(size)
    if match is None:
        return None
    return int(float(match.group(1)) * _UNIT_BYTES[match.group(2).lower()])


def _index_bytes(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'").fetchone()
    return int(row[0]) if row else 0


def _set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    try:
        con.execute("SET memory_limit = ?", [limit])
    except duckdb.ParserException as err:
        raise TidingsError(E.E035, value=limit, reason=str(err).splitlines()[0]) from err


def _config(write: bool) -> dict[str, Any]:
    config: dict[str, Any] = {"memory_limit": DB_MEMORY_LIMIT}
    if write:
        config["threads"] = WRITE_THREADS
    return config


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        # After some failures (out of memory, a fatal error) DuckDB refuses the rollback too: the
        # original error is the one to report, and DuckDB drops the open transaction on close anyway.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple[Any, ...]], extra: str = "", columns: str = "", suffix: str = "") -> None:
    """Insert many rows in one statement: each column goes in as one list parameter and is
    unnested (20x faster than executemany here: 0.11 s against 2.5 s for 2,000 rows)."""
    if not rows:
        return
    lists = [list(column) for column in zip(*rows, strict=True)]
    unnested = ", ".join(f"unnest(${i + 1})" for i in range(len(lists)))
    con.execute(f"INSERT INTO {table} {columns} SELECT {unnested}{extra} {suffix}", lists)


def _insert_sources(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
    rows = sorted({(a.id, a.origin or "", a.url, a.source) for a in articles}, key=lambda r: (r[0], r[1]))
    insert_rows(con, "article_sources", rows, columns="(article_id, origin, url, source)", suffix="ON CONFLICT DO NOTHING")


def _unique(articles: Sequence[Article]) -> list[Article]:
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
