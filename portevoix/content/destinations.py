"""Which destination URLs a post (or a suggestion) may point to: public http(s) pages only.

An ambassador's audience must never be sent to an internal address, and the preview fetch must
never reach one. A host name that does not resolve is accepted (the page may not be live yet, or
this server may have no DNS); the preview fetch checks again, address by address, when it runs.
"""

from __future__ import annotations

import socket

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from portevoix.core.fetch import FetchError, check_url, is_public_address

MAX_URL_LENGTH = 2000
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")


def destination_url_problem(url: str) -> str | None:
    """Why this URL cannot be a destination, in words for the editor; None when it can."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        return _("This address is too long (%(max)d characters at most).") % {"max": MAX_URL_LENGTH}
    try:
        _scheme, host, port = check_url(url)
    except FetchError as error:
        return str(error)
    host = host.lower().rstrip(".")
    allowed = host in getattr(settings, "FETCH_ALLOWED_PRIVATE_HOSTS", [])
    private = _("This address points to a private network: use a public page.")
    if not allowed and _is_private_name(host):
        return private
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("This address is not a valid URL.")
    if allowed:
        return None
    try:
        addresses = {
            str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        }
    except (OSError, UnicodeError):
        return None
    if not all(is_public_address(address) for address in addresses):
        return private
    return None


def _is_private_name(host: str) -> bool:
    try:
        return not is_public_address(host)
    except ValueError:
        pass  # a name, not a literal address
    return "." not in host or host == "localhost" or host.endswith(PRIVATE_SUFFIXES)
