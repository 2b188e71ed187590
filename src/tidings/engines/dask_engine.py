"""The Dask engine: per-article stages on a Dask distributed cluster.

The client streams the inputs in partitions of `PARTITION_SIZE` articles and keeps at most
`MAX_IN_FLIGHT` partitions submitted, so the corpus is never held in the client's memory. Each
worker keeps one pipeline (one spaCy model) per process, analyses its partition and writes it to
a Parquet dataset partitioned by publication month (`published_month=YYYY-MM/part-KEY.parquet`).
File names derive from the partition's article ids and are written atomically (temp file, then
rename), so a task re-run after a worker dies overwrites its own file: nothing is lost or
duplicated. The client then loads each finished partition into the DuckDB store, where the
cross-article work runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from tidings.article import Article
from tidings.extras import require
from tidings.pipeline import Pipeline

# 200 articles keep a task at a few seconds of work: long enough to amortise scheduling,
# short enough that a killed worker loses little.
PARTITION_SIZE = 200
MAX_IN_FLIGHT_PER_WORKER = 2

_WORKER_PIPELINES: dict[tuple[str, ...] | None, Pipeline] = {}

_COLUMNS = "id VARCHAR, published_month VARCHAR, title VARCHAR, published VARCHAR, source VARCHAR, url VARCHAR, origin VARCHAR, text VARCHAR, doc VARCHAR"


def month_of(article: Article) -> str:
    return article.published[:7] if article.published and len(article.published) >= 7 else "unknown"


def partition_key(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:20]


def process_partition(docs: list[dict[str, Any]], out_dir: str, stages: list[str] | None) -> list[str]:
    """Runs on a worker: analyse one partition and write it to the dataset; returns the files."""
    key = tuple(stages) if stages else None
    if key not in _WORKER_PIPELINES:
        _WORKER_PIPELINES[key] = Pipeline(stages)
    pipeline = _WORKER_PIPELINES[key]
    articles = list(pipeline.pipe(Article.from_dict(d) for d in docs))
    return write_partition(articles, Path(out_dir))


def write_partition(articles: Sequence[Article], out_dir: Path) -> list[str]:
    by_month: dict[str, list[Article]] = {}
    for article in articles:
        by_month.setdefault(month_of(article), []).append(article)
    written = []
    for month, group in sorted(by_month.items()):
        folder = out_dir / f"published_month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"part-{partition_key([a.id for a in group])}.parquet"
        _write_parquet(group, target)
        written.append(str(target))
    return written


def _write_parquet(articles: Sequence[Article], target: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE part ({_COLUMNS})")
        con.executemany(
            "INSERT INTO part VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(a.id, month_of(a), a.title, a.published, a.source, a.url, a.origin, a.text, json.dumps(a.to_dict(), ensure_ascii=False)) for a in articles],
        )
        con.execute(f"COPY part TO '{tmp}' (FORMAT parquet)")
    finally:
        con.close()
    os.replace(tmp, target)


def read_dataset(paths: Iterable[str | Path]) -> Iterator[Article]:
    """Articles from Parquet files written by `write_partition`, one file at a time."""
    for path in paths:
        con = duckdb.connect()
        try:
            rows = con.execute("SELECT doc FROM read_parquet(?) ORDER BY id", [str(path)]).fetchall()
        finally:
            con.close()
        for (doc,) in rows:
            yield Article.from_dict(json.loads(doc))


def dataset_files(out_dir: str | Path) -> list[Path]:
    return sorted(Path(out_dir).glob("published_month=*/part-*.parquet"))


def connect_client(scheduler: str | None, n_workers: int) -> Any:
    distributed = require("distributed")
    if scheduler:
        return distributed.Client(scheduler)
    cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return distributed.Client(cluster)


def submit_partitions(client: Any, partitions: Iterable[list[Article]], out_dir: Path, stages: Sequence[str] | None, max_in_flight: int) -> Iterator[list[str]]:
    """Submit partitions with back-pressure; yield each finished partition's files."""
    distributed = require("distributed")
    pending = distributed.as_completed()
    in_flight = 0
    for part in partitions:
        key = f"tidings-partition-{partition_key([a.id for a in part])}"
        future = client.submit(process_partition, [a.to_dict() for a in part], str(out_dir), list(stages) if stages else None, key=key, retries=3, pure=False)
        pending.add(future)
        in_flight += 1
        if in_flight >= max_in_flight:
            yield next(pending).result()
            in_flight -= 1
    for future in pending:
        yield future.result()
