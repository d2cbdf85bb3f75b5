from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("case/<int:case_id>/", views.plan_page, name="plan"),
    path("case/<int:case_id>/edit/", views.plan_edit, name="edit"),
    path("case/<int:case_id>/details/", views.plan_details, name="details"),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/confirmations/",
        views.activity_confirmation,
        name="activity_confirmation",
    ),
    path("case/<int:case_id>/objectives/", views.objective_create, name="objective_create"),
    path(
        "case/<int:case_id>/objectives/<int:objective_id>/priority/",
        views.objective_priority,
        name="objective_priority",
    ),
    path(
        "case/<int:case_id>/objectives/<int:objective_id>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/edit/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "case/<int:case_id>/objectives/<int:objective_id>/remove/",
        views.objective_remove,
        name="objective_remove",
    ),
    path(
        "case/<int:case_id>/objectives/<int:objective_id>/activities/",
        views.activity_create,
        name="activity_create",
    ),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/remove/",
        views.activity_remove,
        name="activity_remove",
    ),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/progress/",
        views.activity_progress_set,
        name="activity_progress",
    ),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/budget/",
        views.budget_create,
        name="budget_create",
    ),
    path(
        "case/<int:case_id>/budget/<int:line_id>/remove/",
        views.budget_remove,
        name="budget_remove",
    ),
    path("case/<int:case_id>/exclusions/", views.exclusion_set, name="exclusion_set"),
    path("case/<int:case_id>/submit/", views.submit, name="submit"),
    path("case/<int:case_id>/modification/", views.modification_start, name="modification"),
    path("case/<int:case_id>/signatures/paper/", views.signature_paper, name="signature_paper"),
    path(
        "case/<int:case_id>/signatures/on-screen/",
        views.signature_on_screen,
        name="signature_on_screen",
    ),
    path(
        "case/<int:case_id>/signatures/<int:signature_id>/scan/",
        views.signature_scan,
        name="signature_scan",
    ),
    path("case/<int:case_id>/review/", views.review, name="review"),
    path("case/<int:case_id>/print/", views.print_plan, name="print"),
    path("case/<int:case_id>/versions/", views.version_diff, name="diff"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:plan_id>/", views.approval, name="approval"),
    path("settings/", views.plan_settings, name="settings"),
]
