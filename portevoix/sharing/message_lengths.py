"""Whether a suggested message fits each network once the ambassador's tracked link is in it,
counted as the network counts (`limits.py`) on the text the share target sends. Content asks
when an editor saves or publishes a post, through the check registered in `apps.py`."""

from __future__ import annotations

from django.conf import settings

from portevoix.sharing.targets import TARGETS
from portevoix.tracking.links import CODE_LENGTH


def sample_link_url() -> str:
    """As long as every ambassador's tracked link: the lengths checked here are exact."""
    return f"{settings.SITE_URL}/s/{'x' * CODE_LENGTH}"


def message_length_problems(*, network: str, text: str) -> list[str]:
    """Why the message is too long; a message for every network ("") must fit every network."""
    link = sample_link_url()
    problems = []
    for name in [network] if network else list(TARGETS):
        problem = TARGETS[name]().length_problem(text, link)
        if problem:
            problems.append(problem)
    return problems
