from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.content.models import Topic


class FollowedTopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics I follow"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
