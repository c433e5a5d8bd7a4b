from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode


class LinkedIn(ShareTarget):
    """Only `url`: LinkedIn deprecated the title and summary parameters."""

    network = Network.LINKEDIN
    takes_text = False

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return f"https://www.linkedin.com/sharing/share-offsite/?url={encode(link_url)}"
