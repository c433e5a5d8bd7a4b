"""Fediverse servers fetch a link's preview as soon as a post names it: those are bots, never
verified clicks (docs/metrics.md)."""

import pytest

from portevoix.tracking.classify import Classifier
from portevoix.tracking.tests.user_agents import BROWSERS

FEDIVERSE_FETCHERS = [
    "Lemmy/0.19.3; +https://lemmy.ml",
    "Lemmy/0.18.5; +https://jlai.lu",
    "Friendica 'Yellow Archangel' 2024.03-1557; https://friendica.example",
    "Friendica 'Giant Rhubarb' 2023.05-1518; https://social.example.org",
]


@pytest.mark.parametrize("user_agent", FEDIVERSE_FETCHERS)
def test_lemmy_and_friendica_preview_fetchers_are_bots(user_agent):
    bot, scanner, _device = Classifier().agent(user_agent)
    assert bot and not scanner


def test_peoples_browsers_are_still_people():
    classifier = Classifier()
    assert not any(classifier.is_bot(user_agent) for user_agent in BROWSERS)
