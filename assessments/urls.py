from django.urls import path

from assessments import record_views, views

app_name = "assessments"

urlpatterns = [
    path("forms/", views.form_list_view, name="forms"),
    path("forms/<slug:code>/", views.form_preview_view, name="preview"),
    path("forms/<slug:code>/fields/", views.form_refresh_view, name="refresh"),
    # The "Assessments" section of a case file.
    path("cases/<int:case_id>/", record_views.case_assessments_view, name="case"),
    path("cases/<int:case_id>/start/", record_views.round_start_view, name="start"),
    path("cases/<int:case_id>/assign/", record_views.assign_view, name="assign"),
    path("cases/<int:case_id>/reassess/", record_views.reassess_view, name="reassess"),
    path("cases/<int:case_id>/compare/", record_views.compare_view, name="compare"),
    path(
        "cases/<int:case_id>/rounds/<int:round_id>/",
        record_views.round_edit_view,
        name="round_edit",
    ),
    path(
        "cases/<int:case_id>/<int:assessment_id>/",
        record_views.assessment_view,
        name="assessment",
    ),
    path(
        "cases/<int:case_id>/<int:assessment_id>/fields/",
        record_views.assessment_fields_view,
        name="assessment_fields",
    ),
    path(
        "cases/<int:case_id>/<int:assessment_id>/disagree/",
        record_views.disagreement_view,
        name="disagree",
    ),
    path(
        "cases/<int:case_id>/<int:assessment_id>/print/",
        record_views.assessment_print_view,
        name="print",
    ),
]
