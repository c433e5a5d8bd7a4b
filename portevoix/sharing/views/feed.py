"""Everybody's home page is their feed: what targets them, to read and share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.charter import current_charter, has_accepted
from portevoix.sharing.forms import EVERYTHING, FeedFilterForm
from portevoix.sharing.selectors import feed_filter_choices, feed_for_person

WELCOME_READ = "home_welcome_read"


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The site's home page (`core:home`, routed in portevoix/urls.py): the feed, under the
    charter's invitation until the person has accepted it. The layout is the site's
    (core/home.html)."""
    charter = current_charter()
    context = {
        "charter": charter,
        "charter_accepted": has_accepted(request.user, charter),
        # The first screen of a phone is for sharing: the welcome and the checklist are open
        # the first time the home page is shown in a session, folded after (one tap opens).
        "welcome_folded": request.session.get(WELCOME_READ, False),
        **feed_context(request),
    }
    request.session[WELCOME_READ] = True
    return render(request, "core/home.html", context)


def feed_context(request: AuthenticatedRequest) -> dict[str, Any]:
    """The feed for the home page, filtered by topic and campaign."""
    topics, campaigns = feed_filter_choices()
    filters = FeedFilterForm(request.GET or None, topics=topics, campaigns=campaigns)
    data = filters.cleaned_data if filters.is_valid() else {}
    page = feed_for_person(
        person=request.user,
        topic_id=data.get("topic"),
        campaign_id=data.get("campaign"),
        page=data.get("page") or 1,
        for_you=data.get("order") != EVERYTHING,
    )
    query = request.GET.copy()
    query.pop("page", None)
    order_query = query.copy()
    order_query.pop("order", None)
    return {
        "feed": page,
        "feed_filters": filters,
        "feed_query": query.urlencode(),
        "feed_order_query": order_query.urlencode(),
    }
