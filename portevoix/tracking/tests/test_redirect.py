"""GET /s/<code>: a 302 to the stored destination, only once the click is committed."""

from urllib.parse import parse_qs, urlsplit

import pytest

from portevoix.core.testing import at_once
from portevoix.tracking.hotpath.app import RedirectApp
from portevoix.tracking.hotpath.cache import LinkCache
from portevoix.tracking.inbox import inbox_writer
from portevoix.tracking.links import tracked_link_set_disabled
from portevoix.tracking.models import TrackedLink
from portevoix.tracking.tests.conftest import (
    FIREFOX,
    VISITOR_IP,
    call,
    click_id_of,
    django_fallback,
    inbox_clicks,
)


def test_a_click_is_answered_with_a_302_to_the_destination_and_its_click_id(redirect_app, link):
    answer = call(redirect_app, f"/s/{link.code}", referer="https://www.linkedin.com/feed/")
    assert answer.status == 302
    location = urlsplit(answer.headers["location"])
    assert (location.scheme, location.netloc, location.path) == (
        "https",
        "carrieres.example.com",
        "/offres/42",
    )
    query = parse_qs(location.query)
    assert query["ref"] == ["site"]
    assert query["utm_source"] == ["linkedin"]
    assert query["utm_medium"] == ["employee_advocacy"]
    assert query["utm_campaign"] == ["printemps"]
    assert len(query["pv_click"][0]) == 20
    assert location.fragment == "postuler"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in answer.headers

    [raw] = inbox_clicks()
    assert raw.click_id == click_id_of(answer)
    assert raw.code == link.code
    assert raw.user_agent == FIREFOX
    assert raw.referrer == "https://www.linkedin.com/feed/"
    assert len(raw.visitor) == 32
    assert VISITOR_IP not in repr(raw)  # no IP address, not even inside another field


def test_head_answers_the_same_redirect_but_is_not_a_click(redirect_app, link):
    answer = call(redirect_app, f"/s/{link.code}", method="HEAD")
    assert answer.status == 302
    assert answer.headers["location"] == link.destination
    assert answer.body == b""
    assert inbox_clicks() == []


def test_each_click_gets_its_own_click_id(redirect_app, link):
    first = call(redirect_app, f"/s/{link.code}")
    second = call(redirect_app, f"/s/{link.code}")
    assert click_id_of(first) != click_id_of(second)
    assert [raw.click_id for raw in inbox_clicks()] == [click_id_of(first), click_id_of(second)]


def test_a_trailing_slash_is_forgiven(redirect_app, link):
    assert call(redirect_app, f"/s/{link.code}/").status == 302


def test_everything_else_goes_to_django(redirect_app):
    answer = call(redirect_app, "/accounts/login/")
    assert (answer.status, answer.body) == (200, b"django")
    assert call(redirect_app, "/s").body == b"django"


@pytest.mark.parametrize(
    "language,cookie,expected",
    [
        ("en-GB,en;q=0.8", "", "This link leads nowhere"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "", "Ce lien ne mène nulle part"),
        ("de-DE", "", "Ce lien ne mène nulle part"),  # the platform's default language
        ("fr-FR", "django_language=en", "This link leads nowhere"),
    ],
)
def test_an_unknown_code_gets_a_friendly_404_in_the_visitors_language(
    redirect_app, language, cookie, expected
):
    answer = call(redirect_app, "/s/nosuchcode", accept_language=language, cookie=cookie)
    assert answer.status == 404
    assert expected in answer.text
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert inbox_clicks() == []


def test_a_disabled_link_stops_redirecting_in_every_process(make_app, link):
    here, elsewhere = make_app(), make_app()  # two processes' caches, both warm
    assert call(here, f"/s/{link.code}").status == 302
    assert call(elsewhere, f"/s/{link.code}").status == 302
    tracked_link_set_disabled(link=link, disabled=True)
    assert call(here, f"/s/{link.code}").status == 404
    assert call(elsewhere, f"/s/{link.code}").status == 404
    tracked_link_set_disabled(link=link, disabled=False)
    assert call(elsewhere, f"/s/{link.code}").status == 302
    assert len(inbox_clicks()) == 3  # the refused visits were not clicks


def test_a_deleted_link_stops_redirecting(make_app, link):
    app = make_app()
    assert call(app, f"/s/{link.code}").status == 302
    link.delete()
    assert call(app, f"/s/{link.code}").status == 404


