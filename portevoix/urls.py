from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("", include("portevoix.core.urls")),
    path("accounts/", include("portevoix.accounts.urls")),
    path("content/", include("portevoix.content.urls")),
    path("share/", include("portevoix.sharing.urls")),
    path("tracking/", include("portevoix.tracking.urls")),
    path("analytics/", include("portevoix.analytics.urls")),
    path("points/", include("portevoix.gamification.urls")),
    path("veille/", include("portevoix.veille.urls")),
    path("academy/", include("portevoix.academy.urls")),
    path("notifications/", include("portevoix.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Uploaded images are few and small; a reverse proxy may serve MEDIA_ROOT instead (docs/deploy.md).
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
# 400 and 500 use Django's handlers with our static templates (core/templates/400.html, 500.html).
handler403 = "portevoix.core.views_errors.permission_denied"
handler404 = "portevoix.core.views_errors.page_not_found"
