"""A campaign's page counts what the dashboard's goal card counts: the campaign's days, and,
for an editor limited to groups, the posts of their scope."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.tests.scoped_world import scoped_world
from portevoix.analytics.glance import goal_progress
from portevoix.content.models import Campaign
from portevoix.content.tests.factories import make_post
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for


def test_the_goal_counts_the_shares_of_the_campaign_s_days(client_for, bob, alice):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Hiver",
        utm_campaign="hiver",
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=30),
        goal="shares",
        goal_target=2,
    )
    post = make_post(campaign=campaign)
    link = tracked_link_for(post=post, ambassador=alice, network="linkedin")
    during = timezone.now() - timedelta(days=45)
    Share.objects.create(post=post, person=alice, network="x", tracked_link=link, created_at=during)
    for _ in range(2):  # after the campaign ended
        Share.objects.create(post=post, person=alice, network="linkedin", tracked_link=link)
    page = client_for(bob).get(reverse("content:campaign_detail", args=[campaign.pk]))
    assert (page.context["share_count"], page.context["progress"]) == (1, 50)
    assert goal_progress(campaign_id=campaign.pk, today=today).reached == 1


def test_the_list_counts_the_posts_of_a_scoped_editor_s_scope(client_for, bob):
    world = scoped_world(bob)
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    for key in ("post_in", "post_out"):
        world.objects[key].campaign = campaign
        world.objects[key].save(update_fields=["campaign"])
    listed = client_for(world.sam).get(reverse("content:campaigns")).context["campaigns"]
    assert [c.post_count for c in listed] == [1]
    listed = client_for(bob).get(reverse("content:campaigns")).context["campaigns"]
    assert [c.post_count for c in listed] == [2]
