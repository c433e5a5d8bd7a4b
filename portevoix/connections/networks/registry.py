"""One registry: each connected network and the module that speaks its protocol. Adding a
network is one line here (its module implements base.ConnectedNetwork)."""

from __future__ import annotations

from portevoix.connections.networks.base import ConnectedNetwork
from portevoix.connections.networks.linkedin import LinkedIn
from portevoix.connections.networks.mastodon import Mastodon

NETWORKS: dict[str, ConnectedNetwork] = {
    module.network: module
    for module in (
        LinkedIn(),
        Mastodon(),
    )
}


def network_module(network: str) -> ConnectedNetwork | None:
    return NETWORKS.get(network)
