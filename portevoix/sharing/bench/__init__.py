"""`make bench ONLY=sharing`: the ambassador's feed page on a large organisation
(`feed.py`). Apart from the app's runtime code: no request or task imports it."""

from portevoix.sharing.bench.feed import run

__all__ = ["run"]
