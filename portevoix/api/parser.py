"""The JSON body parser: strict UTF-8 and no lone surrogates (`"\\ud800"` is valid JSON, but no
database can store it): such a body is refused as malformed before any rule runs."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from portevoix.core.storable import strict_json_loads


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], strict_json_loads(request.body))
