from django.urls import path

from portevoix.gamification import views

app_name = "gamification"
urlpatterns = [
    path("", views.my_points, name="mine"),
    path("leaderboard/", views.leaderboard_view, name="leaderboard"),
    path("rules/", views.point_rules, name="rules"),
]
