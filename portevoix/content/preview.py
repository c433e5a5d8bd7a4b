"""Link previews: the title, description and image a page declares in its Open Graph (or plain
meta) tags, read server-side through the guarded fetch (no private address, size cap, deadline)."""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from portevoix.content.images import image_extension, image_problem
from portevoix.content.models import Post
from portevoix.core.fetch import FetchError, fetch

PAGE_MAX_BYTES = 1024 * 1024  # the head of any sane page is far smaller
PAGE_TIMEOUT = 5.0
CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass
class LinkPreview:
    title: str = ""
    description: str = ""
    image_url: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class _MetaParser(HTMLParser):
    """Collects <meta property|name=… content=…> and the <title>, up to the end of <head>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"].strip())
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.done:
            self.title += data


def parse_preview(body: bytes, *, page_url: str, content_type: str = "") -> LinkPreview:
    parser = _MetaParser()
    parser.feed(_decode(body, content_type))
    meta = parser.meta

    def first(*keys: str) -> str:
        return next((" ".join(meta[k].split()) for k in keys if meta.get(k)), "")

    image = first("og:image:secure_url", "og:image", "og:image:url", "twitter:image")
    try:
        image_url = urljoin(page_url, html.unescape(image)) if image else ""
        if urlsplit(image_url).scheme not in ("http", "https"):
            image_url = ""
    except ValueError:  # a malformed address ("http://[x"): no image, the rest still helps
        image_url = ""
    return LinkPreview(
        title=(first("og:title", "twitter:title") or " ".join(parser.title.split()))[:300],
        description=first("og:description", "twitter:description", "description")[:1000],
        image_url=image_url[:2000],
    )


def _decode(body: bytes, content_type: str) -> str:
    charset = ""
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if not charset and (match := CHARSET.search(body[:4096])):
        charset = match.group(1).decode("ascii")
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def link_preview_read(url: str) -> LinkPreview:
    """Read the page's preview; FetchError (with a message for the editor) when it cannot."""
    result = fetch(url, max_bytes=PAGE_MAX_BYTES, timeout=PAGE_TIMEOUT)
    if result.status != 200:
        raise FetchError(
            _("The page answered with an error (HTTP %(status)d).") % {"status": result.status}
        )
    content_type = result.header("content-type")
    if content_type and "html" not in content_type.lower():
        raise FetchError(_("This address is not a web page."))
    return parse_preview(result.body, page_url=result.url, content_type=content_type)


def post_attach_preview_image(*, post: Post) -> bool:
    """Copy the preview image into the post, so the feed never loads a third-party image
    (that would tell another site who reads our feed). True when an image was attached."""
    if post.image or not post.preview_image_url:
        return False
    try:
        result = fetch(
            post.preview_image_url, max_bytes=settings.MAX_UPLOAD_BYTES + 1, timeout=PAGE_TIMEOUT
        )
    except FetchError:
        return False
    if result.status != 200 or result.truncated:
        return False
    file = ContentFile(result.body, name="preview")
    if image_problem(file) is not None:
        return False
    post.image.save(f"preview.{image_extension(file)}", file, save=False)
    Post.objects.filter(pk=post.pk, image="").update(image=post.image.name)
    return True
