from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode


class Telegram(ShareTarget):
    """`url` and `text` apart: Telegram shows the text under the link."""

    network = Network.TELEGRAM

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return f"https://t.me/share/url?url={encode(link_url)}&text={encode(text.strip())}"
