"""Lessons as ambassadors take them: the list, a lesson and its quiz."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portevoix.academy.forms import QuizForm
from portevoix.academy.models import Lesson, LessonAttempt
from portevoix.academy.services import QuizError, lesson_attempt, lessons_for
from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.charter import render_markdown


@login_required
def lessons(request: AuthenticatedRequest) -> HttpResponse:
    done = set(
        LessonAttempt.objects.filter(person=request.user, passed=True).values_list(
            "lesson_id", flat=True
        )
    )
    return render(
        request, "academy/lessons.html", {"lessons": lessons_for(request.user), "done": done}
    )


@login_required
def lesson_detail(request: AuthenticatedRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(Lesson, pk=lesson_id)
    # The pilot team previews a lesson before publishing it; nobody else sees it yet.
    preview = not lesson.published
    if preview and not request.user.is_pilot:
        raise Http404
    form = QuizForm(request.POST if request.method == "POST" else None, lesson=lesson)
    attempt = None
    if request.method == "POST" and preview:
        messages.info(request, _("This is a preview: answers are not recorded."))
    elif request.method == "POST":
        if form.is_valid():
            try:
                attempt = lesson_attempt(person=request.user, lesson=lesson, answers=form.answers())
            except QuizError:
                messages.error(request, _("Please answer every question."))
            else:
                if attempt.passed:
                    messages.success(
                        request,
                        _("Well done: %(score)d%% right, lesson completed!")
                        % {"score": attempt.score},
                    )
                    return redirect("academy:lessons")
                messages.warning(
                    request,
                    _("%(score)d%% right; %(mark)d%% are needed. Read the lesson again and retry.")
                    % {"score": attempt.score, "mark": lesson.pass_mark},
                )
        else:
            messages.error(request, _("Please answer every question."))
    return render(
        request,
        "academy/lesson_detail.html",
        {
            "lesson": lesson,
            "body": render_markdown(lesson.body),
            "form": form,
            "attempt": attempt,
            "preview": preview,
        },
    )
