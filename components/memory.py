"""How the process's allocators hand memory back to the system.

Loading a large package allocates and frees hundreds of MB in large blocks (parsed cells, raw
columns, scratch space). By default both allocators keep what is freed for later: glibc's malloc
raises its threshold for serving a block from its own heap each time a large block is freed, so
later large blocks stay in the heap after they are freed, and Arrow's mimalloc pool keeps freed
pages. A server then stays at its peak for good. `configure_allocators` makes large blocks
(128 KiB and more) memory of their own that is returned the moment it is freed, in Arrow too
(its system pool is glibc's malloc); `release_unused_memory` returns what is still held after a
load. Both do nothing where they do not apply (another C library, or the setting given in the
environment: MALLOC_MMAP_THRESHOLD_, ARROW_DEFAULT_MEMORY_POOL).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import cache

import pyarrow as pa

MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept fixed
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


@cache
def _glibc() -> ctypes.CDLL | None:
    """glibc's malloc functions, or None under another C library."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 (present in glibc only)
    except (OSError, AttributeError):
        return None
    return libc


def configure_allocators() -> None:
    """Large blocks returned to the system when freed: glibc's threshold fixed at 128 KiB, and
    Arrow allocating through glibc rather than its own pool (settings in the environment win)."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(pa.system_memory_pool())
    libc = _glibc()
    if libc is not None and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_unused_memory() -> None:
    """Give back to the system the memory the allocators still hold but no longer use.

    Arrow's pool keeps freed blocks for reuse, and glibc the freed parts of its heap: after a
    load, the parse's scratch space would otherwise stay with the process for good.
    """
    pa.default_memory_pool().release_unused()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
