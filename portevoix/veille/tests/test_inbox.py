"""The curation inbox: newest first, filters, one click to a draft post, dismissal, marks."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portevoix.content.models import Post, Topic
from portevoix.veille.inbox import inbox_items, item_draft_fields, item_to_draft
from portevoix.veille.models import Item, Source, SourceKind, Watch


def test_new_items_come_newest_first_with_their_marks(client_for, bob, make_item):
    now = timezone.now()
    old = make_item("Ancien article", dated_at=now - timedelta(days=2))
    new = make_item("Article du jour", dated_at=now, tone="negative")
    page = client_for(bob).get(reverse("veille:inbox")).content.decode()
    assert page.index(new.title) < page.index(old.title)
    assert "Négatif" in page


def test_filters_by_source_topic_watch_and_tone(make_item):
    energy = Topic.objects.create(name="Énergie")
    blog = Source.objects.create(name="Blog", url="https://blog.example/feed")
    blog.topics.add(energy)
    watch = Watch.objects.create(name="Concurrent", terms="Voltéa")
    on_blog = make_item("Notre blog", source=blog)
    competitor = make_item("Voltéa recrute", tone="positive")
    negative = make_item("Panne générale", tone="negative")
    assert list(inbox_items(source_id=blog.pk)) == [on_blog]
    assert list(inbox_items(topic_id=energy.pk)) == [on_blog]
    assert list(inbox_items(watch_id=watch.pk)) == [competitor]
    assert list(inbox_items(tone="negative")) == [negative]


def test_the_inbox_page_filters_and_refuses_bad_filters(client_for, bob, make_item):
    make_item("Voltéa recrute", tone="positive")
    make_item("Panne générale", tone="negative")
    client = client_for(bob)
    page = client.get(reverse("veille:inbox"), {"tone": "negative"}).content.decode()
    assert "Panne générale" in page and "Voltéa recrute" not in page
    response = client.get(reverse("veille:inbox"), {"tone": "furious", "source": "abc"})
    assert response.status_code == 400
    assert "Panne générale" not in response.content.decode()


def test_one_click_turns_an_item_into_a_draft_post(client_for, bob, make_item):
    topic = Topic.objects.create(name="Solaire")
    source = Source.objects.create(name="Presse", url="https://p.example/feed")
    source.topics.add(topic)
    item = make_item("Lumière Énergies inaugure un parc solaire", source=source)
    response = client_for(bob).post(reverse("veille:item_draft", args=[item.pk]))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.title == item.title and post.url == item.link and post.status == "draft"
    assert list(post.topics.all()) == [topic]
    item.refresh_from_db()
    assert item.post == post and item.used_by == bob and item.used_at is not None
    # Marked as used: no longer new, listed under "already used".
    assert item not in inbox_items(status="new")
    assert list(inbox_items(status="used")) == [item]
    page = client_for(bob).get(reverse("veille:inbox"), {"status": "used"}).content.decode()
    assert "Déjà utilisé" in page


def test_a_second_click_gives_the_same_post(bob, make_item):
    item = make_item("Un article")
    first, created = item_to_draft(item=item, person=bob)
    second, created_again = item_to_draft(item=item, person=bob)
    assert created and not created_again and first == second
    assert Post.objects.count() == 1


def test_a_job_board_item_becomes_a_job_offer_draft(bob, make_item):
    jobs = Source.objects.create(
        name="Offres", url="https://jobs.example/rss", kind=SourceKind.JOBS
    )
    item = make_item("Ingénieur réseaux H/F à Lyon", source=jobs, summary="<p>CDI à Lyon.</p>")
    fields = item_draft_fields(item=item)
    assert fields["kind"] == "job"
    assert fields["message"] == "Nous recrutons : Ingénieur réseaux H/F à Lyon"
    assert fields["preview_description"] == "CDI à Lyon."
    post, _created = item_to_draft(item=item, person=bob)
    assert post.title == item.title and post.url == item.link


def test_an_english_item_gets_an_english_message(make_item):
    item = make_item("Voltea wins an award", language="en")
    fields = item_draft_fields(item=item)
    assert fields["kind"] == "link" and fields["message"] == "Worth reading: Voltea wins an award"


def test_items_can_be_dismissed_and_restored(client_for, bob, make_item):
    item = make_item("Hors sujet")
    client = client_for(bob)
    client.post(reverse("veille:item_dismiss", args=[item.pk]))
    item.refresh_from_db()
    assert item.dismissed_at is not None and item.dismissed_by == bob
    assert item not in inbox_items()
    assert list(inbox_items(status="dismissed")) == [item]
    client.post(reverse("veille:item_dismiss", args=[item.pk]), {"restore": "1"})
    assert list(inbox_items()) == [Item.objects.get(pk=item.pk)]


def test_dismiss_never_redirects_elsewhere(client_for, bob, make_item):
    item = make_item("Hors sujet")
    response = client_for(bob).post(
        reverse("veille:item_dismiss", args=[item.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("veille:inbox")


def test_actions_need_post_and_an_existing_item(client_for, bob, make_item):
    item = make_item("Un article")
    client = client_for(bob)
    assert client.get(reverse("veille:item_draft", args=[item.pk])).status_code == 405
    assert client.post(reverse("veille:item_draft", args=[999999])).status_code == 404
    assert Post.objects.count() == 0
