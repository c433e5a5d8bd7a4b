from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portevoix.content.forms.posts import DATE_WIDGET
from portevoix.content.models import Campaign, Topic
from portevoix.core.forms import OneLineField


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
        field_classes = {"name": OneLineField}
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
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name"]
        field_classes = {"name": OneLineField}
