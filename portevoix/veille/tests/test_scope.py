"""A scoped editor's watch pages and inbox show nothing from another entity's pilot team."""

from portevoix.accounts.tests.scoped_world import scoped_world
from portevoix.veille.models import Item
from portevoix.veille.watches import watch_rematch


def test_a_scoped_watch_page_lists_and_counts_only_items_in_scope(bob, client):
    world = scoped_world(bob)
    watch = world.objects["watch_in"]  # Sam's (Paris) watch
    Item.objects.update(folded_text="article lyon paris")
    watch.terms = "Article"
    watch.save()
    assert watch_rematch(watch=watch) == 2  # it matches Lyon's item too
    client.force_login(world.sam)
    detail = client.get(f"/veille/watches/{watch.pk}/")
    body = detail.content.decode()
    assert "Article Paris" in body
    assert "Article Lyon" not in body and "Source Lyon" not in body
    assert "https://lyon.example/a" not in body
    assert sum(detail.context["series"][0].values) == 1
    listing = client.get("/veille/watches/")
    (shown,) = listing.context["watches"]
    assert shown.mentions_30d == 1
    assert sum(listing.context["series"][0].values) == 1
    # The whole organisation's editor sees both mentions.
    client.force_login(bob)
    detail = client.get(f"/veille/watches/{watch.pk}/")
    assert "Article Lyon" in detail.content.decode()
    assert sum(detail.context["series"][0].values) == 2


def test_the_inbox_tags_items_with_watches_in_scope_only(bob, client):
    world = scoped_world(bob)
    Item.objects.update(folded_text="article lyon paris")
    watch_rematch(watch=world.objects["watch_out"])  # Bob's watch "Veille Lyon"
    watch_rematch(watch=world.objects["watch_in"])  # Sam's watch "Veille Paris"
    client.force_login(world.sam)
    body = client.get("/veille/", {"status": "all"}).content.decode()
    assert "Article Paris" in body and "Veille Paris" in body
    assert "Veille Lyon" not in body
    client.force_login(bob)
    body = client.get("/veille/", {"status": "all"}).content.decode()
    assert "Veille Lyon" in body and "Veille Paris" in body
