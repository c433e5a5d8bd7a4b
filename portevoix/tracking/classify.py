"""What a raw click was: a bot, an e-mail link scanner (scanners.py), the ambassador themself,
or a person (then maybe a repeat).

Bots come from `crawlerdetect` (a maintained port of the CrawlerDetect patterns) plus the
link-preview fetchers of the networks we share to, named here so that a change upstream cannot
start counting them: some were missing in crawlerdetect 0.4.2 (Akkoma, Misskey, Lemmy,
Friendica, Bluesky's cardyb, an empty user agent).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect

from portevoix.tracking.models import Device
from portevoix.tracking.scanners import is_scanner_agent
from portevoix.tracking.selfclick import legacy_token_person, self_token_for

PREVIEW_FETCHERS = re.compile(
    r"linkedinbot|twitterbot|facebookexternalhit|facebot|slackbot|slack-imgproxy|whatsapp/"
    r"|telegrambot|discordbot|mastodon/|akkoma|pleroma|misskey|lemmy/|friendica |cardyb|bluesky"
    r"|skypeuripreview|xing-contenttabreceiver|headlesschrome|phantomjs",
    re.IGNORECASE,
)
# A real browser always says something: nothing, or only punctuation, is a script.
NO_USER_AGENT = re.compile(r"^\W*$")
TABLET = re.compile(r"ipad|tablet|kindle|silk/", re.IGNORECASE)
# Android tablets are the Android browsers that do not say "Mobile" anywhere: apps append their
# own words after the browser's (Instagram ends with "Android (33/13; …)" after the web view's
# "Mobile Safari"), so the absence is checked over the whole user agent, not after "Android".
ANDROID = re.compile(r"android", re.IGNORECASE)
MOBILE_WORD = re.compile(r"mobile", re.IGNORECASE)
MOBILE = re.compile(r"mobi|iphone|ipod|android|blackberry|windows phone", re.IGNORECASE)
DESKTOP = re.compile(r"windows|macintosh|x11|cros|linux", re.IGNORECASE)
# Distinct user agents per worker are few (versions of a few browsers): remembering the answer
# saves the ~0.3 ms the large crawler pattern costs on an unseen one. Bounded all the same.
CACHE_LIMIT = 50_000


class Classifier:
    def __init__(self) -> None:
        self._crawlers = CrawlerDetect()
        self._bots: dict[str, bool] = {}
        self._agents: dict[str, tuple[bool, bool, str]] = {}
        self._devices: dict[str, str] = {}
        self._self_tokens: dict[int, str] = {}
        self._legacy: dict[str, int | None] = {}
        self._referrers: dict[str, str] = {}

    def is_bot(self, user_agent: str) -> bool:
        answer = self._bots.get(user_agent)
        if answer is None:
            answer = bool(
                NO_USER_AGENT.match(user_agent)
                or PREVIEW_FETCHERS.search(user_agent)
                or self._crawlers.is_crawler(user_agent)
            )
            _remember(self._bots, user_agent, answer)
        return answer

    def agent(self, user_agent: str) -> tuple[bool, bool, str]:
        """(is a bot, is an e-mail link scanner naming itself, device) in one look-up:
        ingestion asks all three for every click. A scanner that names itself is a scanner,
        not a bot, even when the crawler patterns know it: it has its own reason."""
        answer = self._agents.get(user_agent)
        if answer is None:
            scanner = is_scanner_agent(user_agent)
            answer = (not scanner and self.is_bot(user_agent), scanner, self.device(user_agent))
            _remember(self._agents, user_agent, answer)
        return answer

    def device(self, user_agent: str) -> str:
        answer = self._devices.get(user_agent)
        if answer is None:
            if TABLET.search(user_agent) or (
                ANDROID.search(user_agent) and not MOBILE_WORD.search(user_agent)
            ):
                answer = Device.TABLET
            elif MOBILE.search(user_agent):
                answer = Device.MOBILE
            elif DESKTOP.search(user_agent):
                answer = Device.DESKTOP
            else:
                answer = Device.OTHER
            _remember(self._devices, user_agent, str(answer))
        return answer

    def referrer_host(self, referrer: str) -> str:
        answer = self._referrers.get(referrer)
        if answer is None:
            answer = referrer_host(referrer)
            _remember(self._referrers, referrer, answer)
        return answer

    def is_self(self, token: str, person_id: int) -> bool:
        """Whether the cookie the redirect kept is this person's (a logged-in Portevoix
        session): one HMAC per ambassador, then a comparison per click."""
        if not token:
            return False
        if ":" in token:  # signed the former way: the id readable (selfclick.py)
            if token not in self._legacy:
                _remember(self._legacy, token, legacy_token_person(token))
            return self._legacy[token] == person_id
        expected = self._self_tokens.get(person_id)
        if expected is None:
            expected = self_token_for(person_id)
            _remember(self._self_tokens, person_id, expected)
        return token == expected


def referrer_host(referrer: str) -> str:
    """Only the site the visitor came from: a full referrer URL can carry personal data."""
    if not referrer:
        return ""
    try:
        host = urlsplit(referrer).hostname or ""
    except ValueError:
        return ""
    return host[:255]


def _remember(cache: dict, key: str | int, value: object) -> None:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value
