"""The C heap's freed pages go back to the system (glibc), and elsewhere nothing breaks."""

from __future__ import annotations

import ctypes

import pytest

from tidings import heap


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
