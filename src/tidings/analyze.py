"""Analysis without a database: records or articles in, contract dicts out.

`tidings analyze` and every `tidings eval` scorer go through `analyze_articles`, so what is
measured is exactly what users get.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any

from tidings.article import Article
from tidings.contract import to_contract
from tidings.errors import E, TidingsError
from tidings.heap import release_freed_memory
from tidings.pipeline import DEFAULT_BATCH_SIZE, Pipeline, chunks, map_batches

_WORKER_PIPELINE: Pipeline | None = None
# Batches handed to each worker process before the oldest is waited for. `Pool.imap` had no such
# bound: when the consumer (the ingest's store and ledger) fell behind, finished batches piled up
# in the parent (its RSS grew from 450 to 840 MB over 5,000 articles of `bench_ingest.py
# --checkpoints`). Two keep every worker busy while one batch waits to be consumed.
IN_FLIGHT_PER_WORKER = 2


def article_from_record(record: dict[str, Any]) -> Article:
    """A contract input line `{id, text, published?, title?}`; the text is kept verbatim."""
    from tidings.ingest.base import ReadOptions
    from tidings.ingest.records import record_article

    return record_article(record, ReadOptions(), origin="record", number=0)


def analyze_articles(
    articles: Iterable[Article],
    stages: Sequence[str] | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[Article]:
    """Run the pipeline over `articles`, in order, with `workers` processes."""
    if workers < 1:
        raise TidingsError(E.E024, value=workers)
    if workers == 1:
        yield from Pipeline(stages, batch_size).pipe(articles)
        return
    Pipeline(stages)  # check the order in the parent, before any process starts
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(list(stages) if stages else None, batch_size)) as pool:
        in_flight: deque[AsyncResult[list[Article]]] = deque()
        for batch in chunks(articles, batch_size):
            in_flight.append(pool.apply_async(_run_batch, (batch,)))
            if len(in_flight) >= IN_FLIGHT_PER_WORKER * workers:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()


def analyze_records(records: Iterable[dict[str, Any]], stages: Sequence[str] | None = None, workers: int = 1) -> Iterator[dict[str, Any]]:
    for article in analyze_articles(map(article_from_record, records), stages, workers):
        yield to_contract(article)


def _init_worker(stages: list[str] | None, batch_size: int) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(stages, batch_size)


def _run_batch(batch: list[Article]) -> list[Article]:
    assert _WORKER_PIPELINE is not None
    analysed = _WORKER_PIPELINE.process_batch(batch)
    release_freed_memory()  # the parse's arrays: the next batch's peak would land on top of them
    return analysed


__all__ = ["analyze_articles", "analyze_records", "article_from_record", "chunks", "map_batches"]
