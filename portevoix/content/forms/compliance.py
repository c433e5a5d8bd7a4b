from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.content.compliance import MAX_BLOCKED_WORDS


class ComplianceForm(forms.Form):
    blocked_words = forms.CharField(
        label=_("Blocked words"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("one word or expression per line; case and accents do not matter"),
    )
    disclosure_tag = forms.CharField(
        label=_("Mandatory disclosure tag"),
        required=False,
        max_length=60,
        help_text=_("every message must contain it, for example #collaborateur; empty: none"),
    )

    def clean_blocked_words(self) -> list[str]:
        words = [line.strip() for line in self.cleaned_data["blocked_words"].splitlines()]
        words = [word for word in words if word]
        if len(words) > MAX_BLOCKED_WORDS:
            raise forms.ValidationError(
                _("At most %(max)d blocked words.") % {"max": MAX_BLOCKED_WORDS}
            )
        if any(len(word) > 100 for word in words):
            raise forms.ValidationError(
                _("A blocked word or expression is 100 characters at most.")
            )
        return words

    def clean_disclosure_tag(self) -> str:
        tag = self.cleaned_data["disclosure_tag"].strip()
        if tag and (any(c.isspace() for c in tag) or len(tag) < 2):
            raise forms.ValidationError(_("One tag without spaces, for example #collaborateur."))
        return tag


class ApprovalForm(forms.Form):
    approval_required = forms.BooleanField(
        label=_("Four-eyes approval"),
        required=False,
        help_text=_(
            "a post goes out only once an editor other than its author approves it; the review "
            "shows what changed since the last approval"
        ),
    )
