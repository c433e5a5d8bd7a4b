from django.urls import path

from portevoix.sharing import views

app_name = "sharing"
urlpatterns = [
    path("mine/", views.my_shares, name="my_shares"),
    path("<int:post_id>/", views.share_page, name="share"),
    path("<int:post_id>/sheet/", views.share_sheet, name="sheet"),
    path("<int:post_id>/<str:network>/", views.share_page, name="share_on"),
]
