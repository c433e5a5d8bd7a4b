from django.urls import path

from portevoix.gamification import views, views_challenges

app_name = "gamification"
urlpatterns = [
    path("", views.my_points, name="mine"),
    path("leaderboard/", views.leaderboard_view, name="leaderboard"),
    path("rules/", views.point_rules, name="rules"),
    path("challenges/", views_challenges.challenge_list, name="challenges"),
    path("challenges/new/", views_challenges.challenge_edit, name="challenge_create"),
    path("challenges/<int:challenge_id>/", views_challenges.challenge_detail, name="challenge"),
    path(
        "challenges/<int:challenge_id>/edit/",
        views_challenges.challenge_edit,
        name="challenge_edit",
    ),
]
