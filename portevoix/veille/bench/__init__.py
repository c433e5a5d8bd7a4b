"""`make bench ONLY=veille`: tone accuracy, and the speed of scoring, matching and parsing
(`tone.py`). Apart from the app's runtime code: no request or task imports it."""

from portevoix.veille.bench.tone import run

__all__ = ["run"]
