"""A person's points history, each line with what it is about: the post of a share, a click
or a conversion, the lesson completed, the suggestion accepted. The ledger keeps only a
source ("link:12", "click:…" with its slot "link:12:2026-12-05:3", "conversion:7",
"lesson:3", "suggestion:5"); the subjects of a page of lines are read in one query per kind."""

from __future__ import annotations

from dataclasses import dataclass

from portevoix.academy.models import Lesson
from portevoix.accounts.models import Person
from portevoix.content.models import Suggestion
from portevoix.gamification.models import PointEntry
from portevoix.tracking.models import Conversion, TrackedLink


@dataclass(frozen=True)
class HistoryLine:
    entry: PointEntry
    subject: str  # the post, lesson or suggestion; "" when gone since


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _reference(entry: PointEntry) -> tuple[str, int | None]:
    """(kind, id) of what the entry is about: a verified click names its link in its slot."""
    kind, _sep, rest = entry.source.partition(":")
    if kind == "click":
        kind, _sep, rest = entry.slot.partition(":")
        rest = rest.split(":", 1)[0]
    return kind, _number(rest)


def points_history(*, person: Person, limit: int = 200) -> list[HistoryLine]:
    entries = list(PointEntry.objects.filter(person=person)[:limit])
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        kind, pk = _reference(entry)
        if pk is not None:
            wanted.setdefault(kind, set()).add(pk)
    subjects: dict[tuple[str, int | None], str] = {}
    if ids := wanted.get("link"):
        for pk, title in TrackedLink.objects.filter(pk__in=ids).values_list("pk", "post__title"):
            subjects[("link", pk)] = title
    if ids := wanted.get("conversion"):
        rows = Conversion.objects.filter(pk__in=ids).values_list("pk", "link__post__title")
        subjects.update((("conversion", pk), title) for pk, title in rows)
    if ids := wanted.get("lesson"):
        lessons = Lesson.objects.filter(pk__in=ids).values_list("pk", "title")
        subjects.update((("lesson", pk), title) for pk, title in lessons)
    if ids := wanted.get("suggestion"):
        for suggestion in Suggestion.objects.filter(pk__in=ids).select_related("post"):
            subjects[("suggestion", suggestion.pk)] = (
                suggestion.post.title if suggestion.post else str(suggestion)
            )
    return [
        HistoryLine(entry=entry, subject=subjects.get(_reference(entry), "") or "")
        for entry in entries
    ]
