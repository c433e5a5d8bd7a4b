"""What every share target does: build the network's documented share URL, every parameter
percent-encoded as UTF-8, and say what text the network ends up with."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import quote

from portevoix.accounts.models import Network
from portevoix.sharing.limits import length_problem


def encode(value: str) -> str:
    """Percent-encode everything but unreserved characters: a space is %20, never `+`, which
    some share pages (and every mail client) would show as a plus sign."""
    return quote(value, safe="")


def text_with_link(text: str, link_url: str) -> str:
    text = text.strip()
    return f"{text}\n\n{link_url}" if text else link_url


class ShareTarget:
    network: ClassVar[Network]
    # False when the share page takes only a URL: the page then copies the text for the person
    # to paste (LinkedIn removed prefilled text, Facebook forbids it).
    takes_text: ClassVar[bool] = True
    # True when the share page is a browser page; False for the clipboard.
    opens_page: ClassVar[bool] = True

    def __init__(self, *, instance: str = "") -> None:
        self.instance = instance

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        raise NotImplementedError

    def posted_text(self, text: str, link_url: str) -> str:
        """The text the network will hold, link included where it will be: what is counted."""
        return text_with_link(text, link_url) if self.takes_text else text.strip()

    def clipboard_text(self, text: str, link_url: str) -> str:
        """What the page copies before opening the share page (the person pastes it)."""
        return text.strip()

    def length_problem(self, text: str, link_url: str) -> str | None:
        return length_problem(network=self.network, posted_text=self.posted_text(text, link_url))

    @property
    def is_ready(self) -> bool:
        """False when the person must tell us something first (their Mastodon instance)."""
        return True
