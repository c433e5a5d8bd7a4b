"""Each person chooses the topics they follow: open to everybody who is logged in, as their
profile is."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.content.follows import followed_topics_set
from portevoix.content.forms import FollowedTopicsForm


@login_required
def topics_followed(request: AuthenticatedRequest) -> HttpResponse:
    # Unticking every box posts no field at all: the form is bound to the POST all the same.
    posted = request.method == "POST"
    form = FollowedTopicsForm(
        request.POST if posted else None, initial={"topics": request.user.topics.all()}
    )
    if posted:
        if form.is_valid():
            followed_topics_set(person=request.user, topics=form.cleaned_data["topics"])
            messages.success(request, _("Your topics are saved."))
            return redirect("content:topics_followed")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "content/topics_followed.html", {"form": form})
