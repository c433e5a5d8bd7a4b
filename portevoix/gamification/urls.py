from django.urls import path

from portevoix.gamification.views import challenges, points

app_name = "gamification"
urlpatterns = [
    path("", points.my_points, name="mine"),
    path("leaderboard/", points.leaderboard_view, name="leaderboard"),
    path("rules/", points.point_rules, name="rules"),
    path("challenges/", challenges.challenge_list, name="challenges"),
    path("challenges/new/", challenges.challenge_edit, name="challenge_create"),
    path("challenges/<int:challenge_id>/", challenges.challenge_detail, name="challenge"),
    path(
        "challenges/<int:challenge_id>/edit/",
        challenges.challenge_edit,
        name="challenge_edit",
    ),
]
