"""The cycle collector paused for bulk batches, in one thread or several."""

import gc

from portevoix.core.memory import cyclic_gc_paused


def test_the_collector_is_back_on_after_a_batch_and_stays_off_if_it_was():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_with_two_threads_batches_the_collector_comes_back_when_the_last_ends():
    """Ingestion threads' batches overlap, and the first to start is not the last to end: the
    collector must stay off until both are over (one collector per process)."""
    first, second = cyclic_gc_paused(), cyclic_gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first batch ends, the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
