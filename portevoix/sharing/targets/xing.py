from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode


class Xing(ShareTarget):
    network = Network.XING
    takes_text = False

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return f"https://www.xing.com/spi/shares/new?url={encode(link_url)}"
