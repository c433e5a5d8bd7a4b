from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.sharing.shares import MAX_TEXT_LENGTH

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class MastodonConnectForm(forms.Form):
    instance = forms.CharField(
        label=_("My Mastodon instance"),
        max_length=190,
        help_text=_("for example mastodon.social"),
    )


class BlueskyConnectForm(forms.Form):
    """A handle and an app password: the password opens a session and is not kept."""

    handle = forms.CharField(
        label=_("My Bluesky handle"),
        max_length=253,
        help_text=_("for example name.bsky.social"),
    )
    app_password = forms.CharField(
        label=_("An app password"),
        max_length=100,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class PublishForm(forms.Form):
    """The share page's connected part: the text, and when."""

    text = forms.CharField(
        label=_("My text"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    action = forms.ChoiceField(
        choices=[
            ("now", _("Publish now")),
            ("schedule", _("Schedule")),
            ("good_time", _("At a good time")),
        ]
    )
    publish_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("action") == "schedule" and not data.get("publish_at"):
            self.add_error("publish_at", _("Choose the date and time to publish."))
        return data


class ClientForm(forms.Form):
    client_id = forms.CharField(label=_("Client ID"), max_length=200, required=False)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("leave empty to keep the one already set"),
    )


class SharingRulesForm(forms.Form):
    hours_start = forms.IntegerField(label=_("Sharing hours from"), min_value=0, max_value=23)
    hours_end = forms.IntegerField(label=_("to"), min_value=1, max_value=24)
    weekdays = forms.MultipleChoiceField(
        label=_("Sharing days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    daily_limit = forms.IntegerField(
        label=_("Shares per person, network and day"),
        min_value=0,
        max_value=100,
        help_text=_("0: no limit"),
    )
    post_hour_limit = forms.IntegerField(
        label=_("Connected publications of one post per hour"),
        min_value=0,
        max_value=1000,
        help_text=_("0: no limit"),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("hours_start"), data.get("hours_end")
        if start is not None and end is not None and end <= start:
            self.add_error("hours_end", _("The end must come after the start."))
        return data
