"""An editor adds a source, the worker reads it, the item appears in the inbox and becomes a
draft post — in French, in a real browser."""

import pytest

from conftest import PASSWORD
from portevoix.content.models import Post
from portevoix.core.testing import Answer
from portevoix.veille.models import Item, Source
from portevoix.veille.tests.feeds import RSS2

pytestmark = [pytest.mark.browser, pytest.mark.journey_veille]


def test_an_editor_turns_a_feed_item_into_a_draft_post(page, live_server, local_http, bob, axe):
    local_http.route("/blog/feed.xml", Answer(body=RSS2, headers={"ETag": '"v1"'}))

    page.goto("/accounts/login/")
    page.fill("input[name=username]", bob.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.click("nav >> text=À trier")
    assert page.locator("h1").inner_text() == "Articles à trier"
    assert "Rien ici." in page.content()
    axe(page)

    page.click(".veille-tabs >> text=Sources")
    page.click("text=Ajouter une source")
    axe(page)
    page.fill("input[name=name]", "Blog Lumière Énergies")
    page.fill("input[name=url]", local_http.url("/blog/feed.xml"))
    page.select_option("select[name=kind]", label="Blog de l’entreprise")
    page.fill("input[name=fetch_interval_minutes]", "30")
    page.click("text=Ajouter la source")

    assert "Source ajoutée : Blog Lumière Énergies." in page.content()
    row = page.locator("tr", has_text="Blog Lumière Énergies")
    assert "OK" in row.inner_text() and "\t2\t" in row.inner_text()
    axe(page)

    page.click(".veille-tabs >> text=À trier")
    article = page.locator("article", has_text="inaugure son parc solaire")
    assert "Positif" in article.inner_text()
    assert "Négatif" in page.locator("article", has_text="Grève").inner_text()
    axe(page)
    article.locator("text=En faire un brouillon").click()

    assert "Brouillon de publication créé : Lumière Énergies inaugure" in page.content()
    post = Post.objects.get()
    assert post.title == "Lumière Énergies inaugure son parc solaire de Montpellier"
    assert post.url == "https://lumiere.example/blog/parc-solaire?utm_source=rss&utm_medium=feed"
    assert post.status == "draft"
    item = Item.objects.get(post=post)
    assert item.used_by == bob and item.source == Source.objects.get()
    # The editor lands on the draft to finish it; back in the inbox the item is used.
    assert page.url.endswith(f"/content/posts/{post.pk}/edit/")
    axe(page)
    page.goto("/veille/")
    assert page.locator("article", has_text="inaugure son parc solaire").count() == 0
    page.select_option("select[name=status]", label="Déjà utilisé")
    page.click("text=Filtrer")
    assert "Déjà utilisé" in page.locator("article", has_text="inaugure").inner_text()
