from django.urls import path

from portevoix.api import views

app_name = "api_pages"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
