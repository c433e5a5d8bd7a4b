"""How the web server is started: one command line for `scripts/run.sh`, `make bench` and the
durability tests, so that what is measured is what runs.

Granian serves `portevoix.wsgi:application` with a few blocking threads per worker process.
How many threads, when WEB_THREADS does not say: threads only help while requests *wait*
(a disk sync, a database round trip); while they compute, every extra thread is one more
contender for Python's interpreter lock on the same core, and the lock is not handed over in
arrival order, so the unlucky requests wait behind many others: the redirect's p99 grew from
about 9 ms with 2 threads to 20–45 ms with 32 on one core (docs/tracking.md, "The tail").

- Embedded configuration (file click inbox, CLICK_INBOX_SYNCHRONOUS=NORMAL): an append does
  not wait, so a few threads serve as many redirects with a short tail.
- CLICK_INBOX_SYNCHRONOUS=FULL: each group of clicks waits on the disk, and a group holds the
  requests in flight, so more threads make larger groups and more redirects per second. (With
  PostgreSQL the redirect writes the same files, shipped to the database by a thread.)

Several worker processes (WEB_WORKERS), each with its own interpreter lock, are the way to use
several cores.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from portevoix.env import SettingError, envint, envstr

WSGI_TARGET = "portevoix.wsgi:application"
EMBEDDED_THREADS = 4
WAITING_THREADS = 32


def commits_wait(environ: Mapping[str, str]) -> bool:
    """Whether committing a group of clicks waits on a disk sync. (With PostgreSQL too, the
    redirect writes the node's segment files, shipped to the database off the request path:
    tracking/spool.py.)"""
    synchronous = environ.get("CLICK_INBOX_SYNCHRONOUS", "NORMAL").strip().upper()
    return synchronous == "FULL"


def web_threads(environ: Mapping[str, str] = os.environ) -> int:
    default = WAITING_THREADS if commits_wait(environ) else EMBEDDED_THREADS
    return envint("WEB_THREADS", default, environ=environ)


def web_workers(environ: Mapping[str, str] = os.environ) -> int:
    return envint("WEB_WORKERS", 1, environ=environ)


def granian_command(
    *,
    host: str,
    port: int,
    environ: Mapping[str, str] = os.environ,
    target: str = WSGI_TARGET,
    threads: int | None = None,
    workers: int | None = None,
) -> list[str]:
    granian = Path(sys.executable).parent / "granian"
    return [
        str(granian),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers or web_workers(environ)),
        "--blocking-threads",
        str(threads or web_threads(environ)),
        "--no-ws",
        target,
    ]


def unsafe_settings_refused() -> None:
    """Stop with the system checks' errors (core/checks.py: the public demo key on a published
    site). Management commands run those checks; a web node starts none, so without this it
    would serve pages signed with a key anyone can read in the source."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    import django
    from django.core.checks import run_checks
    from django.core.checks.messages import ERROR

    django.setup()
    errors = [message for message in run_checks() if message.level >= ERROR]
    if errors:
        sys.exit("portevoix web: " + "\n".join(f"{e.id}: {e.msg} {e.hint or ''}" for e in errors))


def main() -> None:
    """`python -m portevoix.core.web`: check the settings, then replace this process with the
    web server."""
    try:
        command = granian_command(
            host=envstr("HOST", "127.0.0.1"),
            port=envint("PORT", 8000),
        )
        unsafe_settings_refused()
    except SettingError as error:
        sys.exit(f"portevoix web: {error}")
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
