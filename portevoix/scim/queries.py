"""Listing resources: the `filter` parameter read by scim2-models' parser, turned into a
database query for the attributes providers look people and groups up by, and pages.

Only `eq` on the attributes below (joined with `and`/`or`, possibly negated with `not`) is
answered; any other filter is refused with `invalidFilter` rather than answered wrongly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Q
from scim2_models import Group, InvalidFilterException, InvalidValueException, User
from scim2_models.path import (
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    ScimFilter,
)

from portevoix.core.storable import is_storable
from portevoix.scim.schemas import MAX_RESULTS

Lookup = Callable[[str], Q]


def _uuid(field: str) -> Lookup:
    def lookup(value: str) -> Q:
        try:
            return Q(**{field: uuid.UUID(value)})
        except ValueError:
            return Q(pk__in=[])  # no resource has an id that is not a UUID

    return lookup


USER_LOOKUPS: dict[str, Lookup] = {
    "id": _uuid("scim_id"),
    "username": lambda v: Q(user_name__iexact=v),
    "externalid": lambda v: Q(external_id=v),
    "displayname": lambda v: Q(display_name__iexact=v),
    "emails": lambda v: Q(person__email__iexact=v),
    "emails.value": lambda v: Q(person__email__iexact=v),
}
GROUP_LOOKUPS: dict[str, Lookup] = {
    "id": _uuid("scim_id"),
    "displayname": lambda v: Q(group__name__iexact=v),
    "externalid": lambda v: Q(external_id=v),
    "members": _uuid("group__members__scim__scim_id"),
    "members.value": _uuid("group__members__scim__scim_id"),
}


def _node_q(node: FilterNode, lookups: Mapping[str, Lookup]) -> Q:
    if isinstance(node, LogicalExpr):
        parts = [_node_q(term, lookups) for term in node.terms]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if node.op == LogicalOperator.and_ else combined | part
        return combined
    if isinstance(node, Not):
        return ~_node_q(node.expr, lookups)
    if isinstance(node, Comparison) and node.op == CompareOperator.eq:
        path = node.attr_path
        name = path.attr.lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")
        if name in lookups and isinstance(node.value, str):
            if not is_storable(node.value):
                # NUL fails a PostgreSQL query, a lone surrogate any database's: no resource
                # could hold such a value, but searching for it must not be a 500.
                raise InvalidValueException(
                    detail="A filter value holds a NUL character or a lone surrogate."
                )
            return lookups[name](node.value)
    raise InvalidFilterException(
        detail=f"Unsupported filter “{node}”: this server answers “eq” on "
        + ", ".join(sorted(lookups))
        + "."
    )


def filter_q(text: str, model: type[User] | type[Group], lookups: Mapping[str, Lookup]) -> Q:
    """Raises InvalidFilterException for a filter that does not parse or is not supported."""
    parsed = ScimFilter[model](text)  # type: ignore[valid-type]  # a class chosen at run time
    return _node_q(parsed.ast, lookups)


@dataclass(frozen=True)
class Page:
    start_index: int  # 1-based, as in SCIM
    count: int


# startIndex and count beyond this are refused (invalidValue) rather than clamped. RFC 7644
# §3.4.2.4 lets a server clamp count, and a count above maxResults but within this bound is
# clamped to maxResults; but a startIndex has no such rule, the database's OFFSET overflows on
# it (SQLite and PostgreSQL's bigint), and a number this large is no page any client means: one
# rule for both parameters, an error the client can see rather than a page it did not ask for.
PAGE_NUMBER_MAX = 2**31 - 1


def _integer(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidValueException(detail=f"{name} must be an integer.") from None
    if value > PAGE_NUMBER_MAX:
        raise InvalidValueException(detail=f"{name} must be at most {PAGE_NUMBER_MAX}.")
    return value


def page_from(params: Mapping[str, str]) -> Page:
    """RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0, and the
    server caps the count at what it announces (maxResults). Either above PAGE_NUMBER_MAX is
    refused."""
    start = max(1, _integer(params, "startIndex", 1))
    count = min(MAX_RESULTS, max(0, _integer(params, "count", MAX_RESULTS)))
    return Page(start_index=start, count=count)
