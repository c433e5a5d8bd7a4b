"""Four-eyes approval: the rule, and what changed in a post since its last approval."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portevoix.accounts.models import Person
from portevoix.content.models import ApprovalSettings, Post, PostAction, PostEvent

# What an approval covers, in the order the review page shows it.
REVIEWED = {
    "title": gettext_lazy("Title"),
    "commentary": gettext_lazy("Commentary"),
    "url": gettext_lazy("Destination URL"),
    "audience": gettext_lazy("Audience"),
    "messages": gettext_lazy("Suggested messages"),
    # What the feed and the shared link show around the text: changed after approval, it
    # would go out unreviewed.
    "preview": gettext_lazy("Preview and image"),
}


def approval_settings() -> ApprovalSettings:
    found, _created = ApprovalSettings.objects.get_or_create(pk=1)
    return found


def approval_required() -> bool:
    return approval_settings().approval_required


def approval_set(*, required: bool, by: Person) -> ApprovalSettings:
    found = approval_settings()
    found.approval_required = required
    found.updated_by = by
    found.updated_at = timezone.now()
    found.save()
    return found


def post_snapshot(post: Post) -> dict[str, str]:
    """The reviewed parts of a post as text, one entry per part."""
    groups = sorted(post.target_groups.values_list("name", flat=True))
    audience = [_("Groups: %(names)s") % {"names": ", ".join(groups) or _("everybody")}]
    audience.append(_("Languages: %(codes)s") % {"codes": ", ".join(post.language_codes) or "*"})
    audience.append(_("Open to alumni") if post.open_to_alumni else _("Not for alumni"))
    messages = [f"[{m.network or '*'} {m.language}] {m.text}" for m in post.messages.order_by("pk")]
    return {
        "title": post.title,
        "commentary": post.commentary,
        "url": post.url,
        "audience": "\n".join(audience),
        "messages": "\n".join(messages),
        "preview": "\n".join(
            [post.preview_title, post.preview_description, post.preview_image_url, post.image.name]
        ).strip(),
    }


@dataclass(frozen=True)
class FieldChange:
    name: str  # a key of REVIEWED
    label: str
    lines: list[str]  # a unified diff, "-" removed and "+" added


def last_approval(post: Post) -> PostEvent | None:
    return post.events.filter(action=PostAction.APPROVED).order_by("-at", "-pk").first()


def post_changes_since_approval(post: Post) -> list[FieldChange]:
    """Each reviewed part that differs from what the last approval saw (everything, for a post
    never approved)."""
    approved = last_approval(post)
    before = approved.snapshot if approved else {}
    now = post_snapshot(post)
    found = []
    for name, label in REVIEWED.items():
        old, new = before.get(name, ""), now[name]
        if old != new:
            lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
            # The first two lines name the files and the hunk headers only count lines.
            kept = [line for line in list(lines)[2:] if not line.startswith("@@")]
            found.append(FieldChange(name, str(label), kept))
    return found
