from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portevoix.content.models import Topic
from portevoix.core.fetch import FetchError, check_fetchable_url
from portevoix.core.forms import OneLineField
from portevoix.veille.inbox import STATUSES
from portevoix.veille.matching import term_pattern, terms_split
from portevoix.veille.models import Source, Tone, Watch

MAX_TERMS = 50


class SourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("feed address"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("The address of an RSS or Atom feed (http:// or https://)."),
    )

    class Meta:
        model = Source
        fields = ["name", "url", "kind", "topics", "fetch_interval_minutes"]
        field_classes = {"name": OneLineField}
        widgets = {"topics": forms.CheckboxSelectMultiple}

    def clean_url(self) -> str:
        try:
            url = check_fetchable_url(self.cleaned_data["url"])
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None
        others = Source.objects.filter(url=url)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This feed is already a source."))
        return url


def _clean_terms(value: str, *, required: bool) -> str:
    terms = terms_split(value)
    if len(terms) > MAX_TERMS:
        raise forms.ValidationError(_("At most %(max)d terms, please.") % {"max": MAX_TERMS})
    unusable = [t for t in terms if not term_pattern(t)]
    if unusable:
        raise forms.ValidationError(
            _("These terms have no letter or digit: %(terms)s") % {"terms": ", ".join(unusable)}
        )
    if required and not terms:
        raise forms.ValidationError(_("Give at least one term."))
    return "\n".join(terms)


class WatchForm(forms.ModelForm):
    class Meta:
        model = Watch
        fields = [
            "name",
            "kind",
            "terms",
            "exclude_terms",
            "alert_min_negative",
            "alert_window_hours",
            "alert_rate_factor",
        ]
        field_classes = {"name": OneLineField}
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 4}),
            "exclude_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_terms(self) -> str:
        return _clean_terms(self.cleaned_data["terms"], required=True)

    def clean_exclude_terms(self) -> str:
        return _clean_terms(self.cleaned_data["exclude_terms"], required=False)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("new", _("New")),
            ("used", _("Already used")),
            ("dismissed", _("Dismissed")),
            ("all", _("All")),
        ],
    )
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=Source.objects.all(), required=False, empty_label=_("All")
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All")
    )
    watch = forms.ModelChoiceField(
        label=_("Watch"), queryset=Watch.objects.all(), required=False, empty_label=_("All")
    )
    tone = forms.ChoiceField(
        label=_("Tone"), required=False, choices=[("", _("All")), *Tone.choices]
    )

    def __init__(
        self,
        *args: Any,
        sources: QuerySet[Source] | None = None,
        watches: QuerySet[Watch] | None = None,
        **kwargs: Any,
    ) -> None:
        """`sources` and `watches`: those the viewer may filter by (their entity scope's)."""
        super().__init__(*args, **kwargs)
        if sources is not None:
            cast(forms.ModelChoiceField, self.fields["source"]).queryset = sources
        if watches is not None:
            cast(forms.ModelChoiceField, self.fields["watch"]).queryset = watches

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data.get("status") if data.get("status") in STATUSES else "new",
            "source_id": data["source"].pk if data.get("source") else None,
            "topic_id": data["topic"].pk if data.get("topic") else None,
            "watch_id": data["watch"].pk if data.get("watch") else None,
            "tone": data.get("tone") or "",
        }
