"""The share page of a post, and my shares."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

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
from portevoix.sharing.targets import TARGETS, target_for


class ShareRedirect(HttpResponseRedirect):
    """To the network's share page (https) or the mail client (mailto), built by our targets."""

    allowed_schemes = ["https", "mailto"]


@login_required
def share_page(request: HttpRequest, post_id: int, network: str = Network.LINKEDIN) -> HttpResponse:
    person = request.user
    post = visible_post(person=person, post_id=post_id)
    if post is None or network not in TARGETS:
        raise Http404
    target = target_for(network, person=person)
    block_reason = share_block_reason(person=person, post=post)
    context: dict[str, Any] = {
        "post": post,
        "network": network,
        "target": target,
        "targets": [(name, TARGETS[name].network.label) for name in TARGETS],
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
        return render(request, "sharing/share.html", context, status=403)
    form = context["form"] = ShareForm(request.POST, needs_instance=not target.is_ready)
    if not form.is_valid():
        return render(request, "sharing/share.html", context)
    if form.cleaned_data["mastodon_instance"] and network == Network.MASTODON:
        person_set_mastodon_instance(person=person, instance=form.cleaned_data["mastodon_instance"])
        target = context["target"] = target_for(network, person=person)
    text = form.cleaned_data["text"]
    nudge = authenticity_nudge(person=person, text=text)
    if nudge and not form.cleaned_data["keep_text"]:
        context["nudge"] = nudge
        context["nudge_after_submit"] = True
        return render(request, "sharing/share.html", context)
    try:
        result = share_create(person=person, post=post, network=network, text=text)
    except ShareError as error:
        context["problems"] = error.reasons
        return render(request, "sharing/share.html", context)
    if result.target.opens_page:
        return ShareRedirect(result.share_url)
    context["copied_text"] = result.clipboard_text
    return render(request, "sharing/share.html", context)


@login_required
def my_shares(request: HttpRequest) -> HttpResponse:
    shares = shares_of(person=request.user)[:200]
    return render(request, "sharing/my_shares.html", {"shares": shares})
