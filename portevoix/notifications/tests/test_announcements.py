import json

from django.utils import timezone

from conftest import make_person
from portevoix.content.models import Priority, Suggestion
from portevoix.content.suggestions import suggestion_accept, suggestion_decline
from portevoix.content.tests.factories import make_post
from portevoix.content.workflow import post_publish
from portevoix.core.testing import Answer
from portevoix.gamification.models import PointEntry
from portevoix.notifications.channels import deliveries_send_due
from portevoix.notifications.models import Channel, Notification


def test_publishing_announces_to_channels_and_alerts_the_audience_of_priority_posts(
    bob, alice, dave, local_http, smtp_server, django_capture_on_commit_callbacks
):
    received = []

    def hook(handler):
        received.append(json.loads(handler.rfile.read(int(handler.headers["Content-Length"]))))
        return Answer(body=b"ok")

    local_http.route("/slack", hook)
    Channel.objects.create(kind="slack", name="#news", webhook_url=local_http.url("/slack"))
    quiet = make_person("quiet@example.com", "Quiet", "ambassador")
    quiet.notify_priority = False
    quiet.save()
    post = make_post(
        "Offre : cheffe de projet", status="draft", priority=Priority.HIGH, published_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_publish(post=post, actor=bob, now=timezone.now())
    deliveries_send_due()
    assert received and "Offre : cheffe de projet" in received[0]["text"]
    alerted = set(
        Notification.objects.filter(kind="priority").values_list("person__email", flat=True)
    )
    # dave is alumni and the post is not open to alumni; quiet asked for no priority alerts.
    assert alerted == {"alice@example.com", "bob@example.com"}
    assert {m["To"] for m in smtp_server.messages} == {"alice@example.com", "bob@example.com"}


def test_suggestion_decisions_reach_the_author_and_accepted_ones_earn_points(
    bob, alice, django_capture_on_commit_callbacks
):
    accepted = Suggestion.objects.create(
        author=alice, url="https://www.lumiere.example/a", text="À partager"
    )
    declined = Suggestion.objects.create(
        author=alice, url="https://www.lumiere.example/b", text="Autre"
    )
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_accept(suggestion=accepted, editor=bob)
        suggestion_decline(
            suggestion=declined, editor=bob, reason="Déjà publié la semaine dernière"
        )
    titles = list(
        Notification.objects.filter(person=alice, kind="suggestion").values_list("title", "body")
    )
    assert ("Votre suggestion a été acceptée : merci !", "https://www.lumiere.example/a") in titles
    assert any("Déjà publié la semaine dernière" in body for _title, body in titles)
    entry = PointEntry.objects.get(person=alice)
    assert (entry.action, entry.source) == ("suggestion_accepted", f"suggestion:{accepted.pk}")
