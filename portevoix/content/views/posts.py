"""The pilot team's pages for posts: list, create, edit, detail, workflow, link preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.accounts.models import Network
from portevoix.content.destinations import destination_url_problem
from portevoix.content.errors import ContentError
from portevoix.content.forms import PostForm, message_formset
from portevoix.content.models import Campaign, Post, PostKind, PostStatus
from portevoix.content.posts import post_create, post_update
from portevoix.content.preview import link_preview_read
from portevoix.content.review import approval_required, last_approval, post_changes_since_approval
from portevoix.content.selectors import posts_visible
from portevoix.content.workflow import (
    ALLOWED_FROM,
    post_archive,
    post_publish,
    post_publish_refusal,
    post_return_to_draft,
    post_submit,
)
from portevoix.core.fetch import FetchError
from portevoix.core.params import id_param

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# action → (its transition in ALLOWED_FROM, the service doing it, the message once done)
ACTIONS: dict[str, tuple[str, Callable[..., object], StrOrPromise]] = {
    "submit": ("submitted", post_submit, gettext_lazy("Sent for review.")),
    "publish": (
        "published",
        post_publish,
        gettext_lazy("Done: the post is published or scheduled."),
    ),
    "return": ("returned", post_return_to_draft, gettext_lazy("Back to draft.")),
    "archive": ("archived", post_archive, gettext_lazy("Archived.")),
}


@pilot_required
def post_list(request: AuthenticatedRequest) -> HttpResponse:
    posts = (
        posts_visible(request.user).select_related("campaign").annotate(share_count=Count("shares"))
    )
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    campaign = request.GET.get("campaign", "")
    # NUL never reaches the database (PostgreSQL refuses it in any text: a 500).
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if status in PostStatus.values:
        posts = posts.filter(status=status)
    if kind in PostKind.values:
        posts = posts.filter(kind=kind)
    if (campaign_id := id_param(campaign)) is not None:
        posts = posts.filter(campaign_id=campaign_id)
    if query:
        posts = posts.filter(Q(title__icontains=query) | Q(url__icontains=query))
    posts = posts.order_by("-created_at", "-id")
    page = Paginator(posts, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "content/post_list.html",
        {
            "page": page,
            "statuses": PostStatus.choices,
            "kinds": PostKind.choices,
            "campaigns": Campaign.objects.all(),
            "filters": {"status": status, "kind": kind, "campaign": campaign, "q": query},
        },
    )


def _form_with_preview(request: AuthenticatedRequest, post: Post | None) -> PostForm:
    """The form as typed, with the preview fields filled from the page (when they are empty)."""
    initial: dict[str, Any] = {}
    for name, field in PostForm.base_fields.items():
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        initial[name] = request.POST.getlist(name) if multiple else request.POST.get(name, "")
    url = initial.get("url", "").strip()
    problem = destination_url_problem(url) if url else _("Enter the destination URL first.")
    if problem:
        messages.error(request, problem)
    else:
        try:
            preview = link_preview_read(url)
        except FetchError as error:
            messages.warning(
                request,
                _("The preview could not be read (%(error)s): type it yourself.")
                % {"error": error},
            )
        else:
            for name, value in (
                ("preview_title", preview.title),
                ("preview_description", preview.description),
                ("preview_image_url", preview.image_url),
            ):
                initial[name] = initial.get(name) or value
            initial["title"] = initial.get("title") or preview.title[:200]
            messages.success(request, _("Preview read from the page."))
    return PostForm(initial=initial, post=post, viewer=request.user)


def _post_form_page(request: AuthenticatedRequest, post: Post | None) -> HttpResponse:
    form = PostForm(request.POST or None, request.FILES or None, post=post, viewer=request.user)
    formset = message_formset(request.POST or None, post=post)
    if request.method == "POST":
        if "read_preview" in request.POST:
            form = _form_with_preview(request, post)
        elif form.is_valid() and formset.is_valid():
            try:
                if post is None:
                    post = post_create(
                        author=request.user, data=form.cleaned_data, messages=formset.messages()
                    )
                else:
                    post_update(
                        post=post,
                        actor=request.user,
                        data=form.cleaned_data,
                        messages=formset.messages(),
                    )
            except ContentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Post saved."))
                return redirect("content:post_detail", post_id=post.pk)
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request, "content/post_form.html", {"form": form, "formset": formset, "post": post}
    )


@pilot_required
def post_new(request: AuthenticatedRequest) -> HttpResponse:
    return _post_form_page(request, None)


@pilot_required
def post_edit(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    return _post_form_page(request, get_object_or_404(posts_visible(request.user), pk=post_id))


@pilot_required
def post_detail(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(
        posts_visible(request.user)
        .select_related("campaign", "author")
        .prefetch_related("topics", "target_groups", "messages"),
        pk=post_id,
    )
    four_eyes = approval_required()
    publish_label = _("Approve and publish") if four_eyes else _("Publish")
    actions = [
        (name, label)
        for name, label in (
            ("submit", _("Send for review")),
            ("publish", publish_label),
            ("return", _("Send back to draft") if four_eyes else _("Back to draft")),
            ("archive", _("Archive")),
        )
        if post.status in ALLOWED_FROM[ACTIONS[name][0]]
    ]
    refusal = None
    if any(name == "publish" for name, _label in actions):
        # The button is hidden from whoever may not approve; the service refuses them anyway.
        refusal = post_publish_refusal(post=post, actor=request.user)
        if refusal:
            actions = [(name, label) for name, label in actions if name != "publish"]
    shares = [
        (Network(row["network"]).label, row["count"])
        for row in post.shares.values("network").annotate(count=Count("id")).order_by("-count")
    ]
    return render(
        request,
        "content/post_detail.html",
        {
            "post": post,
            "actions": actions,
            "publish_refusal": refusal,
            "four_eyes": four_eyes,
            "changes": post_changes_since_approval(post) if four_eyes else [],
            "last_approval": last_approval(post) if four_eyes else None,
            "events": post.events.select_related("actor"),
            "shares_by_network": shares,
            "suggestion": getattr(post, "suggestion", None),
        },
    )


@pilot_required
@require_POST
def post_action(request: AuthenticatedRequest, post_id: int, action: str) -> HttpResponse:
    post = get_object_or_404(posts_visible(request.user), pk=post_id)
    if action not in ACTIONS:
        return redirect("content:post_detail", post_id=post.pk)
    _name, service, done = ACTIONS[action]
    note = request.POST.get("note", "")[:1000]
    try:
        if action in ("return", "publish"):
            service(post=post, actor=request.user, note=note)
        else:
            service(post=post, actor=request.user)
    except ContentError as error:
        messages.error(request, str(error))
    else:
        # The workflow function recorded the step in the audit log.
        messages.success(request, done)
    return redirect("content:post_detail", post_id=post.pk)


@pilot_required
@require_GET
def link_preview(request: HttpRequest) -> JsonResponse:
    """The editor's form asks here when a URL is typed; an error leaves the fields to type."""
    url = request.GET.get("url", "").strip()
    if problem := destination_url_problem(url):
        return JsonResponse({"error": problem}, status=400)
    try:
        preview = link_preview_read(url)
    except FetchError as error:
        return JsonResponse({"error": str(error)}, status=422)
    return JsonResponse(preview.as_dict())
