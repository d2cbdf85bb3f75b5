from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("next-contacts/", views.next_contacts_view, name="next_contacts"),
    path("overdue-by-worker/", views.overdue_by_worker_view, name="overdue_by_worker"),
    path("cases/<int:case_id>/", views.monitoring_view, name="case"),
    path("cases/<int:case_id>/phase/", views.phase_transition_view, name="phase"),
    path("cases/<int:case_id>/contacts/new/", views.contact_new_view, name="contact_new"),
    path(
        "cases/<int:case_id>/contacts/<int:contact_id>/",
        views.contact_detail_view,
        name="contact",
    ),
    path("cases/<int:case_id>/outcomes/", views.trajectory_view, name="trajectory"),
    path("cases/<int:case_id>/outcomes/new/", views.outcomes_new_view, name="outcomes_new"),
    path("cases/<int:case_id>/outcomes/print/", views.trajectory_print_view, name="print"),
    path("cases/<int:case_id>/setbacks/new/", views.setback_new_view, name="setback_new"),
]
