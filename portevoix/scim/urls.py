from django.urls import path, re_path

from portevoix.scim.views import api, settings_page

# Providers call the protocol's URLs without a trailing slash (and some with one): both are
# answered, so that CommonMiddleware never redirects a POST.
ID = r"(?P<scim_id>[^/]+)"
app_name = "scim"
urlpatterns = [
    path("admin/", settings_page.scim_settings, name="settings"),
    path("admin/tokens/<int:pk>/revoke/", settings_page.token_revoke, name="token_revoke"),
    re_path(r"^v2/ServiceProviderConfig/?$", api.service_provider_config_view, name="spc"),
    re_path(r"^v2/ResourceTypes/?$", api.resource_types_view, name="resource_types"),
    re_path(r"^v2/ResourceTypes/(?P<name>[^/]+)/?$", api.resource_types_view),
    re_path(r"^v2/Schemas/?$", api.schemas_view, name="schemas"),
    re_path(r"^v2/Schemas/(?P<schema_id>[^/]+)/?$", api.schemas_view),
    re_path(r"^v2/Users/?$", api.users_view, name="users"),
    re_path(r"^v2/Users/\.search/?$", api.users_search_view),
    re_path(rf"^v2/Users/{ID}/?$", api.user_view, name="user"),
    re_path(r"^v2/Groups/?$", api.groups_view, name="groups"),
    re_path(r"^v2/Groups/\.search/?$", api.groups_search_view),
    re_path(rf"^v2/Groups/{ID}/?$", api.group_view, name="group"),
    re_path(r"^v2/\.search/?$", api.search_view),
    re_path(r"^v2/(?P<rest>.*)$", api.unknown_view, name="base"),
]
