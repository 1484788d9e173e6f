"""Allocator settings: large freed blocks go back to the system (components.memory)."""

from __future__ import annotations

import os

import pyarrow as pa
import pytest

import components.data  # noqa: F401 (configures the allocators on import)
from components import memory


@pytest.mark.skipif("ARROW_DEFAULT_MEMORY_POOL" in os.environ, reason="the environment decides")
def test_arrow_allocates_through_jemalloc_or_the_system_allocator() -> None:
    assert pa.default_memory_pool().backend_name in ("jemalloc", "system")


def test_settings_and_release_can_run_again() -> None:
    memory.configure_allocators()
    pa.array(range(100_000))
    memory.release_unused_memory()
    assert pa.total_allocated_bytes() >= 0
