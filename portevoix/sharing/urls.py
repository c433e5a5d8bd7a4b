from django.urls import path

from portevoix.sharing.views import archive, share

app_name = "sharing"
urlpatterns = [
    path("mine/", share.my_shares, name="my_shares"),
    path("archive/", archive.archive_page, name="archive"),
    path("<int:post_id>/", share.share_page, name="share"),
    path("<int:post_id>/sheet/", share.share_sheet, name="sheet"),
    path("<int:post_id>/<str:network>/", share.share_page, name="share_on"),
]
