from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portevoix.accounts.charter import current_charter, has_accepted
from portevoix.sharing.views import feed_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Everybody's home page is their feed: what targets them, to read and share."""
    charter = current_charter()
    context = {
        "charter": charter,
        "charter_accepted": has_accepted(request.user, charter),
        **feed_context(request),
    }
    return render(request, "core/home.html", context)
