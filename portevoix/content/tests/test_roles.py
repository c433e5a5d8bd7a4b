"""The content hub for every role: the pilot team's pages and actions, the admin's compliance
rules, and suggestions (opted-in people only). A refused action changes nothing."""

import pytest
from django.urls import reverse

from portevoix.content.models import (
    Campaign,
    ComplianceSettings,
    Post,
    PostEvent,
    PostStatus,
    SuggestedMessage,
    Suggestion,
    Topic,
)
from portevoix.content.tests.factories import make_post, post_form_data
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    PILOT,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    assert_refused,
    client_as,
    object_url,
    refused_cases,
)

OPTED_IN = LOGGED_IN - {"erin"}


@pytest.fixture
def objects(db, alice):
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    return {
        "post": make_post("Un brouillon", status=PostStatus.DRAFT, campaign=campaign),
        "campaign": campaign,
        "topic": Topic.objects.create(name="Énergie"),
        "suggestion": Suggestion.objects.create(author=alice, text="Parlons de nos métiers"),
    }


PAGES = [  # url name, url arguments, who opens it
    ("content:posts", (), PILOT),
    ("content:post_new", (), PILOT),
    ("content:post_detail", ("post",), PILOT),
    ("content:post_edit", ("post",), PILOT),
    ("content:campaigns", (), PILOT),
    ("content:campaign_new", (), PILOT),
    ("content:campaign_detail", ("campaign",), PILOT),
    ("content:campaign_edit", ("campaign",), PILOT),
    ("content:topics", (), PILOT),
    ("content:suggestions", (), PILOT),
    ("content:compliance", (), ADMIN),
    ("content:suggestion_new", (), LOGGED_IN),
    ("content:my_suggestions", (), LOGGED_IN),
    ("content:topics_followed", (), LOGGED_IN),
]


def campaign_data(objects: dict) -> dict:
    return {
        "name": "Semaine de l'énergie",
        "utm_campaign": "",
        "description": "",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-08",
        "goal": "clicks",
        "goal_target": "500",
    }


def post_data(objects: dict) -> dict:
    return post_form_data(title="Titre changé")


def topic_data(objects: dict) -> dict:
    return {"name": "Recrutement"}


def decline_data(objects: dict) -> dict:
    return {"reason": "Déjà publié le mois dernier."}


def compliance_data(objects: dict) -> dict:
    return {"blocked_words": "gratuit", "disclosure_tag": "#salarié"}


def suggestion_data(objects: dict) -> dict:
    return {"url": "", "text": "Une idée de publication"}


def topics_followed_data(objects: dict) -> dict:
    return {"topics": [objects["topic"].pk]}


def nothing(objects: dict) -> dict:
    return {}


ACTIONS = [  # url name, url arguments, who may, valid form data
    ("content:post_new", (), PILOT, post_data),
    ("content:post_edit", ("post",), PILOT, post_data),
    ("content:post_action", ("post", "submit"), PILOT, nothing),
    ("content:post_action", ("post", "publish"), PILOT, nothing),
    ("content:post_action", ("post", "archive"), PILOT, nothing),
    ("content:campaign_new", (), PILOT, campaign_data),
    ("content:campaign_edit", ("campaign",), PILOT, campaign_data),
    ("content:topics", (), PILOT, topic_data),
    ("content:topic_delete", ("topic",), PILOT, nothing),
    ("content:suggestion_accept", ("suggestion",), PILOT, nothing),
    ("content:suggestion_decline", ("suggestion",), PILOT, decline_data),
    ("content:compliance", (), ADMIN, compliance_data),
    ("content:suggestion_new", (), OPTED_IN, suggestion_data),
    ("content:topics_followed", (), LOGGED_IN, topics_followed_data),
]
STATE = (
    Post,
    Post.topics.through,
    Topic.followers.through,
    SuggestedMessage,
    PostEvent,
    Campaign,
    Topic,
    Suggestion,
    ComplianceSettings,
    AuditEntry,
)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,args,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, args, allowed):
    response = client_as(request, who).get(object_url(objects, name, args))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize("who", WHO)
def test_only_the_pilot_team_asks_for_link_previews(request, objects, who):
    # Without a URL nothing is fetched: the pilot team gets the reason, others no answer at all.
    response = client_as(request, who).get(reverse("content:link_preview"))
    if who in PILOT:
        assert response.status_code == 400 and "error" in response.json()
    else:
        assert_refused(response, who)


@pytest.mark.parametrize(
    "who,name,args,data",
    refused_cases(ACTIONS),
)
def test_a_refused_action_changes_nothing(request, objects, who, name, args, data):
    assert_post_refused(
        client_as(request, who), who, object_url(objects, name, args), data(objects), STATE
    )


@pytest.mark.parametrize(
    "who,name,args,data",
    allowed_cases(ACTIONS),
)
def test_an_allowed_action_does_its_work(request, objects, who, name, args, data):
    assert_post_done(client_as(request, who), object_url(objects, name, args), data(objects), STATE)
