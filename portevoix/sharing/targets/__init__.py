"""Share targets: one small module per network, registered here by network (the way
healthchecks registers its integrations). Adding a network is one module and one line."""

from __future__ import annotations

from portevoix.accounts.models import Network, Person
from portevoix.sharing.targets.base import ShareTarget
from portevoix.sharing.targets.bluesky import Bluesky
from portevoix.sharing.targets.copy import Copy
from portevoix.sharing.targets.email import Email
from portevoix.sharing.targets.facebook import Facebook
from portevoix.sharing.targets.linkedin import LinkedIn
from portevoix.sharing.targets.mastodon import Mastodon
from portevoix.sharing.targets.telegram import Telegram
from portevoix.sharing.targets.whatsapp import WhatsApp
from portevoix.sharing.targets.x import X
from portevoix.sharing.targets.xing import Xing

# In the order the share page offers them.
TARGETS: dict[str, type[ShareTarget]] = {
    target.network: target
    for target in (LinkedIn, X, Facebook, Xing, WhatsApp, Bluesky, Mastodon, Telegram, Email, Copy)
}


def target_for(network: str, *, person: Person) -> ShareTarget:
    """KeyError for a network we cannot share to."""
    target_class = TARGETS[network]
    return target_class(instance=person.mastodon_instance if network == Network.MASTODON else "")


__all__ = ["TARGETS", "ShareTarget", "target_for"]