def test_the_cache_is_checked_at_most_once_per_interval(make_app, link):
    """Between checks, the warm cache answers without the database (the price: a disabled
    link may redirect for up to LINK_CACHE_CHECK_MS more)."""
    app = make_app(links=LinkCache(check_every=3600))
    assert call(app, f"/s/{link.code}").status == 302
    TrackedLink.objects.filter(pk=link.pk).update(destination="https://autre.example.com/")
    assert (
        call(app, f"/s/{link.code}")
        .headers["location"]
        .startswith("https://carrieres.example.com/")
    )


@pytest.mark.parametrize(
    "destination",
    [
        "javascript:alert(1)",
        "//evil.example.com/",
        "https://carrieres.example.com/\r\nSet-Cookie: a=b",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.com/",
    ],
)
def test_never_an_open_redirect_even_from_a_bad_stored_destination(
    redirect_app, post, bob, destination
):
    TrackedLink.objects.create(
        code="badDest1", post=post, ambassador=bob, network="x", destination=destination
    )
    assert call(redirect_app, "/s/badDest1").status == 404
    assert inbox_clicks() == []


def test_other_methods_are_refused(redirect_app, link):
    answer = call(redirect_app, f"/s/{link.code}", method="POST")
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, HEAD"
    assert inbox_clicks() == []


def test_no_302_when_the_click_cannot_be_committed(make_app, link, tmp_path, settings):
    # Whatever the database, the redirect writes segment files (with PostgreSQL, the node's
    # spool): a directory that cannot be created is a click that cannot be kept.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.CLICK_INBOX_DIR = blocker / "inbox"
    app = make_app()
    answer = call(app, f"/s/{link.code}")
    settings.CLICK_INBOX_DIR = tmp_path / "inbox"
    assert answer.status == 503
    assert answer.headers["retry-after"] == "1"
    assert "location" not in answer.headers
    assert inbox_clicks() == []
    # The inbox is back: the same process writes the next click, nothing of the failed one.
    again = call(app, f"/s/{link.code}")
    assert again.status == 302
    assert [raw.click_id for raw in inbox_clicks()] == [click_id_of(again)]


def test_requests_share_commits_only_where_a_commit_waits(make_app, settings):
    from portevoix.tracking.hotpath.committer import DirectCommitter, GroupCommitter

    # A memory copy into the segment, with PostgreSQL too (its node's spool): nobody waits.
    assert isinstance(make_app().committer, DirectCommitter)
    settings.CLICK_INBOX_SYNCHRONOUS = "FULL"
    assert isinstance(make_app().committer, GroupCommitter)  # fdatasync: groups share it


class SlowCountingWriter:
    """The real writer, slowed down so that concurrent clicks pile up behind a commit."""

    def __init__(self):
        self.inner = inbox_writer()
        self.groups: list[int] = []

    def write(self, rows):
        import time

        time.sleep(0.05)
        self.inner.write(rows)
        self.groups.append(len(rows))

    def reset(self):
        self.inner.reset()


def test_concurrent_clicks_share_a_commit_and_each_waits_for_its_own(make_app, link):
    writers = []

    def factory():
        writers.append(SlowCountingWriter())
        return writers[-1]

    from portevoix.tracking.hotpath.committer import GroupCommitter

    app = make_app(committer=GroupCommitter(factory))

    def visit(n):
        answer = call(app, f"/s/{link.code}", user_agent=f"{FIREFOX} #{n}")
        # Answered, so committed: the inbox already has this click.
        assert click_id_of(answer) in {raw.click_id for raw in inbox_clicks()}
        return answer

    answers = at_once(visit, 40)
    assert [answer.status for answer in answers] == [302] * 40
    assert sum(writers[0].groups) == 40
    assert len(writers[0].groups) <= 5  # many clicks, few transactions
    assert len({raw.click_id for raw in inbox_clicks()}) == 40


def test_the_wsgi_entry_point_serves_the_redirect_before_django():
    from portevoix import wsgi

    assert isinstance(wsgi.application, RedirectApp)
    assert wsgi.application.fallback is wsgi.django_application
    assert django_fallback is not None


def test_click_ids_are_random_and_never_repeat():
    from portevoix.tracking.hotpath.app import new_click_id

    ids = [new_click_id() for _ in range(20_000)]  # several draws of the random pool
    assert len(set(ids)) == len(ids)
    assert {len(click_id) for click_id in ids} == {20}
    assert all(click_id.replace("-", "").replace("_", "").isalnum() for click_id in ids)
