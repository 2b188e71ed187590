"""CPU seconds per stage, per store commit and per ledger merge, in one process (issue 8).

On the shared 2-core machine wall clocks are noisy; CPU time (`time.process_time`, every thread
of this process) is not. This runs what one ingest worker and the ingest's main process do, one
after the other, on a generated corpus (bench_ingest.make_corpus), and prints each part's CPU
seconds, its share of the parse (`nlp` stage) and its milliseconds per article. Each batch is
also parsed by the stock English pipeline (bare spaCy, `spacy.load`), just before or just after
tidings' parse in turn, so the ratio bare parse / (our parse + everything else) compares the two
side by side. With
`--profile PART` (stages, store, ledger) pyinstrument profiles that part and writes
bench-out/profile-PART.txt. Run:

    .venv/bin/python bench/profile_ingest.py --articles 300
    .venv/bin/python bench/profile_ingest.py --articles 300 --profile ledger
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import OUT, make_corpus

from tidings import ledger
from tidings.analyze import article_from_record
from tidings.api import COMMIT_BATCH
from tidings.article import Article
from tidings.pipeline import DEFAULT_BATCH_SIZE, Pipeline, chunks
from tidings.store import AfterInsert, Store


class CpuClock:
    """CPU seconds by part, optionally under one pyinstrument profiler for one part."""

    def __init__(self, profiled: str | None) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.batches = 0
        self.profiled = profiled
        self.profiler: Any = None
        if profiled:
            from pyinstrument import Profiler

            self.profiler = Profiler(interval=0.002)

    @contextmanager
    def part(self, name: str, group: str) -> Iterator[None]:
        profiling = self.profiler is not None and group == self.profiled
        with self._profiling() if profiling else nullcontext():
            started = time.process_time()
            yield
            self.seconds[name] += time.process_time() - started

    @contextmanager
    def _profiling(self) -> Iterator[None]:
        self.profiler.start()
        try:
            yield
        finally:
            self.profiler.stop()


def run(records: list[dict[str, Any]], db: Path, clock: CpuClock, with_ledger: bool) -> None:
    """What the ingest does, part by part; each batch is also parsed by the stock pipeline (bare
    spaCy) just before, so that the two parses are timed side by side on the same texts."""
    import spacy

    from tidings.nlp import MODEL_NAME

    stock = spacy.load(MODEL_NAME)
    pipeline = Pipeline(None, DEFAULT_BATCH_SIZE)
    store = Store(db)
    store.init()
    for commit in chunks((article_from_record(r) for r in records), COMMIT_BATCH):
        analysed = [a for batch in chunks(commit, DEFAULT_BATCH_SIZE) for a in _analyse(pipeline, stock, batch, clock)]
        ledger_before = clock.seconds["ledger"]
        with clock.part("store", "store"):
            store.add_articles(analysed, then=_ledger_merge(clock) if with_ledger else None)
        clock.seconds["store"] -= clock.seconds["ledger"] - ledger_before  # the ledger runs inside the commit


def _ledger_merge(clock: CpuClock) -> AfterInsert:
    """What the ingest does after storing a batch, in the same transaction (tidings.api)."""

    def merge(con: Any, fresh: list[Article]) -> None:
        with clock.part("ledger", "ledger"):
            ledger.merge(con, fresh)

    return merge


def _analyse(pipeline: Pipeline, stock: Any, batch: list[Article], clock: CpuClock) -> list[Article]:
    """The stages on one batch; the stock pipeline parses the same texts just before the nlp
    stage on one batch and just after it on the next (whichever parses second finds the text's
    strings and the caches warm: ~10% cheaper)."""
    texts = [a.text for a in batch]
    stock_first = clock.batches % 2 == 0
    clock.batches += 1
    for stage in pipeline.stages:
        if stage.name == "nlp" and stock_first:
            _stock_parse(stock, texts, clock)
        with clock.part(stage.name, "stages"):
            batch = stage.process_batch(batch)
        for article in batch:
            article.stages.append(stage.name)
        if stage.name == "nlp" and not stock_first:
            _stock_parse(stock, texts, clock)
    for article in batch:
        article.doc = None
    return batch


def _stock_parse(stock: Any, texts: list[str], clock: CpuClock) -> None:
    with clock.part("stock_spacy", "stock"):
        for _ in stock.pipe(texts, batch_size=len(texts)):
            pass


def report(clock: CpuClock, n: int, words: int) -> dict[str, Any]:
    stock = clock.seconds.pop("stock_spacy", 0.0)
    parse = clock.seconds.get("nlp", 0.0) or 1e-9
    parts = {
        name: {"cpu_s": round(s, 2), "pct_of_parse": round(100 * s / parse, 1), "ms_per_article": round(1000 * s / n, 1)}
        for name, s in clock.seconds.items()
    }
    ours = sum(s for name, s in clock.seconds.items() if name != "nlp")
    return {
        "articles": n,
        "words": words,
        "parts": parts,
        "ours_pct_of_parse": round(100 * ours / parse, 1),
        "stock_parse_ms_per_article": round(1000 * stock / n, 1),
        # on 2 busy cores the ratio is about total CPU: bare spaCy / (our parse + ours)
        "cpu_bound_ratio": round(stock / (parse + ours), 3),
    }


def main(argv: list[str] | None = None, warmup: Callable[[], None] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--no-ledger", action="store_true")
    parser.add_argument("--profile", choices=["stages", "store", "ledger"])
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        info = make_corpus(args.articles, tmp / "corpus.jsonl")
        records = [json.loads(line) for line in (tmp / "corpus.jsonl").open()]
        run(records[:COMMIT_BATCH], tmp / "warm.duckdb", CpuClock(None), not args.no_ledger)  # load models untimed
        clock = CpuClock(args.profile)
        run(records, tmp / "bench.duckdb", clock, not args.no_ledger)
    result = report(clock, info["articles"], info["words"])
    print(json.dumps(result, indent=2))
    if clock.profiler is not None:
        path = OUT / f"profile-{args.profile}.txt"
        path.write_text(clock.profiler.output_text(unicode=False, color=False, show_all=False))
        print(f"profile written to {path}")


if __name__ == "__main__":
    main()
