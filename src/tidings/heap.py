"""Hand the pages the C heap has freed back to the operating system.

glibc keeps freed memory for reuse: after spaCy parses a batch or the ledger reads a batch's
records, the process's RSS stays at that peak, and the next peak (the commit's checkpoint, the
next parse) lands on top of it. `malloc_trim` returns the free pages (a few milliseconds). On a C
library without it (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


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
