"""The organisation's time zone, said in words: days, periods and times on every page are
those of `settings.TIME_ZONE`, and a reader in another country must be told so."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def time_zone_label() -> str:
    """ "Paris time" for Europe/Paris, "New York time" for America/New_York; a zone that names
    no place (UTC, Etc/GMT+2) is given by its name."""
    zone = settings.TIME_ZONE
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    if "/" not in zone or zone.startswith("Etc/"):
        return place
    return _("%(place)s time") % {"place": place}


def time_zone_note() -> str:
    """The sentence every page carries (base layout)."""
    return _("Dates and times: %(zone)s.") % {"zone": time_zone_label()}
