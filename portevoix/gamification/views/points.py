from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.models import Group
from portevoix.core.params import id_param
from portevoix.gamification.badges import BADGES_BY_CODE
from portevoix.gamification.forms import PointRulesForm
from portevoix.gamification.history import points_history
from portevoix.gamification.leaderboards import (
    PERIODS,
    leaderboard,
    leaderboard_group,
    leaderboard_groups,
    rank_of,
    takes_part,
)
from portevoix.gamification.models import Action, BadgeAward, PointRule
from portevoix.gamification.points import points_total
from portevoix.gamification.rules import point_rules_set


@login_required
def leaderboard_view(request: AuthenticatedRequest) -> HttpResponse:
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        messages.error(request, _("Unknown period: showing this month."))
        period = "month"
    group = None
    group_id = request.GET.get("group", "")
    if group_id:
        wanted = id_param(group_id)
        group = Group.objects.filter(pk=wanted).first() if wanted is not None else None
        if group is None:
            messages.error(request, _("Unknown group: showing everybody."))
    group = leaderboard_group(viewer=request.user, group=group)
    return render(
        request,
        "gamification/leaderboard.html",
        {
            "rows": leaderboard(period=period, group=group),
            "me": rank_of(request.user, period=period, group=group),
            "taking_part": takes_part(request.user, group=group),
            "periods": PERIODS,
            "period": period,
            "groups": leaderboard_groups(viewer=request.user),
            "group": group,
        },
    )


@login_required
def my_points(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    badges = [
        (BADGES_BY_CODE[award.badge], award.awarded_at)
        for award in BadgeAward.objects.filter(person=person)
        if award.badge in BADGES_BY_CODE
    ]
    return render(
        request,
        "gamification/my_points.html",
        {
            "total": points_total(person),
            "lines": points_history(person=person),
            "badges": badges,
        },
    )


@admin_required
def point_rules(request: AuthenticatedRequest) -> HttpResponse:
    now = timezone.now()
    form = PointRulesForm(request.POST or None, now=now)
    if request.method == "POST" and form.is_valid():
        point_rules_set(
            actor=request.user,
            points={action.value: form.cleaned_data[action.value] for action in Action},
            daily_cap_per_link=form.cleaned_data["daily_cap_per_link"],
            now=now,
        )
        messages.success(request, _("Point rules saved: they apply from now on."))
        return redirect("gamification:rules")
    history = PointRule.objects.select_related("created_by")[:50]
    return render(request, "gamification/rules.html", {"form": form, "history": history})
