"""PATCH operations as identity providers really send them, put in the form the RFC's grammar
(and scim2-models) reads, before anything is applied.

- Entra ID removes group members with `{"op": "Remove", "path": "members", "value":
  [{"value": "<id>"}]}`: by the RFC a remove carries no value and `members` alone would remove
  them all. It becomes one `remove members[value eq "<id>"]` per member named.
- Entra ID sets the e-mail with `replace emails[type eq "work"].value`, also when the person has
  no address of that type yet (the RFC would answer noTarget). Portevoix keeps one address, so
  it becomes `replace emails` with that one address and type.
"""

from __future__ import annotations

import json
from typing import Any

from scim2_models import Path, SCIMException, User
from scim2_models.path import CompareOperator, Comparison, ValuePath


def _operations(body: Any) -> list[Any] | None:
    if isinstance(body, dict) and isinstance(body.get("Operations"), list):
        return body["Operations"]
    return None


def _op(operation: Any) -> str:
    return str(operation.get("op", "")).lower() if isinstance(operation, dict) else ""


def group_patch_body(body: Any) -> Any:
    operations = _operations(body)
    if operations is None:
        return body
    rewritten: list[Any] = []
    for operation in operations:
        value = operation.get("value") if isinstance(operation, dict) else None
        if (
            _op(operation) == "remove"
            and str(operation.get("path", "")).lower() == "members"
            and isinstance(value, list)
            and value
            and all(isinstance(m, dict) and isinstance(m.get("value"), str) for m in value)
        ):
            rewritten.extend(
                {"op": "remove", "path": f"members[value eq {json.dumps(m['value'])}]"}
                for m in value
            )
        else:
            rewritten.append(operation)
    return {**body, "Operations": rewritten}


def _typed_email_path(path: Any) -> str | None:
    """The type X of a path `emails[type eq "X"].value`, else None."""
    if not isinstance(path, str) or not path.lower().startswith("emails["):
        return None
    try:
        node = Path[User](path).ast
    except (SCIMException, ValueError):
        return None  # refused later, with the library's own error
    if not (
        isinstance(node, ValuePath)
        and (node.sub_attr or "").lower() == "value"
        and isinstance(node.val_filter, Comparison)
        and node.val_filter.attr_path.attr.lower() == "type"
        and node.val_filter.op == CompareOperator.eq
        and isinstance(node.val_filter.value, str)
    ):
        return None
    return node.val_filter.value


def user_patch_body(body: Any) -> Any:
    operations = _operations(body)
    if operations is None:
        return body
    rewritten: list[Any] = []
    for operation in operations:
        email_type = (
            _typed_email_path(operation.get("path"))
            if _op(operation) in ("add", "replace")
            else None
        )
        value = operation.get("value") if isinstance(operation, dict) else None
        if email_type is not None and isinstance(value, str):
            rewritten.append(
                {
                    "op": "replace",
                    "path": "emails",
                    "value": [{"value": value, "type": email_type, "primary": True}],
                }
            )
        else:
            rewritten.append(operation)
    return {**body, "Operations": rewritten}
