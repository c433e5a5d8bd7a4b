import json

from django.urls import reverse

from portevoix.content.models import PostEvent, Suggestion
from portevoix.content.privacy import export_person as export_content
from portevoix.content.tests.factories import make_post
from portevoix.content.workflow import post_submit
from portevoix.sharing.models import Share
from portevoix.sharing.privacy import export_person as export_sharing


def test_my_data_exports_as_json(client_for, alice, bob):
    post = make_post()
    client_for(alice).post(reverse("sharing:share_on", args=[post.pk, "x"]), {"text": "Mon avis"})
    Suggestion.objects.create(author=alice, text="Une idée")
    data = {**export_content(alice), **export_sharing(alice)}
    json.dumps(data)
    assert data["shares"][0]["text"] == "Mon avis" and data["shares"][0]["network"] == "x"
    assert data["shares"][0]["tracked_link"].startswith("http")
    assert data["suggestions"][0]["text"] == "Une idée"
    assert export_sharing(bob) == {"shares": []}


def test_erasure_keeps_counts_but_not_the_person_or_their_words(alice, bob):
    post = make_post(status="draft", author=alice)
    post_submit(post=post, actor=alice)
    Share.objects.create(post=post, person=alice, network="x", text="Mes mots", fingerprint="abc")
    Share.objects.create(post=post, person=bob, network="x", text="Ceux de Bob", fingerprint="def")
    Suggestion.objects.create(author=alice, text="Une idée")
    alice.delete()
    assert Share.objects.count() == 2
    anonymous = Share.objects.get(person=None)
    assert (anonymous.text, anonymous.fingerprint, anonymous.network) == ("", "", "x")
    assert Share.objects.get(person=bob).text == "Ceux de Bob"
    assert not Suggestion.objects.exists()
    post.refresh_from_db()
    assert post.author is None and PostEvent.objects.get().actor is None
