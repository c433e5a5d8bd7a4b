"""Suggested messages: checking them as the networks will, and picking one for an ambassador."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings

from portevoix.content.compliance import compliance_problems
from portevoix.content.models import ComplianceSettings, Post, SuggestedMessage
from portevoix.sharing.targets import TARGETS
from portevoix.tracking.links import CODE_LENGTH


@dataclass(frozen=True)
class MessageData:
    network: str  # "" for every network
    language: str
    text: str


def sample_link_url() -> str:
    """As long as every ambassador's tracked link: the lengths checked here are exact."""
    return f"{settings.SITE_URL}/s/{'x' * CODE_LENGTH}"


def message_problems(
    *, network: str, text: str, rules: ComplianceSettings | None = None
) -> list[str]:
    """Why this suggested message cannot be offered; a message for every network must fit
    every network's limit."""
    problems = compliance_problems(text, rules=rules)
    link = sample_link_url()
    for name in [network] if network else list(TARGETS):
        problem = TARGETS[name]().length_problem(text, link)
        if problem:
            problems.append(problem)
    return problems


def message_pick(
    *, post: Post, network: str, language: str, rng: random.Random | None = None
) -> SuggestedMessage | None:
    """One variant at random, the closest match first: this network in my language, any network
    in my language, then the same in the default language, then anything."""
    candidates = list(post.messages.all())
    default = settings.LANGUAGE_CODE
    for wanted_network, wanted_language in (
        (network, language),
        ("", language),
        (network, default),
        ("", default),
    ):
        matching = [
            m for m in candidates if m.network == wanted_network and m.language == wanted_language
        ]
        if matching:
            return (rng or random).choice(matching)
    return (rng or random).choice(candidates) if candidates else None
