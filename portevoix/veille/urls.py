from django.urls import path

from portevoix.veille.views import alerts, inbox, sources, watches

app_name = "veille"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("items/<int:item_id>/draft/", inbox.item_draft, name="item_draft"),
    path("items/<int:item_id>/dismiss/", inbox.item_dismiss_view, name="item_dismiss"),
    path("sources/", sources.source_list, name="sources"),
    path("sources/new/", sources.source_create, name="source_create"),
    path("sources/<int:source_id>/", sources.source_edit, name="source_edit"),
    path("sources/<int:source_id>/fetch/", sources.source_fetch_now, name="source_fetch"),
    path("sources/<int:source_id>/delete/", sources.source_delete, name="source_delete"),
    path("watches/", watches.watch_list, name="watches"),
    path("watches/new/", watches.watch_create, name="watch_create"),
    path("watches/<int:watch_id>/", watches.watch_detail, name="watch"),
    path("watches/<int:watch_id>/edit/", watches.watch_edit, name="watch_edit"),
    path("watches/<int:watch_id>/delete/", watches.watch_delete, name="watch_delete"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/read/", alerts.alerts_read, name="alerts_read"),
]
