"""The installable app: its manifest, its service worker (served from the site's root so that
it controls every page) and the page shown when the network is gone.

The service worker's caches are named after a version computed from the bytes of every file it
keeps and of its own template: a deploy that changes any of them gives a new `/sw.js`, the
browser installs it, and its activation deletes the caches of the version before. Pages are
fetched from the network first, so a page is never older than the deploy while online.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

SERVICE_WORKER_TEMPLATE = "core/sw.js"
# What the offline app needs to draw a page it has kept: styles, scripts, icons.
SHELL_FILES = (
    "portevoix/portevoix.css",
    "portevoix/sheet.css",
    "content/content.css",
    "portevoix/app.js",
    "sharing/share.js",
    "sharing/sheet.js",
    "portevoix/icon.svg",
    "portevoix/icons/icon-192.png",
    "portevoix/icons/apple-touch-icon.png",
)
# Written by the notifications app: the `push` and `notificationclick` handlers.
PUSH_HANDLERS = "portevoix/push-sw.js"
THEME_COLOUR = "#1f4e79"
SCREENSHOTS = (
    ("portevoix/screenshots/phone-feed.png", "390x844"),
    ("portevoix/screenshots/phone-share-sheet.png", "390x844"),
)


def _file_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing: the offline app needs it")
    with open(found, "rb") as handle:
        return handle.read()


def cache_version() -> str:
    """Changes whenever a kept file or the service worker itself changes, that is at a deploy
    that matters; read at each request (a few small files) so it is never out of date."""
    digest = hashlib.sha256()
    template = get_template(SERVICE_WORKER_TEMPLATE)
    # The Django backend's template wraps the engine's own, which keeps the source.
    digest.update(template.template.source.encode())  # type: ignore[attr-defined]
    for path in (*SHELL_FILES, PUSH_HANDLERS):
        digest.update(path.encode() + b"\0" + _file_bytes(path) + b"\0")
    return digest.hexdigest()[:16]


def service_worker(request: HttpRequest) -> HttpResponse:
    config = {
        "version": cache_version(),
        "shell": [static(path) for path in SHELL_FILES],
        "offline": reverse("core:offline"),
        "feed": reverse("core:home"),
        "static": settings.STATIC_URL,
    }
    body = render_to_string(
        SERVICE_WORKER_TEMPLATE,
        {"config": json.dumps(config), "push_handlers": json.dumps(static(PUSH_HANDLERS))},
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # The browser must compare the worker with the server's at every check, never a copy.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """Kept by the service worker at installation, shown for a page it has not kept."""
    return render(request, "core/offline.html")


def manifest(request: HttpRequest) -> JsonResponse:
    """Makes the web app installable on a phone's home screen (what Chromium's installability
    check and iOS ask for: PNG icons of 192 and 512 pixels, a maskable one, standalone)."""
    icons = [
        {"src": static("portevoix/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("portevoix/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("portevoix/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("portevoix/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    screenshots = [
        {
            "src": static(path),
            "sizes": size,
            "type": "image/png",
            "form_factor": "narrow",
            "label": label,
        }
        for (path, size), label in zip(
            SCREENSHOTS, (_("The feed on a phone"), _("Sharing a post from the feed")), strict=True
        )
    ]
    return JsonResponse(
        {
            "id": "/",
            "name": settings.ORGANISATION_NAME,
            "short_name": "Portevoix",
            "description": _("Share your company's news on your networks, in your own words."),
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": icons,
            "screenshots": screenshots,
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
