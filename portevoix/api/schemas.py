"""Shapes shared by the routers."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

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


class Strict(Schema):
    """Input that refuses unknown fields: a misspelt field is an error, not silently lost."""

    model_config = {"extra": "forbid"}
