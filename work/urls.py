from django.urls import path

from work import views

app_name = "work"

urlpatterns = [
    path("", views.my_work_view, name="my_work"),
    path("team/", views.team_view, name="team"),
    path("badge/", views.badge_view, name="badge"),
]
