from django.urls import path

from portevoix.webhooks.views import endpoints as views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="endpoints"),
    path("<int:endpoint_id>/", views.endpoint_detail, name="endpoint"),
    path("<int:endpoint_id>/action/", views.endpoint_action, name="endpoint_action"),
    path(
        "deliveries/<int:delivery_id>/send-again/",
        views.delivery_send_again,
        name="delivery_send_again",
    ),
]
