"""Pages core serves itself: the web app manifest and the error pages. The home page (the feed)
and the audit log belong to apps above core and are routed in portevoix/urls.py."""
