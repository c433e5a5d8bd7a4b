from django.urls import path

from portevoix.academy.views import lessons, manage

app_name = "academy"
urlpatterns = [
    path("", lessons.lessons, name="lessons"),
    path("lessons/<int:lesson_id>/", lessons.lesson_detail, name="lesson"),
    path("manage/", manage.lesson_manage, name="lesson_manage"),
    path("manage/new/", manage.lesson_edit, name="lesson_create"),
    path("manage/<int:lesson_id>/", manage.lesson_edit, name="lesson_edit"),
    path("manage/<int:lesson_id>/questions/", manage.question_add, name="question_add"),
    path(
        "manage/questions/<int:question_id>/delete/", manage.question_delete, name="question_delete"
    ),
]
