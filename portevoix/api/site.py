"""The API object: authentication, problem details, ETags, the OpenAPI document."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from portevoix.api.auth import PageSessionAuth, TokenAuth
from portevoix.api.parser import StrictJsonParser
from portevoix.api.problems import PROBLEM_TYPE, problems_install

API_CACHE_CONTROL = "private, no-cache"  # a client may keep a copy, but revalidates (ETag)


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    wanted = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in wanted or "*" in wanted


# OpenAPI links: what a client (and schemathesis's state machine) may do with a new post.
NEW_POST_LINKS = {
    f"{verb.capitalize()}Post": {
        "operationId": f"post_{verb}",
        "parameters": {"post_id": "$response.body#/id"},
    }
    for verb in ("read", "change", "submit", "publish", "archive")
}


class PortevoixApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """Operation ids named for what they do (`post_publish`), not for the module."""
        return str(operation.view_func.__name__).removesuffix("_op")

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = _etag(response.content)
            if _matches(request.headers.get("If-None-Match", ""), etag):
                response = HttpResponse(status=304)
            response["ETag"] = etag
            response["Cache-Control"] = API_CACHE_CONTROL
        return response

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Errors are documented as what they are: problem details."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if str(status)[0] in "45" and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        answers = schema["paths"]["/api/v1/posts"]["post"]["responses"]
        answers[201]["links"] = NEW_POST_LINKS
        return schema


def api_build() -> PortevoixApi:
    from portevoix.api.routers import (
        analytics,
        catalogue,
        conversions,
        gamification,
        me,
        people,
        posts,
        tracking,
        veille,
    )

    api = PortevoixApi(
        title="Portevoix API",
        version="1",
        description="Posts, campaigns, figures and your own activity. Guide: docs/api.md.",
        auth=[TokenAuth(), PageSessionAuth()],
        urls_namespace="api",
        parser=StrictJsonParser(),
    )
    problems_install(api)
    api.add_router("/posts", posts.router)
    api.add_router("/", catalogue.router)
    api.add_router("/analytics", analytics.router)
    api.add_router("/me", me.router)
    api.add_router("/conversions", conversions.router)
    api.add_router("/", gamification.router)
    api.add_router("/", tracking.router)
    api.add_router("/people", people.router)
    api.add_router("/veille", veille.router)
    return api
