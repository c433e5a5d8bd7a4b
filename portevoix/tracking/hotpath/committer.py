"""Group commit: many request threads, one writer thread, one transaction per group.

A request thread appends its row to the current group and waits for that group's commit. The
writer thread takes the whole group at once, writes it in one transaction, then opens the
group's gate. While it writes, the next group fills up, so under load a group grows by itself
to the number of requests in flight: no timer, no added latency when idle.

Waiting uses bare locks, not `threading.Event`: a group's gate is one lock the writer holds
until the commit; each waiter takes it and hands it straight to the next one. Measured on one
core with 32 threads, that is ~1.2 context switches and ~14 µs of CPU per click against ~2.7
and ~27 µs with an Event (docs/tracking.md) — the difference between half and a quarter of a
bare 302.
"""

from __future__ import annotations

import _thread
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

log = logging.getLogger(__name__)


class InboxUnavailable(Exception):
    """The click could not be committed: the redirect must not answer 302."""


class InboxWriter(Protocol):
    def write(self, rows: Sequence[tuple]) -> None: ...

    def reset(self) -> None: ...


class _Group:
    __slots__ = ("rows", "gate", "failed")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.gate = _thread.allocate_lock()
        self.gate.acquire()  # opened (released) by the writer once the group is committed
        self.failed = False


class GroupCommitter:
    def __init__(
        self,
        writer_factory: Callable[[], InboxWriter],
        *,
        timeout: float = 5.0,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self._writer_factory = writer_factory
        self._timeout = timeout
        self._after_commit = after_commit
        self._mutex = _thread.allocate_lock()
        self._pid: int | None = None
        self._stopping = False

    def append(self, row: tuple) -> None:
        """Returns once `row` is committed; raises InboxUnavailable otherwise."""
        mutex = self._mutex
        with mutex:
            if self._pid != os.getpid():
                self._start()  # first use in this process (servers fork their workers)
            group = self._group
            group.rows.append(row)
            if len(group.rows) == 1 and not self._stopping:
                self._wake.release()  # the writer sleeps on this until a group has rows
        if not group.gate.acquire(True, self._timeout):
            raise InboxUnavailable
        group.gate.release()  # let the next waiter of this group through
        if group.failed:
            raise InboxUnavailable

    def close(self) -> None:
        """Stop the writer thread once its current group is committed (tests, shutdown)."""
        with self._mutex:
            if self._pid != os.getpid():
                return
            self._stopping = True
            if not self._group.rows:
                self._wake.release()
        self._thread.join(timeout=self._timeout)
        self._pid = None

    def _start(self) -> None:
        self._pid = os.getpid()
        self._stopping = False
        self._group = _Group()
        self._wake = _thread.allocate_lock()
        self._wake.acquire()
        self._thread = threading.Thread(target=self._run, name="click-inbox-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        writer = self._writer_factory()
        try:
            while True:
                self._wake.acquire()
                with self._mutex:
                    group = self._group
                    self._group = _Group()
                    stopping = self._stopping
                if group.rows:
                    self._commit(writer, group)
                if stopping:
                    return
        finally:
            writer.reset()

    def _commit(self, writer: InboxWriter, group: _Group) -> None:
        try:
            writer.write(group.rows)
        except Exception:
            log.exception("click inbox: a group of %d clicks was not committed", len(group.rows))
            group.failed = True
            try:
                writer.reset()  # reconnect for the next group
            except Exception:
                log.exception("click inbox: reset failed")
            time.sleep(0.05)  # a broken disk or database must not make this thread spin
        group.gate.release()
        if self._after_commit is not None and not group.failed:
            try:
                self._after_commit()
            except Exception:
                log.exception("click inbox: after-commit hook failed")
