from django.urls import path

from cases.views import case, identification, indicators, lists, person, profile, records
from consent import views as consent

app_name = "cases"

urlpatterns = [
    path("", lists.case_list_view, name="list"),
    path("new/", lists.case_register_view, name="register"),
    path("indicators/", indicators.indicators_view, name="indicators"),
    path(
        "indicators/<int:indicator_id>/toggle/",
        indicators.indicator_toggle_view,
        name="indicator_toggle",
    ),
    path("<int:case_id>/", case.case_detail_view, name="detail"),
    path("<int:case_id>/edit/", case.case_edit_view, name="edit"),
    path("<int:case_id>/admit/", case.case_admit_view, name="admit"),
    path("<int:case_id>/assign/", case.case_assign_view, name="assign"),
    path("<int:case_id>/team/", case.team_add_view, name="team_add"),
    path("<int:case_id>/team/<int:member_id>/remove/", case.team_remove_view, name="team_remove"),
    path("<int:case_id>/change-requests/", case.change_request_view, name="change_request"),
    path(
        "<int:case_id>/change-requests/<int:request_id>/decide/",
        case.change_request_decide_view,
        name="change_request_decide",
    ),
    path("<int:case_id>/person/", person.person_view, name="person"),
    path("<int:case_id>/person/edit/", person.person_edit_view, name="person_edit"),
    path(
        "<int:case_id>/person/documents/new/",
        person.identity_document_add_view,
        name="identity_document_add",
    ),
    path(
        "<int:case_id>/person/related/new/",
        person.related_person_add_view,
        name="related_person_add",
    ),
    path(
        "<int:case_id>/person/documents/<int:document_id>/remove/",
        person.identity_document_remove_view,
        name="identity_document_remove",
    ),
    path(
        "<int:case_id>/person/related/<int:related_id>/remove/",
        person.related_person_remove_view,
        name="related_person_remove",
    ),
    path("<int:case_id>/profile/", profile.profile_view, name="profile"),
    path("<int:case_id>/profile/edit/", profile.profile_edit_view, name="profile_edit"),
    path(
        "<int:case_id>/identification/", identification.identification_view, name="identification"
    ),
    path(
        "<int:case_id>/identification/screening/",
        identification.screening_create_view,
        name="screening_create",
    ),
    path(
        "<int:case_id>/identification/interview/",
        identification.interview_create_view,
        name="interview_create",
    ),
    path(
        "<int:case_id>/identification/decision/",
        identification.decision_create_view,
        name="decision_create",
    ),
    path("<int:case_id>/notes/", records.notes_view, name="notes"),
    path("<int:case_id>/documents/", records.documents_view, name="documents"),
    path(
        "<int:case_id>/documents/<int:document_id>/",
        records.document_download_view,
        name="document_download",
    ),
    path(
        "<int:case_id>/attachments/<str:kind>/<int:object_id>/",
        records.attachment_download_view,
        name="attachment_download",
    ),
    path("<int:case_id>/consents/", consent.consents_view, name="consents"),
    path(
        "<int:case_id>/consents/<int:consent_id>/withdraw/",
        consent.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path(
        "<int:case_id>/consents/override/", consent.consent_override_view, name="consent_override"
    ),
]
