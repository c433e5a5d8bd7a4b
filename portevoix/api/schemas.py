"""Shapes shared by the routers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field

from portevoix.api.problems import Problem

# Every operation may answer these; the document lists them so clients (and schemathesis)
# know their shape.
READ_ERRORS: dict[int, type[Problem]] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}
WRITE_ERRORS: dict[int, type[Problem]] = {**READ_ERRORS, 409: Problem, 413: Problem}


# Ids are positive 64-bit integers: anything else names no row (and would overflow the
# database's integer before reaching it).
# Text searched in the database: PostgreSQL refuses NUL in a query.
NO_NUL = r"^[^\x00]*$"
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _moment_in_bounds(value: datetime) -> datetime:
    """In UTC, between the years 2000 and 9000: the platform's dates (publication, expiry,
    event) live there, and at the ends of the calendar an offset such as -12:00 takes
    9999-12-31 past the last date Python and the database can hold."""
    wanted = "a date and time between the years 2000 and 9000"
    try:
        if value.tzinfo is None:
            value = timezone.make_aware(value)  # as the pages read it: the organisation's time
        moment = value.astimezone(UTC)
    except OverflowError:
        raise ValueError(wanted) from None
    if not 2000 <= moment.year <= 9000:
        raise ValueError(wanted)
    return moment


# A date and time given by a client (ISO 8601, with or without an offset).
Moment = Annotated[datetime, AfterValidator(_moment_in_bounds)]


class Strict(Schema):
    """Input that refuses unknown fields: a misspelt field is an error, not silently lost."""

    model_config = {"extra": "forbid"}
