"""What the content hub holds about a person, for their data export. On erasure, their
suggestions and the topics they follow (the link, not the topic) go with them; posts, history,
suggestions they decided on and the compliance settings they changed stay, without them
(SET_NULL)."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.content.models import (
    ApprovalSettings,
    ComplianceSettings,
    PostEvent,
    Suggestion,
    Topic,
)


def export_person(person: Person) -> dict:
    return {
        "topics_followed": [t.name for t in Topic.objects.filter(followers=person)],
        "suggestions": [
            {
                "created_at": s.created_at.isoformat(),
                "url": s.url,
                "text": s.text,
                "status": s.status,
                "decline_reason": s.decline_reason,
                "post_id": s.post_id,
            }
            for s in Suggestion.objects.filter(author=person).order_by("created_at")
        ],
        "posts_authored": [
            {"id": post_id, "title": title}
            for post_id, title in person.authored_posts.values_list("id", "title").order_by("id")
        ],
        "post_history": [
            {"at": e.at.isoformat(), "post_id": e.post_id, "action": e.action}
            for e in PostEvent.objects.filter(actor=person).order_by("at", "id")
        ],
        "suggestions_decided": [
            {
                "suggestion_id": s.pk,
                "decided_at": s.decided_at.isoformat() if s.decided_at else None,
                "status": s.status,
                "decline_reason": s.decline_reason,
            }
            for s in Suggestion.objects.filter(decided_by=person).order_by("decided_at", "id")
        ],
        "compliance_settings_updated_at": [
            c.updated_at.isoformat() for c in ComplianceSettings.objects.filter(updated_by=person)
        ],
        "approval_settings_updated_at": [
            a.updated_at.isoformat() for a in ApprovalSettings.objects.filter(updated_by=person)
        ],
    }
