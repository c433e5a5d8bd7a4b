"""The post form and its suggested messages."""

from __future__ import annotations

from datetime import UTC
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Group, Network, Person
from portevoix.accounts.scopes import WHOLE, scope_of
from portevoix.content.compliance import compliance_settings
from portevoix.content.destinations import destination_url_problem
from portevoix.content.forms.fields import IdChoiceField, IdChoicesField
from portevoix.content.images import image_problem
from portevoix.content.messages import MessageData, message_problems
from portevoix.content.models import Campaign, ComplianceSettings, Post, PostStatus, Topic
from portevoix.core.forms import OneLineField

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_MESSAGES = 30


class MomentField(forms.DateTimeField):
    """A date and time between the years 2000 and 9000, as the API takes them
    (api/schemas.py `_moment_in_bounds`): beyond, the database cannot store or read it back
    (year 1 overflows on SQLite, PostgreSQL returns dates Python cannot hold)."""

    def to_python(self, value: Any) -> Any:
        moment = super().to_python(value)
        if moment is not None:
            try:
                year = moment.astimezone(UTC).year
            except OverflowError:
                year = 0
            if not 2000 <= year <= 9000:
                raise forms.ValidationError(
                    _("Enter a date between the years 2000 and 9000."), code="out_of_range"
                )
        return moment


def _field(name: str, **kwargs: Any) -> forms.Field:
    field = Post._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a column of Post"
    formfield = field.formfield(**kwargs)
    assert formfield is not None, f"{name} has no form field"
    return formfield


class PostForm(forms.Form):
    """Validates; the services in content/posts.py save."""

    title = _field("title", form_class=OneLineField)
    kind = _field("kind")
    url = forms.CharField(
        label=_("Destination URL"),
        max_length=2000,
        required=False,
        widget=forms.URLInput,
        help_text=_("the page ambassadors share; its preview is read when you enter it"),
    )
    commentary = _field("commentary", widget=forms.Textarea(attrs={"rows": 4}))
    preview_title = _field("preview_title", form_class=OneLineField)
    preview_description = _field("preview_description", widget=forms.Textarea(attrs={"rows": 3}))
    preview_image_url = forms.CharField(
        label=_("Preview image URL"), max_length=2000, required=False, widget=forms.URLInput
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    topics = IdChoicesField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    campaign = IdChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), required=False)
    target_groups = IdChoicesField(
        label=_("Target groups"),
        queryset=Group.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("none ticked: everybody"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("none ticked: every language"),
    )
    open_to_alumni = _field("open_to_alumni")
    priority = _field("priority")
    points = _field("points", max_value=10_000)
    published_at = MomentField(
        label=_("Publish at"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("empty: when you publish"),
    )
    expires_at = MomentField(label=_("Expires at"), required=False, widget=DATETIME_WIDGET)
    event_starts_at = MomentField(label=_("Event date"), required=False, widget=DATETIME_WIDGET)
    location = _field("location")

    def __init__(
        self, *args: Any, post: Post | None = None, viewer: Person | None = None, **kwargs: Any
    ) -> None:
        if post is not None and "initial" not in kwargs:
            initial = model_to_dict(post, exclude=["image", "languages"])
            initial["languages"] = post.language_codes
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.post = post
        self.scope = scope_of(viewer) if viewer is not None else WHOLE
        if not self.scope.is_whole:
            field = cast(forms.ModelMultipleChoiceField, self.fields["target_groups"])
            field.help_text = _("choose among the groups you work for")
            if not self.is_bound:
                # Offered: the scope's groups. Sent: any group, so that one outside the scope
                # gets the scope's message below rather than "not a valid choice".
                field.queryset = self.scope.groups()

    def clean_target_groups(self) -> Any:
        groups = self.cleaned_data.get("target_groups") or []
        if problem := self.scope.audience_problem(group.pk for group in groups):
            raise forms.ValidationError(problem)
        return groups

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if url and (problem := destination_url_problem(url)):
            raise forms.ValidationError(problem)
        if self.post and url != self.post.url and self.post.tracked_links.exists():
            raise forms.ValidationError(
                _("Ambassadors already share this post: its destination cannot change any more.")
            )
        return url

    def clean_preview_image_url(self) -> str:
        url = self.cleaned_data["preview_image_url"].strip()
        if url and (problem := destination_url_problem(url)):
            raise forms.ValidationError(problem)
        return url

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and (problem := image_problem(image)):
            raise forms.ValidationError(problem)
        return image

    def clean_published_at(self) -> Any:
        published_at = self.cleaned_data.get("published_at")
        # A scheduled post waits for its date: without one the scheduler would never publish
        # it. Refused rather than kept (a live post keeps its date, content/posts.py): the
        # pilot who empties the field means to change when it goes out, and a silently kept
        # date or an immediate publication would both surprise them.
        if published_at is None and self.post and self.post.status == PostStatus.SCHEDULED:
            raise forms.ValidationError(
                _(
                    "A scheduled post needs its publication date: choose one, or send the post "
                    "back to draft."
                ),
                code="required",
            )
        return published_at

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        published_at, expires_at = data.get("published_at"), data.get("expires_at")
        if published_at and expires_at and expires_at <= published_at:
            self.add_error("expires_at", _("The expiry date must come after the publication date."))
        return data


class MessageForm(forms.Form):
    network = forms.ChoiceField(
        label=_("Network"),
        choices=[("", _("Every network")), *Network.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    text = forms.CharField(
        label=_("Text"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, rules: ComplianceSettings | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        text = data.get("text", "").strip()
        if text and "network" in data:
            for problem in message_problems(network=data["network"], text=text, rules=self.rules):
                self.add_error("text", problem)
        return data


class BaseMessageFormSet(forms.BaseFormSet):
    def messages(self) -> list[MessageData]:
        return [
            MessageData(
                f.cleaned_data["network"], f.cleaned_data["language"], f.cleaned_data["text"]
            )
            for f in self.forms
            if f.cleaned_data.get("text", "").strip()
        ]


def message_formset(data: Any = None, *, post: Post | None = None) -> BaseMessageFormSet:
    initial = (
        [
            {"network": m.network, "language": m.language, "text": m.text}
            for m in post.messages.all()
        ]
        if post
        else []
    )
    formset_class = forms.formset_factory(
        MessageForm,
        formset=BaseMessageFormSet,
        extra=2 if initial else 3,
        max_num=MAX_MESSAGES,
        validate_max=True,
    )
    rules = compliance_settings() if data is not None else None  # read once for every row
    return cast(
        BaseMessageFormSet,
        formset_class(data, initial=initial, prefix="messages", form_kwargs={"rules": rules}),
    )
