import pytest
from django.urls import reverse

from portevoix.content.models import Campaign
from portevoix.content.tests.factories import make_post
from portevoix.sharing.models import Share

VALID = {
    "name": "Semaine de l'énergie 2026",
    "utm_campaign": "",
    "description": "Une semaine pour parler de nos métiers",
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-08",
    "goal": "clicks",
    "goal_target": "500",
}


def test_an_editor_creates_a_campaign_with_a_utm_name_from_its_name(client_for, bob):
    response = client_for(bob).post(reverse("content:campaign_new"), VALID)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.utm_campaign == "semaine-de-lenergie-2026"
    assert (campaign.goal, campaign.goal_target) == ("clicks", 500)
    assert str(campaign.starts_on) == "2026-03-02"


def test_an_editor_edits_a_campaign(client_for, carol):
    campaign = Campaign.objects.create(name="A", utm_campaign="a")
    response = client_for(carol).post(
        reverse("content:campaign_edit", args=[campaign.pk]),
        {**VALID, "utm_campaign": "Printemps-26"},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.utm_campaign == "printemps-26"


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"utm_campaign": "pas d'espace"},
        {"utm_campaign": "déjà-pris"},
        {"ends_on": "2026-03-01"},
        {"goal": "likes"},
        {"goal_target": "-1"},
        {"starts_on": "hier"},
    ],
)
def test_bad_campaign_input_changes_nothing(client_for, bob, overrides):
    Campaign.objects.create(name="Autre", utm_campaign="deja-pris")
    if overrides.get("utm_campaign") == "déjà-pris":
        overrides = {"utm_campaign": "deja-pris"}
    response = client_for(bob).post(reverse("content:campaign_new"), {**VALID, **overrides})
    assert response.status_code == 200
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_ambassadors_cannot_touch_campaigns(request, db, client_for, who):
    campaign = Campaign.objects.create(name="A", utm_campaign="a")
    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse("content:campaign_new"), VALID).status_code == 403
    assert client.get(reverse("content:campaign_detail", args=[campaign.pk])).status_code == 403
    assert (
        client.post(reverse("content:campaign_edit", args=[campaign.pk]), VALID).status_code == 403
    )
    assert Campaign.objects.get().name == "A"


def test_the_campaign_page_lists_its_posts_and_shares(client_for, bob, alice):
    campaign = Campaign.objects.create(name="A", utm_campaign="a", goal="shares", goal_target=4)
    post = make_post("Dans la campagne", campaign=campaign)
    make_post("Ailleurs")
    Share.objects.create(post=post, person=alice, network="x", text="x")
    page = (
        client_for(bob).get(reverse("content:campaign_detail", args=[campaign.pk])).content.decode()
    )
    assert "Dans la campagne" in page and "Ailleurs" not in page
    assert "(25 %)" in page
