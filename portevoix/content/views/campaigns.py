"""Campaigns: a name, dates, a goal, the UTM name every tracked link carries, and posts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.content.forms import CampaignForm
from portevoix.content.models import Campaign
from portevoix.content.selectors import posts_visible
from portevoix.core.audit import audit_change, model_snapshot


@pilot_required
def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    # The posts one may see: a scoped editor does not learn how many other entities have.
    visible = posts_visible(request.user).values("pk")
    campaigns = Campaign.objects.annotate(
        post_count=Count("posts", filter=Q(posts__in=visible), distinct=True)
    )
    return render(request, "content/campaign_list.html", {"campaigns": campaigns})


def _campaign_days(campaign: Campaign) -> tuple[datetime, datetime]:
    """From the campaign's first day to the end of its last (today at most), in the
    organisation's time: the dashboard's goal card counts the same days (analytics/glance.py)."""
    today = timezone.localdate()
    start = campaign.starts_on or timezone.localtime(campaign.created_at).date()
    end = min(campaign.ends_on or today, today)
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return since, until


def _campaign_form_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    before = model_snapshot(campaign) if campaign else {}
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST":
        if form.is_valid():
            created = campaign is None
            campaign = form.save()
            audit_change(
                actor=request.user,  # type: ignore[arg-type]
                action="campaign_created" if created else "campaign_changed",
                target=campaign,
                before=before,
                after=model_snapshot(campaign),
            )
            messages.success(request, _("Campaign saved."))
            return redirect("content:campaign_detail", campaign_id=campaign.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "content/campaign_form.html", {"form": form, "campaign": campaign})


@pilot_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _campaign_form_page(request, None)


@pilot_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _campaign_form_page(request, get_object_or_404(Campaign, pk=campaign_id))


@pilot_required
def campaign_detail(request: AuthenticatedRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    # Campaigns are shared by the whole organisation; their posts are seen through the scope.
    visible = posts_visible(request.user, campaign.posts.all())
    posts = visible.annotate(share_count=Count("shares")).order_by("-published_at", "-id")
    # Through the posts' reverse relation: content sits below sharing and never imports it.
    # The goal counts the campaign's days only, as the dashboard's goal card does.
    since, until = _campaign_days(campaign)
    in_campaign = Q(shares__created_at__gte=since, shares__created_at__lt=until)
    share_count = visible.aggregate(count=Count("shares", filter=in_campaign))["count"]
    progress = None
    if campaign.goal == "shares" and campaign.goal_target:
        progress = min(100, round(100 * share_count / campaign.goal_target))
    return render(
        request,
        "content/campaign_detail.html",
        {"campaign": campaign, "posts": posts, "share_count": share_count, "progress": progress},
    )
