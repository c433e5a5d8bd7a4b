"""Bulk work that allocates millions of short-lived objects."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = 0  # batches running with the collector paused, in all threads of the process
_enable_after = False  # whether the collector was on when the first of them started
_pauses_lock = threading.Lock()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the length of one batch.

    A batch of clicks keeps millions of tuples alive until it ends; every few thousand
    allocations the collector walks the survivors again, and an ingestion of a million clicks
    spent half its time there (docs/tracking.md). Those tuples hold no reference cycles, so
    nothing is lost by collecting once the batch is over: the collector is switched back on
    (unless it was already off) and runs at its usual thresholds. The collector is one per
    process: with batches in several threads (HUEY_WORKERS), it comes back on when the last
    of them ends, not when the first does.
    """
    global _pauses, _enable_after
    with _pauses_lock:
        if _pauses == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0 and _enable_after:
                gc.enable()
