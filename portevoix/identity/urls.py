from django.urls import path

from portevoix.identity.views import admin, sso

app_name = "identity"
urlpatterns = [
    path("<slug:slug>/start/", sso.sso_start, name="start"),
    path("<slug:slug>/oidc/callback/", sso.oidc_callback, name="oidc_callback"),
    path("<slug:slug>/saml/acs/", sso.saml_acs, name="saml_acs"),
    path("<slug:slug>/saml/sls/", sso.saml_sls, name="saml_sls"),
    path("<slug:slug>/saml/metadata/", sso.saml_metadata_view, name="saml_metadata"),
    path("admin/", admin.provider_list, name="providers"),
    path("admin/new/<str:kind>/", admin.provider_new, name="provider_new"),
    path("admin/<int:provider_id>/", admin.provider_edit, name="provider_edit"),
    path("admin/<int:provider_id>/delete/", admin.provider_delete, name="provider_delete"),
    path("admin/<int:provider_id>/rules/", admin.rule_add, name="rule_add"),
    path(
        "admin/<int:provider_id>/rules/<int:rule_id>/delete/", admin.rule_delete, name="rule_delete"
    ),
]
