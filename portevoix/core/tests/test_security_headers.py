"""Every page Django answers carries our Content-Security-Policy, and a signed-in person's
pages are never stored by a cache; static files and tracked links keep their own headers."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from portevoix.core.security import SecurityHeadersMiddleware

TEMPLATES = sorted(Path(settings.BASE_DIR, "portevoix").glob("*/templates/**/*.html"))


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("who", [None, "alice", "bob", "carol"])
def test_every_page_allows_only_the_pages_own_scripts(db, client_for, client, request, who):
    if who:
        client = client_for(request.getfixturevalue(who))
    for path in ["/", reverse("accounts:login"), "/no-such-page/"]:
        policy = directives(client.get(path))
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["style-src"]


def test_signed_in_pages_are_not_stored_by_any_cache(client_for, alice, carol):
    assert client_for(alice).get("/")["Cache-Control"] == "private, no-store"
    client = client_for(carol)
    for name in ["accounts:people", "accounts:profile", "notifications:list"]:
        assert client.get(reverse(name))["Cache-Control"] == "private, no-store", name


def test_an_anonymous_page_keeps_its_own_caching(client, alice):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Cache-Control" not in response


def test_static_files_are_answered_before_the_middleware(client_for, alice):
    response = client_for(alice).get(settings.STATIC_URL + "portevoix/portevoix.css")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_policy_set_by_a_view_is_kept(rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_no_page_template_has_an_inline_script_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.I)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in TEMPLATES
        if "/email/" not in str(path) and inline.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("template", ["500.html", "400.html", "403_csrf.html"])
def test_the_error_pages_own_style_is_allowed_by_its_hash(template):
    """They carry their style inline (they must not depend on static files): if it changes,
    put the new hash in CONTENT_SECURITY_POLICY (settings.py)."""
    styles = re.findall(r"<style>(.*?)</style>", render_to_string(template), re.S)
    assert styles
    for style in styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY


def test_tracked_links_keep_the_redirects_own_headers(
    transactional_db, alice, client, tmp_path, settings
):
    """`/s/<code>` is answered before Django's middleware: a signed-in visitor's click gets the
    redirect's `no-store`, not the pages' headers, while a page gets ours."""
    from django.core.handlers.wsgi import WSGIHandler

    from portevoix.content.models import Post
    from portevoix.tracking.hotpath.app import RedirectApp
    from portevoix.tracking.hotpath.cache import LinkCache
    from portevoix.tracking.links import tracked_link_for
    from portevoix.tracking.tests.conftest import call

    settings.CLICK_INBOX_DIR = tmp_path / "click-inbox"
    post = Post.objects.create(
        title="Offre", url="https://carrieres.example.com/", status="published"
    )
    link = tracked_link_for(post=post, ambassador=alice, network="linkedin")
    client.force_login(alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    app = RedirectApp(WSGIHandler(), links=LinkCache(check_every=0))
    try:
        click = call(app, f"/s/{link.code}", cookie=cookie)
        unknown = call(app, "/s/nosuchcode", cookie=cookie)
        page = call(app, "/", cookie=cookie)
    finally:
        app.committer.close()
    assert click.status == 302 and click.headers["cache-control"] == "no-store"
    assert "content-security-policy" not in click.headers
    assert unknown.status == 404 and unknown.headers["cache-control"] == "no-store"
    assert unknown.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.status == 200 and page.headers["cache-control"] == "private, no-store"
    assert page.headers["content-security-policy"] == settings.CONTENT_SECURITY_POLICY
