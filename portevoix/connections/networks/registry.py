"""One registry: each connected network and the module that speaks its protocol. Adding a
network is one line here (its module implements base.ConnectedNetwork)."""

from __future__ import annotations

from portevoix.connections.networks.base import ConnectedNetwork
from portevoix.connections.networks.bluesky import BlueskyNetwork
from portevoix.connections.networks.linkedin import LinkedIn
from portevoix.connections.networks.mastodon import Mastodon
from portevoix.connections.networks.x import XNetwork

NETWORKS: dict[str, ConnectedNetwork] = {
    module.network: module
    for module in (
        LinkedIn(),
        Mastodon(),
        XNetwork(),
        BlueskyNetwork(),
    )
}


def network_module(network: str) -> ConnectedNetwork | None:
    return NETWORKS.get(network)
