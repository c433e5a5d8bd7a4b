"""Scratch PostgreSQL databases for `make bench` (never the development or test databases)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def postgres_scratch(name: str) -> str | None:
    """Create (or re-create) database `name` on TEST_POSTGRES_URL's server; its URL, or None
    when no server answers there."""
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url:
        return None
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3
        ) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.Error:
        return None
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_drop(scratch: str) -> None:
    import psycopg

    parts = urlsplit(scratch)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {parts.path.lstrip('/')} WITH (FORCE)")
