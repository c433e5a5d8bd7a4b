"""`make bench ONLY=analytics`: dashboard answer times on a large synthetic organisation
(`dashboards.py`). Apart from the app's runtime code: no request or task imports it."""

from portevoix.analytics.bench.dashboards import run

__all__ = ["run"]
