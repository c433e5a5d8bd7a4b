"""The retention page (admins): how long each kind of data is kept, within its bounds
(core/retention.py; docs/governance.md, "Retention")."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.core.retention import (
    RetentionError,
    retention_durations,
    retention_kinds,
    retention_set,
)


class RetentionForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        durations = retention_durations()
        for kind in retention_kinds():
            self.fields[kind.code] = forms.IntegerField(
                label=str(kind.label),
                min_value=kind.min_days,
                max_value=kind.max_days,
                initial=durations[kind.code],
                help_text=_("%(rule)s Between %(min)d and %(max)d days (default %(default)d).")
                % {
                    "rule": kind.rule,
                    "min": kind.min_days,
                    "max": kind.max_days,
                    "default": kind.default(),
                },
            )


@admin_required
def retention_settings(request: AuthenticatedRequest) -> HttpResponse:
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention_set(actor=request.user, days=form.cleaned_data)
        except RetentionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved: the next daily purge applies these periods."))
            return redirect("accounts:retention")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/retention.html", {"form": form}, status=status)
