"""Sharing for every role: everybody logged in opens the share page of a post in their feed;
only people who opted in (and accepted the charter) share; a refused share leaves no trace."""

import pytest
from django.urls import reverse

from portevoix.accounts.models import Group
from portevoix.content.tests.factories import make_post
from portevoix.core.tests.roles import (
    LOGGED_IN,
    WHO,
    assert_refused,
    client_as,
    snapshot,
)
from portevoix.sharing.models import Share
from portevoix.tracking.models import TrackedLink

SHARING = LOGGED_IN - {"erin"}  # opted in, charter accepted
STATE = (Share, TrackedLink)


@pytest.fixture
def post(db):
    return make_post("Portes ouvertes", open_to_alumni=True)


PAGES = [  # url name, url arguments after the post
    ("sharing:my_shares", None),
    ("sharing:share", ()),
    ("sharing:share_on", ("x",)),
    ("sharing:share_on", ("mastodon",)),
]


def url(post, name: str, more: tuple | None) -> str:
    return reverse(name, args=[] if more is None else [post.pk, *more])


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,more", PAGES)
def test_every_logged_in_person_opens_the_sharing_pages(request, post, who, name, more):
    response = client_as(request, who).get(url(post, name, more))
    if who in LOGGED_IN:
        assert response.status_code == 200
    else:
        assert_refused(response, who)


@pytest.mark.parametrize("who", sorted(set(WHO) - SHARING))
def test_a_refused_share_leaves_no_trace(request, post, who):
    client = client_as(request, who)
    before = snapshot(*STATE)
    response = client.post(url(post, "sharing:share_on", ("linkedin",)), {"text": "Venez !"})
    assert_refused(response, who)
    assert snapshot(*STATE) == before


@pytest.mark.parametrize("who", sorted(SHARING))
def test_people_who_opted_in_share(request, post, who):
    client = client_as(request, who)
    response = client.post(url(post, "sharing:share_on", ("linkedin",)), {"text": "Venez !"})
    assert response.status_code == 302
    assert response["Location"].startswith("https://www.linkedin.com/")
    share = Share.objects.get()
    assert share.person == request.getfixturevalue(who) and share.tracked_link is not None


@pytest.mark.parametrize("who", ["dave", "alice"])
def test_a_post_not_for_me_is_not_found_and_cannot_be_shared(request, db, who):
    ventes = Group.objects.create(name="Ventes")
    person = request.getfixturevalue(who)
    # dave (alumni) is refused a post not open to alumni; alice a post for a group not hers.
    hidden = make_post("Réservé", groups=[ventes] if who == "alice" else [])
    client = client_as(request, who)
    before = snapshot(*STATE)
    assert client.get(reverse("sharing:share", args=[hidden.pk])).status_code == 404
    response = client.post(
        reverse("sharing:share_on", args=[hidden.pk, "linkedin"]), {"text": "Venez !"}
    )
    assert response.status_code == 404
    assert snapshot(*STATE) == before
    assert not person.groups.exists()
