from django.urls import path

from referrals import views
from reports import views as reports_views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox_view, name="inbox"),
    path("outbox/", views.outbox_view, name="outbox"),
    path("received/<int:referral_id>/", views.received_view, name="received"),
    path(
        "received/<int:referral_id>/documents/<int:document_id>/",
        views.received_document_view,
        name="received_document",
    ),
    path("cases/<int:case_id>/", views.case_referrals_view, name="case"),
    path("cases/<int:case_id>/new/", views.referral_new_view, name="new"),
    path("cases/<int:case_id>/unmet/", views.unmet_need_add_view, name="unmet_add"),
    path("cases/<int:case_id>/transfer/", views.transfer_new_view, name="transfer_new"),
    path("cases/<int:case_id>/<int:referral_id>/", views.referral_detail_view, name="detail"),
    path("cases/<int:case_id>/<int:referral_id>/sheet/", views.referral_sheet_view, name="sheet"),
    path("transfers/", views.transfers_view, name="transfers"),
    path("transfers/<int:transfer_id>/decide/", views.transfer_decide_view, name="transfer_decide"),
    path("transfers/<int:transfer_id>/cancel/", views.transfer_cancel_view, name="transfer_cancel"),
    path("transfers/<int:transfer_id>/records/", views.transfer_records_view, name="retained"),
    path(
        "transfers/<int:transfer_id>/records/documents/<int:document_id>/",
        views.transfer_document_view,
        name="retained_document",
    ),
    # The gap counts moved to the statistics (reports), behind the same suppression.
    path("gaps/", reports_views.gaps_view, name="gaps"),
]
