"""/scim/v2/: discovery, Users and Groups (RFC 7644). Thin: reading and writing go through
users.py and groups.py, the envelope through protocol.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from scim2_models import (
    Context,
    Group,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    NotImplementedException,
    ResponseParameters,
    User,
)

from portevoix.scim import groups, users
from portevoix.scim.models import ScimGroup, ScimUser
from portevoix.scim.protocol import ScimRequest, request_body, scim_endpoint, scim_json
from portevoix.scim.queries import GROUP_LOOKUPS, USER_LOOKUPS, Lookup, filter_q, page_from
from portevoix.scim.schemas import resource_types, schemas, service_provider_config

QUERY = Context.RESOURCE_QUERY_RESPONSE


def _parameters(model: type[User] | type[Group], source: dict[str, Any]) -> ResponseParameters:
    return ResponseParameters[model].model_validate(  # type: ignore[valid-type]
        {k: source[k] for k in ("attributes", "excludedAttributes") if source.get(k)}
    )


def _dump(resource: User | Group, request: ScimRequest, context: Context = QUERY) -> dict:
    return resource.model_dump(
        scim_ctx=context, response_parameters=_parameters(type(resource), request.GET.dict())
    )


def _list(
    params: dict[str, Any],
    rows: QuerySet,
    model: type[User] | type[Group],
    lookups: Mapping[str, Lookup],
    to_resource: Callable[[Any], User | Group],
) -> HttpResponse:
    """A page of a listing or search (GET parameters or a .search body: the same names)."""
    if params.get("filter"):
        rows = rows.filter(filter_q(str(params["filter"]), model, lookups)).distinct()
    page = page_from({k: str(v) for k, v in params.items() if k in ("startIndex", "count")})
    total = rows.count()
    found = list(rows.order_by("pk")[page.start_index - 1 : page.start_index - 1 + page.count])
    listing = ListResponse[model](  # type: ignore[valid-type]
        total_results=total,
        start_index=page.start_index,
        items_per_page=len(found),
        resources=[to_resource(row) for row in found],
    )
    return scim_json(
        listing.model_dump(
            scim_ctx=Context.SEARCH_RESPONSE, response_parameters=_parameters(model, params)
        )
    )


def _key(scim_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(scim_id)
    except ValueError:
        return None


def _user(scim_id: str) -> ScimUser:
    key = _key(scim_id)
    link = ScimUser.objects.select_related("person").filter(scim_id=key).first() if key else None
    if link is None:
        raise NotFoundException(detail=f"No user has the id {scim_id}.")
    return link


def _group(scim_id: str) -> ScimGroup:
    key = _key(scim_id)
    link = ScimGroup.objects.select_related("group").filter(scim_id=key).first() if key else None
    if link is None:
        raise NotFoundException(detail=f"No group has the id {scim_id}.")
    return link


# --- Users ---------------------------------------------------------------------------------


def _users_list(request: ScimRequest) -> HttpResponse:
    rows = ScimUser.objects.select_related("person")
    return _list(request.GET.dict(), rows, User, USER_LOOKUPS, users.user_resource)


def _users_search(request: ScimRequest) -> HttpResponse:
    body = request_body(request)
    rows = ScimUser.objects.select_related("person")
    return _list(body, rows, User, USER_LOOKUPS, users.user_resource)


def _user_create(request: ScimRequest) -> HttpResponse:
    resource = users.ProvisionedUser.model_validate(
        request_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST
    )
    link = users.scim_user_create(resource=resource, token=request.scim_token)
    created = users.user_resource(link)
    return scim_json(
        _dump(created, request, Context.RESOURCE_CREATION_RESPONSE),
        status=201,
        location=users.user_location(link),
    )


def _user_get(request: ScimRequest, scim_id: str) -> HttpResponse:
    return scim_json(_dump(users.user_resource(_user(scim_id)), request))


def _user_put(request: ScimRequest, scim_id: str) -> HttpResponse:
    link = _user(scim_id)
    resource = users.ProvisionedUser.model_validate(
        request_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
    )
    link = users.scim_user_replace(link=link, resource=resource, token=request.scim_token)
    return scim_json(
        _dump(users.user_resource(link), request, Context.RESOURCE_REPLACEMENT_RESPONSE)
    )


def _user_patch(request: ScimRequest, scim_id: str) -> HttpResponse:
    link = _user(scim_id)
    link = users.scim_user_patch(link=link, body=request_body(request), token=request.scim_token)
    return scim_json(_dump(users.user_resource(link), request, Context.RESOURCE_PATCH_RESPONSE))


def _user_delete(request: ScimRequest, scim_id: str) -> HttpResponse:
    users.scim_user_delete(link=_user(scim_id), token=request.scim_token)
    return HttpResponse(status=204)


# --- Groups --------------------------------------------------------------------------------


def _members_wanted(params: dict[str, Any]) -> bool:
    """excludedAttributes is a comma-separated string (a query parameter) or a list of strings
    (a .search body, RFC 7644 §3.4.3); anything else is refused."""
    excluded = params.get("excludedAttributes") or []
    names = excluded.split(",") if isinstance(excluded, str) else excluded
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidValueException(detail="excludedAttributes is a list of attribute names.")
    return "members" not in {n.strip().lower() for n in names}


def _group_reader(params: dict[str, Any]) -> Callable[[ScimGroup], Group]:
    with_members = _members_wanted(params)
    return lambda link: groups.group_resource(link, with_members=with_members)


def _groups_list(request: ScimRequest) -> HttpResponse:
    rows = ScimGroup.objects.select_related("group")
    params = request.GET.dict()
    return _list(params, rows, Group, GROUP_LOOKUPS, _group_reader(params))


def _groups_search(request: ScimRequest) -> HttpResponse:
    body = request_body(request)
    rows = ScimGroup.objects.select_related("group")
    return _list(body, rows, Group, GROUP_LOOKUPS, _group_reader(body))


def _group_create(request: ScimRequest) -> HttpResponse:
    resource = Group.model_validate(
        request_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST
    )
    link = groups.scim_group_create(resource=resource, token=request.scim_token)
    return scim_json(
        _dump(groups.group_resource(link), request, Context.RESOURCE_CREATION_RESPONSE),
        status=201,
        location=groups.group_location(link),
    )


def _group_get(request: ScimRequest, scim_id: str) -> HttpResponse:
    read = _group_reader(request.GET.dict())
    return scim_json(_dump(read(_group(scim_id)), request))


def _group_put(request: ScimRequest, scim_id: str) -> HttpResponse:
    link = _group(scim_id)
    resource = Group.model_validate(
        request_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
    )
    link = groups.scim_group_replace(link=link, resource=resource, token=request.scim_token)
    return scim_json(
        _dump(groups.group_resource(link), request, Context.RESOURCE_REPLACEMENT_RESPONSE)
    )


def _group_patch(request: ScimRequest, scim_id: str) -> HttpResponse:
    link = _group(scim_id)
    link = groups.scim_group_patch(link=link, body=request_body(request), token=request.scim_token)
    return scim_json(_dump(groups.group_resource(link), request, Context.RESOURCE_PATCH_RESPONSE))


def _group_delete(request: ScimRequest, scim_id: str) -> HttpResponse:
    groups.scim_group_delete(link=_group(scim_id), token=request.scim_token)
    return HttpResponse(status=204)


# --- Discovery -----------------------------------------------------------------------------


def _service_provider_config(request: ScimRequest) -> HttpResponse:
    return scim_json(service_provider_config().model_dump(scim_ctx=QUERY))


def _discovery_list(items: list) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(items),
        "startIndex": 1,
        "itemsPerPage": len(items),
        "Resources": [item.model_dump(scim_ctx=QUERY) for item in items],
    }


def _resource_types(request: ScimRequest, name: str | None = None) -> HttpResponse:
    found = resource_types()
    if name is None:
        return scim_json(_discovery_list(found))
    for item in found:
        if item.id == name:
            return scim_json(item.model_dump(scim_ctx=QUERY))
    raise NotFoundException(detail=f"No resource type is named {name}.")


def _schemas(request: ScimRequest, schema_id: str | None = None) -> HttpResponse:
    found = schemas()
    if schema_id is None:
        return scim_json(_discovery_list(found))
    for item in found:
        if item.id == schema_id:
            return scim_json(item.model_dump(scim_ctx=QUERY))
    raise NotFoundException(detail=f"No schema has the id {schema_id}.")


def _search_everything(request: ScimRequest) -> HttpResponse:
    raise NotImplementedException(detail="Search Users or Groups on their own endpoint.")


def _unknown(request: ScimRequest, rest: str = "") -> HttpResponse:
    raise NotFoundException(detail="No such SCIM endpoint.")


ANY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE")

service_provider_config_view = scim_endpoint({"GET": _service_provider_config})
resource_types_view = scim_endpoint({"GET": _resource_types})
schemas_view = scim_endpoint({"GET": _schemas})
users_view = scim_endpoint({"GET": _users_list, "POST": _user_create})
users_search_view = scim_endpoint({"POST": _users_search})
user_view = scim_endpoint(
    {"GET": _user_get, "PUT": _user_put, "PATCH": _user_patch, "DELETE": _user_delete}
)
groups_view = scim_endpoint({"GET": _groups_list, "POST": _group_create})
groups_search_view = scim_endpoint({"POST": _groups_search})
group_view = scim_endpoint(
    {"GET": _group_get, "PUT": _group_put, "PATCH": _group_patch, "DELETE": _group_delete}
)
search_view = scim_endpoint({"POST": _search_everything})
unknown_view = scim_endpoint(dict.fromkeys(ANY_METHOD, _unknown))
