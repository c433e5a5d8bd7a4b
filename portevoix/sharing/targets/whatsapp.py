from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode, text_with_link


class WhatsApp(ShareTarget):
    """Click to chat: one `text` parameter, the link goes inside it."""

    network = Network.WHATSAPP

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return f"https://wa.me/?text={encode(text_with_link(text, link_url))}"
