"""Cost of adding one article to the ledger as the ledger grows (issue 6: it must stay flat).

Fills a store's ledger with N synthetic events spread over a fixed number of years and places
(the ledger grows denser: each new event has more candidates in its blocks), or with --per-day,
over as many days as a feed of that rate needs (the ledger grows over time; new articles report
the latest days), then times adding fresh articles whose events land among them, the way `tidings ledger` adds
them (batches of UPDATE_BATCH articles, each read and written at once: cost per article is the
batch's time over its size) and one article per batch (the worst case: a batch's fixed number of
statements paid by one article). Run:

    .venv/bin/python bench/bench_ledger.py --sizes 10000 100000 --probe 500
    .venv/bin/python bench/bench_ledger.py --sizes 10000 100000 --probe 500 --per-day 100
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from tidings.article import Article, Entity, Event, EventDate, Place, Span
from tidings.ledger import entity_rules, event_rules
from tidings.ledger.db import LedgerDB, transaction
from tidings.ledger.mentions import ArticleInfo, event_mentions
from tidings.ledger.update import UPDATE_BATCH, LedgerWriter
from tidings.store import Store
from tidings.store.migrations import ledger_key_hash

SUBTYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"), ("Protests", "Peaceful protest")]
START = date(2020, 1, 1)
DAYS = 5 * 365


def synthetic_article(rng: random.Random, n: int, per_day: float = 0.0) -> Article:
    """Article `n` of a feed: dated anywhere in DAYS (the ledger grows denser), or, with
    `per_day` events a day, in the days the feed had reached (the ledger grows over time)."""
    day = START + timedelta(days=int(n / per_day) + rng.randrange(3) if per_day else rng.randrange(DAYS))
    lat, lon = rng.uniform(35, 60), rng.uniform(-5, 60)
    etype, sub = rng.choice(SUBTYPES)
    town = f"Town{rng.randrange(5000)}"
    person = f"Person{rng.randrange(20000)} Name{rng.randrange(50)}"
    text = f"{person} said an incident hit {town} on {day.isoformat()}, report {n}, killing {rng.randrange(1, 30)} people."
    p = text.index(town)
    q = text.index(person)
    trigger = text.index("hit")
    place = Place(p, p + len(town), town, town, None, lat, lon, f"C{int(lon) // 10}", "P", "PPL", None, "city")
    event = Event(etype, sub, Span(trigger, trigger + 3, "hit"), [], [], 0, EventDate(day.isoformat(), "day"), rng.randrange(1, 30), None, 0.9, "asserted", None)
    ents = sorted([Entity(p, p + len(town), town, "GPE"), Entity(q, q + len(person), person, "PERSON")], key=lambda e: e.start)
    return Article(text=text, source=f"Outlet{rng.randrange(300)}", published=day.isoformat(), places=[place], events=[event], entities=ents)


def fill(store: Store, target: int, rng: random.Random, counter: list[int], per_day: float = 0.0) -> None:
    """Bulk-load the ledger state that `target` one-event articles leave (records, keys, links),
    built with the ledger's own pure rules; going through the writer one article at a time
    would take hours at 100k on this machine, and only the cost of the next article is measured."""
    records, keys, entities = [], [], {}
    while counter[0] < target:
        article = synthetic_article(rng, counter[0], per_day)
        info = ArticleInfo(article.id, article.published, article.source or "", None, None, article.id)
        for mention in event_mentions(article, info):
            rid = 10**7 + counter[0]
            doc = event_rules.summarise(rid, [mention], {article.id: {"outlet": info.outlet, "published": info.published, "syndicate": article.id}}) | {"kind": "event"}
            records.append((rid, "event", doc["sub_event_type"], mention.place.name if mention.place else None, doc["date"]["lo"], doc["date"]["hi"], False, 1, json.dumps(doc)))
            keys += [(k, rid, ledger_key_hash(k)) for k in event_rules.storage_keys(mention)]
        for local in entity_rules.local_entities(article):
            rid = entities.setdefault(local.key, 2 * 10**7 + len(entities))
            keys += [(k, rid, ledger_key_hash(k)) for k in entity_rules.storage_keys(local)]
        counter[0] += 1
    for name, rid in entities.items():
        doc = {"entity_id": rid, "kind": "entity", "label": "PERSON" if name.startswith("person") else "PLACE", "name": name, "aliases": {name: 1}, "roles": {}, "context": {}, "n_mentions": 1, "articles": 1, "confidence": 1.0}
        records.append((rid, "entity", doc["label"], name, None, None, False, 1, json.dumps(doc)))
    with store.connect(write=True) as con, transaction(con):
        con.execute("DELETE FROM ledger_keys WHERE record_id IN (SELECT unnest(?))", [list(entities.values())])
        con.execute("DELETE FROM ledger_records WHERE record_id IN (SELECT unnest(?))", [list(entities.values())])
        for table, rows in (("ledger_records", records), ("ledger_keys", keys)):
            frame = pd.DataFrame(rows)  # noqa: F841 - read by DuckDB's replacement scan
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")


def probe(store: Store, rng: random.Random, n: int, batch: int, first_n: int = 10**9, per_day: float = 0.0) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per article for `n` fresh articles added `batch` at a time, then
    rolled back. CPU time (all threads of the process) is the steadier figure on a shared machine."""
    times, cpu = [], []
    with store.connect(write=True) as con, transaction(con):
        for first in range(0, n, batch):
            articles = [synthetic_article(rng, first_n + i, per_day) for i in range(first, min(n, first + batch))]
            writer = LedgerWriter(LedgerDB(con))
            started, cpu_started = time.perf_counter(), time.process_time()
            writer.add_batch(articles)
            times.append((time.perf_counter() - started) / len(articles))
            cpu.append((time.process_time() - cpu_started) / len(articles))
        con.execute("ROLLBACK")  # leave the ledger at its measured size
        con.execute("BEGIN TRANSACTION")
    return times, cpu


def _ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.2f} ms, p90 {sorted(times)[int(0.9 * len(times))] * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--probe", type=int, default=200)
    parser.add_argument(
        "--per-day", type=float, default=0.0,
        help="events a day: the ledger grows over time at this rate and new articles report the latest days"
        " (default 0: every size spread over the same 5 years, so the ledger grows denser)",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    counter = [0]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.init()
        for size in sorted(args.sizes):
            started = time.perf_counter()
            fill(store, size, rng, counter, args.per_day)
            fill_s = time.perf_counter() - started
            events = store.query("SELECT count(*) AS n FROM ledger_records WHERE kind = 'event'")[0]["n"]
            latest = size if args.per_day else 10**9  # a live feed reports the days it has reached
            batched, batched_cpu = probe(store, random.Random(size), args.probe, UPDATE_BATCH, latest, args.per_day)
            single, _ = probe(store, random.Random(size + 1), max(10, args.probe // 10), 1, latest, args.per_day)
            keys = store.query("SELECT count(*) AS n FROM ledger_keys")[0]["n"]
            print(
                f"ledger events={events:>7} keys={keys:>8} (articles {size}, filled in {fill_s:.0f}s): per new article"
                f" in batches of {UPDATE_BATCH}: {_ms(batched)} (CPU {_ms(batched_cpu)}); one per batch: {_ms(single)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
