"""Gamification pages: my points, the leaderboard and the point rules (`points.py`), the
challenges (`challenges.py`)."""
