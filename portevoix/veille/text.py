"""Text helpers shared by feeds, watches and tone: folding, plain text, safe HTML, clean URLs."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3

_NON_WORD = re.compile(r"[^0-9a-z]+")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")

# Tracking parameters that change nothing on the page: two links differing only by these are
# the same article.
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ref_src",
    "spm",
    "xtor",
    "at_medium",
    "at_campaign",
}
SUMMARY_TAGS = {"p", "br", "a", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote"}


def fold(text: str) -> str:
    """Lower case, accents removed, every run of non-letters one space: 'Société' -> 'societe'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Ligatures NFKD leaves alone in French.
    without_marks = without_marks.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NON_WORD.sub(" ", without_marks).strip()


def plain_text(markup: str) -> str:
    """Tags removed, entities decoded, white space collapsed (for titles and previews)."""
    text = html.unescape(_TAG.sub(" ", markup or ""))
    return _SPACES.sub(" ", text).strip()


def safe_summary(markup: str, *, max_chars: int = 10_000) -> str:
    """A small, safe subset of HTML. Cut before cleaning: the cleaner closes what was cut."""
    cleaned = nh3.clean(
        (markup or "")[:max_chars],
        tags=SUMMARY_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
    )
    return cleaned.strip()


def http_url(url: str) -> str:
    """The URL if it is an absolute http(s) address, else ''."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url


def canonical_url(url: str) -> str:
    """The same article's address whatever tracking was added: no utm_*, no click ids, no
    fragment, lower-case scheme and host, no default port."""
    url = http_url(url)
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80 if scheme == "http" else 443) else None
    netloc = f"{host}:{port}" if port else host
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))
