"""What capping the ledger's candidates per lookup (`tidings.ledger.db.MAX_CANDIDATES`) costs and changes.

Builds the ledger of the first N articles of a store twice or more, once per cap (a cap of 0
means none: every record a lookup's keys offer), the way `tidings ledger` builds it (batches of
UPDATE_BATCH articles), and reports for each cap the ledger's CPU per article every --every
articles, the record docs read per article, and how its merges agree with those of the largest
cap: pairwise precision and recall of "these two mentions are one record", per kind.

The store must hold analysed articles and no ledger (`tidings ingest CORPUS --no-ledger`); it is
copied, never changed. Run:

    .venv/bin/tidings ingest bench-out/corpus.jsonl --db /tmp/noledger.duckdb --no-ledger -w 2
    .venv/bin/python bench/ledger_candidates.py /tmp/noledger.duckdb --articles 3000 --caps 0 16
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from math import comb
from pathlib import Path
from typing import Any

from tidings.article import Article
from tidings.ledger import db as ledger_db
from tidings.ledger.db import LedgerDB
from tidings.ledger.update import UPDATE_BATCH, update_articles
from tidings.store import Store, transaction

Mention = tuple[str, str, int, int, int]  # kind, article, idx, start, end


def build(source: Path, n: int, cap: int, every: int, kinds: list[str]) -> tuple[dict[Mention, int], list[dict[str, Any]]]:
    """The ledger of the first `n` articles with the candidates of `kinds` capped at `cap` (0: none)."""
    ledger_db.MAX_CANDIDATES = dict.fromkeys(kinds, cap or 10 ** 9)
    docs_read = Counter[str]()
    load = LedgerDB._load_docs

    def counting_load(self: LedgerDB, ids: Iterable[int]) -> None:
        before = len(self._docs)
        load(self, ids)
        docs_read["docs"] += len(self._docs) - before

    LedgerDB._load_docs = counting_load  # type: ignore[method-assign]
    series: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ledger.duckdb"
            shutil.copy(source, path)
            store = Store(path)
            with store.connect(write=True) as con:
                pending = LedgerDB(con).pending_articles()[:n]
            done, cpu = 0, 0.0
            for first in range(0, len(pending), UPDATE_BATCH):
                with store.connect(write=True) as con, transaction(con):
                    db = LedgerDB(con)
                    articles = [Article.from_dict(json.loads(doc)) for doc in db.article_docs(pending[first : first + UPDATE_BATCH])]
                    started = time.process_time()
                    update_articles(db, articles)
                    cpu += time.process_time() - started
                done += len(articles)
                if done // every != (done - len(articles)) // every:
                    window = done - (series[-1]["articles"] if series else 0)
                    series.append({"articles": done, "ledger_cpu_ms_per_article": round(1000 * cpu / window), "docs_read_per_article": round(docs_read["docs"] / window)})
                    cpu, docs_read["docs"] = 0.0, 0
            with store.connect() as con:
                rows = con.execute("SELECT kind, article_id, idx, start_char, end_char, record_id FROM ledger_links").fetchall()
    finally:
        LedgerDB._load_docs = load  # type: ignore[method-assign]
    return {(k, a, i, s, e): int(r) for k, a, i, s, e, r in rows}, series


def pair_agreement(test: dict[Mention, int], reference: dict[Mention, int], kind: str) -> dict[str, float]:
    """Pairwise precision and recall of `test`'s merges against `reference`'s, for one kind."""
    mentions = [m for m in reference if m[0] == kind and m in test]
    both = Counter((test[m], reference[m]) for m in mentions)
    same_both = sum(comb(n, 2) for n in both.values())
    same_test = sum(comb(n, 2) for n in Counter(test[m] for m in mentions).values())
    same_ref = sum(comb(n, 2) for n in Counter(reference[m] for m in mentions).values())
    return {
        "mentions": len(mentions),
        "precision": round(same_both / same_test, 4) if same_test else 1.0,
        "recall": round(same_both / same_ref, 4) if same_ref else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a store of analysed articles with no ledger")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--caps", type=int, nargs="+", default=[0, 16])
    parser.add_argument("--kinds", nargs="+", default=["claim", "entity", "event", "figure"], help="the kinds whose candidates are capped")
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--out", type=Path, default=Path("bench-out/ledger-candidates.json"))
    args = parser.parse_args()
    caps = sorted(args.caps, key=lambda c: c or 10**9, reverse=True)
    runs = {cap: build(args.store, args.articles, cap, args.every, args.kinds) for cap in caps}
    reference = runs[caps[0]][0]
    result = {
        str(cap): {"series": series, "agreement": {kind: pair_agreement(links, reference, kind) for kind in ("entity", "event", "figure", "claim")}}
        for cap, (links, series) in runs.items()
    }
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps({"articles": args.articles, "reference_cap": caps[0], "caps": result}, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
