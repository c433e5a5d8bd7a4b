""" "What my employer sees about me": one's own page, for every person with an account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.analytics.filters import FilterError, filters_parse
from portevoix.analytics.transparency import kept_words, what_they_see


@login_required
def about_me(request: AuthenticatedRequest) -> HttpResponse:
    """Only one's own: there is no parameter naming someone else."""
    try:
        filters = filters_parse(data=request.GET)
    except FilterError as error:
        return render(request, "analytics/about_me.html", {"error": str(error)}, status=400)
    seen = what_they_see(person=request.user, filters=filters)
    return render(
        request,
        "analytics/about_me.html",
        {
            "filters": filters,
            "seen": [(item, kept_words(item.kept)) for item in seen],
        },
    )
