"""Raw SQL reads for the share figures, and the tables they name."""

from __future__ import annotations

from django.db import connection

from portevoix.accounts.models import Person
from portevoix.analytics.models import ShareActivity

ACTIVITY = ShareActivity._meta.db_table
PEOPLE = Person._meta.db_table
MEMBERSHIPS = Person.groups.through._meta.db_table


def fetch(sql: str, params: list) -> list[tuple]:
    """Rows as the database gives them: for reads of thousands of rows, the ORM's conversion
    of each value costs more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
