from datetime import UTC, datetime
from typing import cast

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Person
from portevoix.accounts.scopes import WHOLE, scope_of
from portevoix.content.models import Post
from portevoix.content.selectors import posts_visible
from portevoix.core.forms import OneLineField
from portevoix.gamification.models import DEFAULT_CLICK_CAP, DEFAULT_POINTS, Action, Challenge, Mode
from portevoix.gamification.points import rule_in_force

MAX_POINTS = 10_000
FIRST_YEAR, LAST_YEAR = 2000, 9000  # a challenge's dates, as the REST API's (api/schemas.py)
SHOWN_POSTS = 300  # the challenge form lists this many of the latest posts


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


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "metric",
            "campaign",
            "posts",
            "mode",
            "teams",
            "min_threshold",
            "winners_count",
            "reward",
        ]
        field_classes = {"title": OneLineField, "reward": OneLineField}
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "posts": forms.SelectMultiple(attrs={"size": 8}),
            "teams": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, viewer: Person | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope_of(viewer) if viewer is not None else WHOLE
        posts = Post.objects.all() if viewer is None else posts_visible(viewer)
        eligible = posts.exclude(kind="announcement").order_by("-published_at", "-id")
        field = cast(forms.ModelMultipleChoiceField, self.fields["posts"])
        field.queryset = eligible  # unsliced: the field filters it to check the chosen ids
        field.widget.choices = self._shown_posts(field, eligible)
        field.required = False
        if not self.scope.is_whole:
            teams = cast(forms.ModelMultipleChoiceField, self.fields["teams"])
            teams.queryset = self.scope.groups()

    def _shown_posts(
        self, field: forms.ModelMultipleChoiceField, eligible: QuerySet[Post]
    ) -> ModelChoiceIterator:
        """What the list offers: the latest SHOWN_POSTS eligible posts, plus the challenge's
        posts and those just chosen (so an older one is not dropped on saving again)."""
        chosen: set[int] = set()
        if self.instance.pk:
            chosen.update(self.instance.posts.values_list("pk", flat=True))
        if self.is_bound:
            key = self.add_prefix("posts")
            data = self.data
            values = data.getlist(key) if isinstance(data, QueryDict) else data.get(key) or []
            values = values if isinstance(values, list | tuple) else [values]
            chosen.update(int(v) for v in values if str(v).isdigit() and len(str(v)) < 19)
        latest = eligible.values("pk")[:SHOWN_POSTS]
        choices = ModelChoiceIterator(field)
        choices.queryset = eligible.filter(Q(pk__in=latest) | Q(pk__in=chosen))
        return choices

    def _moment_in_bounds(self, name: str) -> datetime | None:
        """Between the years 2000 and 9000 in UTC, as the REST API's dates (api/schemas.py):
        year 1 in a time zone ahead of UTC cannot even be stored."""
        moment: datetime | None = self.cleaned_data.get(name)
        if moment is None:
            return None
        try:
            year = moment.astimezone(UTC).year
        except OverflowError:
            year = moment.year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between the years %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return moment

    def clean_starts_at(self) -> datetime | None:
        return self._moment_in_bounds("starts_at")

    def clean_ends_at(self) -> datetime | None:
        return self._moment_in_bounds("ends_at")

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        if not data.get("campaign") and not data.get("posts"):
            raise forms.ValidationError(
                _("Choose a campaign or some posts: the challenge needs a scope.")
            )
        if data.get("campaign") and data.get("posts"):
            raise forms.ValidationError(_("Choose a campaign or posts, not both."))
        if data.get("campaign") and not self.scope.is_whole:
            self.add_error(
                "campaign",
                _(
                    "A challenge on a whole campaign is for the whole organisation: choose "
                    "posts of your scope instead."
                ),
            )
        if data.get("mode") == Mode.TEAM and len(data.get("teams") or []) < 2:
            self.add_error("teams", _("A team challenge needs at least two groups."))
        if data.get("winners_count") == 0:
            self.add_error("winners_count", _("There must be at least one winner."))
        return data
