"""The pilot team's post pages: who reaches them, creating and editing with message variants,
uploads checked by content, and bad input changing nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.models import Group
from portevoix.content.compliance import compliance_update
from portevoix.content.errors import ContentError
from portevoix.content.models import Campaign, Post, PostEvent, SuggestedMessage, Topic
from portevoix.content.posts import post_update
from portevoix.content.tests.factories import image_bytes, make_post
from portevoix.content.tests.factories import post_form_data as form_data
from portevoix.tracking.links import tracked_link_for

PILOT_PAGES: list[tuple[str, list[int]]] = [
    ("content:posts", []),
    ("content:post_new", []),
    ("content:campaigns", []),
    ("content:campaign_new", []),
    ("content:topics", []),
    ("content:suggestions", []),
]


@pytest.mark.parametrize("name,args", PILOT_PAGES)
@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_only_the_pilot_team_reaches_its_pages(request, client_for, who, name, args):
    response = client_for(request.getfixturevalue(who)).get(reverse(name, args=args))
    assert response.status_code == 403


@pytest.mark.parametrize("name,args", PILOT_PAGES)
@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_pilot_team_reaches_its_pages(request, client_for, who, name, args):
    response = client_for(request.getfixturevalue(who)).get(reverse(name, args=args))
    assert response.status_code == 200


def test_post_pages_are_refused_object_by_object(client_for, alice):
    post = make_post()
    client = client_for(alice)
    for name in ("content:post_detail", "content:post_edit"):
        assert client.get(reverse(name, args=[post.pk])).status_code == 403
    assert (
        client.post(
            reverse("content:post_edit", args=[post.pk]), form_data(title="Piraté")
        ).status_code
        == 403
    )
    post.refresh_from_db()
    assert post.title == "Nos éoliennes en mer"


def test_an_editor_creates_a_post_with_two_message_variants(client_for, bob):
    lyon = Group.objects.create(name="Lyon")
    topic = Topic.objects.create(name="Énergie")
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    response = client_for(bob).post(
        reverse("content:post_new"),
        form_data(
            target_groups=[lyon.pk],
            topics=[topic.pk],
            campaign=campaign.pk,
            languages=["fr"],
            open_to_alumni="on",
            published_at="2030-05-01T09:30",
            image=SimpleUploadedFile("photo.png", image_bytes(), content_type="image/png"),
        ),
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("content:post_detail", args=[post.pk])
    assert (post.status, post.author, post.campaign, post.open_to_alumni) == (
        "draft",
        bob,
        campaign,
        True,
    )
    assert list(post.target_groups.all()) == [lyon] and list(post.topics.all()) == [topic]
    assert post.language_codes == ["fr"]
    assert post.published_at.isoformat().startswith("2030-05-01T")
    assert post.image.name.startswith("posts/") and post.image.name.endswith(".png")
    assert "photo" not in post.image.name
    assert sorted(SuggestedMessage.objects.values_list("network", "language", "text")) == [
        ("", "fr", "Un beau projet !"),
        ("x", "en", "A great project!"),
    ]
    assert [e.action for e in PostEvent.objects.filter(post=post)] == ["created"]


def test_editing_records_what_changed(client_for, bob):
    post = make_post(status="draft", messages=[("", "fr", "Avant")])
    Post.objects.filter(pk=post.pk).update(published_at=None)
    response = client_for(bob).post(
        reverse("content:post_edit", args=[post.pk]),
        form_data(title="Nouveau titre", **{"messages-0-text": "Après", "messages-1-text": ""}),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Nouveau titre"
    assert list(post.messages.values_list("text", flat=True)) == ["Après"]
    event = post.events.get()
    assert event.action == "edited" and event.actor == bob
    assert event.changed_fields.split(",") == ["title", "url", "messages"]


def test_a_live_post_keeps_its_date_when_the_field_is_cleared(client_for, bob):
    post = make_post()
    published_at = post.published_at
    client_for(bob).post(reverse("content:post_edit", args=[post.pk]), form_data(published_at=""))
    post.refresh_from_db()
    assert post.published_at == published_at and post.status == "published"


def test_dates_outside_the_years_2000_to_9000_are_refused_by_field(client_for, bob):
    data = form_data(published_at="0001-01-01T00:00", event_starts_at="9001-06-01T00:00")
    response = client_for(bob).post(reverse("content:post_new"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["published_at"] == ["Saisissez une date entre les années 2000 et 9000."]
    assert errors["event_starts_at"] == ["Saisissez une date entre les années 2000 et 9000."]
    assert not Post.objects.exists()


def test_a_scheduled_post_keeps_a_date_to_go_out_at(client_for, bob):
    """Emptied, the date of a scheduled post would leave it waiting for nothing: the field
    says so and the post is unchanged."""
    post = make_post(status="scheduled", published_at=timezone.now() + timedelta(days=1))
    published_at = post.published_at
    response = client_for(bob).post(
        reverse("content:post_edit", args=[post.pk]),
        form_data(title="Nouveau titre", published_at=""),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["published_at"] == [
        "Une publication programmée a besoin de sa date de publication : choisissez-en une, ou "
        "renvoyez la publication en brouillon."
    ]
    post.refresh_from_db()
    assert post.published_at == published_at and post.status == "scheduled"
    assert post.title == "Nos éoliennes en mer" and not post.events.exists()
    with pytest.raises(ContentError, match="besoin de sa date"):
        post_update(post=post, actor=bob, data={"published_at": None}, messages=[])


def test_the_edit_form_shows_the_post(client_for, bob):
    post = make_post(messages=[("x", "fr", "Un message existant")], languages=["en"])
    page = client_for(bob).get(reverse("content:post_edit", args=[post.pk])).content.decode()
    assert "Nos éoliennes en mer" in page and "Un message existant" in page
    assert 'value="en" id="id_languages_1" checked' in page


def test_the_destination_is_locked_once_ambassadors_hold_links(client_for, bob, alice):
    post = make_post()
    tracked_link_for(post=post, ambassador=alice, network="x")
    response = client_for(bob).post(
        reverse("content:post_edit", args=[post.pk]), form_data(url="https://autre.example/")
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.url == "https://www.lumiere.example/eoliennes"


@pytest.mark.parametrize(
    "overrides",
    [
        {"url": "javascript:alert(1)"},
        {"url": "data:text/html,<script>alert(1)</script>"},
        {"url": "ftp://files.lumiere.example/a.pdf"},
        {"url": "http://192.168.1.1/"},
        {"url": "http://localhost/"},
        {"preview_image_url": "http://169.254.169.254/latest"},
        {"title": ""},
        {"kind": "podcast"},
        {"points": "-5"},
        {"priority": "9"},
        {"published_at": "2030-05-02T10:00", "expires_at": "2030-05-01T10:00"},
        {"published_at": "demain"},
        {"published_at": "0001-01-01T00:00"},  # overflows the database
        {"published_at": "1999-12-31T12:00"},
        {"expires_at": "9999-12-31T23:59"},
        {"event_starts_at": "0001-01-01T00:00"},
        {"campaign": "999"},
        {"campaign": "99999999999999999999"},  # past 2^63: overflows SQLite
        {"topics": ["99999999999999999999"]},
        {"target_groups": ["9223372036854775808"]},
        {"languages": ["de"]},
        {"messages-1-text": "a" * 270},  # + space + 23 for the link: over X's 280
        {"messages-0-text": "a" * 270},  # a message for every network must fit X too
        {"messages-1-network": "myspace"},
    ],
)
def test_bad_post_input_is_refused_and_changes_nothing(client_for, bob, overrides):
    response = client_for(bob).post(reverse("content:post_new"), form_data(**overrides))
    assert response.status_code == 200
    assert not Post.objects.exists() and not SuggestedMessage.objects.exists()


def test_messages_must_follow_the_compliance_rules(client_for, bob, carol):
    compliance_update(blocked_words=["concurrent"], disclosure_tag="#collaborateur", by=carol)
    client = client_for(bob)
    response = client.post(
        reverse("content:post_new"),
        form_data(
            **{"messages-0-text": "Mieux que le Concurrent #collaborateur", "messages-1-text": ""}
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "« concurrent »" in page
    response = client.post(reverse("content:post_new"), form_data(**{"messages-1-text": ""}))
    assert "#collaborateur" in response.content.decode()
    assert not Post.objects.exists()
    response = client.post(
        reverse("content:post_new"),
        form_data(**{"messages-0-text": "Bravo #collaborateur", "messages-1-text": ""}),
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("fake.png", b"MZ\x90\x00 this is a Windows program, not a picture", "pas une image"),
        ("notes.png", b"just some text", "pas une image"),
        (
            "vector.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "pas une image",
        ),
        ("tiny.png", image_bytes(20, 20), "trop petite"),
        ("wide.png", image_bytes(10_001, 100), "trop grande"),
        ("anim.bmp", image_bytes(300, 300, "BMP"), "pas une image"),
    ],
)
def test_uploads_are_checked_by_their_content(client_for, bob, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client_for(bob).post(reverse("content:post_new"), form_data(image=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_an_oversized_image_is_refused(client_for, bob, settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    upload = SimpleUploadedFile(
        "big.png", image_bytes(2000, 2000) + b"\0" * 10_000, content_type="image/png"
    )
    response = client_for(bob).post(reverse("content:post_new"), form_data(image=upload))
    assert response.status_code == 200
    assert "trop lourde" in response.content.decode()
    assert not Post.objects.exists()


def test_the_post_list_filters(client_for, bob):
    make_post("Brouillon A", status="draft")
    make_post("Publié B")
    page = client_for(bob).get(reverse("content:posts"), {"status": "draft"}).content.decode()
    assert "Brouillon A" in page and "Publié B" not in page
    page = (
        client_for(bob)
        .get(reverse("content:posts"), {"q": "publié", "status": "nonsense", "campaign": "x"})
        .content.decode()
    )
    assert "Publié B" in page and "Brouillon A" not in page


def test_a_nul_in_the_search_is_dropped_before_the_database(client_for, bob):
    """PostgreSQL refuses NUL in any text parameter: it never reaches the query."""
    make_post("Publié B")
    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        seen.extend(p for p in params or () if isinstance(p, str))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        response = client_for(bob).get(reverse("content:posts"), {"q": "Pub\x00lié"})
    assert response.status_code == 200 and "Publié B" in response.content.decode()
    assert "%Publié%" in seen and not any("\x00" in p for p in seen)


def test_the_post_page_shows_history_messages_and_actions(client_for, bob):
    post = make_post(status="draft", messages=[("bluesky", "fr", "Sur Bluesky")])
    page = client_for(bob).get(reverse("content:post_detail", args=[post.pk])).content.decode()
    assert "Sur Bluesky" in page
    assert reverse("content:post_action", args=[post.pk, "publish"]) in page
    assert reverse("content:post_action", args=[post.pk, "archive"]) in page
