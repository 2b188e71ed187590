"""Killing an ingest at any moment leaves the store consistent; running it again resumes
without duplicates. Uses a real subprocess killed with SIGKILL and with SIGINT (Ctrl-C)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tidings.store import Store

TIDINGS = str(Path(sys.executable).with_name("tidings"))

SUBJECTS = ["The council", "Rebel fighters", "The ministry", "Protesters", "Police", "The army", "Aid workers", "Residents"]
VERBS = ["reported", "announced", "denied", "confirmed", "described", "disputed"]
OBJECTS = ["a clash near the border", "new talks in Geneva", "flooding along the river", "arrests in the capital",
           "a curfew in the north", "shelling of a market", "the closure of a bridge", "a ceasefire proposal"]


def _corpus(path: Path, n: int) -> None:
    rng = random.Random(5)
    with path.open("w") as out:
        for i in range(n):
            sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} on day {i}." for _ in range(6)]
            out.write(json.dumps({"id": f"r{i}", "text": " ".join(sentences), "published": "2024-03-01"}) + "\n")


def _consistent(db: Path) -> int:
    store = Store(db)
    articles = store.query("SELECT id, doc FROM articles")
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    entity_counts = {r["article_id"]: r["n"] for r in store.query("SELECT article_id, count(*) n FROM entities GROUP BY 1")}
    for row in articles:
        doc = json.loads(row["doc"])
        assert entity_counts.get(row["id"], 0) == len(doc["entities"]), "an article was stored without its annotations"
    orphans = store.query("SELECT count(*) n FROM entities WHERE article_id NOT IN (SELECT id FROM articles)")
    assert orphans[0]["n"] == 0
    sources = store.query("SELECT article_id, count(*) n FROM article_sources GROUP BY 1 HAVING count(*) > 1")
    assert sources == []
    return len(ids)


def _start(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    # A child inherits an ignored SIGINT (and Python then installs no Ctrl-C handler). A suite
    # started as a background job (`make test &` from a script: POSIX shells start those with
    # SIGINT and SIGQUIT ignored) has it ignored, so the child gets the default back.
    # A one-second lease: the poll below gets in early, and the kill lands while the ingest holds
    # the store open with commits not yet checkpointed (replayed from DuckDB's log on the rerun).
    return subprocess.Popen([TIDINGS, "ingest", str(corpus), "--format", "jsonl", "--db", str(db), "--stages", "nlp"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "TIDINGS_WRITE_LEASE": "1"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_some(db: Path, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        if db.exists():
            try:
                if Store(db, lock_wait_s=0.5).count_articles() > 0:
                    return
            except Exception:
                pass
        time.sleep(0.2)
    pytest.fail("no batch was committed in time")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_ingest_leaves_a_consistent_store_and_resumes(tmp_path: Path, sig: signal.Signals) -> None:
    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "t.duckdb"
    total = 400  # long enough that the kill lands mid-run on a busy machine (96 articles per commit: five commits)
    _corpus(corpus, total)
    proc = _start(corpus, db)
    _wait_for_some(db, proc)
    proc.send_signal(sig)
    proc.wait(60)
    stored = _consistent(db)
    err = proc.stderr.read().decode()[-500:] if proc.stderr else ""
    assert proc.returncode != 0, f"the ingest ended normally: {stored} of {total} stored before the signal landed; {err}"
    assert 0 < stored < total
    rerun = subprocess.run([TIDINGS, "ingest", str(corpus), "--format", "jsonl", "--db", str(db), "--stages", "nlp", "--json"],
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["new"] == total - stored and summary["duplicate"] == stored
    assert _consistent(db) == total
