"""What this server publishes about itself (RFC 7643 §5–7): the attributes it keeps, and only
those, so that a provider (or a compliance checker) reads back exactly what it wrote.

The schemas are the standard ones of scim2-models, cut down to the attributes Portevoix uses.
Requests are still read with the full standard models: a provider that sends more (a phone
number, a title, the enterprise extension) is not refused, its extra attributes are dropped.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from scim2_models import (
    Attribute,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    Group,
    Meta,
    Patch,
    Required,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

MAX_RESULTS = 100

# attribute → the sub-attributes kept (None: a simple attribute).
USER_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "userName": None,
    "name": ("givenName", "familyName"),
    "displayName": None,
    "active": None,
    "emails": ("value", "type", "primary"),
    "groups": ("value", "$ref", "display"),
}
GROUP_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "displayName": None,
    "members": ("value", "$ref", "type"),
}


def base_url() -> str:
    return f"{settings.SITE_URL}/scim/v2"


def _cut(schema: Schema, kept: dict[str, tuple[str, ...] | None]) -> Schema:
    attributes: list[Attribute] = []
    for attribute in schema.attributes or []:
        if attribute.name not in kept:
            continue
        subs = kept[attribute.name]
        if subs is not None:
            attribute.sub_attributes = [
                sub for sub in attribute.sub_attributes or [] if sub.name in subs
            ]
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


def _sub(attribute: Attribute, name: str) -> Attribute:
    return next(s for s in attribute.sub_attributes or [] if s.name == name)


def _attribute(schema: Schema, name: str) -> Attribute:
    return next(a for a in schema.attributes or [] if a.name == name)


@cache
def user_schema() -> Schema:
    schema = _cut(User.to_schema(), USER_ATTRIBUTES)
    # Every person has an e-mail address: invitations, digests and log-in need one.
    emails = _attribute(schema, "emails")
    emails.required = Required.true
    _sub(emails, "value").required = Required.true
    return schema


@cache
def group_schema() -> Schema:
    schema = _cut(Group.to_schema(), GROUP_ATTRIBUTES)
    members = _attribute(schema, "members")
    # Portevoix groups hold people, not other groups.
    _sub(members, "$ref").reference_types = ["User"]
    _sub(members, "type").canonical_values = ["User"]
    return schema


def schemas() -> list[Schema]:
    found = []
    for schema in (user_schema(), group_schema()):
        copy = schema.model_copy(deep=True)
        copy.meta = _meta("Schema", f"/Schemas/{schema.id}")
        found.append(copy)
    return found


def _meta(resource_type: str, path: str) -> Meta:
    return Meta(resource_type=resource_type, location=base_url() + path)


def resource_types() -> list[ResourceType]:
    return [
        ResourceType.model_validate(
            {
                "id": name,
                "name": name,
                "endpoint": f"/{name}s",
                "description": name,
                "schema": schema.id,
                "meta": _meta("ResourceType", f"/ResourceTypes/{name}"),
            }
        )
        for name, schema in (("User", user_schema()), ("Group", group_schema()))
    ]


def service_provider_config() -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token created by an administrator on the SCIM page.",
                primary=True,
            )
        ],
        meta=_meta("ServiceProviderConfig", "/ServiceProviderConfig"),
    )
