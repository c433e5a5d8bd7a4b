"""Groups of people (entities, departments, sites, countries), whoever creates them."""

from __future__ import annotations

from portevoix.accounts.models import Group, GroupKind
from portevoix.accounts.validators import validate_single_line


def group_create(*, name: str, kind: str = GroupKind.DEPARTMENT) -> Group:
    """Raises ValidationError for a name on several lines."""
    validate_single_line(name)
    return Group.objects.create(name=name, kind=kind)


def group_rename(*, group: Group, name: str) -> None:
    validate_single_line(name)
    group.name = name
    group.save(update_fields=["name"])
