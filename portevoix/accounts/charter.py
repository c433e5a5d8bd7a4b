"""The charter: versioned text an ambassador accepts before sharing."""

from __future__ import annotations

import markdown
import nh3
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from portevoix.accounts.models import CharterAcceptance, CharterVersion, Person


class CharterError(Exception):
    pass


def render_markdown(text: str) -> SafeString:
    """Markdown written by the pilot team, sanitised: no script, no style, no event handler."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    return mark_safe(nh3.clean(html))  # noqa: S308 - nh3 has just sanitised it


def current_charter() -> CharterVersion | None:
    return CharterVersion.objects.order_by("-number").first()


def charter_publish(*, title: str, text: str, published_by: Person) -> CharterVersion:
    with transaction.atomic():
        last = CharterVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
        return CharterVersion.objects.create(
            number=last + 1, title=title.strip(), text=text, published_by=published_by
        )


def has_accepted(person: Person, charter: CharterVersion | None) -> bool:
    """Whether the person accepted this version (no charter published: nothing to accept)."""
    if charter is None:
        return True
    return CharterAcceptance.objects.filter(person=person, version=charter).exists()


def has_accepted_current_charter(person: Person) -> bool:
    return has_accepted(person, current_charter())


def charter_accept(*, person: Person, version_number: int) -> CharterAcceptance:
    """Record acceptance; only the current version can be accepted."""
    charter = current_charter()
    if charter is None or charter.number != version_number:
        raise CharterError("not the current version")
    acceptance, _ = CharterAcceptance.objects.get_or_create(
        person=person, version=charter, defaults={"accepted_at": timezone.now()}
    )
    return acceptance
