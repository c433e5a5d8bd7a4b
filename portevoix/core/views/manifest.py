from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static


def manifest(request: HttpRequest) -> JsonResponse:
    """Makes the web app installable on a phone's home screen."""
    return JsonResponse(
        {
            "name": settings.ORGANISATION_NAME,
            "short_name": "Portevoix",
            "start_url": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f4e79",
            "icons": [
                {"src": static("portevoix/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        content_type="application/manifest+json",
    )
