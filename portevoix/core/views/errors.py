"""Error pages in the person's language, with the reason a Portevoix view gave, if any."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.views.decorators.csrf import requires_csrf_token


def public_message(exception: Exception | None) -> str:
    """The reason our own code gave (`raise Http404(_("These statistics are not yours."))`),
    or "" when there is none to show. Messages raised inside Django are not shown: they are in
    English, name our models ("No Post matches the given query.") or, for media files, give the
    server's folders; a URL that matches no route carries a dict, not a sentence."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    if not isinstance(message, str | Promise):
        return ""
    frame = exception.__traceback__
    if frame is None:
        return ""
    while frame.tb_next is not None:
        frame = frame.tb_next
    raised_in = frame.tb_frame.f_globals.get("__name__", "")
    return str(message) if raised_in.startswith("portevoix.") else ""


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"message": public_message(exception)}, status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"message": public_message(exception)}, status=404)
