"""The API object: authentication, problem details, ETags, the OpenAPI document."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from portevoix.api.auth import PageSessionAuth, TokenAuth
from portevoix.api.problems import PROBLEM_TYPE, problems_install

API_CACHE_CONTROL = "private, no-cache"  # a client may keep a copy, but revalidates (ETag)


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    wanted = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in wanted or "*" in wanted


class PortevoixApi(NinjaAPI):
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
        return schema


def api_build() -> PortevoixApi:
    from portevoix.api.routers import analytics, catalogue, me, posts

    api = PortevoixApi(
        title="Portevoix API",
        version="1",
        description="Posts, campaigns, figures and your own activity. Guide: docs/api.md.",
        auth=[TokenAuth(), PageSessionAuth()],
        urls_namespace="api",
    )
    problems_install(api)
    api.add_router("/posts", posts.router)
    api.add_router("/", catalogue.router)
    api.add_router("/analytics", analytics.router)
    api.add_router("/me", me.router)
    return api
