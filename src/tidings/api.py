"""The library API. The CLI and the web API are thin layers over these functions."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_articles
from tidings.article import Article
from tidings.contract import to_contract
from tidings.engines import check_engine
from tidings.errors import E, TidingsError
from tidings.ingest import IngestFailure, ReadOptions, read_inputs
from tidings.ledger.update import UpdateReport
from tidings.pipeline import DEFAULT_BATCH_SIZE, Pipeline, chunks
from tidings.store import AfterInsert, Store

# Articles committed (and merged into the ledger) per transaction. Opening, committing and
# closing a connection costs about 0.1 s here whatever the batch (bench/prof of
# Store.add_articles), and a ledger batch has costs that grow with the store (the scan of its
# blocking keys' hashes, its candidates' docs). Replay of 6,000 analysed bench articles
# (bench/ledger_growth.py), ledger seconds at 48 / 96 / 144 a batch: 140.2 / 121.4 / 123.9;
# `make bench`'s ingest 696-757 CPU-s at 48, 597-685 at 96. 96 articles are eight parse batches,
# a few seconds of analysis: readers still get in every few seconds.
COMMIT_BATCH = 96
# How many incoming articles are checked against the store at once before analysis. Larger
# lookups amortise the connection cost; 64 keeps the first progress update quick.
_LOOKUP_BATCH = 64


@dataclass
class IngestReport:
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    words: int = 0
    raw_chars: int = 0
    ledger: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "duplicate": self.duplicate,
            "failed": self.failed,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "errors": [{"origin": o, "error": m} for o, m in self.errors],
            "ledger": self.ledger,
        }


Progress = Callable[[IngestReport], None]


def check_date(value: str | None, what: str) -> str | None:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise TidingsError(E.E014, value=value, what=what) from err


def ingest(
    paths: Sequence[str],
    store: Store,
    options: ReadOptions | None = None,
    workers: int = 1,
    stages: Sequence[str] | None = None,
    progress: Progress | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    engine: str = "local",
    scheduler: str | None = None,
    dataset: str | Path | None = None,
    update_ledger: bool = True,
) -> IngestReport:
    """Read, analyse and store articles. Every good input is stored even when others fail.

    Articles already in the store (same normalised text) are not analysed again: they only gain
    the new source. Each batch is committed in one transaction, so an interrupted ingest resumes
    where it stopped when run again. New articles are then merged into the cross-article
    ledger (`update_ledger`). With `engine="dask"` the per-article stages run on a Dask
    cluster (`scheduler` address, else a LocalCluster of `workers` processes) and also land in a
    Parquet `dataset` (default: the store's path with `.parquet`).
    """
    check_engine(engine)
    report = IngestReport()
    started = time.monotonic()
    store.init()
    fresh = _fresh_articles(read_inputs(paths, options or ReadOptions()), store, report, progress)
    if engine == "dask":
        analysed = _analyse_on_dask(fresh, stages, workers, scheduler, Path(dataset) if dataset else store.path.with_suffix(".parquet"))
    else:
        analysed = analyze_articles(fresh, stages, workers, batch_size)
    merge = _ledger_merger(store, report) if update_ledger else None
    # The held database opens on the loop's first lookup, after the analysis has forked its
    # workers (on the first batch pulled): they copy no open database.
    with store.held_open():
        for batch in chunks(analysed, COMMIT_BATCH):
            _commit(store, batch, report, progress, started, merge)
    report.seconds = time.monotonic() - started
    return report


def _ledger_merger(store: Store, report: IngestReport) -> AfterInsert:
    """What merges each committed batch into the ledger, inside the batch's transaction, from the
    articles in memory (no second connection, nothing read back): bench/profile_ingest.py, 240
    articles, ledger CPU 72 -> 24 ms per article with the name caches. Articles stored before
    this ingest and missing from the ledger (an earlier `--no-ledger`) are caught up first."""
    from tidings import ledger

    _add_ledger_counts(report, ledger.update(store))
    return lambda con, fresh: _add_ledger_counts(report, ledger.merge(con, fresh))


def _add_ledger_counts(report: IngestReport, done: UpdateReport) -> None:
    if not done.articles:
        return
    for key, value in done.to_dict().items():
        report.ledger[key] = round(report.ledger.get(key, 0) + value, 3)


def _analyse_on_dask(articles: Iterable[Article], stages: Sequence[str] | None, workers: int, scheduler: str | None, dataset: Path) -> Iterator[Article]:
    from tidings.engines import dask_engine as engine

    client = engine.connect_client(scheduler, workers)
    try:
        Pipeline(stages)  # check the order before anything is submitted
        max_in_flight = engine.MAX_IN_FLIGHT_PER_WORKER * max(len(client.scheduler_info().get("workers", {})), 1)
        partitions = chunks(articles, engine.PARTITION_SIZE)
        for files in engine.submit_partitions(client, partitions, dataset, stages, max_in_flight):
            yield from engine.read_dataset(files)
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and scheduler is None:
            cluster.close()


def _commit(store: Store, batch: list[Article], report: IngestReport, progress: Progress | None, started: float, then: AfterInsert | None = None) -> None:
    if not batch:
        return
    added = store.add_articles(batch, then)
    report.new += added
    report.duplicate += len(batch) - added
    report.words += sum(len(a.text.split()) for a in batch)
    report.raw_chars += sum(len(a.raw) for a in batch)
    report.seconds = time.monotonic() - started
    if progress:
        progress(report)


def _fresh_articles(items: Iterable[Article | IngestFailure], store: Store, report: IngestReport, progress: Progress | None) -> Iterator[Article]:
    """Pass on articles the store does not have yet; record failures and duplicates."""
    seen: set[str] = set()
    batch: list[Article] = []
    for item in items:
        if isinstance(item, IngestFailure):
            report.failed += 1
            report.errors.append((item.origin, str(item.error)))
            if progress:
                progress(report)
            continue
        batch.append(item)
        if len(batch) >= _LOOKUP_BATCH:
            yield from _drop_known(batch, store, report, seen)
            batch = []
    yield from _drop_known(batch, store, report, seen)


def _drop_known(batch: list[Article], store: Store, report: IngestReport, seen: set[str]) -> Iterator[Article]:
    if not batch:
        return
    known = store.known_ids([a.id for a in batch])
    fresh: list[Article] = []
    repeats: list[Article] = []
    for article in batch:  # in order: the second copy of an article in one batch is a repeat too
        if article.id in known or article.id in seen:
            repeats.append(article)
        else:
            seen.add(article.id)
            fresh.append(article)
    if repeats:
        store.add_sources(repeats)
        report.duplicate += len(repeats)
        report.raw_chars += sum(len(a.raw) for a in repeats)
    yield from fresh


def analyze(
    paths: Sequence[str],
    options: ReadOptions | None = None,
    workers: int = 1,
    stages: Sequence[str] | None = None,
    failures: list[IngestFailure] | None = None,
) -> Iterator[dict[str, Any]]:
    """Analyse inputs without a database; yields contract dicts. Failures are appended to `failures`."""

    def articles() -> Iterator[Article]:
        for item in read_inputs(paths, options or ReadOptions()):
            if isinstance(item, IngestFailure):
                if failures is not None:
                    failures.append(item)
                continue
            yield item

    for article in analyze_articles(articles(), stages, workers):
        yield to_contract(article)


def open_store(path: str | Path) -> Store:
    return Store(path)


def load_dataset(dataset: str | Path, store: Store) -> IngestReport:
    """Load a Parquet dataset written by the Dask engine into the store."""
    from tidings.engines.dask_engine import dataset_files, read_dataset

    report = IngestReport()
    started = time.monotonic()
    files = dataset_files(dataset)
    if not files:
        raise TidingsError(E.E001, path=f"{dataset} (no published_month=*/part-*.parquet files)")
    with store.held_open():
        for batch in chunks(read_dataset(files), COMMIT_BATCH):
            _commit(store, batch, report, None, started)
    return report
