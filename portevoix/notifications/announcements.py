"""What the platform announces when content is published or a suggestion is decided."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.content.models import Post, Priority, Suggestion, SuggestionStatus
from portevoix.notifications.channels import channel_announce
from portevoix.notifications.models import Kind
from portevoix.notifications.send import person_notify
from portevoix.sharing.selectors import post_audience


def post_published_announce(*, post: Post) -> int:
    """Post the news to Slack/Teams; alert the audience of a high-priority post. Returns the
    number of people alerted."""
    share_path = reverse("sharing:share", args=[post.pk])
    if post.is_shareable:
        channel_announce(
            event="posts",
            title=post.title,
            text=post.commentary[:300],
            url=settings.SITE_URL + share_path,
        )
    if post.priority < Priority.HIGH or not post.is_shareable:
        return 0
    alerted = 0
    for person in post_audience(post=post).filter(notify_priority=True).iterator(chunk_size=500):
        with override(person.language):
            title = _("To share now: %(title)s") % {"title": post.title}
        person_notify(
            person=person,
            kind=Kind.PRIORITY,
            title=title,
            body=post.commentary[:500],
            url=share_path,
        )
        alerted += 1
    return alerted


def suggestion_decided_announce(*, suggestion: Suggestion) -> None:
    author = suggestion.author
    if author is None or not author.is_active:
        return
    with override(author.language):
        if suggestion.status == SuggestionStatus.ACCEPTED:
            title = _("Your suggestion was accepted: thank you!")
            body = suggestion.url or suggestion.text[:200]
        else:
            title = _("Your suggestion was not kept")
            body = _("The pilot team's reason: %(reason)s") % {"reason": suggestion.decline_reason}
    person_notify(person=author, kind=Kind.SUGGESTION, title=title, body=body)
