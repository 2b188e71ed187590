"""The ledger's tables (migration 10): records by kind with a JSON doc, the blocking keys that
find them, and links from records to the article spans they were read from. Lookups go through
indexed blocking keys, so the number of candidates compared does not grow with the ledger; the
per-statement cost of DuckDB point reads and writes does (bench/bench_ledger.py: median 18.6 ms
per new article at 10k events, 77 ms at 100k). Batching the writes per update batch is the fix."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb


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


class LedgerDB:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    # -- articles ------------------------------------------------------------------------------
    def pending_articles(self, limit: int) -> list[str]:
        rows = self.con.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM ledger_articles l WHERE l.article_id = a.id)"
            " ORDER BY a.published NULLS LAST, a.ingested_at, a.id LIMIT ?",
            [limit],
        ).fetchall()
        return [r[0] for r in rows]

    def article_docs(self, ids: Sequence[str]) -> list[str]:
        rows = self.con.execute(f"SELECT id, doc FROM articles WHERE id IN ({_marks(ids)})", list(ids)).fetchall()
        by_id = dict(rows)
        return [by_id[i] for i in ids if i in by_id]

    def articles_by_band(self, bands: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not bands:
            return {}
        rows = self.con.execute(
            f"SELECT DISTINCT l.article_id, l.syndicate, l.signature FROM ledger_article_bands b JOIN ledger_articles l"
            f" ON l.article_id = b.article_id WHERE b.band IN ({_marks(bands)})",
            list(bands),
        ).fetchall()
        return {r[0]: {"syndicate": r[1], "signature": json.loads(r[2]) if r[2] else []} for r in rows}

    def add_article(self, article_id: str, info: dict[str, Any], signature: list[int], bands: Iterable[str]) -> None:
        self.con.execute(
            "INSERT INTO ledger_articles (article_id, published, outlet, syndicate, agency, signature) VALUES (?, ?, ?, ?, ?, ?)",
            [article_id, (info.get("published") or "")[:10] or None, info.get("outlet"), info.get("syndicate"), info.get("agency"), json.dumps(signature)],
        )
        rows = [(band, article_id) for band in bands]
        if rows:
            self.con.executemany("INSERT INTO ledger_article_bands VALUES (?, ?)", rows)

    # -- records -------------------------------------------------------------------------------
    def new_id(self) -> int:
        row = self.con.execute("SELECT nextval('ledger_ids')").fetchone()
        assert row is not None
        return int(row[0])

    def find(self, kind: str, keys: Iterable[str]) -> dict[int, dict[str, Any]]:
        """Records of `kind` filed under any of `keys`: the blocking lookup."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        # two index lookups: a join here lets DuckDB scan the whole records table instead
        ids = self.con.execute(f"SELECT DISTINCT record_id FROM ledger_keys WHERE key IN ({_marks(wanted)})", wanted).fetchall()
        found = self.get([int(r[0]) for r in ids])
        return {rid: doc for rid, doc in found.items() if doc.get("kind") == kind}

    def get(self, record_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        if not record_ids:
            return {}
        rows = self.con.execute(f"SELECT record_id, doc FROM ledger_records WHERE record_id IN ({_marks(record_ids)})", list(record_ids)).fetchall()
        return {int(r[0]): json.loads(r[1]) for r in rows}

    def insert(self, record_id: int, kind: str, doc: dict[str, Any], cols: Columns) -> None:
        doc["kind"] = kind
        self.con.execute(
            "INSERT INTO ledger_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [record_id, kind, cols.label, cols.name, cols.date_lo, cols.date_hi, cols.contested, cols.n_sources, json.dumps(doc, ensure_ascii=False)],
        )

    def replace(self, record_id: int, doc: dict[str, Any], cols: Columns) -> None:
        self.con.execute(
            "UPDATE ledger_records SET label = ?, name = ?, date_lo = ?, date_hi = ?, contested = ?, n_sources = ?, doc = ? WHERE record_id = ?",
            [cols.label, cols.name, cols.date_lo, cols.date_hi, cols.contested, cols.n_sources, json.dumps(doc, ensure_ascii=False), record_id],
        )

    def add_keys(self, record_id: int, keys: Iterable[str]) -> None:
        wanted = set(keys)
        if not wanted:
            return
        have = {r[0] for r in self.con.execute("SELECT key FROM ledger_keys WHERE record_id = ?", [record_id]).fetchall()}
        rows = [(k, record_id) for k in sorted(wanted - have)]
        if rows:
            self.con.executemany("INSERT INTO ledger_keys VALUES (?, ?)", rows)

    def add_links(self, record_id: int, kind: str, links: Iterable[Link]) -> None:
        rows = [(record_id, kind, link.article_id, link.idx, link.start, link.end, link.text) for link in links]
        if rows:
            self.con.executemany("INSERT INTO ledger_links VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _marks(items: Sequence[Any]) -> str:
    return ", ".join("?" * len(items))
