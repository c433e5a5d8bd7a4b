"""Bulk statements on PostgreSQL with their parameters sent in binary.

Django's PostgreSQL backend binds parameters on the client: every value of a statement is
quoted into its text, which is right for the ORM's small statements and slow for ingestion's
large ones. A batch of 50,000 clicks upserts about 44,000 counter rows passed as arrays: quoted
into the text, their seven arrays cost 638 ms; bound in binary (`%b`), 211 ms. Its clicks go in
by `COPY`: 180 ms as text rows, 45 ms in binary (docs/tracking.md, "Ingestion on PostgreSQL").
"""

from __future__ import annotations

import psycopg
from django.db import connection


def binary_cursor() -> psycopg.Cursor:
    """A cursor on Django's own connection, so inside its current transaction, that binds
    parameters on the server: `%b` sends a value in binary. PostgreSQL only."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)
