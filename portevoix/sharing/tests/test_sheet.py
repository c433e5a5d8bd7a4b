"""The share sheet of a feed card: my text and my networks first; its form goes to the share
page, which answers the device's share sheet in JSON. Refusals change nothing."""

import pytest
from django.urls import reverse

from conftest import make_person
from portevoix.accounts.models import NetworkAccount
from portevoix.content.compliance import compliance_update
from portevoix.content.models import PostKind
from portevoix.content.tests.factories import make_post
from portevoix.sharing.models import Share
from portevoix.tracking.models import TrackedLink

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def post(db):
    return make_post("Portes ouvertes", messages=[("", "fr", "Venez nous voir samedi !")])


def sheet(client, post):
    return client.get(reverse("sharing:sheet", args=[post.pk]))


def network_buttons(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('name="network" value="')[1:]]


def test_the_sheet_offers_my_networks_first_the_most_followed_first(client_for, alice, post):
    NetworkAccount.objects.create(person=alice, network="bluesky", followers=50)
    NetworkAccount.objects.create(person=alice, network="x", followers=900)
    response = sheet(client_for(alice), post)
    assert response.status_code == 200
    html = response.content.decode()
    assert network_buttons(html)[:3] == ["x", "bluesky", "linkedin"]
    assert "copy" not in network_buttons(html)  # the device's share sheet and the page do it
    assert "Venez nous voir samedi !" in html
    assert f'action="{reverse("sharing:share", args=[post.pk])}"' in html


def test_without_networks_in_my_profile_the_share_pages_order_is_kept(client_for, alice, post):
    html = sheet(client_for(alice), post).content.decode()
    assert network_buttons(html)[:3] == ["linkedin", "x", "facebook"]


def test_the_sheet_of_a_post_not_in_my_feed_is_not_found(client_for, alice, dave):
    employees_only = make_post("Interne", open_to_alumni=False)
    assert sheet(client_for(dave), employees_only).status_code == 404


def test_the_sheet_says_why_i_cannot_share(client_for, erin, post):
    response = sheet(client_for(erin), post)
    assert response.status_code == 200
    assert "block-reason" in response.content.decode()
    assert 'name="network"' not in response.content.decode()


def test_the_sheet_needs_a_login(client, post):
    response = sheet(client, post)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_button_pressed_in_the_sheet_names_the_network(client_for, alice, post):
    response = client_for(alice).post(
        reverse("sharing:share", args=[post.pk]),
        {"text": "Samedi, portes ouvertes !", "network": "bluesky", "keep_text": "on"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://bsky.app/intent/compose?text=")
    assert Share.objects.get().network == "bluesky"


def test_the_device_share_sheet_gets_my_text_and_my_tracked_link(client_for, alice, post):
    response = client_for(alice).post(
        reverse("sharing:share", args=[post.pk]),
        {"text": "Samedi, portes ouvertes !", "network": "copy", "keep_text": "on"},
        **JSON,
    )
    assert response.status_code == 200
    link = TrackedLink.objects.get(ambassador=alice, network="copy")
    assert response.json() == {
        "text": "Samedi, portes ouvertes !",
        "url": link.short_url,
        "title": "Portes ouvertes",
    }
    assert Share.objects.get().tracked_link == link


def test_a_refused_text_is_answered_in_json_and_nothing_is_recorded(client_for, alice, carol, post):
    compliance_update(blocked_words=["confidentiel"], disclosure_tag="", by=carol)
    response = client_for(alice).post(
        reverse("sharing:share", args=[post.pk]),
        {"text": "Un projet confidentiel", "network": "copy"},
        **JSON,
    )
    assert response.status_code == 400
    assert response.json()["problems"]
    assert not Share.objects.exists() and not TrackedLink.objects.exists()


def test_someone_who_cannot_share_is_refused_in_json(client_for, erin, post):
    response = client_for(erin).post(
        reverse("sharing:share", args=[post.pk]), {"text": "x", "network": "copy"}, **JSON
    )
    assert response.status_code == 403 and response.json()["problems"]
    assert not Share.objects.exists()


def test_an_internal_announcement_has_no_share_action_in_the_feed(client_for, alice, db):
    make_post("Note interne", kind=PostKind.ANNOUNCEMENT)
    html = client_for(alice).get(reverse("core:home")).content.decode()
    assert "Note interne" in html and "data-sheet=" not in html


def test_a_feed_card_opens_the_sheet_and_falls_back_to_the_share_page(client_for, alice, post):
    html = client_for(alice).get(reverse("core:home")).content.decode()
    share_page = reverse("sharing:share", args=[post.pk])
    assert f'href="{share_page}" data-sheet="{reverse("sharing:sheet", args=[post.pk])}"' in html


def test_an_unknown_network_in_the_sheet_keeps_the_page_network(client_for, post, charter):
    bea = make_person("bea@example.com", "Béa", "ambassador")
    response = client_for(bea).post(
        reverse("sharing:share", args=[post.pk]),
        {"text": "Samedi !", "network": "myspace", "keep_text": "on"},
    )
    assert response["Location"].startswith("https://www.linkedin.com/")


def test_the_share_page_without_a_network_opens_on_the_network_i_use_most(client_for, alice, post):
    NetworkAccount.objects.create(person=alice, network="bluesky", followers=500)
    client = client_for(alice)
    page = client.get(reverse("sharing:share", args=[post.pk])).content.decode()
    assert 'aria-current="page">Bluesky</a>' in page
    assert page.index("Bluesky</a>") < page.index(">LinkedIn</a>") < page.index(">Copier</a>")
    assert "Partager sur Bluesky" in page
    # The text box and its button come before the post's preview (a phone's first screen).
    assert page.index('name="text"') < page.index('class="preview-card"')
    response = client.post(reverse("sharing:share", args=[post.pk]), {"text": "Samedi !"})
    assert response["Location"].startswith("https://bsky.app/intent/compose?text=")
