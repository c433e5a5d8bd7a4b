from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portevoix.accounts.charter import current_charter, has_accepted
from portevoix.sharing.views import feed_context

WELCOME_READ = "home_welcome_read"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Everybody's home page is their feed: what targets them, to read and share."""
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
