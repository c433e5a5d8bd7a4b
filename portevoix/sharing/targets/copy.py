from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, text_with_link


class Copy(ShareTarget):
    """No share page: the text and the link go to the clipboard, for anywhere else."""

    network = Network.COPY
    opens_page = False

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        return ""

    def clipboard_text(self, text: str, link_url: str) -> str:
        return text_with_link(text, link_url)
