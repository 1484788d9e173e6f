"""How the process's allocators hand memory back to the system.

Loading a large package allocates and frees hundreds of MB (parsed cells, raw columns, scratch
space). By default both allocators keep what is freed for later: glibc's malloc raises its
threshold for serving a block from its own heap each time a large block is freed, so later large
blocks stay in the heap once freed, and Arrow's default pool (mimalloc) keeps freed pages. A
server then stays near its peak for good, and a second load (an edited package) comes on top.

`configure_allocators` fixes glibc's threshold at 1 MiB (larger blocks are memory of their own,
returned the moment they are freed) and has Arrow allocate from jemalloc with its decay at zero
(freed pages returned at once); `release_unused_memory` returns what is still held after a load.
Of the allocator settings tried at 1M clashes, this one kept the lowest peaks without slowing the
load (glibc's malloc for Arrow too was as lean, but took a second longer). Settings given in the
environment (MALLOC_MMAP_THRESHOLD_, ARROW_DEFAULT_MEMORY_POOL) win; without glibc or jemalloc
the corresponding step is skipped (Arrow then uses glibc's malloc, or stays as it is).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
from functools import cache

import pyarrow as pa

# Blocks of 1 MiB and more (a column of 131,072 rows of 8 bytes) get mappings of their own; smaller
# ones are reused from the heap, without the page faults of a fresh mapping each time.
MMAP_THRESHOLD = 2**20
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


def _arrow_pool() -> pa.MemoryPool:
    """jemalloc returning freed pages at once, where pyarrow has it; else the system's malloc."""
    with contextlib.suppress(NotImplementedError, pa.ArrowNotImplementedError):
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
        return pool
    return pa.system_memory_pool()


def configure_allocators() -> None:
    """Freed memory returned to the system: glibc's mmap threshold fixed at 1 MiB, Arrow on
    jemalloc without decay (settings in the environment win)."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(_arrow_pool())
    libc = _glibc()
    if libc is not None and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_unused_memory() -> None:
    """Give back to the system the memory the allocators still hold but no longer use.

    Arrow's pool may keep freed blocks for reuse, and glibc the freed parts of its heap: after
    a load, its scratch space would otherwise stay with the process.
    """
    pa.default_memory_pool().release_unused()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
