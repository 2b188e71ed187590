"""Streaming benchmark for text dumps: peak memory must not grow with the file's size.

    python -m tidings.ingest.bench --mb 20 --mb 200 [--source examples/sample.txt]

writes dumps of those sizes by recombining the source's paragraphs (headlines, repeated captions
and junk lines included, as scrapers leave them), reads each in a fresh process with
`read_inputs`, and prints one JSON line per size: articles, MB/s, articles/s, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tidings.article import Article
from tidings.ingest.base import ReadOptions

_FALLBACK_PARAGRAPHS = [
    "Officials said the talks would resume next week after a pause of several days.",
    "The ministry did not give a figure for the number of people affected.",
    "Witnesses described hearing several loud explosions before dawn.",
]


def source_paragraphs(source: Path | None) -> list[str]:
    """Paragraph-length lines of `source` (a text dump), to recombine into new articles."""
    if source is None or not source.exists():
        return list(_FALLBACK_PARAGRAPHS)
    lines = {line.strip() for line in source.read_text(encoding="utf-8").splitlines()}
    found = sorted(line for line in lines if len(line) > 80 and line.endswith((".", "”", '"')))
    return found or list(_FALLBACK_PARAGRAPHS)


def write_dump(path: Path, megabytes: float, paragraphs: Sequence[str], seed: int = 7) -> int:
    """A dump of about `megabytes` MB in the scraped shape; returns the number of articles."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    written = articles = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            articles += 1
            title = f"Report {articles}: " + " ".join(w.capitalize() for w in rng.choice(paragraphs).split()[:8]).rstrip(".,")
            caption = f"{rng.choice(paragraphs).rstrip('.')} (Reuters)"
            body = "\n\n".join(f"{p} [{articles}.{i}]" for i, p in enumerate(rng.sample(paragraphs, min(len(paragraphs), rng.randint(4, 12)))))
            block = f"{title}\n\n{caption}\n{caption}\nTT\n\n{title}\n\n{body}\n\n\n\n"
            out.write(block)
            written += len(block.encode("utf-8"))
    return articles


def bench_stream(path: Path | str) -> dict[str, Any]:
    """Read a dump with `read_inputs`; time it and report the growth of peak RSS while reading."""
    from tidings.ingest import read_inputs

    path = Path(path)
    size = path.stat().st_size
    baseline_kb = _peak_rss_kb()
    started = time.perf_counter()
    articles = chars = failures = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for item in read_inputs([str(path)], ReadOptions(format="text")):
            if isinstance(item, Article):
                articles += 1
                chars += len(item.text)
            else:
                failures += 1
    seconds = time.perf_counter() - started
    peak_kb = _peak_rss_kb()
    return {
        "file_mb": round(size / 1e6, 1),
        "articles": articles,
        "failures": failures,
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / 1e6 / seconds, 2) if seconds else None,
        "articles_per_s": round(articles / seconds, 1) if seconds else None,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_rss_growth_mb": round((peak_kb - baseline_kb) / 1024, 1),
    }


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, action="append", help="dump size in MB (repeatable; default 20 and 200)")
    parser.add_argument("--source", type=Path, default=Path("examples/sample.txt"), help="text dump whose paragraphs are recombined")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # internal: measure one file in this process
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps(bench_stream(args.read)))
        return
    paragraphs = source_paragraphs(args.source)
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as folder:
        for megabytes in args.mb or [20.0, 200.0]:
            path = Path(folder) / f"dump-{megabytes:g}mb.txt"
            write_dump(path, megabytes, paragraphs)
            done = subprocess.run([sys.executable, "-m", "tidings.ingest.bench", "--read", str(path)], capture_output=True, text=True, check=True)
            print(done.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
