"""The pilot team's forms: posts with their suggested messages, campaigns, topics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import model_to_dict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Group
from portevoix.content.compliance import MAX_BLOCKED_WORDS, compliance_settings
from portevoix.content.destinations import destination_url_problem
from portevoix.content.images import image_problem
from portevoix.content.models import Campaign, Post, Topic
from portevoix.content.suggested import MessageData, message_problems
from portevoix.sharing.targets import TARGETS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_MESSAGES = 30


def _field(name: str, **kwargs: Any) -> forms.Field:
    return Post._meta.get_field(name).formfield(**kwargs)


class PostForm(forms.Form):
    """Validates; the services in content/posts.py save."""

    title = _field("title")
    kind = _field("kind")
    url = forms.CharField(
        label=_("Destination URL"),
        max_length=2000,
        required=False,
        widget=forms.URLInput,
        help_text=_("the page ambassadors share; its preview is read when you enter it"),
    )
    commentary = _field("commentary", widget=forms.Textarea(attrs={"rows": 4}))
    preview_title = _field("preview_title")
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
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False
    )
    target_groups = forms.ModelMultipleChoiceField(
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
    published_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("empty: when you publish"),
    )
    expires_at = forms.DateTimeField(label=_("Expires at"), required=False, widget=DATETIME_WIDGET)
    event_starts_at = forms.DateTimeField(
        label=_("Event date"), required=False, widget=DATETIME_WIDGET
    )
    location = _field("location")

    def __init__(self, *args: Any, post: Post | None = None, **kwargs: Any) -> None:
        if post is not None and "initial" not in kwargs:
            initial = model_to_dict(post, exclude=["image", "languages"])
            initial["languages"] = post.language_codes
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.post = post

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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        published_at, expires_at = data.get("published_at"), data.get("expires_at")
        if published_at and expires_at and expires_at <= published_at:
            self.add_error("expires_at", _("The expiry date must come after the publication date."))
        return data


class MessageForm(forms.Form):
    network = forms.ChoiceField(
        label=_("Network"),
        choices=[("", _("Every network"))] + [(n, TARGETS[n].network.label) for n in TARGETS],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    text = forms.CharField(
        label=_("Text"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("text", "").strip()
        if text and "network" in data:
            for problem in message_problems(network=data["network"], text=text, rules=self.rules):
                self.add_error("text", problem)
        return data

    @property
    def rules(self):
        if not hasattr(self, "_rules"):
            self._rules = compliance_settings()
        return self._rules


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
    return formset_class(data, initial=initial, prefix="messages")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "utm_campaign",
            "description",
            "starts_on",
            "ends_on",
            "goal",
            "goal_target",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["utm_campaign"].required = False
        self.fields["utm_campaign"].help_text = _(
            "lower case, digits and dashes; empty: made from the name"
        )

    def clean_utm_campaign(self) -> str:
        value = self.cleaned_data["utm_campaign"] or slugify(self.cleaned_data.get("name", ""))
        if not value:
            raise forms.ValidationError(_("Give the campaign a name or a UTM campaign name."))
        value = value.lower()
        if Campaign.objects.filter(utm_campaign=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another campaign already uses this UTM name."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name"]


class SuggestionForm(forms.Form):
    url = forms.CharField(label=_("Link"), max_length=2000, required=False, widget=forms.URLInput)
    text = forms.CharField(
        label=_("Your text"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("what you would say about it, or an idea of post"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the author reads it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


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
