"""Entity scopes: which people and groups a member of the pilot team may see.

An editor (or an admin) may be limited to one or more groups, a subsidiary or a country: they
see those groups' people, and the content, links, suggestions and figures that belong to them
(docs/governance.md, "Approval and scopes"). Without scope groups a person works for the whole
organisation, as before. Every app filters its querysets through the one `EntityScope` read
here, so pages, exports and the API apply the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from portevoix.accounts.models import Group, Person, Role

MEMBERSHIP = Person.groups.through
SCOPES = Person.scope_groups.through


@dataclass(frozen=True)
class EntityScope:
    """The groups a person works for; `None` is the whole organisation."""

    group_ids: frozenset[int] | None

    @property
    def is_whole(self) -> bool:
        return self.group_ids is None

    def groups(self) -> QuerySet[Group]:
        groups = Group.objects.all()
        return groups if self.group_ids is None else groups.filter(pk__in=self.group_ids)

    def person_filter(self, path: str = "pk") -> Q | Exists:
        """A filter keeping rows whose person (the field at `path`: "pk" for people, "author"
        for a suggestion) belongs to one of the scope's groups. A subquery, not a join, so a
        person in two of the groups is not counted twice."""
        if self.group_ids is None:
            return Q()
        return Exists(
            MEMBERSHIP.objects.filter(person_id=OuterRef(path), group_id__in=self.group_ids)
        )

    def team_filter(self, path: str) -> Q | Exists:
        """A filter keeping rows set up by this scope's pilot team: the person at `path` (a
        source's or a watch's `created_by`) works within the scope, for some of its groups
        and none outside. What the whole organisation's editors set up stays theirs."""
        if self.group_ids is None:
            return Q()
        within = SCOPES.objects.filter(person_id=OuterRef(path), group_id__in=self.group_ids)
        beyond = SCOPES.objects.filter(person_id=OuterRef(path)).exclude(
            group_id__in=self.group_ids
        )
        return Exists(within) & ~Exists(beyond)

    def people(self, people: QuerySet[Person] | None = None) -> QuerySet[Person]:
        people = Person.objects.all() if people is None else people
        return people.filter(self.person_filter())

    def allows_person(self, person: Person | int | None) -> bool:
        if self.group_ids is None:
            return True
        if person is None:
            return False
        person_id = person if isinstance(person, int) else person.pk
        return MEMBERSHIP.objects.filter(person_id=person_id, group_id__in=self.group_ids).exists()

    def allows_group(self, group_id: int | None) -> bool:
        return self.group_ids is None or group_id in self.group_ids

    def audience_problem(self, group_ids: Iterable[int]) -> str | None:
        """Why a post targeted to these groups would reach beyond the scope; None when it
        stays within. No group at all means everybody: wider than any scope."""
        if self.group_ids is None:
            return None
        chosen = set(group_ids)
        if not chosen:
            return _(
                "You work for %(groups)s: choose at least one of these groups as the audience "
                "(no group would reach the whole organisation)."
            ) % {"groups": self.names()}
        outside = Group.objects.filter(pk__in=chosen - self.group_ids).values_list(
            "name", flat=True
        )
        if outside:
            return _("You work for %(groups)s: the audience cannot include %(outside)s.") % {
                "groups": self.names(),
                "outside": ", ".join(outside),
            }
        return None

    def names(self) -> str:
        return ", ".join(self.groups().values_list("name", flat=True))


WHOLE = EntityScope(group_ids=None)


def scope_of(person: Person) -> EntityScope:
    """The scope of a member of the pilot team; read once per person object (a request)."""
    found = getattr(person, "_entity_scope", None)
    if found is None:
        ids = frozenset(person.scope_groups.values_list("pk", flat=True)) if person.pk else None
        found = EntityScope(group_ids=ids or None)
        person._entity_scope = found  # type: ignore[attr-defined]
    return found


def person_scope_set(*, person: Person, groups: Iterable[Group]) -> None:
    """Limits a person to these groups (none: the whole organisation)."""
    person.scope_groups.set(list(groups))
    if hasattr(person, "_entity_scope"):
        del person._entity_scope


def role_grant_problem(*, granter: Person, role: str) -> str | None:
    """Why `granter` may not make someone an editor or an admin; None when they may. A new
    editor or admin works for the whole organisation: an admin limited to some groups would
    otherwise widen their own reach through an account they name (an invitation, an import,
    a role change)."""
    if role in (Role.ADMIN, Role.EDITOR) and not scope_of(granter).is_whole:
        return _(
            "You work for %(groups)s: only an administrator of the whole organisation names "
            "editors, administrators and data-protection officers."
        ) % {"groups": scope_of(granter).names()}
    return None
