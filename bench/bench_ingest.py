"""`make bench`: ingest throughput against bare spaCy, peak memory, streaming and query latency.

Generates a corpus of N articles (default 5,000) by recombining real paragraphs (the bundled
sample, plus the ../shared/eval texts when they are beside the checkout: read here, never
shipped), then measures in the same run:

1. bare spaCy `nlp.pipe` on the texts, with the same number of processes: the English pipeline
   as `spacy.load` gives it (tidings runs the same model with two rule components swapped for
   exact cached stand-ins and its matrix products on numpy's BLAS, `tidings.spacy_speed`, with
   the same annotations; its own parse is measured alongside);
2. `tidings ingest` with every stage on, into a fresh store;
3. their ratio (and the ingest's ratio to tidings' own parse: what the stages, the store and
   the ledger cost on top of it), the peak RSS and the CPU seconds of each process tree; with
   --rounds K (the Makefile gives 3), 1 and 2 run back to back K times and the median round
   counts (a shared machine's speed drifts over the minutes a run takes), each round listing
   its ingest's peak RSS;
4. peak RSS of reading (streaming) a 20 MB and a 200 MB text dump: it must not grow with size;
5. query latency at 1,000,000 synthetic events (bbox + date range + type; a place's timeline);
6. the store alone growing to 100,000 analysed articles: articles/s, current and peak RSS at 10k, 50k, 100k;
7. the gazetteer's load time and memory, when the places stage provides its bench hook;
8. the events classifier's speed on the CASE 2021 dev snippets (target: 50 snippets/s on CPU),
   when ../shared/eval is beside the checkout. Speed is measured here, never in the test suite.

With --checkpoints (e.g. 10000,50000,100000), 1-3 are replaced by one ingest of --articles into
one store, reporting articles/s and the process tree's RSS every --every articles and at each
checkpoint (bench-out/ingest-over-time.json, written as it goes).

Results are printed and written to bench-out/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench-out"
PY = sys.executable
TIDINGS = str(Path(PY).with_name("tidings"))


def paragraph_pool() -> list[str]:
    pool = [p.strip() for p in (ROOT / "examples" / "sample.txt").read_text().split("\n\n") if len(p.strip()) > 80]
    for name in ("quotes/polnear-dev.jsonl", "places/lgl-dev.jsonl"):
        path = SHARED / name
        if path.exists():
            for line in path.open():
                text = json.loads(line)["text"]
                pool += [p.strip() for p in text.split("\n") if len(p.strip()) > 80]
    truth = SHARED / "html/aeb-dev/ground-truth.jsonl"
    if truth.exists():
        for line in truth.open():
            pool += [p.strip() for p in json.loads(line)["article_body"].split("\n") if len(p.strip()) > 80]
    return sorted(set(pool))


def make_corpus(n: int, path: Path, seed: int = 20241124) -> dict[str, Any]:
    rng = random.Random(seed)
    pool = paragraph_pool()
    words = 0
    with path.open("w") as out:
        for i in range(n):
            paragraphs = rng.sample(pool, rng.randint(3, 6))
            text = "\n\n".join(paragraphs)
            words += len(text.split())
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(json.dumps({"id": f"bench-{i}", "title": paragraphs[0][:70], "published": day, "text": text}) + "\n")
    return {"articles": n, "words": words, "paragraph_pool": len(pool)}


# The memory sampler reads every process's RSS (/proc/PID/statm, cheap) every SAMPLE_S, and its
# PSS (smaps_rollup, a walk over every mapping) and the list of child processes every PSS_EVERY
# samples: reading the PSS of the whole tree every 0.1 s used ~18% of a core during every run,
# slowing what it measured. Each run reports the sampler's own CPU seconds.
SAMPLE_S = 0.1
PSS_EVERY = 10


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; return wall time and peak memory of its process tree: RSS summed over the
    processes (pages the workers share with the process they were forked from counted in each) and
    PSS summed (each shared page split between its sharers: the tree's own physical memory)."""
    started, cpu = time.monotonic(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    sampler = TreeSampler(proc)
    while proc.poll() is None:
        sampler.sample()
        time.sleep(SAMPLE_S)
    seconds = time.monotonic() - started
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr.decode()[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tree_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime  # the run and every process it waited for
    return {"seconds": seconds, "cpu_s": round(tree_cpu, 1), "peak_rss_mb": sampler.peak_rss / 2**20, "peak_pss_mb": sampler.peak_pss / 2**20,
            "sampler_cpu_s": round(time.process_time() - cpu, 2), "stdout": stdout.decode()}


class TreeSampler:
    """Peak RSS and PSS summed over a process and its children (see SAMPLE_S)."""

    def __init__(self, proc: psutil.Process) -> None:
        self.proc = proc
        self.procs = [proc]
        self.samples = 0
        self.peak_rss = self.peak_pss = 0

    def sample(self) -> None:
        full = self.samples % PSS_EVERY == 0
        self.samples += 1
        if full:
            with contextlib.suppress(psutil.Error):
                self.procs = [self.proc, *self.proc.children(recursive=True)]
        rss = pss = 0
        for p in self.procs:
            with contextlib.suppress(psutil.Error):
                if full:
                    info = p.memory_full_info()
                    rss, pss = rss + info.rss, pss + info.pss
                else:
                    rss += p.memory_info().rss
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)


BARE_SPACY = textwrap.dedent(
    """
    import json, sys, time
    import spacy
    from tidings.nlp import MODEL_NAME, load_nlp
    from tidings.stages.nlp import NLP_BATCH
    texts = [json.loads(l)["text"] for l in open(sys.argv[1])]
    ours = sys.argv[3] == "tidings"
    nlp = load_nlp() if ours else spacy.load(MODEL_NAME)
    t = time.monotonic()
    # spaCy's own batch for the stock pipeline; the ingest's parse batch for tidings'
    for _ in nlp.pipe(texts, batch_size=NLP_BATCH if ours else 12, n_process=int(sys.argv[2])):
        pass
    print(json.dumps({"parse_seconds": time.monotonic() - t}))
    """
)


def bench_throughput(corpus: Path, info: dict[str, Any], workers: int, tmp: Path, rounds: int = 1) -> dict[str, Any]:
    """Bare spaCy and the full ingest `rounds` times, each pair back to back: this shared machine's
    speed drifts by up to ~20% over the minutes a run takes (the same bare parse took 238 s and
    289 s on one day), so a ratio is only as good as the two runs' closeness in time. The ratio
    reported is the median round's (of an even number, the lower of the middle two); each round
    is listed with the wall and CPU seconds of its two runs."""
    n, words = info["articles"], info["words"]
    played = []
    for number in range(rounds):
        bare = run_measured([PY, "-c", BARE_SPACY, str(corpus), str(workers), "stock"])
        full = run_measured([TIDINGS, "ingest", str(corpus), "--format", "jsonl", "--db", str(tmp / f"bench-{number}.duckdb"), "--workers", str(workers), "--json"])
        played.append((bare["seconds"] / full["seconds"], bare, full))
    ratio, bare, full = sorted(played, key=lambda round_: round_[0])[(len(played) - 1) // 2]  # the lower middle
    ours = run_measured([PY, "-c", BARE_SPACY, str(corpus), str(workers), "tidings"])
    result = {
        "workers": workers,
        "cores": os.cpu_count(),
        "rounds": [_round(*round_) for round_ in played],
        "bare_spacy": {"seconds": bare["seconds"], "articles_per_s": n / bare["seconds"], "words_per_s": words / bare["seconds"], **_measured(bare)},
        "tidings_parse": {"seconds": ours["seconds"], "words_per_s": words / ours["seconds"], **_measured(ours)},
        "tidings_ingest": {"seconds": full["seconds"], "articles_per_s": n / full["seconds"], "words_per_s": words / full["seconds"], **_measured(full)},
    }
    result["ratio_to_bare_spacy"] = ratio
    result["ratio_to_tidings_parse"] = ours["seconds"] / full["seconds"]
    ledger = json.loads(full["stdout"]).get("ledger", {})
    result["tidings_ingest"]["ledger_seconds"] = ledger.get("seconds")
    bare_db = tmp / "bench-no-ledger.duckdb"
    stages_only = run_measured([TIDINGS, "ingest", str(corpus), "--format", "jsonl", "--db", str(bare_db), "--workers", str(workers), "--json", "--no-ledger"])
    result["tidings_ingest_no_ledger"] = {"seconds": stages_only["seconds"], "words_per_s": words / stages_only["seconds"], **_measured(stages_only)}
    result["ratio_to_bare_spacy_no_ledger"] = result["tidings_ingest_no_ledger"]["words_per_s"] / result["bare_spacy"]["words_per_s"]
    return result


def _round(ratio: float, bare: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    return {"ratio": ratio, "bare_seconds": bare["seconds"], "bare_cpu_s": bare["cpu_s"], "ingest_seconds": full["seconds"], "ingest_cpu_s": full["cpu_s"],
            "ingest_peak_rss_mb": round(full["peak_rss_mb"]), "ingest_peak_pss_mb": round(full["peak_pss_mb"])}


def _measured(run: dict[str, Any]) -> dict[str, float]:
    return {"cpu_s": run["cpu_s"], "peak_rss_mb": run["peak_rss_mb"], "peak_pss_mb": run["peak_pss_mb"], "sampler_cpu_s": run["sampler_cpu_s"]}


LONG_INGEST = textwrap.dedent(
    """
    import json, resource, sys, time
    import psutil
    from tidings import api
    from tidings.ingest import ReadOptions
    from tidings.store import Store
    corpus, db, workers, every = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    marks = sorted(int(m) for m in sys.argv[5].split(","))
    me = psutil.Process()
    state = {"t0": time.monotonic(), "window_t": time.monotonic(), "window_n": 0, "peak": 0}

    def tree_rss():
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def progress(report):
        rss = tree_rss()
        state["peak"] = max(state["peak"], rss)
        done = report.new
        if done // every == state["window_n"] // every and not any(state["window_n"] < m <= done for m in marks):
            return
        now = time.monotonic()
        line = {"articles": done, "articles_per_s_window": (done - state["window_n"]) / (now - state["window_t"]),
                "articles_per_s_overall": done / (now - state["t0"]), "words": report.words, "rss_mb": round(rss),
                "peak_rss_mb": round(state["peak"]), "main_rss_mb": round(me.memory_info().rss / 2**20), "main_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "ledger_seconds": report.ledger.get("seconds"), "checkpoint": any(state["window_n"] < m <= done for m in marks)}
        print(json.dumps(line), flush=True)
        state["window_t"], state["window_n"] = now, done

    report = api.ingest([corpus], Store(db), ReadOptions(format="jsonl"), workers=workers, progress=progress)
    print(json.dumps({"done": report.new, "seconds": report.seconds, "ledger": report.ledger}), flush=True)
    """
)


def bench_ingest_over_time(n: int, checkpoints: list[int], workers: int, tmp: Path, every: int = 1000) -> dict[str, Any]:
    """One ingest of `n` generated articles into one store, every stage and the ledger on:
    articles/s over each window of `every` articles and at each checkpoint, with the RSS of the
    ingest's process tree. Results are saved as they come, so a run stopped early still says
    how far it went and how fast it was going."""
    corpus = tmp / "long-corpus.jsonl"
    result: dict[str, Any] = {"corpus": make_corpus(n, corpus), "workers": workers, "checkpoints": {}, "series": []}
    cmd = [PY, "-c", LONG_INGEST, str(corpus), str(tmp / "long.duckdb"), str(workers), str(every), ",".join(map(str, checkpoints))]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.startswith("{"):
            continue  # anything else the ingest prints
        row = json.loads(line)
        if "done" in row:
            result["total"] = row
        else:
            if row.pop("checkpoint"):
                result["checkpoints"][str(row["articles"])] = row
            result["series"].append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
        _save_partial(result)
    if proc.wait() != 0:
        raise SystemExit(f"long ingest failed ({proc.returncode})")
    return result


def _save_partial(section: dict[str, Any]) -> None:
    """Save a long section as it goes (bench-out/ingest-over-time.json)."""
    OUT.mkdir(exist_ok=True)
    (OUT / "ingest-over-time.json").write_text(json.dumps(section, indent=2))


def bench_streaming() -> dict[str, Any]:
    """Peak RSS of reading 20 MB and 200 MB scraped dumps (tidings.ingest.bench, fresh processes)."""
    run = run_measured([PY, "-m", "tidings.ingest.bench", "--mb", "20", "--mb", "200", "--source", str(ROOT / "examples" / "sample.txt")])
    lines = [json.loads(line) for line in run["stdout"].splitlines() if line.startswith("{")]
    return {f"{round(r['file_mb'])}mb": r for r in lines}


def bench_queries(tmp: Path, n_events: int = 1_000_000) -> dict[str, Any]:
    from tidings.store import Store

    store = Store(tmp / "events.duckdb")
    store.init()
    with store.connect(write=True) as con:
        con.execute(
            f"""INSERT INTO events
            SELECT 'a' || (i // 10), i % 10, 0, 5, 'attack',
                   CASE i % 4 WHEN 0 THEN 'Battles' WHEN 1 THEN 'Explosions/Remote violence' WHEN 2 THEN 'Protests' ELSE 'Riots' END,
                   CASE i % 5 WHEN 0 THEN 'Armed clash' WHEN 1 THEN 'Shelling/artillery/missile attack' WHEN 2 THEN 'Peaceful protest' WHEN 3 THEN 'Mob violence' ELSE 'Air/drone strike' END,
                   DATE '2015-01-01' + CAST(i % 3650 AS INTEGER), NULL, 'day', 'Place ' || (i % 5000),
                   -60 + (hash(i) % 12000) / 100.0, -170 + (hash(i * 7) % 34000) / 100.0, 'UA', i % 7, i % 11,
                   'asserted', 0.8, NULL, NULL
            FROM range({n_events}) t(i)"""
        )
    timings = {}
    queries = {
        "bbox_date_type": (
            "SELECT * FROM events WHERE lat BETWEEN 44 AND 53 AND lon BETWEEN 22 AND 41 "
            "AND event_date BETWEEN DATE '2022-02-24' AND DATE '2023-02-24' AND sub_event_type = 'Armed clash' "
            "ORDER BY event_date LIMIT 500", ()),
        "place_timeline": ("SELECT event_date, sub_event_type, fatalities FROM events WHERE place_name = ? ORDER BY event_date", ("Place 1234",)),
    }
    with store.connect() as con:
        for name, (sql, params) in queries.items():
            con.execute(sql, list(params)).fetchall()  # warm
            best = min(_timed(con, sql, params) for _ in range(5))
            timings[name + "_ms"] = best * 1000
    return {"events": n_events, **timings}


def _timed(con: Any, sql: str, params: tuple[Any, ...]) -> float:
    t = time.perf_counter()
    con.execute(sql, list(params)).fetchall()
    return time.perf_counter() - t


STORE_GROWTH = textwrap.dedent(
    """
    import json, random, sys, time, resource
    from tidings.article import Article, Entity, Event, EventDate, Place, Span
    from tidings.api import COMMIT_BATCH
    from tidings.store import Store
    rng = random.Random(3)
    words = "army rebels shelled village market police arrested protesters council talks river bridge".split()
    store = Store(sys.argv[1])
    total, marks, out = int(sys.argv[2]), {10_000, 50_000, 100_000}, {}
    done, t0, window_t, window_n = 0, time.monotonic(), time.monotonic(), 0
    while done < total:
        batch = []
        for _ in range(COMMIT_BATCH):
            text = " ".join(rng.choice(words) for _ in range(300)) + f" {done + len(batch)}"
            a = Article(text=text, published="2024-05-01", origin="synthetic")
            a.entities = [Entity(0, 4, text[:4], "ORG")] * 20
            a.places = [Place(0, 4, text[:4], "Kharkiv", 706483, 49.98, 36.25, "UA")]
            a.events = [Event("Battles", "Armed clash", Span(0, 4, text[:4]), ["army"], ["rebels"], 0, EventDate("2024-05-01", "day"), 2, 1, 0.8, "asserted", None)] * 3
            batch.append(a)
        store.add_articles(batch)
        done += len(batch)
        window_n += len(batch)
        if any(done - len(batch) < m <= done for m in marks):
            now = time.monotonic()
            out[f"articles_per_s_at_{done // 1000}k"] = window_n / (now - window_t)
            out[f"rss_mb_at_{done // 1000}k"] = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
            out[f"peak_rss_mb_by_{done // 1000}k"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            window_t, window_n = now, 0
    out["total_seconds"] = time.monotonic() - t0
    print(json.dumps(out))
    """
)


def bench_store_growth(tmp: Path, n: int = 100_000) -> dict[str, Any]:
    run = run_measured([PY, "-c", STORE_GROWTH, str(tmp / "growth.duckdb"), str(n)])
    return {"articles": n, **json.loads(run["stdout"].strip().splitlines()[-1])}


def bench_gazetteer() -> dict[str, Any] | None:
    code = "import json\nfrom tidings.geo import bench_gazetteer\nprint(json.dumps(bench_gazetteer()))"
    try:
        run = run_measured([PY, "-c", code])
    except SystemExit as err:
        return {"error": str(err)[:300]}
    return json.loads(run["stdout"].strip().splitlines()[-1])


EVENTS_SPEED_TARGET = 50  # snippets/s on CPU, issue "What happened"


def bench_events_classifier() -> dict[str, Any] | None:
    gold = SHARED / "events/case2021-dev.jsonl"
    if not gold.exists():
        return {"skipped": f"{gold} not found (eval data is not shipped)"}
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom tidings.eval import run_eval\n"
        "print(json.dumps(run_eval('events', Path(sys.argv[1]), stages=['nlp', 'events'])))"
    )
    run = run_measured([PY, "-c", code, str(gold)])
    scores = json.loads(run["stdout"].strip().splitlines()[-1])
    speed = {k: scores[k] for k in ("snippets", "snippets_per_s", "snippets_per_cpu_s") if k in scores}
    return {**speed, "target_snippets_per_s": EVENTS_SPEED_TARGET, "meets_target": scores.get("snippets_per_s", 0) >= EVENTS_SPEED_TARGET}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=1000, help="with --checkpoints: articles per reported window")
    parser.add_argument(
        "--checkpoints", type=lambda v: [int(x) for x in v.split(",")], default=None,
        help="e.g. 10000,50000,100000: instead of the throughput comparison, ingest --articles into one store and report"
        " articles/s and RSS at each checkpoint and every 1,000 articles (long: run it under nice)",
    )
    parser.add_argument("--rounds", type=_positive, default=1, help="bare spaCy and the ingest this many times, back to back; the median round's ratio is reported (the lower middle of an even number)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["throughput", "streaming", "queries", "store_growth", "gazetteer", "events"])
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)}}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.checkpoints and "throughput" not in args.skip:
            results["ingest_over_time"] = bench_ingest_over_time(args.articles, args.checkpoints, args.workers, tmp, args.every)
            _save(results)
        elif "throughput" not in args.skip:
            corpus = tmp / "corpus.jsonl"
            results["corpus"] = make_corpus(args.articles, corpus)
            results["throughput"] = bench_throughput(corpus, results["corpus"], args.workers, tmp, args.rounds)
            _save(results)
        if "streaming" not in args.skip:
            results["streaming"] = bench_streaming()
            _save(results)
        if "queries" not in args.skip:
            results["queries"] = bench_queries(tmp)
        if "store_growth" not in args.skip:
            results["store_growth"] = bench_store_growth(tmp)
            _save(results)
        if "gazetteer" not in args.skip:
            results["gazetteer"] = bench_gazetteer()
        if "events" not in args.skip:
            results["events_classifier"] = bench_events_classifier()
    _save(results)
    print(json.dumps(results, indent=2))


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def _save(results: dict[str, Any]) -> None:
    (OUT / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

