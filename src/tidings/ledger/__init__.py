"""The cross-article ledger: one record per real event, entity, figure and claim across the store.

    from tidings.ledger import update, timeline, contested
    update(store)                       # add every article not yet in the ledger (incremental)
    timeline(store, place="Kursk")      # what happened and was said there, in date order
    contested(store)                    # figures and claims sources disagree on

Pure matching rules live in `event_rules`, `entity_rules`, `figure_rules`, `claim_rules` and `sources`; `update`
reads and writes the store's ledger tables (migration 10); `queries` reads them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from tidings.article import Article
from tidings.errors import E, TidingsError
from tidings.heap import collector_paused
from tidings.ledger import queries
from tidings.ledger.db import LedgerDB, ledger_order
from tidings.ledger.update import UPDATE_BATCH, Progress, UpdateReport, update_articles
from tidings.store import Store, transaction

LEDGER_TABLES = ("ledger_links", "ledger_keys", "ledger_records", "ledger_article_bands", "ledger_articles")


def update(store: Store, batch_size: int = UPDATE_BATCH, progress: Progress | None = None) -> UpdateReport:
    """Add every stored article that is not yet in the ledger, one transaction per batch."""
    report = UpdateReport()
    started = time.perf_counter()
    with store.connect(write=True) as con:  # write: it applies pending migrations
        pending = LedgerDB(con).pending_articles()  # once: the query sorts the whole articles table
    for first in range(0, len(pending), batch_size):
        with store.connect(write=True) as con, transaction(con), store.batch_memory(con), collector_paused():
            _update_stored(con, pending[first : first + batch_size], report)
        report.seconds = time.perf_counter() - started
        if progress:
            progress(report)
    report.seconds = time.perf_counter() - started
    return report


def merge(con: Any, articles: Sequence[Article], report: UpdateReport | None = None, batch_size: int = UPDATE_BATCH) -> UpdateReport:
    """Add articles just stored through the write connection `con` (inside its transaction), as
    `update` would add them, but from memory: nothing is read back from the articles table.
    Batches of one ingest commit share an `ingested_at`, so `update`'s order is theirs by
    publication day and id."""
    report = report or UpdateReport()
    started = time.perf_counter()
    ordered = sorted(articles, key=ledger_order)
    for first in range(0, len(ordered), batch_size):
        with collector_paused():  # the batch's records go with its LedgerDB, inside the pause
            _merge_fresh(con, ordered[first : first + batch_size], report)
    report.seconds += time.perf_counter() - started
    return report


def _update_stored(con: Any, ids: Sequence[str], report: UpdateReport) -> None:
    db = LedgerDB(con)
    fresh = db.not_in_ledger(ids)  # another update may have added some since
    update_articles(db, [Article.from_dict(json.loads(doc)) for doc in db.article_docs(fresh)], report)


def _merge_fresh(con: Any, batch: Sequence[Article], report: UpdateReport) -> None:
    db = LedgerDB(con)
    fresh = set(db.not_in_ledger([a.id for a in batch]))
    update_articles(db, [a for a in batch if a.id in fresh], report)


def rebuild(store: Store, batch_size: int = UPDATE_BATCH, progress: Progress | None = None) -> UpdateReport:
    """Drop the ledger and build it again from every stored article."""
    with store.connect(write=True) as con, transaction(con):
        for table in LEDGER_TABLES:
            con.execute(f"DELETE FROM {table}")
    return update(store, batch_size, progress)


def _require_ledger(con: Any, store: Store) -> None:
    row = con.execute("SELECT count(*) FROM ledger_articles").fetchone()
    if not row or not row[0]:
        raise TidingsError(E.E220, path=store.path)


def timeline(store: Store, place: str | None = None, entity: str | None = None, limit: int = queries.TIMELINE_LIMIT) -> list[dict[str, Any]]:
    with store.connect() as con:
        _require_ledger(con, store)
        return queries.timeline(con, place, entity, limit)


def contested(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    with store.connect() as con:
        _require_ledger(con, store)
        return queries.contested(con, limit)


def entities(store: Store, name: str | None = None, label: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    with store.connect() as con:
        _require_ledger(con, store)
        return queries.entities(con, name, label, limit)


def events(store: Store, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    with store.connect() as con:
        _require_ledger(con, store)
        return queries.events(con, limit, offset)


def figures(store: Store, contested_only: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    with store.connect() as con:
        _require_ledger(con, store)
        return queries.figures(con, contested_only, limit)


def claims(store: Store, contested_only: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    with store.connect() as con:
        _require_ledger(con, store)
        return queries.claims(con, contested_only, limit)


def mentions(store: Store, record_id: int) -> list[dict[str, Any]]:
    with store.connect() as con:
        return queries.mentions(con, record_id)


__all__ = ["UpdateReport", "claims", "contested", "entities", "events", "figures", "mentions", "merge", "rebuild", "timeline", "update"]
