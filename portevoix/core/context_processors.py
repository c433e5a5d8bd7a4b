from django.conf import settings
from django.http import HttpRequest

from portevoix.core.zone import time_zone_note


def platform(request: HttpRequest) -> dict:
    # Every page says in which time zone its dates and times are (TIME_ZONE).
    return {"ORGANISATION_NAME": settings.ORGANISATION_NAME, "TIME_ZONE_NOTE": time_zone_note()}
