"""Bots, devices, referrers and self-clicks, against real-world user agents."""

import pytest

from portevoix.tracking.classify import Classifier, referrer_host
from portevoix.tracking.selfclick import self_token_for
from portevoix.tracking.tests.user_agents import BOTS, BROWSERS, IN_APP


def test_the_lists_are_real_and_large():
    assert len(BOTS) >= 50 and len(BROWSERS) >= 35


@pytest.mark.parametrize("user_agent", BOTS)
def test_crawlers_and_link_preview_fetchers_are_bots(user_agent):
    assert Classifier().is_bot(user_agent)


@pytest.mark.parametrize("user_agent", BROWSERS)
def test_peoples_browsers_are_not_bots(user_agent):
    assert not Classifier().is_bot(user_agent)


def test_the_answer_for_a_user_agent_is_remembered():
    classifier = Classifier()
    assert classifier.is_bot("Twitterbot/1.0") is classifier.is_bot("Twitterbot/1.0") is True


@pytest.mark.parametrize(
    "user_agent,device",
    [
        (BROWSERS[0], "desktop"),  # Chrome on Windows
        (BROWSERS[15], "mobile"),  # Safari on iPhone
        (BROWSERS[16], "tablet"),  # Safari on iPad
        (BROWSERS[23], "tablet"),  # Android without "Mobile"
        (BROWSERS[20], "mobile"),  # Chrome on Android
        ("Twitterbot/1.0", "other"),
    ],
)
def test_devices_are_recognised(user_agent, device):
    assert Classifier().device(user_agent) == device


@pytest.mark.parametrize("user_agent,device", IN_APP)
def test_in_app_browsers_of_the_networks_are_people_on_their_true_device(user_agent, device):
    classifier = Classifier()
    assert classifier.agent(user_agent) == (False, False, device)


@pytest.mark.parametrize(
    "referrer,host",
    [
        ("https://www.linkedin.com/feed/?trk=abc", "www.linkedin.com"),
        ("https://t.co/x1y2", "t.co"),
        ("", ""),
        ("not a url", ""),
        ("http://[::1", ""),
        ("https://" + "a" * 400 + ".example", "a" * 255),
    ],
)
def test_only_the_referrer_host_is_kept(referrer, host):
    assert referrer_host(referrer) == host


def test_a_self_click_token_matches_the_person_only_when_made_by_us(db):
    token = self_token_for(42)
    classifier = Classifier()
    assert classifier.is_self(token, 42)
    assert not classifier.is_self(token, 43)
    assert not classifier.is_self(self_token_for(43), 42)
    assert not classifier.is_self("", 42)
    assert not classifier.is_self("x" * 128, 42)


def test_a_cookie_set_before_the_upgrade_still_marks_a_self_click(db):
    # Signed "42:…" values stay in browsers until the person's next page of Portevoix.
    from django.core.signing import Signer

    legacy = Signer(salt="portevoix.tracking.self-click").sign("42")
    classifier = Classifier()
    assert classifier.is_self(legacy, 42)
    assert not classifier.is_self(legacy, 43)
    assert not classifier.is_self(legacy.replace("42:", "43:"), 43)  # forged
