"""The share page of a post, and my shares."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Network
from portevoix.content.messages import message_pick
from portevoix.sharing.forms import ShareForm
from portevoix.sharing.limits import length_rule
from portevoix.sharing.message_lengths import sample_link_url
from portevoix.sharing.selectors import shares_of, visible_post
from portevoix.sharing.shares import (
    ShareError,
    authenticity_nudge,
    person_set_mastodon_instance,
    share_block_reason,
    share_create,
)
from portevoix.sharing.sheet import FIRST_NETWORKS, sheet_networks
from portevoix.sharing.targets import TARGETS, target_for


class ShareRedirect(HttpResponseRedirect):
    """To the network's share page (https) or the mail client (mailto), built by our targets."""

    allowed_schemes = ["https", "mailto"]


def wants_json(request: HttpRequest) -> bool:
    """The share sheet asks for JSON when it hands the text and link to the device's own share
    sheet (Web Share API) instead of following a redirect."""
    return "application/json" in request.headers.get("Accept", "")


@login_required
def share_sheet(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    """The bottom sheet of a feed card (fetched by sharing/sheet.js): my text and my networks.
    It sends its form to the share page, which does the rest; without JavaScript the card's
    link opens the share page itself."""
    person = request.user
    post = visible_post(person=person, post_id=post_id)
    if post is None:
        raise Http404
    networks = sheet_networks(person=person)
    first = networks[0].network
    variant = message_pick(post=post, network=first, language=person.language)
    text = variant.text if variant else ""
    context = {
        "post": post,
        "networks": networks[:FIRST_NETWORKS],
        "more_networks": networks[FIRST_NETWORKS:],
        "block_reason": share_block_reason(person=person, post=post),
        "form": ShareForm(initial={"text": text}),
        "nudge": authenticity_nudge(person=person, text=text) if text else None,
        "sample_link": sample_link_url(),
    }
    return render(request, "sharing/sheet.html", context)


@login_required
def share_page(
    request: AuthenticatedRequest, post_id: int, network: str | None = None
) -> HttpResponse:
    person = request.user
    post = visible_post(person=person, post_id=post_id)
    # Without a network in the address (a link from the feed, a notification, a digest): the
    # network I use most, so that a phone shares in two taps from an e-mail too.
    mine_first = sheet_networks(person=person)
    network = network or mine_first[0].network
    # The share sheet names the network with the button pressed.
    if request.method == "POST" and request.POST.get("network") in TARGETS:
        network = request.POST["network"]
    if post is None or network not in TARGETS:
        raise Http404
    target = target_for(network, person=person)
    block_reason = share_block_reason(person=person, post=post)
    context: dict[str, Any] = {
        "post": post,
        "network": network,
        "target": target,
        # My networks first, as in the feed's share sheet; copy last.
        "targets": [(item.network, item.label) for item in mine_first]
        + [(Network.COPY, Network.COPY.label)],
        "block_reason": block_reason,
        "rule": length_rule(network),
        "sample_link": sample_link_url(),
    }
    if request.method != "POST":
        variant = message_pick(post=post, network=network, language=person.language)
        text = variant.text if variant else ""
        context["form"] = ShareForm(initial={"text": text}, needs_instance=not target.is_ready)
        context["variant_count"] = post.messages.count()
        context["nudge"] = authenticity_nudge(person=person, text=text) if text else None
        return render(request, "sharing/share.html", context)

    if block_reason:
        if wants_json(request):
            return JsonResponse({"problems": [block_reason]}, status=403)
        return render(request, "sharing/share.html", context, status=403)
    form = context["form"] = ShareForm(request.POST, needs_instance=not target.is_ready)
    if not form.is_valid():
        if wants_json(request):
            problems = [str(error) for errors in form.errors.values() for error in errors]
            return JsonResponse({"problems": problems}, status=400)
        return render(request, "sharing/share.html", context)
    if form.cleaned_data["mastodon_instance"] and network == Network.MASTODON:
        person_set_mastodon_instance(person=person, instance=form.cleaned_data["mastodon_instance"])
        target = context["target"] = target_for(network, person=person)
    text = form.cleaned_data["text"]
    nudge = authenticity_nudge(person=person, text=text)
    if nudge and not form.cleaned_data["keep_text"] and not wants_json(request):
        context["nudge"] = nudge
        context["nudge_after_submit"] = True
        return render(request, "sharing/share.html", context)
    try:
        result = share_create(person=person, post=post, network=network, text=text)
    except ShareError as error:
        if wants_json(request):
            return JsonResponse({"problems": error.reasons}, status=400)
        context["problems"] = error.reasons
        return render(request, "sharing/share.html", context)
    if wants_json(request):
        tracked_link = result.share.tracked_link
        assert tracked_link is not None, "share_create gives every share its tracked link"
        return JsonResponse(
            {"text": result.share.text, "url": tracked_link.short_url, "title": post.display_title}
        )
    if result.target.opens_page:
        return ShareRedirect(result.share_url)
    context["copied_text"] = result.clipboard_text
    return render(request, "sharing/share.html", context)


@login_required
def my_shares(request: AuthenticatedRequest) -> HttpResponse:
    shares = shares_of(person=request.user)[:200]
    return render(request, "sharing/my_shares.html", {"shares": shares})
