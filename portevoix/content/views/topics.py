from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import pilot_required
from portevoix.content.forms import TopicForm
from portevoix.content.models import Topic
from portevoix.core.audit import audit_change, model_snapshot


@pilot_required
def topic_list(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            topic = form.save()
            audit_change(
                actor=request.user,  # type: ignore[arg-type]
                action="topic_created",
                target=topic,
                before={},
                after=model_snapshot(topic),
            )
            messages.success(request, _("Topic added."))
            return redirect("content:topics")
        messages.error(request, _("Please correct the errors below."))
    topics = Topic.objects.annotate(post_count=Count("posts", distinct=True))
    return render(request, "content/topics.html", {"form": form, "topics": topics})


@pilot_required
@require_POST
def topic_delete(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=topic_id)
    if topic.posts.exists():
        messages.error(request, _("This topic is used by posts: it stays."))
    else:
        before = model_snapshot(topic)
        topic.delete()
        audit_change(
            actor=request.user,  # type: ignore[arg-type]
            action="topic_deleted",
            target=before.get("name", ""),
            before=before,
            after={},
        )
        messages.success(request, _("Topic deleted."))
    return redirect("content:topics")
