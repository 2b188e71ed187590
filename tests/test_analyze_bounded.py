"""With worker processes, analysis reads its input only as fast as its output is consumed: an
ingest whose store and ledger fall behind must not pile finished batches up in memory."""

from __future__ import annotations

from collections.abc import Iterator

from tidings.analyze import IN_FLIGHT_PER_WORKER, analyze_articles
from tidings.article import Article


def test_workers_run_no_further_ahead_than_the_in_flight_bound() -> None:
    pulled: list[int] = []

    def articles() -> Iterator[Article]:
        for i in range(300):
            pulled.append(i)
            yield Article(text=f"Article number {i} of the feed.")

    out = analyze_articles(articles(), stages=[], workers=2, batch_size=5)
    first = next(out)
    assert len(pulled) <= (IN_FLIGHT_PER_WORKER * 2 + 1) * 5
    assert [a.text for a in [first, *out]] == [f"Article number {i} of the feed." for i in range(300)]
