"""Ambassadors suggest content; editors accept it (a draft crediting the author) or decline it
with a reason the author reads."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.content.destinations import destination_url_problem
from portevoix.content.drafts import post_create_draft
from portevoix.content.errors import ContentError
from portevoix.content.models import Post, Suggestion, SuggestionStatus
from portevoix.content.signals import suggestion_decided

MAX_PENDING_PER_PERSON = 20


def suggestion_block_reason(person: Person) -> str | None:
    if not person.is_ambassador:
        return _("Join the ambassador programme from your profile to suggest content.")
    return None


def suggestion_create(*, author: Person, url: str, text: str) -> Suggestion:
    if reason := suggestion_block_reason(author):
        raise ContentError(reason)
    url, text = url.strip(), text.strip()
    if not url and not text:
        raise ContentError(_("Suggest a link, a text, or both."))
    if url and (problem := destination_url_problem(url)):
        raise ContentError(problem)
    pending = Suggestion.objects.filter(author=author, status=SuggestionStatus.PENDING).count()
    if pending >= MAX_PENDING_PER_PERSON:
        raise ContentError(
            _("You have %(count)d suggestions waiting already: let the pilot team catch up.")
            % {"count": pending}
        )
    return Suggestion.objects.create(author=author, url=url, text=text)


def _decide(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise ContentError(_("This suggestion has already been handled."))
    return locked


def suggestion_accept(*, suggestion: Suggestion, editor: Person, title: str = "") -> Post:
    """A draft post, its first message the suggested text; the suggestion keeps the credit
    (the post page shows who suggested it, the points rules read it)."""
    with transaction.atomic():
        suggestion = _decide(suggestion)
        first_line = suggestion.text.strip().splitlines()[0] if suggestion.text.strip() else ""
        post = post_create_draft(
            author=editor,
            title=title.strip() or first_line or suggestion.url,
            url=suggestion.url,
            message=suggestion.text,
        )
        suggestion.status = SuggestionStatus.ACCEPTED
        suggestion.decided_by = editor
        suggestion.decided_at = timezone.now()
        suggestion.post = post
        suggestion.save(update_fields=["status", "decided_by", "decided_at", "post"])
        transaction.on_commit(
            lambda: suggestion_decided.send(sender=Suggestion, suggestion=suggestion)
        )
    return post


def suggestion_decline(*, suggestion: Suggestion, editor: Person, reason: str) -> Suggestion:
    reason = reason.strip()
    if not reason:
        raise ContentError(_("Tell the author why: they will read it."))
    with transaction.atomic():
        suggestion = _decide(suggestion)
        suggestion.status = SuggestionStatus.DECLINED
        suggestion.decided_by = editor
        suggestion.decided_at = timezone.now()
        suggestion.decline_reason = reason
        suggestion.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        transaction.on_commit(
            lambda: suggestion_decided.send(sender=Suggestion, suggestion=suggestion)
        )
    return suggestion
