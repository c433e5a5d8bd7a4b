"""Group commit: many request threads, one writer thread, one transaction per group.

A request thread appends its row to the current group and waits for that group's commit. The
writer thread takes the whole group at once, writes it in one transaction and wakes exactly
the threads of that group. While it writes, the next group fills up, so under load the group
grows by itself to the number of requests in flight: no timer, no added latency when idle.
"""

from __future__ import annotations

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
    __slots__ = ("rows", "done", "failed")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.done = threading.Event()
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
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._group = _Group()
        self._pid: int | None = None

    def append(self, row: tuple) -> None:
        """Returns once `row` is committed; raises InboxUnavailable otherwise."""
        with self._lock:
            if self._pid != os.getpid():
                self._start()  # first use in this process (servers fork their workers)
            group = self._group
            group.rows.append(row)
            if len(group.rows) == 1:
                self._wake.set()
        if not group.done.wait(self._timeout) or group.failed:
            raise InboxUnavailable

    def _start(self) -> None:
        self._pid = os.getpid()
        self._group = _Group()
        threading.Thread(target=self._run, name="click-inbox-writer", daemon=True).start()

    def _run(self) -> None:
        writer = self._writer_factory()
        while True:
            self._wake.wait()
            with self._lock:
                group = self._group
                self._group = _Group()
                self._wake.clear()
            if not group.rows:
                continue
            try:
                writer.write(group.rows)
            except Exception:
                log.exception(
                    "click inbox: a group of %d clicks was not committed", len(group.rows)
                )
                group.failed = True
                try:
                    writer.reset()  # reconnect for the next group
                except Exception:
                    log.exception("click inbox: reset failed")
                time.sleep(0.05)  # a broken disk or database must not spin this thread
            group.done.set()
            if self._after_commit is not None and not group.failed:
                try:
                    self._after_commit()
                except Exception:
                    log.exception("click inbox: after-commit hook failed")
