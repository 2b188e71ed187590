"""The C heap's freed pages go back to the system (glibc), and elsewhere nothing breaks; the
cyclic collector pauses for a ledger batch, which leaves no cycles behind."""

from __future__ import annotations

import ctypes
import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tidings import heap, ledger
from tidings.ledger.corpus import load_corpus
from tidings.store import Store

ROOT = Path(__file__).resolve().parent.parent
ledger_package = sys.modules["tidings.ledger"]
update_module = sys.modules["tidings.ledger.update"]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_freed_heap_pages_are_returned_to_the_system() -> None:
    if heap._malloc_trim() is None:
        pytest.skip("this C library has no malloc_trim: release_freed_memory does nothing here")
    # 100 MB of 4 KB blocks from malloc (above pymalloc's 512-byte limit) and one block after
    # them, so the freed space sits below the heap's top, where free() alone does not return it.
    blocks = [ctypes.create_string_buffer(4096) for _ in range(25_000)]
    pin = ctypes.create_string_buffer(4096)
    before_free = _rss_mb()
    del blocks
    freed = _rss_mb()
    assert heap.release_freed_memory() is True
    assert freed - _rss_mb() > 50, f"RSS {before_free:.0f} MB with the blocks, {freed:.0f} MB freed, {_rss_mb():.0f} MB after the release"
    del pin


def test_without_malloc_trim_the_release_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_malloc_trim", lambda: None)
    assert heap.release_freed_memory() is False


def test_the_collector_is_paused_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with heap.collector_paused():
        assert not gc.isenabled()
        with heap.collector_paused():  # nested: the inner block leaves it off for the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(KeyError), heap.collector_paused():
        raise KeyError("boom")
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with heap.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_ledger_batch_runs_with_the_collector_paused_and_leaves_no_cycles(tmp_path: Path) -> None:
    """What the pause relies on: a batch's records are freed by reference counting alone. The
    ledger's own gold corpus (43 articles, events, entities, figures, claims, merged across
    outlets) is merged in two batches; anything a batch left in a reference cycle would be found
    by the collection after it. In a fresh process: threads other tests leave running (Dask's
    event loops) make cyclic garbage of their own meanwhile."""
    script = "import json, sys; from tests.test_heap import merge_and_find_cycles; print(json.dumps(merge_and_find_cycles(sys.argv[1])))"
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "cycles.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["batches"] and not any(found["collector_on"]), "the ledger ran a batch with the collector on"
    assert found["enabled_after"]
    assert not found["cycles"], f"objects the batches left in reference cycles: {found['cycles']}"
    assert found["events"] > 5 and found["entities"] > 0


def merge_and_find_cycles(db_path: str) -> dict[str, Any]:
    """Merge the ledger corpus into a new store in two batches under gc.DEBUG_SAVEALL; what the
    collection after them found in reference cycles, by type name."""
    articles = load_corpus(ROOT / "tests/data/ledger/corpus.jsonl").articles
    store = Store(Path(db_path))
    store.init()
    seen: list[bool] = []
    real = update_module.update_articles

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    ledger_package.update_articles = spy
    with store.connect(write=True) as con:  # connections, caches and lazy imports made before counting
        ledger.merge(con, articles[:2])
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # every collection, automatic or not, keeps what it finds in gc.garbage
    try:
        for half in (articles[2:20], articles[20:]):
            store.add_articles(half, then=lambda con, fresh: ledger.merge(con, fresh))
        gc.collect()
        cycles = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        ledger_package.update_articles = real
    return {"batches": len(seen), "collector_on": seen, "enabled_after": gc.isenabled(), "cycles": cycles,
            "events": len(ledger.events(store)), "entities": len(ledger.entities(store))}
