"""Start-up checks: settings that would make a real deployment unsafe."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "testserver"}


@register()
def demo_secret_key_check(app_configs, **kwargs) -> list[Error]:
    """The demo key is public (it is in the source): anyone could forge sessions, password
    reset and unsubscribe links with it. Fine on this machine, refused once the site is
    published under another host name."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY and host not in LOCAL_HOSTS:
        return [
            Error(
                f"SECRET_KEY is the public demo key while SITE_URL is {settings.SITE_URL}.",
                hint="Set SECRET_KEY to a long random string (docs/configuration.md).",
                id="portevoix.E001",
            )
        ]
    return []
