"""Text a database can store, for the apps that read JSON from outside (the REST API, SCIM).

JSON can spell two characters no database keeps: a lone surrogate (`"\\ud800"`, which no
database can encode in UTF-8) and NUL (`"\\u0000"`, which PostgreSQL refuses in text and in a
query). Left in, they reach the database and fail there (a 500), not as a refused request.
"""

from __future__ import annotations

import json
from typing import Any

NUL = "\x00"


def strict_json_loads(raw: bytes) -> Any:
    """The JSON value of `raw`: strict UTF-8, no lone surrogate anywhere in it.

    Raises ValueError otherwise: UnicodeDecodeError, json.JSONDecodeError, or
    UnicodeEncodeError for a lone surrogate."""
    data = json.loads(raw.decode("utf-8"))
    # Encoding the parsed value again is what finds a lone surrogate anywhere in it.
    json.dumps(data, ensure_ascii=False).encode("utf-8")
    return data


def is_storable(text: str) -> bool:
    """No NUL and no lone surrogate."""
    if NUL in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_nul(data: Any) -> bool:
    """Whether NUL is in any string of a parsed JSON value, keys included."""
    if isinstance(data, str):
        return NUL in data
    if isinstance(data, dict):
        return any(has_nul(key) or has_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(has_nul(item) for item in data)
    return False
