from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.content.models import Campaign, Topic
from portevoix.sharing.shares import MAX_TEXT_LENGTH

FOR_YOU = "for-you"
EVERYTHING = "everything"
HOST_NAME = re.compile(r"^(?=.{4,190}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ShareForm(forms.Form):
    text = forms.CharField(
        label=_("My text"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    keep_text = forms.BooleanField(required=False)
    mastodon_instance = forms.CharField(
        label=_("My Mastodon instance"),
        required=False,
        max_length=190,
        help_text=_("for example mastodon.social; it is saved in your profile"),
    )

    def __init__(self, *args, needs_instance: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_instance = needs_instance
        if needs_instance:
            self.fields["mastodon_instance"].required = True

    def clean_mastodon_instance(self) -> str:
        value = self.cleaned_data["mastodon_instance"].strip().lower()
        value = value.removeprefix("https://").removeprefix("http://").rstrip("/")
        if value and not HOST_NAME.match(value):
            raise forms.ValidationError(
                _("Enter the instance's host name, for example mastodon.social.")
            )
        return value


class FeedFilterForm(forms.Form):
    """Choices come from lists the page already holds: no query per select."""

    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False, empty_value=None)
    campaign = forms.TypedChoiceField(
        label=_("Campaign"), coerce=int, required=False, empty_value=None
    )
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    # "For you" ranks the topics I follow first; "everything" keeps priority then newest.
    order = forms.ChoiceField(
        choices=[(FOR_YOU, _("For you")), (EVERYTHING, _("Everything"))], required=False
    )

    def __init__(self, *args, topics: list[Topic], campaigns: list[Campaign], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["topic"]).choices = [("", _("All topics"))] + [
            (t.pk, t.name) for t in topics
        ]
        cast(forms.TypedChoiceField, self.fields["campaign"]).choices = [
            ("", _("All campaigns"))
        ] + [(c.pk, c.name) for c in campaigns]
