"""Numbered, append-only schema migrations, recorded in the database itself.

Never edit a migration that has shipped: add a new one at the end of `MIGRATIONS`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

Migration = tuple[int, str, Callable[[Any], None]]


def _m001_initial(con: Any) -> None:
    con.execute(
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            external_id VARCHAR,
            title VARCHAR,
            published DATE,
            published_how VARCHAR,
            source VARCHAR,
            url VARCHAR,
            author VARCHAR,
            origin VARCHAR,
            words INTEGER,
            text VARCHAR,
            doc JSON,
            ingested_at TIMESTAMP DEFAULT current_timestamp
        )
        """
    )
    con.execute(
        """
        CREATE TABLE article_sources (
            article_id VARCHAR,
            origin VARCHAR,
            url VARCHAR,
            source VARCHAR,
            seen_at TIMESTAMP DEFAULT current_timestamp,
            PRIMARY KEY (article_id, origin)
        )
        """
    )
    common = "article_id VARCHAR, idx INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR"
    con.execute(f"CREATE TABLE entities ({common}, label VARCHAR, data JSON)")
    con.execute(f"CREATE TABLE quotes ({common}, speaker_name VARCHAR, speaker_text VARCHAR, kind VARCHAR, data JSON)")
    con.execute(f"CREATE TABLE claims ({common}, claimant VARCHAR, status VARCHAR, data JSON)")
    con.execute(f"CREATE TABLE times ({common}, type VARCHAR, value VARCHAR, data JSON)")
    con.execute(
        f"CREATE TABLE places ({common}, name VARCHAR, geonameid BIGINT, lat DOUBLE, lon DOUBLE,"
        " country_code VARCHAR, data JSON)"
    )
    con.execute(
        f"CREATE TABLE quantities ({common}, value DOUBLE, low DOUBLE, high DOUBLE, qualifier VARCHAR,"
        " counted VARCHAR, data JSON)"
    )
    con.execute(
        f"""CREATE TABLE events ({common}, event_type VARCHAR, sub_event_type VARCHAR,
        event_date DATE, date_value VARCHAR, date_precision VARCHAR, place_name VARCHAR,
        lat DOUBLE, lon DOUBLE, country_code VARCHAR, fatalities INTEGER, injured INTEGER,
        status VARCHAR, confidence DOUBLE, attributed_to VARCHAR, data JSON)"""
    )
    for table in ("entities", "quotes", "claims", "times", "places", "quantities", "events"):
        con.execute(f"CREATE INDEX {table}_article ON {table}(article_id)")
    con.execute("CREATE INDEX events_date ON events(event_date)")


def _m010_ledger(con: Any) -> None:
    """The cross-article ledger (tidings.ledger): merged records, their blocking keys and mentions."""
    con.execute("CREATE SEQUENCE ledger_ids START 1")
    con.execute(
        "CREATE TABLE ledger_articles (article_id VARCHAR, published DATE, outlet VARCHAR, syndicate VARCHAR,"
        " agency VARCHAR, signature JSON, added_at TIMESTAMP DEFAULT current_timestamp)"
    )
    con.execute("CREATE TABLE ledger_article_bands (band VARCHAR, article_id VARCHAR)")
    con.execute(
        "CREATE TABLE ledger_records (record_id BIGINT, kind VARCHAR, label VARCHAR, name VARCHAR, date_lo DATE,"
        " date_hi DATE, contested BOOLEAN, n_sources INTEGER, doc JSON)"
    )
    con.execute("CREATE TABLE ledger_keys (key VARCHAR, record_id BIGINT)")
    con.execute(
        "CREATE TABLE ledger_links (record_id BIGINT, kind VARCHAR, article_id VARCHAR, idx INTEGER,"
        " start_char INTEGER, end_char INTEGER, text VARCHAR)"
    )
    con.execute("CREATE INDEX ledger_articles_id ON ledger_articles(article_id)")
    con.execute("CREATE INDEX ledger_article_bands_band ON ledger_article_bands(band)")
    con.execute("CREATE INDEX ledger_records_id ON ledger_records(record_id)")
    con.execute("CREATE INDEX ledger_keys_key ON ledger_keys(key)")
    con.execute("CREATE INDEX ledger_keys_record ON ledger_keys(record_id)")
    con.execute("CREATE INDEX ledger_links_record ON ledger_links(record_id)")
    con.execute("CREATE INDEX ledger_links_article ON ledger_links(article_id)")


@functools.lru_cache(maxsize=2**16)  # the ledger hashes the same blocking keys batch after batch
def ledger_key_hash(key: str) -> int:
    """A ledger blocking key as a signed 64-bit integer (the `h` column of ledger_keys)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _m011_ledger_key_hashes(con: Any) -> None:
    """Ledger blocking keys are looked up by a 64-bit hash. A batch's lookup is one scan (DuckDB
    uses no index for a list of keys) and an integer column scans several times faster than text.
    The ART indexes on ledger_keys served no lookup and slowed every insert: dropped."""
    con.execute("DROP INDEX IF EXISTS ledger_keys_key")
    con.execute("DROP INDEX IF EXISTS ledger_keys_record")
    con.execute("ALTER TABLE ledger_keys ADD COLUMN h BIGINT")
    keys = [r[0] for r in con.execute("SELECT DISTINCT key FROM ledger_keys").fetchall()]
    if keys:
        con.execute(
            "UPDATE ledger_keys SET h = m.h FROM (SELECT unnest($1::VARCHAR[]) AS key, unnest($2::BIGINT[]) AS h) m WHERE ledger_keys.key = m.key",
            [keys, [ledger_key_hash(k) for k in keys]],
        )


MIGRATIONS: list[Migration] = [
    (1, "initial schema: articles, sources, annotations", _m001_initial),
    (10, "ledger: merged events, entities, figures and claims", _m010_ledger),
    (11, "ledger: blocking keys looked up by hash", _m011_ledger_key_hashes),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(con: Any) -> int:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR,"
        " applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: Any) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction."""
    applied = []
    version = current_version(con)
    for number, name, apply in MIGRATIONS:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            apply(con)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
