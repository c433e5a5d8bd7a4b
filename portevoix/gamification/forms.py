from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.gamification.models import DEFAULT_CLICK_CAP, DEFAULT_POINTS, Action
from portevoix.gamification.points import rule_in_force

MAX_POINTS = 10_000


class PointRulesForm(forms.Form):
    """Points per action; saving adds rules valid from now on, so past activity keeps its score."""

    def __init__(self, *args, now, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for action in Action:
            rule = rule_in_force(action=action, at=now)
            self.fields[action.value] = forms.IntegerField(
                label=action.label,
                min_value=0,
                max_value=MAX_POINTS,
                initial=rule.points if rule else DEFAULT_POINTS[action],
            )
        rule = rule_in_force(action=Action.VERIFIED_CLICK, at=now)
        self.fields["daily_cap_per_link"] = forms.IntegerField(
            label=_("Verified clicks earning points, per link and per day"),
            min_value=0,
            max_value=1000,
            initial=rule.daily_cap_per_link
            if rule and rule.daily_cap_per_link is not None
            else DEFAULT_CLICK_CAP,
        )
