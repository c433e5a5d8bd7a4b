from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.core.audit import audit_change, model_snapshot
from portevoix.gamification.challenges import (
    challenge_standings,
    challenges_visible,
    my_standing,
)
from portevoix.gamification.forms import ChallengeForm


@login_required
def challenge_list(request: AuthenticatedRequest) -> HttpResponse:
    now = timezone.now()
    challenges = challenges_visible(request.user)
    return render(
        request,
        "gamification/challenges.html",
        {
            "running": [c for c in challenges if c.is_running(now)],
            "upcoming": [c for c in challenges if c.starts_at > now],
            "closed": [c for c in challenges if c.ends_at <= now],
        },
    )


@login_required
def challenge_detail(request: AuthenticatedRequest, challenge_id: int) -> HttpResponse:
    challenge = get_object_or_404(challenges_visible(request.user), pk=challenge_id)
    closed = challenge.closed_at is not None
    standings = challenge.results.all() if closed else challenge_standings(challenge=challenge)
    return render(
        request,
        "gamification/challenge_detail.html",
        {
            "challenge": challenge,
            "closed": closed,
            "standings": standings,
            "mine": my_standing(challenge=challenge, person=request.user),
        },
    )


@pilot_required
def challenge_edit(request: AuthenticatedRequest, challenge_id: int | None = None) -> HttpResponse:
    visible = challenges_visible(request.user)
    challenge = get_object_or_404(visible, pk=challenge_id) if challenge_id else None
    if challenge is not None and challenge.closed_at is not None:
        messages.error(request, _("A closed challenge cannot change: its results are final."))
        return redirect("gamification:challenge", challenge_id=challenge.pk)
    before = model_snapshot(challenge) if challenge else {}
    form = ChallengeForm(request.POST or None, instance=challenge, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        challenge = form.save(commit=False)
        challenge.created_by = challenge.created_by or request.user
        challenge.save()
        form.save_m2m()
        audit_change(
            actor=request.user,
            action="challenge_changed" if before else "challenge_created",
            target=challenge,
            before=before,
            after=model_snapshot(challenge),
        )
        messages.success(request, _("Challenge saved."))
        return redirect("gamification:challenge", challenge_id=challenge.pk)
    return render(
        request, "gamification/challenge_edit.html", {"form": form, "challenge": challenge}
    )
