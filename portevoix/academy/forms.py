from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.academy.models import Lesson
from portevoix.content.images import image_extension, image_problem
from portevoix.core.forms import OneLineField


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "language",
            "summary",
            "body",
            "image",
            "position",
            "pass_mark",
            "published",
        ]
        field_classes = {"title": OneLineField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
            ),
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a new upload is checked; an image already stored passed this check before.
        if image and hasattr(image, "content_type"):
            if problem := image_problem(image):
                raise forms.ValidationError(problem)
            # Stored and served under the extension of what it really is, not of its name.
            image.name = f"upload.{image_extension(image)}"
        return image

    def clean_pass_mark(self) -> int:
        value = self.cleaned_data["pass_mark"]
        if not 0 <= value <= 100:
            raise forms.ValidationError(_("The pass mark is a percentage between 0 and 100."))
        return value


class QuestionForm(forms.Form):
    """One question with up to four answers, one or more of them right."""

    text = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(
        label=_("Answers, one per line; start the right ones with *"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_choices(self) -> list[tuple[str, bool]]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
        parsed = [(line.lstrip("*").strip(), line.startswith("*")) for line in lines]
        parsed = [(text[:200], right) for text, right in parsed if text]
        if len(parsed) < 2:
            raise forms.ValidationError(_("Give at least two answers."))
        if len(parsed) > 6:
            raise forms.ValidationError(_("Give at most six answers."))
        if not any(right for _, right in parsed):
            raise forms.ValidationError(_("Mark at least one right answer with *."))
        return parsed


class QuizForm(forms.Form):
    """The quiz as the ambassador answers it: one radio group per question."""

    def __init__(self, *args, lesson: Lesson, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        for question in lesson.questions.prefetch_related("choices"):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please answer this question.")},
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
