"""Writing lessons (the pilot team): the list, a lesson's form, its questions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.academy.authoring import question_create
from portevoix.academy.forms import LessonForm, QuestionForm
from portevoix.academy.models import Lesson, Question
from portevoix.accounts.access import pilot_required
from portevoix.core.audit import audit_change, audit_record, model_snapshot


@pilot_required
def lesson_manage(request: HttpRequest) -> HttpResponse:
    return render(request, "academy/lesson_manage.html", {"lessons": Lesson.objects.all()})


@pilot_required
def lesson_edit(request: HttpRequest, lesson_id: int | None = None) -> HttpResponse:
    lesson = get_object_or_404(Lesson, pk=lesson_id) if lesson_id else None
    before = model_snapshot(lesson) if lesson else {}
    form = LessonForm(request.POST or None, request.FILES or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        lesson = form.save()
        audit_change(
            actor=request.user,  # type: ignore[arg-type]
            action="lesson_changed" if before else "lesson_created",
            target=lesson,
            before=before,
            after=model_snapshot(lesson),
        )
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
    question_create(
        lesson=lesson, text=form.cleaned_data["text"], choices=form.cleaned_data["choices"]
    )
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="question_added",
        target=lesson,
        question=form.cleaned_data["text"],
    )
    messages.success(request, _("Question added."))
    return redirect("academy:lesson_edit", lesson_id=lesson.pk)


@pilot_required
@require_POST
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    lesson_id = question.lesson_id
    question.delete()
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="question_deleted",
        target=question.lesson,
        question=question.text,
    )
    messages.success(request, _("Question deleted."))
    return redirect("academy:lesson_edit", lesson_id=lesson_id)
