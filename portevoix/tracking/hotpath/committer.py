"""Group commit without a writer thread: the first request to arrive commits for everyone.

If no commit is running, a request writes its own row at once and returns. Requests that
arrive while a commit runs join the open group and wait at its gate; when the commit is done
its writer opens that group's gate for one of them, who commits the group for all its
members, and so on. When writes are quick a request is almost always alone and nobody sleeps;
when they wait on a disk or a database (fsync, PostgreSQL) the groups grow by themselves to
the requests in flight.

Why not a writer thread (the first design): every click then costs its request thread a sleep
and a wake-up, ~1.5 context switches, which on one core cost more than the rest of the redirect
(measurements in docs/tracking.md).

Waiting uses bare locks: a group's gate is a lock held from its creation until its commit; each
waiter takes it and hands it straight to the next.
"""

from __future__ import annotations

import _thread
import logging
import os
from collections.abc import Callable, Sequence
from typing import Protocol

log = logging.getLogger(__name__)


class InboxUnavailable(Exception):
    """The click could not be committed: the redirect must not answer 302."""


class InboxWriter(Protocol):
    def write(self, rows: Sequence[tuple]) -> None: ...

    def reset(self) -> None: ...


class Committer(Protocol):
    def append(self, row: tuple) -> None: ...

    def close(self) -> None: ...


class _WriterHolder:
    """What both committers share: the writer made on first use, its release, the hook."""

    _writer: InboxWriter | None
    _after_commit: Callable[[], None] | None

    def _committed(self) -> None:
        if self._after_commit is not None:
            try:
                self._after_commit()
            except Exception:
                log.exception("click inbox: after-commit hook failed")

    def close(self) -> None:
        """Release the writer's file or connection (tests, shutdown, after a failure)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                writer.reset()
            except Exception:
                log.exception("click inbox: closing the writer failed")


class DirectCommitter(_WriterHolder):
    """For an inbox whose write never waits (the file inbox in NORMAL mode: a memory copy):
    each request writes its own row under one lock, and no group ever forms. The group
    commit's bookkeeping (a busy flag, a second pass through the mutex, the hand-over) then
    only costs: 0.6 µs of the redirect's 10.8 in process (docs/tracking.md)."""

    def __init__(
        self,
        writer_factory: Callable[[], InboxWriter],
        *,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self._writer_factory = writer_factory
        self._after_commit = after_commit
        self._reset_after_fork()
        os.register_at_fork(after_in_child=self._reset_after_fork)

    def _reset_after_fork(self) -> None:
        self._lock = _thread.allocate_lock()
        self._writer: InboxWriter | None = None

    def append(self, row: tuple) -> None:
        """Returns once `row` is written; raises InboxUnavailable otherwise."""
        with self._lock:
            try:
                writer = self._writer
                if writer is None:
                    writer = self._writer = self._writer_factory()
                writer.write((row,))
            except Exception:
                log.exception("click inbox: a click was not written")
                self.close()  # reopen for the next click
                raise InboxUnavailable from None
        self._committed()


class _Group:
    __slots__ = ("rows", "gate", "failed", "handover")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.gate = _thread.allocate_lock()
        self.gate.acquire()  # released once the group is committed, or to hand it a leader
        self.failed = False
        self.handover = False  # the gate was opened for a member to commit the group


class GroupCommitter(_WriterHolder):
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
        self._reset_after_fork()
        # A forked worker must not share its parent's file or lock state.
        os.register_at_fork(after_in_child=self._reset_after_fork)

    def _reset_after_fork(self) -> None:
        self._mutex = _thread.allocate_lock()
        self._writer: InboxWriter | None = None
        self._busy = False
        self._group = _Group()

    def append(self, row: tuple) -> None:
        """Returns once `row` is committed; raises InboxUnavailable otherwise."""
        mutex = self._mutex
        mutex.acquire()
        if not self._busy:
            # Nobody is committing: write this row alone, without forming a group. With a
            # quick inbox this is nearly every click (groups of 1.00 in `make bench`).
            self._busy = True
            mutex.release()
            if not self._write([row]):
                raise InboxUnavailable
            return
        group = self._group
        group.rows.append(row)
        mutex.release()
        if not group.gate.acquire(True, self._timeout):
            raise InboxUnavailable
        if not group.handover:
            group.gate.release()  # committed: let the next member of the group through
            if group.failed:
                raise InboxUnavailable
            return
        group.handover = False  # this request was chosen to commit its group
        with mutex:
            self._group = _Group()  # later arrivals form the next group
        if not self._write(group.rows, group):
            raise InboxUnavailable

    def _write(self, rows: list[tuple], group: _Group | None = None) -> bool:
        """Commit `rows`, open the gate of their group, and hand the commit on to the group
        that formed meanwhile, if any. False if the rows were not committed."""
        committed = True
        try:
            if self._writer is None:
                self._writer = self._writer_factory()
            self._writer.write(rows)
        except Exception:
            log.exception("click inbox: a group of %d clicks was not committed", len(rows))
            committed = False
            self.close()  # reopen for the next group
        if group is not None:
            group.failed = not committed
            group.gate.release()
        with self._mutex:
            waiting = self._group
            if waiting.rows:
                waiting.handover = True
                waiting.gate.release()  # wakes one member, who commits the next group
            else:
                self._busy = False
        if committed:
            self._committed()
        return committed
