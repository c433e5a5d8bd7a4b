from django.urls import path

from portevoix.academy import views

app_name = "academy"
urlpatterns = [
    path("", views.lessons, name="lessons"),
    path("lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("manage/", views.lesson_manage, name="lesson_manage"),
    path("manage/new/", views.lesson_edit, name="lesson_create"),
    path("manage/<int:lesson_id>/", views.lesson_edit, name="lesson_edit"),
    path("manage/<int:lesson_id>/questions/", views.question_add, name="question_add"),
    path(
        "manage/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"
    ),
]
