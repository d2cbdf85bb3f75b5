from django.urls import path

from closure import views

app_name = "closure"

urlpatterns = [
    path("follow-ups-due/", views.follow_ups_due_view, name="follow_ups_due"),
    path("closed/", views.closed_cases_view, name="closed"),
    path("cases/<int:case_id>/", views.closure_view, name="case"),
    path("cases/<int:case_id>/propose/", views.closure_propose_view, name="propose"),
    path(
        "cases/<int:case_id>/<int:closure_id>/decision/",
        views.closure_decide_view,
        name="decide",
    ),
    path(
        "cases/<int:case_id>/<int:closure_id>/follow-up-end/",
        views.follow_up_end_view,
        name="follow_up_end",
    ),
    path("cases/<int:case_id>/<int:closure_id>/print/", views.closure_print_view, name="print"),
    path("cases/<int:case_id>/reopen/", views.reopen_view, name="reopen"),
]
