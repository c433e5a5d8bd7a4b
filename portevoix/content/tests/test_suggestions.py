"""Ambassadors suggest; editors accept (a draft crediting the author) or decline with a reason
the author sees."""

import pytest
from django.urls import reverse

from portevoix.content.errors import ContentError
from portevoix.content.models import Post, Suggestion
from portevoix.content.suggestions import suggestion_accept, suggestion_decline


def suggest(client, **data):
    return client.post(reverse("content:suggestion_new"), {"url": "", "text": "", **data})


def test_an_ambassador_suggests_and_follows_their_suggestion(client_for, alice):
    client = client_for(alice)
    response = suggest(
        client, url="https://blog.example/nos-apprentis", text="Un bel article sur nos apprentis"
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.author, suggestion.status) == (alice, "pending")
    assert (
        "Un bel article sur nos apprentis"
        in client.get(reverse("content:my_suggestions")).content.decode()
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"url": "javascript:alert(1)"},
        {"url": "http://192.168.0.1/partage"},
        {"url": "ftp://files.example/x"},
        {"text": "x" * 3001},
    ],
)
def test_bad_suggestions_are_refused(client_for, alice, data):
    response = suggest(client_for(alice), **data)
    assert response.status_code == 200
    assert not Suggestion.objects.exists()


def test_someone_not_opted_in_cannot_suggest(client_for, erin):
    response = suggest(client_for(erin), text="Une idée")
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


def test_an_editor_accepts_a_suggestion_into_a_draft_crediting_the_author(client_for, alice, bob):
    suggestion = Suggestion.objects.create(
        author=alice, url="https://blog.example/a", text="Nos apprentis\nà l'honneur"
    )
    response = client_for(bob).post(reverse("content:suggestion_accept", args=[suggestion.pk]))
    post = Post.objects.get()
    assert response["Location"] == reverse("content:post_edit", args=[post.pk])
    assert (post.status, post.title, post.url, post.author) == (
        "draft",
        "Nos apprentis",
        "https://blog.example/a",
        bob,
    )
    assert post.messages.get().text == "Nos apprentis\nà l'honneur"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.post, suggestion.decided_by) == ("accepted", post, bob)
    page = client_for(bob).get(reverse("content:post_detail", args=[post.pk])).content.decode()
    assert "Suggéré par" in page and "Alice Martin" in page


def test_a_decline_needs_a_reason_that_the_author_sees(client_for, alice, bob):
    suggestion = Suggestion.objects.create(author=alice, text="Une idée")
    client = client_for(bob)
    client.post(reverse("content:suggestion_decline", args=[suggestion.pk]), {"reason": "  "})
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    client.post(
        reverse("content:suggestion_decline", args=[suggestion.pk]),
        {"reason": "Déjà publié la semaine dernière"},
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("declined", bob)
    page = client_for(alice).get(reverse("content:my_suggestions")).content.decode()
    assert "Déjà publié la semaine dernière" in page


def test_a_suggestion_is_decided_once(alice, bob, carol):
    suggestion = Suggestion.objects.create(author=alice, text="Une idée")
    suggestion_decline(suggestion=suggestion, editor=bob, reason="Non")
    with pytest.raises(ContentError):
        suggestion_accept(suggestion=suggestion, editor=carol)
    assert not Post.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_ambassadors_cannot_decide(request, client_for, alice, who):
    suggestion = Suggestion.objects.create(author=alice, text="Une idée")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("content:suggestions")).status_code == 403
    assert (
        client.post(reverse("content:suggestion_accept", args=[suggestion.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("content:suggestion_decline", args=[suggestion.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and not Post.objects.exists()


def test_my_suggestions_are_mine_only(client_for, alice, dave):
    Suggestion.objects.create(author=dave, text="Celle de Dave")
    page = client_for(alice).get(reverse("content:my_suggestions")).content.decode()
    assert "Celle de Dave" not in page
