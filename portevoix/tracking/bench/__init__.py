"""`make bench ONLY=tracking`: the redirect under load and the ingestion of a million clicks
(`redirect.py`). Apart from the app's runtime code: no request or task imports it."""

from portevoix.tracking.bench.redirect import run

__all__ = ["run"]
