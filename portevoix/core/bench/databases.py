"""Scratch PostgreSQL databases for `make bench` (never the development or test databases)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def postgres_database(name: str, *, fresh: bool) -> str | None:
    """Database `name` on TEST_POSTGRES_URL's server — emptied (re-created) when `fresh`, kept
    as it is otherwise — and its URL; None when no server answers there."""
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url:
        return None
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3
        ) as admin:
            if fresh:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone() is None:
                admin.execute(f"CREATE DATABASE {name}")
    except psycopg.Error:
        return None
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_scratch(name: str) -> str | None:
    """A new empty database `name` (see `postgres_database`)."""
    return postgres_database(name, fresh=True)


def postgres_drop(scratch: str) -> None:
    import psycopg

    parts = urlsplit(scratch)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {parts.path.lstrip('/')} WITH (FORCE)")
