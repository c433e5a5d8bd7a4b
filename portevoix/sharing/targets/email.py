from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode, text_with_link


class Email(ShareTarget):
    """A `mailto:` URI (RFC 6068): line breaks in the body are CRLF, spaces %20."""

    network = Network.EMAIL

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        body = text_with_link(text, link_url).replace("\r\n", "\n").replace("\n", "\r\n")
        return f"mailto:?subject={encode(subject)}&body={encode(body)}"
