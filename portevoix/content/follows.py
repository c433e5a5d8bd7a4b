"""The topics a person follows. Following ranks a topic's posts first in their feed and digest
(sharing/selectors.py: `rank_for_person`); it never hides the others."""

from __future__ import annotations

from collections.abc import Iterable

from portevoix.accounts.models import Person
from portevoix.content.models import Topic


def followed_topics_set(*, person: Person, topics: Iterable[Topic]) -> None:
    """Follow exactly these topics: the ones left out are no longer followed."""
    person.topics.set(list(topics))
