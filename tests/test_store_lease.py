"""`Store.held_open`: an ingest's batches share one open database (no checkpoint per batch), other
processes get in when the lease ends, and nothing committed is lost when the holder dies."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from pathlib import Path

import pytest

from tidings.article import Article
from tidings.errors import TidingsError
from tidings.store import Store

SPAWN = mp.get_context("spawn")


def _batch(first: int, size: int = 4) -> list[Article]:
    return [Article(text=f"Artillery hit the depot near the river crossing on day {n}.", origin=f"lease-{n}.txt", published="2024-11-05") for n in range(first, first + size)]


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def test_batches_held_open_are_committed_without_a_checkpoint_each(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    store = Store(path)
    store.add_articles(_batch(0))
    assert not _wal(path).exists()  # a closed connection has checkpointed its log into the file
    with store.held_open(lease_s=60):
        for first in (4, 8, 12):
            assert store.add_articles(_batch(first)) == 4
            assert _wal(path).stat().st_size > 0  # committed to the log, not yet checkpointed
            assert store.count_articles() == first + 4  # reads in the holder see every commit
    assert not _wal(path).exists()
    assert Store(path).count_articles() == 16


def _write_for(path: str, seconds: float, lease_s: float, started: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    store = Store(path)
    deadline = time.monotonic() + seconds
    first = 1000
    with store.held_open(lease_s=lease_s):
        while time.monotonic() < deadline:
            store.add_articles(_batch(first))
            started.set()
            first += 4


@pytest.mark.parametrize(("lease_s", "readers_get_in"), [(0.3, True), (60.0, False)], ids=["short-lease", "long-lease"])
def test_readers_in_other_processes_get_in_when_the_lease_ends(tmp_path: Path, lease_s: float, readers_get_in: bool) -> None:
    path = tmp_path / "t.duckdb"
    Store(path).add_articles(_batch(0))
    started = SPAWN.Event()
    writer = SPAWN.Process(target=_write_for, args=(str(path), 4.0, lease_s, started))
    writer.start()
    try:
        assert started.wait(60)
        if readers_get_in:
            counts = [Store(path, lock_wait_s=3.0).count_articles() for _ in range(3)]
            assert counts == sorted(counts) and counts[0] >= 8  # each read waited at most one lease
        else:
            with pytest.raises(TidingsError) as err:
                Store(path, lock_wait_s=1.0).count_articles()
            assert err.value.code == "E030"
    finally:
        writer.join(60)
    assert writer.exitcode == 0
    assert Store(path).count_articles() >= 8


def _commit_and_hang(path: str, committed: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    store = Store(path)
    with store.held_open(lease_s=600):
        for first in (0, 4, 8):
            store.add_articles(_batch(first))
        committed.set()
        time.sleep(600)


def test_a_holder_killed_before_its_checkpoint_loses_no_commit(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    committed = SPAWN.Event()
    holder = SPAWN.Process(target=_commit_and_hang, args=(str(path), committed))
    holder.start()
    assert committed.wait(120)
    assert _wal(path).stat().st_size > 0
    os.kill(holder.pid or 0, signal.SIGKILL)
    holder.join(30)
    store = Store(path)
    assert store.count_articles() == 12  # replayed from the log
    assert {r["origin"] for r in store.query("SELECT origin FROM article_sources")} == {f"lease-{n}.txt" for n in range(12)}


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan", ""])
def test_a_bad_lease_setting_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TIDINGS_WRITE_LEASE", value)
    store = Store(tmp_path / "t.duckdb")
    with pytest.raises(TidingsError) as err, store.held_open():
        store.add_articles(_batch(0))
    assert err.value.code == "E037" and f"TIDINGS_WRITE_LEASE={value!r}" in str(err.value)
    assert not (tmp_path / "t.duckdb").exists()  # refused before anything was opened


def test_the_lease_setting_is_read_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.duckdb"
    monkeypatch.setenv("TIDINGS_WRITE_LEASE", "0")  # readers' turn after every connection
    store = Store(path)
    with store.held_open():
        store.add_articles(_batch(0))
        assert not _wal(path).exists()


def test_running_out_of_memory_while_held_open_reopens_the_database_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidings.store as store_module

    store = Store(tmp_path / "t.duckdb")
    too_big = "SELECT string_agg(range::VARCHAR, ',' ORDER BY range DESC) FROM range(3000000)"
    with store.held_open(lease_s=60):
        assert store.add_articles(_batch(0)) == 4
        monkeypatch.setattr(store_module, "BATCH_MEMORY_LIMIT", "8MB")
        monkeypatch.setattr(store_module, "DB_MEMORY_LIMIT", "8MB")  # no larger pool to retry with
        with pytest.raises(TidingsError) as err:
            store.add_articles(_batch(4), then=lambda con, fresh: con.execute(too_big).fetchone())
        assert err.value.code == "E036"
        monkeypatch.undo()
        assert store.add_articles(_batch(8)) == 4
        monkeypatch.setattr(store_module, "BATCH_MEMORY_LIMIT", "8MB")  # retried with the full pool
        over_8mb = "SELECT string_agg(range::VARCHAR, ',' ORDER BY range DESC) FROM range(300000)"  # fits 256 MB
        assert store.add_articles(_batch(12), then=lambda con, fresh: con.execute(over_8mb).fetchone()) == 4
        monkeypatch.undo()
        assert store.add_articles(_batch(16)) == 4
    assert Store(tmp_path / "t.duckdb").count_articles() == 16


def test_a_nested_hold_leaves_the_outer_one_in_force(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    store = Store(path)
    with store.held_open(lease_s=60):
        with store.held_open(lease_s=60):
            store.add_articles(_batch(0))
        store.add_articles(_batch(4))
        assert _wal(path).stat().st_size > 0  # still held: nothing checkpointed yet
    assert not _wal(path).exists()
