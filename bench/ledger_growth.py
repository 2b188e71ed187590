"""The ingest's main-process work as the store grows to 100,000 articles and more.

`tidings ingest` runs the stages in worker processes and, in its main process, stores each
batch of analysed articles and merges it into the ledger in the same transaction
(`Store.add_articles(batch, then=ledger merge)`). The workers' cost per article does not depend on
the store; this part could grow with it. This bench replays analysed articles through exactly
that path into a fresh store and reports, every --every articles, the articles/s and CPU ms per
article of that path (and of the ledger alone), and the process's RSS.

Analysed articles come from a store filled without the ledger (`tidings ingest CORPUS
--no-ledger`: the 10,000 bench articles take ~16 min on 2 cores). To reach --articles, the k-th
replay of an article is moved k years later (its publication, times and event dates; a new id):
the store grows as a back-fill of k years of news does, the same density every week, ever more
records under the keys that carry no date (names, claim word bands). Run:

    .venv/bin/python bench/bench_ingest.py --skip throughput streaming queries store_growth gazetteer events  # or any corpus
    .venv/bin/tidings ingest CORPUS.jsonl --db /tmp/analysed.duckdb --no-ledger -w 2
    .venv/bin/python bench/ledger_growth.py /tmp/analysed.duckdb --articles 100000 --every 5000
"""

from __future__ import annotations

import argparse
import calendar
import json
import re
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tidings import ledger
from tidings.api import COMMIT_BATCH
from tidings.article import Article
from tidings.ledger.update import UpdateReport
from tidings.store import Store

OUT = Path(__file__).resolve().parent.parent / "bench-out"
_YEAR = re.compile(r"^(\d{4})(?=-|W|$)")


# Dates this many years or more from the publication are history ("in 1973"): a later replay
# keeps them.
HISTORY_YEARS = 2


def shifted(value: str, years: int, published_year: int | None = None) -> str:
    """An ISO/TIMEX value `years` later ("2024-02-29" -> "2025-02-28"); other values, and
    dates far from `published_year`, unchanged."""
    match = _YEAR.match(value)
    if not match or not years:
        return value
    if published_year is not None and abs(int(match.group(1)) - published_year) >= HISTORY_YEARS:
        return value
    year = int(match.group(1)) + years
    out = f"{year:04d}{value[4:]}"
    if out[4:10] == "-02-29" and not calendar.isleap(year):
        out = f"{out[:8]}28{out[10:]}"
    return out


def replayed(doc: dict[str, Any], copy: int) -> Article:
    """The `copy`-th replay of an analysed article (its doc, changed in place): `copy` years
    later, with its own id."""
    if copy:
        doc["id"] = f"{doc['id']}-y{copy}"
        year = int(doc["published"][:4]) if _YEAR.match(doc.get("published") or "") else None
        doc["published"] = doc["published"] and shifted(doc["published"], copy)
        for timex in doc.get("times", []):
            if isinstance(timex.get("value"), str):
                timex["value"] = shifted(timex["value"], copy, year)
        for event in doc.get("events", []):
            if (event.get("date") or {}).get("value"):
                event["date"]["value"] = shifted(event["date"]["value"], copy, year)
    return Article.from_dict(doc)


def stream(source: Path, total: int) -> Iterator[list[Article]]:
    """`total` articles in commit batches, read from `source` a batch at a time (the replayed
    corpus is never all in memory: this process's RSS is the ingest's main process's)."""
    with Store(source).connect() as con:
        ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY ingested_at, id").fetchall()]
    for first in range(0, total, COMMIT_BATCH):
        wanted = [(n // len(ids), ids[n % len(ids)]) for n in range(first, min(first + COMMIT_BATCH, total))]
        with Store(source).connect() as con:
            docs = dict(con.execute("SELECT id, doc FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))", [[i for _, i in wanted]]).fetchall())
        yield [replayed(json.loads(docs[i]), copy) for copy, i in wanted]


def rss_mb() -> int:
    return int(open("/proc/self/statm").read().split()[1]) * 4096 // 2**20


def run(source: Path, total: int, every: int, out: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"source": str(source), "articles": total, "commit_batch": COMMIT_BATCH, "series": []}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "growth.duckdb")
        store.init()
        report = UpdateReport()
        with store.held_open():  # as api.ingest holds it across its batches
            _replay(store, source, total, every, report, result, out)
        result["ledger"] = report.to_dict()
    out.write_text(json.dumps(result, indent=1))
    return result


def _replay(store: Store, source: Path, total: int, every: int, report: UpdateReport, result: dict[str, Any], out: Path) -> None:
    done, wall, cpu, ledger_before = 0, time.monotonic(), time.process_time(), 0.0

    def merge(con: Any, fresh: list[Article]) -> None:  # what api.ingest's merger does
        ledger.merge(con, fresh, report)

    for batch in stream(source, total):
        store.add_articles(batch, then=merge)
        done += len(batch)
        if done // every != (done - len(batch)) // every or done == total:
            n = done - (result["series"][-1]["articles"] if result["series"] else 0)
            now_wall, now_cpu = time.monotonic(), time.process_time()
            result["series"].append({
                "articles": done,
                "articles_per_s_window": round(n / (now_wall - wall), 1),
                "cpu_ms_per_article": round(1000 * (now_cpu - cpu) / n, 1),
                "ledger_ms_per_article": round(1000 * (report.seconds - ledger_before) / n, 1),
                "rss_mb": rss_mb(),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "store_mb": round(store.path.stat().st_size / 2**20),
            })
            print(json.dumps(result["series"][-1]), flush=True)
            out.write_text(json.dumps(result, indent=1))
            wall, cpu, ledger_before = now_wall, now_cpu, report.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a store of analysed articles (tidings ingest --no-ledger)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=5_000)
    parser.add_argument("--out", type=Path, default=OUT / "ledger-growth.json")
    args = parser.parse_args()
    args.out.parent.mkdir(exist_ok=True)
    run(args.source, args.articles, args.every, args.out)


if __name__ == "__main__":
    main()
