"""Message length as each network counts it. The editor's forms and the share page both ask
here, so a text the pilot team may save is a text an ambassador may send.

- X: 280, counted the twitter-text (v3) way: every URL is 23, an emoji is 2, Latin and most
  European scripts 1 per code point, other scripts (CJK…) 2.
- Bluesky: 300 graphemes (what a reader sees as one character), link included in full.
- Mastodon: 500 code points, every URL 23, a remote mention `@user@domain` counts as `@user`.
- LinkedIn: 3,000 characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portevoix.accounts.models import Network

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

URL_LENGTH = 23
# A URL as X and Mastodon find them; trailing punctuation is the sentence's, not the URL's.
URL_PATTERN = regex.compile(r"(?:https?://|www\.)[^\s<>\"]+(?<![.,;:!?»)\]'\"])", regex.IGNORECASE)
MENTION_PATTERN = regex.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w")
EMOJI_PATTERN = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")
# twitter-text v3: code points in these ranges weigh 1, all others 2.
X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def count_x(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL_PATTERN.finditer(text):
        total += _x_weight(text[position : match.start()]) + URL_LENGTH
        position = match.end()
    return total + _x_weight(text[position:])


def _x_weight(text: str) -> int:
    weight = 0
    for grapheme in regex.findall(r"\X", text):
        if EMOJI_PATTERN.search(grapheme):
            weight += 2
            continue
        for char in grapheme:
            code = ord(char)
            weight += 1 if any(low <= code <= high for low, high in X_LIGHT_RANGES) else 2
    return weight


def count_mastodon(text: str) -> int:
    text = URL_PATTERN.sub("x" * URL_LENGTH, text)
    text = MENTION_PATTERN.sub(lambda m: m.group(1), text)
    return len(text)


def count_graphemes(text: str) -> int:
    return len(regex.findall(r"\X", unicodedata.normalize("NFC", text)))


def count_characters(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class LengthRule:
    limit: int
    count: Callable[[str], int]
    how: StrOrPromise  # how the network counts, in words for the person


LENGTH_RULES: dict[str, LengthRule] = {
    Network.X: LengthRule(280, count_x, gettext_lazy("every link counts 23, an emoji 2")),
    Network.BLUESKY: LengthRule(300, count_graphemes, gettext_lazy("characters as you see them")),
    Network.MASTODON: LengthRule(500, count_mastodon, gettext_lazy("every link counts 23")),
    Network.LINKEDIN: LengthRule(3000, count_characters, gettext_lazy("characters")),
}


def length_rule(network: str) -> LengthRule | None:
    return LENGTH_RULES.get(network)


def length_problem(*, network: str, posted_text: str) -> str | None:
    """Why this text is too long for the network, or None. `posted_text` is what the network
    will receive (the share target adds the link where the network wants it)."""
    rule = LENGTH_RULES.get(network)
    if rule is None:
        return None
    length = rule.count(posted_text)
    if length <= rule.limit:
        return None
    return _("Too long for %(network)s: %(length)d counted (%(how)s), %(limit)d at most.") % {
        "network": Network(network).label,
        "length": length,
        "how": rule.how,
        "limit": rule.limit,
    }
