"""Reading RSS 0.9x/1.0/2.0 and Atom bytes into plain item records (no database here)."""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from django.utils.translation import gettext as _

from portevoix.veille.text import http_url, plain_text, safe_summary

TITLE_MAX = 500
AUTHOR_MAX = 200
_IMG_SRC = re.compile(r"""<img[^>]+src\s*=\s*["']([^"']+)["']""", re.I)


class FeedError(Exception):
    """The bytes are not a feed we can read; the message is in plain words."""


@dataclass
class ItemData:
    guid: str
    link: str
    title: str
    summary: str
    image_url: str
    author: str
    published_at: datetime | None
    language: str


@dataclass
class ParsedFeed:
    title: str
    language: str
    items: list[ItemData]


def feed_parse(
    body: bytes, *, url: str, content_type: str = "", max_items: int = 200
) -> ParsedFeed:
    """Parse feed bytes. Relative links are resolved against the feed's own address."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes or a string: given those, feedparser may open a file or a URL.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    version = parsed.get("version", "")
    if not version and not parsed.entries:
        reason = str(parsed.get("bozo_exception", "")) or _("no RSS or Atom element found")
        raise FeedError(
            _("This address does not give a readable RSS or Atom feed (%(reason)s).")
            % {"reason": reason[:200]}
        )
    feed_language = _language(parsed.feed.get("language", ""))
    items = [_item(entry, url, feed_language) for entry in parsed.entries[:max_items]]
    return ParsedFeed(
        title=plain_text(parsed.feed.get("title", ""))[:TITLE_MAX],
        language=feed_language,
        items=[item for item in items if item.title or item.link],
    )


def _language(code: str) -> str:
    code = (code or "").strip().lower()[:2]
    return code if code.isalpha() else ""


def _item(entry: dict, base: str, feed_language: str) -> ItemData:
    link = http_url(urljoin(base, entry.get("link", "") or ""))
    title = plain_text(entry.get("title", ""))[:TITLE_MAX]
    content = entry.get("content") or []
    raw_summary = entry.get("summary", "") or (content[0].get("value", "") if content else "")
    summary = safe_summary(raw_summary)
    if not title:
        title = plain_text(raw_summary)[:120]
    return ItemData(
        guid=(entry.get("id", "") or "").strip()[:500],
        link=link,
        title=title,
        summary=summary,
        image_url=_image(entry, base, raw_summary),
        author=plain_text(entry.get("author", ""))[:AUTHOR_MAX],
        published_at=_date(entry),
        language=_language((entry.get("title_detail") or {}).get("language", "")) or feed_language,
    )


def _date(entry: dict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _image(entry: dict, base: str, summary: str) -> str:
    candidates = [m.get("url", "") for m in entry.get("media_thumbnail", []) or []]
    candidates += [
        m.get("url", "")
        for m in entry.get("media_content", []) or []
        if m.get("medium") == "image" or (m.get("type") or "").startswith("image/")
    ]
    candidates += [
        link.get("href", "")
        for link in entry.get("links", []) or []
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/")
    ]
    match = _IMG_SRC.search(summary or "")
    if match:
        candidates.append(match.group(1))
    for candidate in candidates:
        url = http_url(urljoin(base, candidate or ""))
        if url and len(url) <= 2000:
            return url
    return ""
