"""Compliance: words no message may contain, and the disclosure tag every message must carry.
Checked on the pilot team's suggested messages and on the ambassador's final text."""

from __future__ import annotations

import unicodedata

import regex
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.content.models import ComplianceSettings
from portevoix.core.audit import audit_change, model_snapshot

MAX_BLOCKED_WORDS = 500


def fold(text: str) -> str:
    """Lower case without accents: « Confidentiél » is caught by « confidentiel »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def compliance_settings() -> ComplianceSettings:
    settings, _created = ComplianceSettings.objects.get_or_create(pk=1)
    return settings


# Who and when are the log's own columns.
EXCLUDED = ("updated_by", "updated_at")


def compliance_update(
    *, blocked_words: list[str], disclosure_tag: str, by: Person
) -> ComplianceSettings:
    settings = compliance_settings()
    before = model_snapshot(settings, exclude=EXCLUDED)
    unique: list[str] = []
    for word in blocked_words:
        word = " ".join(word.split())
        if word and fold(word) not in {fold(w) for w in unique}:
            unique.append(word)
    settings.blocked_words = "\n".join(unique)
    settings.disclosure_tag = disclosure_tag.strip()
    settings.updated_by = by
    settings.updated_at = timezone.now()
    settings.save()
    audit_change(
        actor=by,
        action="compliance_rules_changed",
        target="compliance",
        before=before,
        after=model_snapshot(settings, exclude=EXCLUDED),
    )
    return settings


def _contains(folded_text: str, word: str) -> bool:
    # Whole words only: blocking « con » must not block « contrat ».
    pattern = r"(?<!\w)" + regex.escape(fold(word)) + r"(?!\w)"
    return regex.search(pattern, folded_text) is not None


def compliance_problems(text: str, *, rules: ComplianceSettings | None = None) -> list[str]:
    """Why this message may not be shared, in words for the person; empty when it may."""
    rules = rules or compliance_settings()
    folded = fold(text)
    problems = []
    found = [word for word in rules.blocked_word_list if _contains(folded, word)]
    if found:
        problems.append(
            _("This text contains words the charter does not allow: %(words)s.")
            % {"words": ", ".join(f"« {word} »" for word in found)}
        )
    if rules.disclosure_tag and not _contains(folded, rules.disclosure_tag):
        problems.append(
            _("Add %(tag)s to say you work here: transparency is part of the charter.")
            % {"tag": rules.disclosure_tag}
        )
    return problems


def with_disclosure(text: str, *, rules: ComplianceSettings | None = None) -> str:
    """The text, with the disclosure tag added at the end when it lacks it."""
    rules = rules or compliance_settings()
    if not rules.disclosure_tag or _contains(fold(text), rules.disclosure_tag):
        return text
    return f"{text.rstrip()} {rules.disclosure_tag}" if text.strip() else rules.disclosure_tag
