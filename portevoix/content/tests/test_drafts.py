"""post_create_draft: the one way other parts of the platform (the curation inbox, accepted
suggestions, the editor's form) create a draft post."""

import pytest

from portevoix.content.compliance import compliance_update
from portevoix.content.drafts import post_create_draft
from portevoix.content.errors import ContentError
from portevoix.content.models import Post, PostEvent, PostStatus, SuggestedMessage, Topic


def test_it_creates_a_draft_with_its_preview_topics_message_and_history(bob, carol):
    compliance_update(blocked_words=[], disclosure_tag="#collaborateur", by=carol)
    topic = Topic.objects.create(name="Énergie")
    post = post_create_draft(
        author=bob,
        title="Un parc éolien en mer",
        url="https://www.lumiere.example/eolien",
        kind="event",
        commentary="Inauguration",
        preview_title="Parc éolien",
        preview_description="Au large de Saint-Nazaire",
        preview_image_url="https://www.lumiere.example/eolien.jpg",
        message="Venez voir nos éoliennes !",
        topics=[topic],
    )
    post.refresh_from_db()
    assert (post.status, post.kind, post.author) == (PostStatus.DRAFT, "event", bob)
    assert (post.preview_title, post.preview_description) == (
        "Parc éolien",
        "Au large de Saint-Nazaire",
    )
    assert post.preview_image_url == "https://www.lumiere.example/eolien.jpg"
    assert list(post.topics.all()) == [topic]
    message = SuggestedMessage.objects.get(post=post)
    # Every network (blank), the default language, the disclosure tag added.
    assert (message.network, message.language) == ("", "fr")
    assert message.text == "Venez voir nos éoliennes ! #collaborateur"
    event = PostEvent.objects.get(post=post)
    assert (event.action, event.actor, event.to_status) == ("created", bob, "draft")


def test_a_message_with_its_tag_is_left_alone_and_no_message_makes_none(bob, carol):
    compliance_update(blocked_words=[], disclosure_tag="#collaborateur", by=carol)
    post = post_create_draft(author=None, title="A", message="Déjà #Collaborateur")
    assert post.messages.get().text == "Déjà #Collaborateur"
    assert not post_create_draft(author=None, title="B").messages.exists()
    assert PostEvent.objects.get(post=post).actor is None


def test_a_long_title_is_shortened_and_an_empty_one_taken_from_the_preview(db):
    post = post_create_draft(author=None, title="É" * 500)
    assert len(post.title) == 200 and post.title.endswith("…")
    assert (
        post_create_draft(author=None, title=" ", preview_title="Depuis l'aperçu").title
        == "Depuis l'aperçu"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"title": ""},
        {"title": "x", "kind": "podcast"},
        {"title": "x", "url": "javascript:alert(1)"},
        {"title": "x", "url": "ftp://files.example/a"},
        {"title": "x", "url": "http://192.168.1.10/intranet"},
    ],
)
def test_bad_input_raises_and_creates_nothing(db, kwargs):
    with pytest.raises(ContentError):
        post_create_draft(author=None, **kwargs)
    assert not Post.objects.exists()


def test_a_doubtful_preview_image_is_dropped(db):
    post = post_create_draft(author=None, title="x", preview_image_url="http://10.0.0.1/i.png")
    assert post.preview_image_url == ""
