"""The admin's pages for people, groups, invitations and imports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.forms import GroupForm, ImportForm, InviteForm, PersonForm
from portevoix.accounts.invitations import invitation_issue
from portevoix.accounts.models import Group
from portevoix.accounts.people import person_deactivate, person_reactivate
from portevoix.accounts.people_import import people_import
from portevoix.accounts.scopes import scope_of
from portevoix.core.audit import audit_change, audit_record, model_snapshot


@admin_required
def people_list(request: AuthenticatedRequest) -> HttpResponse:
    people = (
        scope_of(request.user)
        .people()
        .prefetch_related("groups", "scope_groups")
        .order_by("full_name")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/people_list.html", {"page": page, "query": query})


@admin_required
def person_edit(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(scope_of(request.user).people(), pk=person_id)
    before = model_snapshot(person)
    form = PersonForm(request.POST or None, instance=person, editor=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_change(
            actor=request.user,
            action="person_changed",
            target=person,
            before=before,
            after=model_snapshot(person),
        )
        messages.success(request, _("Saved."))
        return redirect("accounts:people")
    return render(request, "accounts/person_edit.html", {"form": form, "person": person})


@admin_required
@require_POST
def person_active(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(scope_of(request.user).people(), pk=person_id)
    if person == request.user:
        messages.error(request, _("You cannot deactivate yourself."))
    elif request.POST.get("active") == "1":
        person_reactivate(person=person)
        audit_record(actor=request.user, action="person_reactivated", target=person)
        messages.success(request, _("%(name)s is active again.") % {"name": person})
    else:
        person_deactivate(person=person)
        audit_record(actor=request.user, action="person_deactivated", target=person)
        messages.success(
            request, _("%(name)s is deactivated; their history is kept.") % {"name": person}
        )
    return redirect("accounts:person_edit", person_id=person.pk)


@admin_required
def person_invite(request: AuthenticatedRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        invitation = invitation_issue(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=form.cleaned_data["role"],
            groups=list(form.cleaned_data["groups"]),
            invited_by=request.user,
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:people")
    return render(request, "accounts/person_invite.html", {"form": form})


@admin_required
def people_import_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = people_import(data=form.cleaned_data["file"].read(), invited_by=request.user)
        if report.ok:
            audit_record(actor=request.user, action="people_imported", count=len(report.rows))
            messages.success(
                request, _("%(count)d people imported and invited.") % {"count": len(report.rows)}
            )
            return redirect("accounts:people")
    status = 400 if report is not None and not report.ok else 200
    return render(
        request, "accounts/people_import.html", {"form": form, "report": report}, status=status
    )


@admin_required
def group_list(request: AuthenticatedRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        audit_change(
            actor=request.user,
            action="group_created",
            target=group,
            before={},
            after=model_snapshot(group),
        )
        messages.success(request, _("Group created."))
        return redirect("accounts:groups")
    groups = Group.objects.annotate(member_count=Count("members"))
    return render(request, "accounts/groups.html", {"form": form, "groups": groups})
