from django.urls import path

from assistance import views

app_name = "assistance"

urlpatterns = [
    path("case/<int:case_id>/", views.implementation, name="implementation"),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/",
        views.implementation_save,
        name="implementation_save",
    ),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/status/",
        views.transition,
        name="transition",
    ),
    path(
        "case/<int:case_id>/activities/<int:activity_id>/evidence/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "case/<int:case_id>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("case/<int:case_id>/ledger/", views.ledger_add, name="ledger_add"),
    path("case/<int:case_id>/ledger/<int:item_id>/", views.ledger_edit, name="ledger_edit"),
    path(
        "case/<int:case_id>/ledger/<int:item_id>/acknowledgement/",
        views.ledger_ack,
        name="ledger_ack",
    ),
    path("case/<int:case_id>/ledger/<int:item_id>/scan/", views.ledger_scan, name="ledger_scan"),
    path("case/<int:case_id>/acknowledgement-sheet/", views.acknowledgement_sheet, name="sheet"),
    path("reports/monthly/", views.monthly, name="monthly"),
    path("reports/monthly/<str:fmt>/", views.monthly_export, name="monthly_export"),
    path("reports/<int:report_id>/<str:fmt>/", views.report_export, name="report_export"),
    path("reports/received/", views.inbox, name="inbox"),
    path("reports/received/<int:report_id>/", views.received, name="received"),
    path(
        "reports/received/<int:report_id>/<str:fmt>/",
        views.received_export,
        name="received_export",
    ),
]
