"""Demo data: a realistic French company. Each capability adds its own part through a
`demo` package in its app with a `build(world)` function, called in INSTALLED_APPS order."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Names for the type checker only: core sits below the apps (docs/architecture.md).
    from portevoix.accounts.models import Group, Person
    from portevoix.content.models import Campaign, Post
    from portevoix.sharing.models import Share

DEMO_PASSWORD = "portevoix-demo"


@dataclass
class DemoWorld:
    """What earlier parts built, for later parts to use."""

    rng: random.Random
    people: list[Person] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)  # content's part
    campaigns: list[Campaign] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)  # sharing's part
