from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.academy.forms import LessonForm, QuestionForm, QuizForm
from portevoix.academy.models import Choice, Lesson, LessonAttempt, Question
from portevoix.academy.services import QuizError, lesson_attempt, lessons_for
from portevoix.accounts.access import pilot_required
from portevoix.accounts.charter import render_markdown


@login_required
def lessons(request: HttpRequest) -> HttpResponse:
    done = set(
        LessonAttempt.objects.filter(person=request.user, passed=True).values_list(
            "lesson_id", flat=True
        )
    )
    return render(
        request, "academy/lessons.html", {"lessons": lessons_for(request.user), "done": done}
    )


@login_required
def lesson_detail(request: HttpRequest, lesson_id: int) -> HttpResponse:
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


@pilot_required
def lesson_manage(request: HttpRequest) -> HttpResponse:
    return render(request, "academy/lesson_manage.html", {"lessons": Lesson.objects.all()})


@pilot_required
def lesson_edit(request: HttpRequest, lesson_id: int | None = None) -> HttpResponse:
    lesson = get_object_or_404(Lesson, pk=lesson_id) if lesson_id else None
    form = LessonForm(request.POST or None, request.FILES or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        lesson = form.save()
        messages.success(request, _("Lesson saved."))
        return redirect("academy:lesson_edit", lesson_id=lesson.pk)
    return render(
        request,
        "academy/lesson_edit.html",
        {"form": form, "lesson": lesson, "question_form": QuestionForm() if lesson else None},
    )


@pilot_required
@require_POST
def question_add(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(Lesson, pk=lesson_id)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "academy/lesson_edit.html",
            {"form": LessonForm(instance=lesson), "lesson": lesson, "question_form": form},
            status=400,
        )
    with transaction.atomic():
        question = Question.objects.create(
            lesson=lesson, text=form.cleaned_data["text"], position=lesson.questions.count()
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=right)
            for text, right in form.cleaned_data["choices"]
        )
    messages.success(request, _("Question added."))
    return redirect("academy:lesson_edit", lesson_id=lesson.pk)


@pilot_required
@require_POST
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    lesson_id = question.lesson_id
    question.delete()
    messages.success(request, _("Question deleted."))
    return redirect("academy:lesson_edit", lesson_id=lesson_id)
