from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode


class Facebook(ShareTarget):
    """Only `u`: Facebook's platform policy forbids prefilling the person's message."""

    network = Network.FACEBOOK
    takes_text = False

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return f"https://www.facebook.com/sharer/sharer.php?u={encode(link_url)}"
