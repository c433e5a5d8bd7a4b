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


def _integer(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidValueException(detail=f"{name} must be an integer.") from None


def page_from(params: Mapping[str, str]) -> Page:
    """RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0, and the
    server caps the count at what it announces (maxResults)."""
    start = max(1, _integer(params, "startIndex", 1))
    count = min(MAX_RESULTS, max(0, _integer(params, "count", MAX_RESULTS)))
    return Page(start_index=start, count=count)
