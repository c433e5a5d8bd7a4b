"""Error pages as people see them with DEBUG off: in their language, with the reason a view
gave when it gave one, a way back home — and a 500 page that needs neither database nor context.

This module is also a URL configuration (the site's, plus two views that fail on purpose)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import get_object_or_404
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.views import defaults

import portevoix.urls
from portevoix.content.models import Post


def refused_with_a_reason(request):
    raise PermissionDenied("Réservé aux membres du jury.")


def missing_post(request):
    return get_object_or_404(Post, pk=123456)


urlpatterns = [
    path("test/refused/", refused_with_a_reason),
    path("test/missing-post/", missing_post),
    *portevoix.urls.urlpatterns,
]
handler403 = portevoix.urls.handler403
handler404 = portevoix.urls.handler404


@pytest.fixture
def browser_of(db, charter):
    """A client that answers errors the way the server does, instead of raising them."""

    def browse(person=None, **headers) -> Client:
        client = Client(raise_request_exception=False, **headers)
        if person is not None:
            client.force_login(person)
        return client

    return browse


def test_a_refused_page_is_in_french_for_a_french_person(browser_of, alice):
    response = browser_of(alice).get(reverse("veille:inbox"))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Accès refusé" in page and "Cette page ne vous est pas ouverte" in page
    assert f'href="{reverse("core:home")}"' in page and "Retour à l'accueil" in page
    assert "Forbidden" not in page


@pytest.mark.urls(__name__)
def test_the_reason_a_view_gives_for_a_refusal_is_shown(browser_of, alice):
    response = browser_of(alice).get("/test/refused/")
    assert response.status_code == 403
    assert "Réservé aux membres du jury." in response.content.decode()


def test_a_page_not_found_gives_the_views_reason_in_french(browser_of, alice, bob):
    response = browser_of(alice).get(reverse("analytics:mine"), {"ambassador": bob.pk})
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and "Ces statistiques ne sont pas les vôtres." in page
    assert f'href="{reverse("core:home")}"' in page


def test_the_error_pages_follow_the_persons_language(browser_of, alice, bob):
    alice.language = "en"
    alice.save(update_fields=["language"])
    client = browser_of(alice)
    page = client.get(reverse("analytics:mine"), {"ambassador": bob.pk}).content.decode()
    assert "Page not found" in page and "These statistics are not yours." in page
    page = client.get(reverse("veille:inbox")).content.decode()
    assert "Access denied" in page and "Back to the home page" in page


def test_a_visitor_not_logged_in_gets_the_page_in_their_browsers_language(browser_of):
    english = browser_of(HTTP_ACCEPT_LANGUAGE="en").get("/nowhere/")
    assert english.status_code == 404 and "Page not found" in english.content.decode()
    french = browser_of(HTTP_ACCEPT_LANGUAGE="fr").get("/nowhere/")
    assert french.status_code == 404 and "Page introuvable" in french.content.decode()


@pytest.mark.urls(__name__)
def test_djangos_own_not_found_messages_are_not_shown(browser_of, alice):
    client = browser_of(alice)
    for url in ("/test/missing-post/", "/nowhere/", "/media/lessons/none.png"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = response.content.decode()
        assert "Page introuvable" in page
        # Not "No Post matches the given query.", nor the media folder's path, nor a class name.
        for leak in ("matches the given query", str(settings.MEDIA_ROOT), "Http404", "Resolver"):
            assert leak not in page, (url, leak)
        assert 'class="message error"' not in page


@pytest.mark.urls("portevoix.core.tests.failing_urls")
def test_a_server_error_shows_the_static_page(browser_of, alice):
    response = browser_of(alice).get("/test-only/crash/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Erreur du serveur" in page and 'href="/"' in page
    assert "charter table" not in page


@pytest.mark.urls("portevoix.core.tests.failing_urls")
def test_a_suspicious_request_gets_the_static_400_page(browser_of, alice):
    response = browser_of(alice).get("/test-only/forged/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Requête incorrecte" in page and "forged" not in page


@pytest.mark.parametrize(
    "handler,status,title",
    [
        (defaults.server_error, 500, "Erreur du serveur"),
        (lambda request: defaults.bad_request(request, SuspiciousOperation()), 400, "Requête"),
    ],
)
def test_the_400_and_500_pages_need_no_database(handler, status, title):
    # No `db` fixture: any query would fail the test.
    with translation.override("fr"):
        response = handler(RequestFactory().get("/"))
    assert response.status_code == status
    assert title in response.content.decode()


def test_a_refused_form_explains_itself_in_the_visitors_language(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fr")
    response = client.post("/accounts/login/", {"username": alice.email, "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Le formulaire a expiré" in page
    assert "CSRF" not in page
