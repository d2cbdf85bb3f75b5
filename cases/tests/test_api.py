"""The case-file API: allow and deny for every endpoint, stale edits, duplicates, audit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEntry
from cases.models import Case, CaseDocument, TraffickingIndicator
from cases.tests.conftest import PDF
from consent.models import Consent

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "person": {
        "given_name": "Ivan",
        "family_name": "Rusu",
        "date_of_birth": "1995-06-01",
        "sex": "male",
        "citizenships": ["MD"],
        "languages": ["ro"],
    },
    "received_at": "2026-03-01",
    "risk_level": "moderate",
    "emergency_needs": "medical check",
}


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, data, content_type="application/json")


def test_register_list_detail_and_search(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    response = _post(client, "/api/v1/cases", REGISTRATION)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["number"] == "HOM-2026-0001" and created["name"] == "Ivan Rusu"
    assert created["emergency_needs"] == "medical check"
    listing = client.get("/api/v1/cases", {"q": "Иван Русу"}).json()  # noqa: RUF001  (Cyrillic on purpose: transliterated search)
    assert listing["count"] == 1 and listing["items"][0]["id"] == created["id"]
    assert client.get("/api/v1/cases", {"q": "Nobody"}).json()["count"] == 0
    detail = client.get(f"/api/v1/cases/{created['id']}")
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(
        action="view", case_id=created["id"], detail__section="api:overview"
    ).exists()


def test_registration_errors_name_the_field(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    response = _post(
        client, "/api/v1/cases", {**REGISTRATION, "person": {"given_name": "", "sex": "female"}}
    )
    assert response.status_code == 422
    assert "given_name" in response.json()["errors"]
    assert not Case.objects.exists()


def test_duplicate_elsewhere_reveals_nothing(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.other_worker, actors.other_org)
    body = {
        **REGISTRATION,
        "person": {"given_name": "Олена", "family_name": "Петренко", "date_of_birth": "1998-04-02"},
    }
    response = _post(client, "/api/v1/cases", body)
    assert response.status_code == 409
    data = response.json()
    assert data["match_elsewhere"] is True and data["same_organisation"] == []
    assert (
        case.number not in response.content.decode() and case.code not in response.content.decode()
    )
    response = _post(client, "/api/v1/cases", {**body, "confirmed_not_duplicate": True})
    assert response.status_code == 201


def test_duplicate_in_same_organisation_links(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    body = {
        **REGISTRATION,
        "person": {"given_name": "Elena", "family_name": "Petrenko", "date_of_birth": "1998-04-02"},
    }
    response = _post(client, "/api/v1/cases", body)
    assert response.status_code == 409
    assert response.json()["same_organisation"] == [
        {"id": case.pk, "number": case.number, "code": case.code}
    ]


PERSON = {"version": 1, "given_name": "X", "sex": "female"}
CASE_ENDPOINTS = [
    ("get", "/api/v1/cases/{id}", {}),
    ("patch", "/api/v1/cases/{id}", {"version": 1}),
    ("get", "/api/v1/cases/{id}/person", {}),
    ("patch", "/api/v1/cases/{id}/person", PERSON),
    ("post", "/api/v1/cases/{id}/person/identity-documents", {"kind": "passport"}),
    ("get", "/api/v1/cases/{id}/profile", {}),
    ("put", "/api/v1/cases/{id}/profile", {"version": 1}),
    ("get", "/api/v1/cases/{id}/identification", {}),
    ("post", "/api/v1/cases/{id}/screenings", {"screened_on": "2026-03-01"}),
    ("post", "/api/v1/cases/{id}/interviews", {"held_on": "2026-03-01"}),
    ("post", "/api/v1/cases/{id}/admission", {"version": 1, "admitted_on": "2026-03-01"}),
    (
        "put",
        "/api/v1/cases/{id}/case-manager",
        {"version": 1, "case_manager_id": 1, "reason": "initial"},
    ),
    ("post", "/api/v1/cases/{id}/team", {"user_id": 1, "role": "x"}),
    ("post", "/api/v1/cases/{id}/change-requests", {"requested_on": "2026-03-01", "reason": "x"}),
    ("get", "/api/v1/cases/{id}/notes", {}),
    (
        "post",
        "/api/v1/cases/{id}/notes",
        {"kind": "phone", "occurred_at": "2026-03-01T10:00:00Z", "text": "x"},
    ),
    ("get", "/api/v1/cases/{id}/documents", {}),
    ("get", "/api/v1/cases/{id}/consents", {}),
    (
        "post",
        "/api/v1/cases/{id}/consent-overrides",
        {"purpose": "interview", "reason": "a long enough reason"},
    ),
]


@pytest.mark.parametrize(("method", "path", "body"), CASE_ENDPOINTS)
def test_other_organisation_gets_404(
    client: Client, login: Any, actors: Any, case: Any, method: str, path: str, body: Any
) -> None:
    login(client, actors.other_worker, actors.other_org)
    call = getattr(client, method)
    url = path.format(id=case.pk)
    response = call(url) if method == "get" else call(url, body, content_type="application/json")
    assert response.status_code == 404
    assert "Petrenko" not in response.content.decode()


@pytest.mark.parametrize(("method", "path", "body"), CASE_ENDPOINTS)
def test_analyst_is_refused(
    client: Client, login: Any, actors: Any, case: Any, method: str, path: str, body: Any
) -> None:
    login(client, actors.analyst, actors.coordinator_org)
    call = getattr(client, method)
    url = path.format(id=case.pk)
    response = call(url) if method == "get" else call(url, body, content_type="application/json")
    assert response.status_code in (403, 404)
    assert "Petrenko" not in response.content.decode()


def test_list_refused_to_analyst_and_anonymous(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    assert client.get("/api/v1/cases").status_code == 401
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get("/api/v1/cases").status_code == 403


def test_patch_case_with_stale_version_is_409(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = f"/api/v1/cases/{case.pk}"
    response = _patch(
        client,
        url,
        {"version": case.version, "security_alert": True, "immediate_needs_met_on": "2026-03-02"},
    )
    assert response.status_code == 200 and response.json()["security_alert"] is True
    stale = _patch(client, url, {"version": case.version, "security_alert": False})
    assert stale.status_code == 409
    assert stale.json()["security_alert"] is True and stale.json()["version"] == case.version + 1


def _consent(case: Any, actors: Any, purpose: str) -> None:
    from accounts.access import acting_for
    from consent.services import consent_record

    boss = acting_for(actors.supervisor, actors.home_org)
    assert boss is not None
    consent_record(
        acting=boss,
        case=case,
        purpose=purpose,
        given_by="person",
        method="oral_witnessed",
        given_on=datetime.date(2026, 3, 1),
    )


def test_person_profile_and_identification(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    person = client.get(f"/api/v1/cases/{case.pk}/person").json()
    assert person["given_name"] == "Olena" and person["is_minor"] is False
    changed = _patch(
        client,
        f"/api/v1/cases/{case.pk}/person",
        {**person, "family_name": "Koval", "version": person["version"]},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["family_name"] == "Koval"
    stale = _patch(
        client,
        f"/api/v1/cases/{case.pk}/person",
        {**person, "family_name": "Old", "version": person["version"]},
    )
    assert stale.status_code == 409 and stale.json()["family_name"] == "Koval"
    assert (
        _post(
            client,
            f"/api/v1/cases/{case.pk}/person/identity-documents",
            {"kind": "passport", "number": "AB1"},
        ).status_code
        == 201
    )
    profile = client.get(f"/api/v1/cases/{case.pk}/profile").json()
    profile.update(
        {
            "exploitation": ["SexualExploitation"],
            "traffickers": "A. B.",
            "exploitation_country": ["TR"],
        }
    )
    response = client.put(
        f"/api/v1/cases/{case.pk}/profile", profile, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["exploitation"] == ["SexualExploitation"]
        and response.json()["traffickers"] == "A. B."
    )
    bad = client.put(
        f"/api/v1/cases/{case.pk}/profile",
        {**response.json(), "exploitation": ["Nonsense"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "exploitation" in bad.json()["errors"]
    indicator = TraffickingIndicator.objects.first()
    assert indicator is not None
    assert client.get("/api/v1/indicators").json()[0]["code"] == indicator.code
    screening = _post(
        client,
        f"/api/v1/cases/{case.pk}/screenings",
        {"screened_on": "2026-03-01", "indicator_ids": [indicator.pk]},
    )
    assert screening.status_code == 201 and screening.json()["screenings"][0]["indicators"] == [
        indicator.code
    ]
    interview_data = {"held_on": "2026-03-01", "principles": ["safety"], "medical_history": "none"}
    # The interview is recorded only with the person's consent (003 §5.1; SPEC C3).
    refused_interview = _post(client, f"/api/v1/cases/{case.pk}/interviews", interview_data)
    assert refused_interview.status_code == 403
    assert "Interview" in refused_interview.json()["detail"]
    _consent(case, actors, "interview")
    interview = _post(client, f"/api/v1/cases/{case.pk}/interviews", interview_data)
    assert interview.status_code == 201
    version = Case.objects.get(pk=case.pk).version
    decision = client.post(
        f"/api/v1/cases/{case.pk}/identification",
        {"version": version, "to_status": "potential", "decided_on": "2026-03-02"},
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["identification_status"] == "potential"
    refused = client.post(
        f"/api/v1/cases/{case.pk}/identification",
        {"version": version + 1, "to_status": "identified", "decided_on": "2026-03-02"},
    )
    assert refused.status_code == 422 and "identifying_body" in refused.json()["errors"]
    _consent(case, actors, "formal_identification")
    formal = client.post(
        f"/api/v1/cases/{case.pk}/identification",
        {
            "version": version + 1,
            "to_status": "identified",
            "decided_on": "2026-03-03",
            "identifying_body": "Police",
            "identifying_authority": "G/SRFI",
            "decision_document": SimpleUploadedFile("d.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert formal.status_code == 201, formal.content
    assert formal.json()["decisions"][0]["has_decision_document"] is True


def test_assignment_team_and_change_request(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = f"/api/v1/cases/{case.pk}"
    early = client.put(
        f"{url}/case-manager",
        {"version": case.version, "case_manager_id": actors.case_manager.pk, "reason": "initial"},
        content_type="application/json",
    )
    assert early.status_code == 422
    version = _patch(
        client, url, {"version": case.version, "immediate_needs_met_on": "2026-03-02"}
    ).json()["version"]
    assigned = client.put(
        f"{url}/case-manager",
        {"version": version, "case_manager_id": actors.case_manager.pk, "reason": "initial"},
        content_type="application/json",
    )
    assert (
        assigned.status_code == 200 and assigned.json()["case_manager_id"] == actors.case_manager.pk
    )
    admitted = _post(
        client,
        f"{url}/admission",
        {"version": assigned.json()["version"], "admitted_on": "2026-03-02"},
    )
    assert admitted.status_code == 200
    member = _post(client, f"{url}/team", {"user_id": actors.specialist.pk, "role": "psychologist"})
    assert member.status_code == 201
    assert client.delete(f"{url}/team/{member.json()['id']}").status_code == 204
    request = _post(
        client, f"{url}/change-requests", {"requested_on": "2026-03-04", "reason": "no trust"}
    )
    assert request.status_code == 201
    decided = _post(
        client,
        f"{url}/change-requests/{request.json()['id']}/decision",
        {"grant": True, "case_manager_id": actors.supervisor.pk},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "granted"
    assert Case.objects.get(pk=case.pk).case_manager == actors.supervisor
    login(client, actors.case_manager, actors.home_org)
    assert client.put(
        f"{url}/case-manager",
        {"version": 1, "case_manager_id": actors.case_manager.pk, "reason": "initial"},
        content_type="application/json",
    ).status_code in (403, 404)


def test_notes_documents_and_consents(client: Client, login: Any, actors: Any, case: Any) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = f"/api/v1/cases/{case.pk}"
    note = _post(
        client,
        f"{url}/notes",
        {"kind": "phone", "occurred_at": "2026-03-02T10:00:00+00:00", "text": "called"},
    )
    assert note.status_code == 201 and note.json()["text"] == "called"
    assert client.get(f"{url}/notes").json()["count"] == 1
    upload = client.post(
        f"{url}/documents",
        {
            "item": "admission_statement",
            "received_on": "2026-03-02",
            "file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert upload.status_code == 201, upload.content
    document = CaseDocument.objects.get()
    content = client.get(f"{url}/documents/{document.pk}/content")
    assert content.status_code == 200 and content.content == PDF
    assert AuditEntry.objects.filter(action="download", case_id=case.pk).exists()
    consent = client.post(
        f"{url}/consents",
        {
            "purpose": "data_processing",
            "given_by": "person",
            "method": "electronic",
            "given_on": "2026-03-01",
        },
    )
    assert consent.status_code == 201, consent.content
    withdrawn = _post(
        client,
        f"{url}/consents/{consent.json()['id']}/withdrawal",
        {"version": 1, "withdrawn_on": "2026-03-02"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_on"] == "2026-03-02"
    stale = _post(
        client,
        f"{url}/consents/{consent.json()['id']}/withdrawal",
        {"version": 1, "withdrawn_on": "2026-03-02"},
    )
    assert stale.status_code == 409
    override = _post(
        client,
        f"{url}/consent-overrides",
        {"purpose": "interview", "reason": "Police interview today"},
    )
    assert override.status_code == 201
    assert Consent.objects.count() == 1
    login(client, actors.other_worker, actors.other_org)
    assert client.get(f"{url}/documents/{document.pk}/content").status_code == 404


def test_case_manager_may_not_override_consent(
    client: Client, login: Any, actors: Any, managed_case: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    response = _post(
        client,
        f"/api/v1/cases/{managed_case.pk}/consent-overrides",
        {"purpose": "interview", "reason": "Police interview today"},
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/cases/{managed_case.pk}").status_code == 200


def test_list_query_count_is_constant(
    client: Client, login: Any, actors: Any, register: Any, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, actors.supervisor, actors.home_org)
    register("A", "One", date_of_birth=None)
    client.get("/api/v1/cases")
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/cases")
    for index in range(6):
        register(f"N{index}", f"F{index}", date_of_birth=datetime.date(1990, 1, index + 1))
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get("/api/v1/cases").json()["count"] == 7
