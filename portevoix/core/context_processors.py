from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    return {"ORGANISATION_NAME": settings.ORGANISATION_NAME}
