"""Sharing a post: the share page, the personal tracked link, the record, and every refusal."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from conftest import make_person
from portevoix.accounts.models import CharterVersion
from portevoix.accounts.participation import ambassador_opt_out
from portevoix.content.compliance import compliance_update
from portevoix.content.models import Campaign, PostKind
from portevoix.content.tests.factories import make_post
from portevoix.sharing.models import Share
from portevoix.sharing.shares import text_fingerprint
from portevoix.tracking.models import TrackedLink


def share_url(post, network="linkedin"):
    return reverse("sharing:share_on", args=[post.pk, network])


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def post(db):
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps-2026")
    return make_post(
        url="https://www.lumiere.example/offres?ref=site#haut",
        campaign=campaign,
        messages=[("linkedin", "fr", "Fiers de nos équipes ! #collaborateur")],
    )


def test_the_share_page_offers_a_suggested_message(client_for, alice, post):
    response = client_for(alice).get(share_url(post))
    assert response.status_code == 200
    assert "Fiers de nos équipes ! #collaborateur" in response.content.decode()


def test_sharing_to_linkedin_opens_its_share_page_with_my_tracked_link(client_for, alice, post):
    response = client_for(alice).post(share_url(post), {"text": "Mon texte à moi #collaborateur"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    link = TrackedLink.objects.get(post=post, ambassador=alice, network="linkedin")
    assert query(location) == {"url": link.short_url}
    share = Share.objects.get()
    assert (share.post, share.person, share.network) == (post, alice, "linkedin")
    assert share.text == "Mon texte à moi #collaborateur"
    assert share.tracked_link == link


def test_the_tracked_link_carries_utm_tags_merged_with_the_destination_query(
    client_for, alice, post
):
    client_for(alice).post(share_url(post, "x"), {"text": "Bravo"})
    link = TrackedLink.objects.get(post=post, ambassador=alice, network="x")
    parts = urlsplit(link.destination)
    assert (parts.netloc, parts.path, parts.fragment) == ("www.lumiere.example", "/offres", "haut")
    assert query(link.destination) == {
        "ref": "site",
        "utm_source": "x",
        "utm_medium": "employee_advocacy",
        "utm_campaign": "printemps-2026",
    }


def test_one_link_per_post_me_and_network_reused_when_i_share_again(client_for, alice, bob, post):
    client = client_for(alice)
    first = client.post(share_url(post, "x"), {"text": "Une fois"})["Location"]
    second = client.post(share_url(post, "x"), {"text": "Deux fois"})["Location"]
    client.post(share_url(post, "bluesky"), {"text": "Ailleurs"})
    assert query(first)["url"] == query(second)["url"]
    assert Share.objects.filter(person=alice).count() == 3
    assert TrackedLink.objects.filter(ambassador=alice).count() == 2
    bob_link = client_for(bob).post(share_url(post, "x"), {"text": "Moi aussi"})["Location"]
    assert query(bob_link)["url"] != query(first)["url"]


def test_networks_taking_text_get_my_edited_text_and_my_link(client_for, alice, post):
    text = "Ça vaut le détour 🚀 & #énergie\nVraiment"
    location = client_for(alice).post(share_url(post, "bluesky"), {"text": text})["Location"]
    link = TrackedLink.objects.get(network="bluesky").short_url
    assert location.startswith("https://bsky.app/intent/compose?text=")
    assert query(location) == {"text": f"{text}\n\n{link}"}


def test_email_opens_the_mail_client(client_for, alice, post):
    location = client_for(alice).post(share_url(post, "email"), {"text": "À lire"})["Location"]
    assert location.startswith("mailto:?subject=")
    assert Share.objects.filter(network="email").exists()


def test_copy_shows_the_text_with_my_link(client_for, alice, post):
    response = client_for(alice).post(share_url(post, "copy"), {"text": "À lire"})
    assert response.status_code == 200
    link = TrackedLink.objects.get(network="copy").short_url
    assert f"À lire\n\n{link}" in response.content.decode()
    assert Share.objects.filter(network="copy").exists()


def test_mastodon_asks_for_my_instance_and_keeps_it(client_for, alice, post):
    client = client_for(alice)
    assert 'name="mastodon_instance"' in client.get(share_url(post, "mastodon")).content.decode()
    response = client.post(
        share_url(post, "mastodon"), {"text": "Salut", "mastodon_instance": "javascript:alert(1)"}
    )
    assert response.status_code == 200 and not Share.objects.exists()
    response = client.post(
        share_url(post, "mastodon"), {"text": "Salut", "mastodon_instance": "https://Piaille.fr/"}
    )
    assert response["Location"].startswith("https://piaille.fr/share?text=Salut")
    alice.refresh_from_db()
    assert alice.mastodon_instance == "piaille.fr"


def test_an_unknown_network_is_not_found(client_for, alice, post):
    assert client_for(alice).get(share_url(post, "myspace")).status_code == 404
    assert client_for(alice).post(share_url(post, "myspace"), {"text": "x"}).status_code == 404


def test_someone_not_opted_in_is_told_why_and_cannot_share(client_for, erin, post):
    client = client_for(erin)
    page = client.get(share_url(post)).content.decode()
    assert "Le partage est volontaire" in page
    response = client.post(share_url(post), {"text": "Je force"})
    assert response.status_code == 403
    assert not Share.objects.exists() and not TrackedLink.objects.exists()


def test_someone_who_opted_out_cannot_share(client_for, alice, post):
    ambassador_opt_out(person=alice)
    assert client_for(alice).post(share_url(post), {"text": "x"}).status_code == 403
    assert not Share.objects.exists()


def test_a_new_charter_must_be_accepted_before_sharing(client_for, alice, post):
    CharterVersion.objects.create(number=2, title="Charte v2", text="Nouvelle version")
    response = client_for(alice).post(share_url(post), {"text": "x"})
    assert response.status_code == 403
    assert "charte" in response.content.decode()
    assert not Share.objects.exists()


def test_alumni_cannot_reach_posts_not_open_to_them(client_for, dave, post):
    assert client_for(dave).get(share_url(post)).status_code == 404
    assert client_for(dave).post(share_url(post), {"text": "x"}).status_code == 404
    post.open_to_alumni = True
    post.save()
    assert client_for(dave).post(share_url(post), {"text": "x"}).status_code == 302


def test_an_announcement_cannot_be_shared(client_for, alice):
    announcement = make_post("Fermeture du parking", kind=PostKind.ANNOUNCEMENT, url="")
    page = client_for(alice).get(share_url(announcement)).content.decode()
    assert "annonce interne" in page
    assert client_for(alice).post(share_url(announcement), {"text": "x"}).status_code == 403
    assert not Share.objects.exists()


def test_a_post_out_of_my_feed_cannot_be_shared(client_for, alice):
    draft = make_post(status="draft")
    assert client_for(alice).post(share_url(draft), {"text": "x"}).status_code == 404
    assert not Share.objects.exists()


def test_blocked_words_and_missing_disclosure_stop_the_share_and_say_why(
    client_for, alice, carol, post
):
    compliance_update(blocked_words=["confidentiel"], disclosure_tag="#collaborateur", by=carol)
    client = client_for(alice)
    response = client.post(
        share_url(post), {"text": "Chiffres CONFIDENTIÉLS ? Non : Confidentiel ! #collaborateur"}
    )
    assert response.status_code == 200
    assert "« confidentiel »" in response.content.decode()
    response = client.post(share_url(post), {"text": "Sans la mention"})
    assert "#collaborateur" in response.content.decode()
    assert not Share.objects.exists() and not TrackedLink.objects.exists()
    assert (
        client.post(share_url(post), {"text": "Avec la mention #Collaborateur"}).status_code == 302
    )


def test_a_text_too_long_for_the_network_is_refused(client_for, alice, post):
    client = client_for(alice)
    response = client.post(share_url(post, "x"), {"text": "a" * 257})  # + space + 23 = 281
    assert response.status_code == 200
    assert "280" in response.content.decode()
    assert not Share.objects.exists()
    assert client.post(share_url(post, "x"), {"text": "a" * 256}).status_code == 302
    assert client.post(share_url(post, "linkedin"), {"text": "a" * 3001}).status_code == 200
    assert Share.objects.count() == 1


def test_identical_texts_nudge_me_to_personalise(client_for, alice, post):
    text = "Fiers de nos équipes ! #collaborateur"
    for i in range(3):
        colleague = make_person(f"c{i}@example.com", f"Collègue {i}", "ambassador")
        Share.objects.create(
            post=post,
            person=colleague,
            network="linkedin",
            text=text.upper(),
            fingerprint=text_fingerprint(text.upper()),
        )
    client = client_for(alice)
    page = client.get(share_url(post)).content.decode()
    assert "3 collègues ont déjà partagé exactement ce texte" in page
    # Same words with other spacing, case and a link: still identical. Nothing is sent yet.
    response = client.post(
        share_url(post), {"text": "fiers de  nos équipes !   #collaborateur https://a.example"}
    )
    assert response.status_code == 200
    assert "3 collègues" in response.content.decode()
    assert not Share.objects.filter(person=alice).exists()
    response = client.post(share_url(post), {"text": text, "keep_text": "on"})
    assert response.status_code == 302
    response = client.post(share_url(post), {"text": "Mes propres mots #collaborateur"})
    assert response.status_code == 302


def test_pilot_team_members_share_like_anyone(client_for, bob, post):
    assert client_for(bob).post(share_url(post), {"text": "Relayé"}).status_code == 302


def test_anonymous_visitors_are_sent_to_login(client, post):
    response = client.get(share_url(post))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_shares_lists_only_mine(client_for, alice, bob, post):
    client_for(bob).post(share_url(post), {"text": "Bob"})
    client = client_for(alice)
    client.post(share_url(post, "x"), {"text": "Alice"})
    page = client.get(reverse("sharing:my_shares")).content.decode()
    assert TrackedLink.objects.get(ambassador=alice).short_url in page
    assert TrackedLink.objects.get(ambassador=bob).short_url not in page
