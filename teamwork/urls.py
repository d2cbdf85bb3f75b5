from django.urls import path

from teamwork import views

app_name = "teamwork"

urlpatterns = [
    path("case/<int:case_id>/", views.case_view, name="case"),
    path("case/<int:case_id>/crisis/", views.crisis_create, name="crisis_create"),
    path("case/<int:case_id>/meetings/", views.meeting_create, name="meeting_create"),
    path(
        "case/<int:case_id>/meetings/<int:meeting_id>/minutes/",
        views.minutes_share,
        name="minutes_share",
    ),
    path(
        "case/<int:case_id>/requests/<int:request_id>/answer/",
        views.request_answer,
        name="request_answer",
    ),
    path("requests/", views.requests_view, name="requests"),
]
