"""Cost of adding one article to the ledger as the ledger grows (issue 6: it must stay flat).

Fills a store's ledger with N synthetic events spread over a fixed number of years and places,
then times `LedgerWriter.add` for fresh articles whose events land among them. Run:

    .venv/bin/python bench/bench_ledger.py --sizes 10000 100000 --probe 50
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
from tidings.ledger.update import LedgerWriter
from tidings.store import Store

SUBTYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"), ("Protests", "Peaceful protest")]
START = date(2020, 1, 1)
DAYS = 5 * 365


def synthetic_article(rng: random.Random, n: int) -> Article:
    day = START + timedelta(days=rng.randrange(DAYS))
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


def fill(store: Store, target: int, rng: random.Random, counter: list[int]) -> None:
    """Bulk-load the ledger state that `target` one-event articles leave (records, keys, links),
    built with the ledger's own pure rules; going through the writer one article at a time
    would take hours at 100k on this machine, and only the cost of the next article is measured."""
    records, keys, entities = [], [], {}
    while counter[0] < target:
        article = synthetic_article(rng, counter[0])
        info = ArticleInfo(article.id, article.published, article.source or "", None, None, article.id)
        for mention in event_mentions(article, info):
            rid = 10**7 + counter[0]
            doc = event_rules.summarise(rid, [mention], {article.id: {"outlet": info.outlet, "published": info.published, "syndicate": article.id}}) | {"kind": "event"}
            records.append((rid, "event", doc["sub_event_type"], mention.place.name if mention.place else None, doc["date"]["lo"], doc["date"]["hi"], False, 1, json.dumps(doc)))
            keys += [(k, rid) for k in event_rules.storage_keys(mention)]
        for local in entity_rules.local_entities(article):
            rid = entities.setdefault(local.key, 2 * 10**7 + len(entities))
            keys += [(k, rid) for k in entity_rules.storage_keys(local)]
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


def probe(store: Store, rng: random.Random, n: int) -> list[float]:
    times = []
    with store.connect(write=True) as con, transaction(con):
        writer = LedgerWriter(LedgerDB(con))
        for i in range(n):
            article = synthetic_article(rng, 10**9 + i)
            started = time.perf_counter()
            writer.add(article)
            times.append(time.perf_counter() - started)
        con.execute("ROLLBACK")  # leave the ledger at its measured size
        con.execute("BEGIN TRANSACTION")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--probe", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(7)
    counter = [0]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.init()
        for size in sorted(args.sizes):
            started = time.perf_counter()
            fill(store, size, rng, counter)
            fill_s = time.perf_counter() - started
            events = store.query("SELECT count(*) AS n FROM ledger_records WHERE kind = 'event'")[0]["n"]
            times = probe(store, random.Random(size), args.probe)
            print(f"ledger events={events:>7} (articles {size}, filled in {fill_s:.0f}s): per new article median {statistics.median(times) * 1000:.1f} ms, p90 {sorted(times)[int(0.9 * len(times))] * 1000:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
