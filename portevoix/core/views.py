from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

from portevoix.accounts.charter import current_charter, has_accepted
from portevoix.sharing.views import feed_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Everybody's home page is their feed: what targets them, to read and share."""
    charter = current_charter()
    context = {
        "charter": charter,
        "charter_accepted": has_accepted(request.user, charter),
        **feed_context(request),
    }
    return render(request, "core/home.html", context)


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
