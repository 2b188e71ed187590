"""Memory housekeeping: hand the pages the C heap has freed back to the operating system, and
hold off Python's cyclic collector while a bounded batch builds many short-lived containers.

glibc keeps freed memory for reuse: after spaCy parses a batch or the ledger reads a batch's
records, the process's RSS stays at that peak, and the next peak (the commit's checkpoint, the
next parse) lands on top of it. `malloc_trim` returns the free pages (a few milliseconds). On a C
library without it (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> bool:
    """Return the C heap's free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a bounded batch of work with Python's cyclic garbage collector off (reference counting
    still frees everything that holds no cycle), then turn it back on if it was on.

    Why: a full collection walks every live container, and while the ledger merges a batch it
    holds the records it weighs (~100,000-200,000 tracked objects at 2,000 bench articles) and
    builds and drops many more, which set off full collections again and again: in `tidings
    ingest` of 1,000 bench articles, 43 of them cost 6.0 of the main process's 33 CPU-seconds
    (with the pause: 8 cost 1.0, all collections together 7.3 -> 2.3 s). A batch's containers are
    acyclic JSON values and frozen records; `tests/test_heap.py` checks a batch leaves no cycles."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
