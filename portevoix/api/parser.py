"""The JSON body parser: strict UTF-8 and no lone surrogates (`"\\ud800"` is valid JSON, but no
database can store it): such a body is refused as malformed before any rule runs."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body.decode("utf-8"))
        # Encoding the parsed value again is what finds a lone surrogate anywhere in it.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cast(dict[str, Any], data)
