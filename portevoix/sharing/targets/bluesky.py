from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode, text_with_link


class Bluesky(ShareTarget):
    """Compose intent: one `text` parameter, the link goes inside it."""

    network = Network.BLUESKY

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return f"https://bsky.app/intent/compose?text={encode(text_with_link(text, link_url))}"
