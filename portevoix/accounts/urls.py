from django.contrib.auth import views as auth_views
from django.urls import path

from portevoix.accounts.views import (
    auth,
    charter_admin,
    invitation,
    me,
    people,
    privacy,
    requests,
    retention,
    two_factor,
    two_factor_admin,
)

app_name = "accounts"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("invitation/<str:token>/", invitation.invitation_accept_view, name="invitation_accept"),
    path("welcome/", me.welcome, name="welcome"),
    path("profile/", me.profile, name="profile"),
    path("opt-in/", me.opt_in, name="opt_in"),
    path("opt-out/", me.opt_out, name="opt_out"),
    path("charter/", me.charter, name="charter"),
    path("my-data/", privacy.my_data, name="my_data"),
    path("my-data/export/", privacy.my_data_export, name="my_data_export"),
    path("my-data/erase/", privacy.my_account_erase, name="my_account_erase"),
    path("admin/charter/", charter_admin.charter_admin, name="charter_admin"),
    path("admin/people/", people.people_list, name="people"),
    path("admin/people/invite/", people.person_invite, name="person_invite"),
    path("admin/people/import/", people.people_import_view, name="people_import"),
    path("admin/people/<int:person_id>/", people.person_edit, name="person_edit"),
    path("admin/people/<int:person_id>/active/", people.person_active, name="person_active"),
    path("admin/groups/", people.group_list, name="groups"),
    path("admin/retention/", retention.retention_settings, name="retention"),
    path("admin/requests/", requests.data_requests, name="data_requests"),
    path(
        "admin/requests/<int:person_id>/export/",
        requests.data_request_export,
        name="data_request_export",
    ),
    path(
        "admin/requests/<int:person_id>/erase/",
        requests.data_request_erase,
        name="data_request_erase",
    ),
    path("two-factor/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes_new,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/off/", two_factor.two_factor_off, name="two_factor_off"),
    path("admin/two-factor/", two_factor_admin.two_factor_policy_edit, name="two_factor_policy"),
    path(
        "admin/people/<int:person_id>/two-factor/reset/",
        two_factor_admin.person_two_factor_reset,
        name="person_two_factor_reset",
    ),
]
