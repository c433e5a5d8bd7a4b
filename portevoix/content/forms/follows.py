from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.content.forms.fields import IdChoicesField
from portevoix.content.models import Topic


class FollowedTopicsForm(forms.Form):
    topics = IdChoicesField(
        label=_("Topics I follow"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
