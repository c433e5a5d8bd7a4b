"""Suggested messages: checking them before they are offered, and picking one for an ambassador.

Compliance is content's own rule. Whether a message still fits a network once the ambassador's
tracked link is in it is the share targets' knowledge, in sharing, an app above content
(docs/architecture.md): sharing registers that check here when it starts (`sharing/apps.py`),
so content never imports it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from portevoix.content.compliance import compliance_problems
from portevoix.content.models import ComplianceSettings, Post, SuggestedMessage

# Called as check(network=..., text=...); answers the reasons the message cannot be offered.
MessageCheck = Callable[..., list[str]]
_message_checks: list[MessageCheck] = []


@dataclass(frozen=True)
class MessageData:
    network: str  # "" for every network
    language: str
    text: str


def message_check_register(*, check: MessageCheck) -> None:
    if check not in _message_checks:
        _message_checks.append(check)


def message_problems(
    *, network: str, text: str, rules: ComplianceSettings | None = None
) -> list[str]:
    """Why this suggested message cannot be offered; a message for every network must fit
    every network's limit."""
    problems = compliance_problems(text, rules=rules)
    for check in _message_checks:
        problems.extend(check(network=network, text=text))
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
