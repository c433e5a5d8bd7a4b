from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from portevoix.accounts.views.audit import audit_log, audit_log_export
from portevoix.api.site import api_build
from portevoix.core.urls import urlpatterns as core_urlpatterns
from portevoix.sharing.views.feed import home

# The site's own pages keep their `core:` names. Two belong to apps above core
# (docs/architecture.md): the home page is the ambassador's feed (sharing), the audit log an
# admin page (accounts). This module is the one place allowed to import every app.
site_pages = [
    path("", home, name="home"),
    path("audit/", audit_log, name="audit_log"),
    path("audit/export.csv", audit_log_export, name="audit_log_export"),
    *core_urlpatterns,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((site_pages, "core"))),
    path("accounts/", include("portevoix.accounts.urls")),
    path("content/", include("portevoix.content.urls")),
    path("share/", include("portevoix.sharing.urls")),
    path("connections/", include("portevoix.connections.urls")),
    path("tracking/", include("portevoix.tracking.urls")),
    path("analytics/", include("portevoix.analytics.urls")),
    path("points/", include("portevoix.gamification.urls")),
    path("veille/", include("portevoix.veille.urls")),
    path("academy/", include("portevoix.academy.urls")),
    path("notifications/", include("portevoix.notifications.urls")),
    path("sso/", include("portevoix.identity.urls")),
    path("webhooks/", include("portevoix.webhooks.urls")),
    path("scim/", include("portevoix.scim.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_build().urls),
    path("api/tokens/", include("portevoix.api.urls")),
]
# Uploaded images are few and small; a reverse proxy may serve MEDIA_ROOT instead (docs/deploy.md).
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
# 400 and 500 use Django's handlers with our static templates (core/templates/400.html, 500.html).
handler403 = "portevoix.core.views.errors.permission_denied"
handler404 = "portevoix.core.views.errors.page_not_found"
