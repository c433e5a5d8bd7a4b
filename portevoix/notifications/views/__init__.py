"""Notification pages: my notifications and unsubscribing (`inbox.py`), the channels and
settings of the admins (`channels.py`)."""
