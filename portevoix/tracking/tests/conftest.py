"""Fixtures for tracking tests: a post with a campaign, alice's tracked link, the redirect as a
WSGI app with its real inbox (a temporary SQLite file, or PostgreSQL's table)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from portevoix.tracking.hotpath.app import RedirectApp
from portevoix.tracking.hotpath.cache import LinkCache

VISITOR_IP = "203.0.113.7"
FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    header_list: list[tuple[str, str]]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


def at(text: str) -> float:
    """Unix time of a local time of the organisation ("2031-03-05T09:10")."""
    from datetime import datetime

    from portevoix.tracking.visitors import organisation_zone

    return datetime.fromisoformat(text).replace(tzinfo=organisation_zone()).timestamp()


def call(app, path: str, *, method: str = "GET", ip: str = VISITOR_IP, **headers: str) -> Answer:
    """One request through a WSGI app, the way a server would make it."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "REMOTE_ADDR": ip,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    headers.setdefault("user_agent", FIREFOX)
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    started: dict = {}

    def start_response(status, header_list, exc_info=None):
        started["status"] = int(status.split(" ", 1)[0])
        started["headers"] = header_list

    body = b"".join(app(environ, start_response))
    return Answer(
        started["status"],
        {name.lower(): value for name, value in started["headers"]},
        started["headers"],
        body,
    )


def django_fallback(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"django"]


@pytest.fixture
def inbox_dir(tmp_path, settings):
    settings.CLICK_INBOX_DIR = tmp_path / "click-inbox"
    return settings.CLICK_INBOX_DIR


@pytest.fixture
def campaign(db):
    from portevoix.content.models import Campaign

    return Campaign.objects.create(name="Printemps des talents", utm_campaign="printemps")


@pytest.fixture
def post(db, campaign):
    from portevoix.content.models import Post

    return Post.objects.create(
        title="Nous recrutons des techniciens",
        url="https://carrieres.example.com/offres/42?ref=site#postuler",
        campaign=campaign,
        status="published",
    )


@pytest.fixture
def link(post, alice):
    from portevoix.tracking.links import tracked_link_for

    return tracked_link_for(post=post, ambassador=alice, network="linkedin")


@pytest.fixture
def make_app(transactional_db, inbox_dir):
    """Redirect apps with the real group-commit writer; their writer threads are stopped (and
    their connections closed) after the test. Transactional: on PostgreSQL the writer thread
    commits inbox rows on its own connection."""
    apps: list[RedirectApp] = []

    def make(**options) -> RedirectApp:
        options.setdefault("links", LinkCache(check_every=0))
        app = RedirectApp(django_fallback, **options)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.committer.close()


@pytest.fixture
def redirect_app(make_app):
    return make_app()


def inbox_clicks() -> list:
    """Every raw click waiting in the inbox, oldest first."""
    from portevoix.tracking.inbox import inbox_pending_clicks

    return inbox_pending_clicks()


def click_id_of(answer: Answer) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(answer.headers["location"]).query)["pv_click"][0]


def figures_verified() -> str:
    """`manage.py figures_verify` over everything kept: fails the test on any counter that
    differs from its recount from the raw clicks."""
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    try:
        call_command("figures_verify", stdout=out)
    except CommandError as error:
        raise AssertionError(f"{error}\n{out.getvalue()}") from None
    assert "equals its recount" in out.getvalue()
    return out.getvalue()
