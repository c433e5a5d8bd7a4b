from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode


class X(ShareTarget):
    """Web intent: X appends `url` after the text, separated by a space."""

    network = Network.X

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return (
            f"https://twitter.com/intent/tweet?text={encode(text.strip())}&url={encode(link_url)}"
        )

    def posted_text(self, text: str, link_url: str) -> str:
        text = text.strip()
        return f"{text} {link_url}" if text else link_url
