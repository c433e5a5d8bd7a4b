from portevoix.accounts.models import Network
from portevoix.sharing.targets.base import ShareTarget, encode, text_with_link


class Mastodon(ShareTarget):
    """Every instance serves `/share?text=`; it must be the person's own instance, where they
    are logged in, so it comes from their profile."""

    network = Network.MASTODON

    def share_url(self, text: str, link_url: str, *, subject: str = "") -> str:
        if not self.instance:
            raise ValueError("a Mastodon share needs the person's instance")
        return f"https://{self.instance}/share?text={encode(text_with_link(text, link_url))}"

    @property
    def is_ready(self) -> bool:
        return bool(self.instance)
