"""The share sheet that opens from a feed card on a phone: the networks I use first, so that
sharing takes two taps (open the sheet, pick the network)."""

from __future__ import annotations

from dataclasses import dataclass

from portevoix.accounts.models import Person
from portevoix.sharing.limits import length_rule
from portevoix.sharing.targets import TARGETS, target_for

# How many networks the sheet shows as large buttons; the others follow, smaller.
FIRST_NETWORKS = 3


@dataclass(frozen=True)
class SheetNetwork:
    network: str
    label: str
    takes_text: bool
    limit: int | None
    mine: bool  # declared in my profile


def sheet_networks(*, person: Person) -> list[SheetNetwork]:
    """Every network we can share to: those in my profile first, the most followed first,
    then the others in the share page's order. Copy is left to the device's own share sheet
    and to the share page."""
    mine = [
        account.network
        for account in sorted(person.network_accounts.all(), key=lambda a: -a.followers)
        if account.network in TARGETS
    ]
    order = mine + [name for name in TARGETS if name not in mine]
    networks = []
    for name in order:
        if name == "copy":
            continue
        target = target_for(name, person=person)
        rule = length_rule(name)
        networks.append(
            SheetNetwork(
                network=name,
                label=str(target.network.label),
                takes_text=target.takes_text,
                limit=rule.limit if rule else None,
                mine=name in mine,
            )
        )
    return networks
