"""Bulk work that allocates millions of short-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the length of one batch.

    A batch of clicks keeps millions of tuples alive until it ends; every few thousand
    allocations the collector walks the survivors again, and an ingestion of a million clicks
    spent half its time there (docs/tracking.md). Those tuples hold no reference cycles, so
    nothing is lost by collecting once the batch is over: the collector is switched back on
    (unless it was already off) and runs at its usual thresholds.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
