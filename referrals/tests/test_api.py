"""The referral API: allow and deny for every endpoint; the recipient sees exactly the shared
sections, field by field, including notes and documents."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from cases.tests.conftest import PDF
from consent.models import Consent
from referrals.models import Referral, UnmetNeed
from referrals.tests.conftest import DOCUMENT_NAME, NOTE_TEXT, PHONE, TRAFFICKER

pytestmark = pytest.mark.django_db

ALL_SECTIONS = ["summary", "identity", "contact", "needs", "profile", "notes", "documents"]
# A value that appears only in each section, so its absence proves the section is withheld.
MARKERS = {
    "identity": b"Petrenko",
    "contact": PHONE.encode(),
    "profile": b"ForcedLabour",
    "needs": b"shelter tonight",
    "notes": NOTE_TEXT.encode(),
    "documents": DOCUMENT_NAME.encode(),
}


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _referral_body(actors: Any, sections: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "recipient_id": actors.other_org.pk,
        "category": "vocational_training",
        "purpose": "Hairdressing course with a stipend",
        "sections": sections,
        "options_offered": "Hairdressing course or a bakery apprenticeship",
        "chosen_by_person": True,
        **extra,
    }


def test_send_needs_consent_then_succeeds(
    client: Client, login: Any, actors: Any, managed_case: Any, home: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    url = f"/api/v1/cases/{managed_case.pk}/referrals"
    refused = _post(client, url, _referral_body(actors, ["needs"]))
    assert refused.status_code == 403
    assert "consent" in refused.json()["detail"]
    assert not Referral.objects.exists()
    from consent.services import consent_record

    consent_record(
        acting=home,
        case=managed_case,
        purpose="sharing",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
        recipient=actors.other_org,
    )
    bad = _post(client, url, _referral_body(actors, ["everything"]))
    assert bad.status_code == 422 and "sections" in bad.json()["errors"]
    sent = _post(client, url, _referral_body(actors, ["needs"]))
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["sections"] == ["needs"] and body["status"] == "sent"
    assert body["chosen_by_person"] is True
    assert body["options_offered"].startswith("Hairdressing course or")
    listed = client.get(url).json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert client.get(f"{url}/{body['id']}").json()["purpose"].startswith("Hairdressing")


def test_send_denied_to_specialist_and_other_org(
    client: Client, login: Any, actors: Any, shared_case: Any
) -> None:
    url = f"/api/v1/cases/{shared_case.pk}/referrals"
    login(client, actors.other_worker, actors.other_org)
    assert _post(client, url, _referral_body(actors, ["needs"])).status_code == 404
    login(client, actors.coordinator, actors.coordinator_org)
    assert client.get(url).status_code in (403, 404)


@pytest.mark.parametrize(
    "sections",
    [["summary"], ["needs"], ["identity", "contact"], ["notes"], ["documents"], ALL_SECTIONS],
)
def test_recipient_sees_exactly_the_shared_sections(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    sections: list[str],
) -> None:
    referral = send(shared_case, sections)
    document = shared_case.documents.get()
    login(client, actors.other_worker, actors.other_org)
    response = client.get(f"/api/v1/referrals/{referral.pk}")
    assert response.status_code == 200
    shared = response.json()["shared"]
    assert set(shared) == {"code", *sections}
    for section, marker in MARKERS.items():
        assert (marker in response.content) == (section in sections), section
    if "identity" in sections:
        assert shared["identity"]["given_name"] == "Olena"
        assert shared["identity"]["date_of_birth"] == "1998-04-02"
    if "notes" in sections:
        assert [n["text"] for n in shared["notes"]] == [NOTE_TEXT]
    if "profile" in sections:
        assert shared["profile"]["recruitment_country"] == "UA"
        assert shared["profile"]["codes"] == [{"list": "exploitation", "code": "ForcedLabour"}]
    # The profile's free text (traffickers, places, routes) never leaves with a referral.
    assert TRAFFICKER.encode() not in response.content
    download = client.get(f"/api/v1/referrals/{referral.pk}/documents/{document.pk}")
    if "documents" in sections:
        assert download.status_code == 200 and download.content == PDF
        assert shared["documents"][0]["file_name"] == DOCUMENT_NAME
    else:
        assert download.status_code == 404
    # Every read of the shared data is audited.
    assert AuditEntry.objects.filter(
        action="view", actor=actors.other_worker, case_id=shared_case.pk
    ).exists()
    # The case file itself stays closed to the recipient.
    assert client.get(f"/api/v1/cases/{shared_case.pk}").status_code == 404
    assert client.get(f"/api/v1/cases/{shared_case.pk}/documents").status_code == 404


def test_recipient_view_denied_to_others(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    make_user: Any,
) -> None:
    referral = send(shared_case, ["needs"])
    for user, org in (
        (actors.case_manager, actors.home_org),
        (actors.coordinator, actors.coordinator_org),
        (make_user("amy_other_analyst", actors.other_org, Role.ANALYST), actors.other_org),
    ):
        login(client, user, org)
        assert client.get(f"/api/v1/referrals/{referral.pk}").status_code in (403, 404)


def test_withdrawal_ends_access_at_once(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any], home: Any
) -> None:
    from consent.services import consent_withdraw

    referral = send(shared_case, ["needs"])
    login(client, actors.other_worker, actors.other_org)
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 200
    consent = Consent.objects.get(case=shared_case, purpose="sharing")
    consent_withdraw(
        acting=home,
        case=shared_case,
        consent=consent,
        withdrawn_on=timezone.localdate(),
        expected_version=consent.version,
    )
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    answer = _post(
        client,
        f"/api/v1/referrals/{referral.pk}/answer",
        {"status": "accepted", "version": referral.version},
    )
    assert answer.status_code == 404


def test_decline_appears_in_register_and_gap_counts(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    settings: Any,
    make_user: Callable[..., Any],
) -> None:
    # The counts pass through small-cell suppression (reports.gaps); k = 1 shows the one entry.
    settings.REINTEGRA_STATS_MIN_CELL = 1
    referral = send(shared_case, ["needs"])
    login(client, actors.other_worker, actors.other_org)
    url = f"/api/v1/referrals/{referral.pk}/answer"
    missing = _post(client, url, {"status": "declined", "version": referral.version})
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    stale = _post(client, url, {"status": "declined", "reason": "waiting_list", "version": 99})
    assert stale.status_code == 409 and stale.json()["status"] == "sent"
    declined = _post(
        client,
        url,
        {"status": "declined", "reason": "waiting_list", "version": referral.version},
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    login(client, actors.case_manager, actors.home_org)
    register = client.get(f"/api/v1/cases/{shared_case.pk}/unmet-needs").json()
    assert [(n["category"], n["reason"], n["source"]) for n in register] == [
        ("vocational_training", "waiting_list", "referral")
    ]
    assert client.get("/api/v1/gaps").status_code == 403
    # A coordinator of the case's country (the fund of the shared actors is in another).
    national = make_user("nadia_coordinator", actors.home_org, "coordinator")
    login(client, national, actors.home_org)
    gaps = client.get("/api/v1/gaps").json()
    assert gaps == [
        {
            "category": "vocational_training",
            "reason": "waiting_list",
            "country": "MD",
            "region": "",
            "count": 1,
        }
    ]
    assert client.get("/api/v1/gaps", {"reason": "cost"}).json() == []


def test_accept_progress_complete_with_feedback(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any]
) -> None:
    referral = send(shared_case, ["needs"])
    login(client, actors.other_worker, actors.other_org)
    url = f"/api/v1/referrals/{referral.pk}/answer"
    version = referral.version
    for status in ("accepted", "in_progress", "completed"):
        response = _post(
            client, url, {"status": status, "version": version, "feedback": "Course finished"}
        )
        assert response.status_code == 200, response.content
        version = response.json()["version"]
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    inbox = client.get("/api/v1/referrals/inbox").json()
    assert [(r["id"], r["status"]) for r in inbox] == [(referral.pk, "completed")]
    login(client, actors.case_manager, actors.home_org)
    detail = client.get(f"/api/v1/cases/{shared_case.pk}/referrals/{referral.pk}").json()
    assert detail["feedback"] == "Course finished"
    assert not UnmetNeed.objects.exists()


def test_unmet_need_api(client: Client, login: Any, actors: Any, shared_case: Any) -> None:
    url = f"/api/v1/cases/{shared_case.pk}/unmet-needs"
    login(client, actors.case_manager, actors.home_org)
    bad = _post(client, url, {"category": "legal_aid", "reason": "bogus"})
    assert bad.status_code == 422 and "reason" in bad.json()["errors"]
    created = _post(
        client, url, {"category": "legal_aid", "reason": "cost", "note": "Fee too high"}
    )
    assert created.status_code == 201 and created.json()["note"] == "Fee too high"
    login(client, actors.other_worker, actors.other_org)
    assert _post(client, url, {"category": "legal_aid", "reason": "cost"}).status_code == 404


def test_preview_returns_what_would_be_shared(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any]
) -> None:
    login(client, actors.case_manager, actors.home_org)
    url = f"/api/v1/cases/{shared_case.pk}/referrals/preview"
    preview = _post(client, url, {"sections": ["notes"]}).json()
    assert set(preview["shared"]) == {"code", "notes"}
    assert preview["shared"]["notes"][0]["text"] == NOTE_TEXT
    assert preview["overlaps"] == []
    referral = send(shared_case, ["needs"])
    body = {"sections": ["needs"], "category": "vocational_training"}
    overlapping = _post(client, url, body).json()["overlaps"]
    assert [(r["id"], r["recipient_name"]) for r in overlapping] == [(referral.pk, "Other NGO")]
    login(client, actors.other_worker, actors.other_org)
    assert _post(client, url, {"sections": ["notes"]}).status_code == 404


def test_sheet_prints_only_shared_sections_and_is_logged(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any]
) -> None:
    from pypdf import PdfReader

    referral = send(
        shared_case,
        ["needs"],
        contact_person="Maria Ionescu",
        responsibilities="We pay transport; you run the course",
        monitoring="Monthly call",
    )
    login(client, actors.case_manager, actors.home_org)
    response = client.get(f"/api/v1/cases/{shared_case.pk}/referrals/{referral.pk}/sheet")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "shelter tonight" in text and "Maria Ionescu" in text and "Monthly call" in text
    assert "Petrenko" not in text and "bus station" not in text
    assert AuditEntry.objects.filter(action="print", case_id=shared_case.pk).exists()
    login(client, actors.other_worker, actors.other_org)
    other = client.get(f"/api/v1/cases/{shared_case.pk}/referrals/{referral.pk}/sheet")
    assert other.status_code == 404


def test_sender_answers_for_recipient_not_on_system(
    client: Client, login: Any, actors: Any, shared_case: Any, send: Callable[..., Any], home: Any
) -> None:
    from accounts.models import Organisation
    from consent.services import consent_record

    hospital = Organisation.objects.create(
        name="District Hospital", type="health", country="MD", case_prefix="HSP"
    )
    consent_record(
        acting=home,
        case=shared_case,
        purpose="sharing",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
        recipient=hospital,
    )
    # A medical examination or test needs its own consent (SPEC C3; 003 §4.2).
    consent_record(
        acting=home,
        case=shared_case,
        purpose="medical",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
    )
    referral = send(shared_case, ["needs"], recipient=hospital, category="medical")
    other = send(shared_case, ["needs"])
    login(client, actors.case_manager, actors.home_org)
    answered = _post(
        client,
        f"/api/v1/referrals/{referral.pk}/answer",
        {"status": "declined", "reason": "not_available", "version": referral.version},
    )
    assert answered.status_code == 200
    # A recipient on the system answers for itself.
    refused = _post(
        client,
        f"/api/v1/referrals/{other.pk}/answer",
        {"status": "accepted", "version": other.version},
    )
    assert refused.status_code == 404


def test_lists_have_constant_query_counts(
    client: Client,
    login: Any,
    actors: Any,
    shared_case: Any,
    send: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    send(shared_case, ["needs"])
    for user, org, url in (
        (actors.other_worker, actors.other_org, "/api/v1/referrals/inbox"),
        (actors.case_manager, actors.home_org, "/api/v1/referrals/outbox"),
    ):
        login(client, user, org)
        client.get(url)  # the first request of a session also refreshes the session
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for _ in range(4):
            send(shared_case, ["needs"])
        with django_assert_num_queries(len(few.captured_queries)):
            assert len(client.get(url).json()) >= 5


def test_transfer_over_the_api(
    client: Client, login: Any, actors: Any, shared_case: Any, make_user: Any
) -> None:
    rita = make_user("rita_other_supervisor", actors.other_org, Role.SUPERVISOR)
    login(client, actors.case_manager, actors.home_org)
    created = _post(
        client,
        f"/api/v1/cases/{shared_case.pk}/transfers",
        {"to_organisation_id": actors.other_org.pk, "handover_note": "Moving to Tirana"},
    )
    assert created.status_code == 201, created.content
    transfer_id = created.json()["id"]
    login(client, actors.other_worker, actors.other_org)
    assert (
        _post(client, f"/api/v1/transfers/{transfer_id}/decision", {"accept": True}).status_code
        == 403
    )
    login(client, rita, actors.other_org)
    assert client.get("/api/v1/transfers").json()[0]["handover_note"] == "Moving to Tirana"
    decided = _post(client, f"/api/v1/transfers/{transfer_id}/decision", {"accept": True})
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert client.get(f"/api/v1/cases/{shared_case.pk}").status_code == 200
    assert client.get(f"/api/v1/transfers/{transfer_id}/records").status_code == 404
    login(client, actors.supervisor, actors.home_org)
    assert client.get(f"/api/v1/cases/{shared_case.pk}").status_code == 404
    records = client.get(f"/api/v1/transfers/{transfer_id}/records").json()
    assert [n["text"] for n in records["notes"]] == [NOTE_TEXT]
    document_id = records["documents"][0]["id"]
    download = client.get(f"/api/v1/transfers/{transfer_id}/records/documents/{document_id}")
    assert download.status_code == 200 and download.content == PDF


def test_handover_notes_only_for_those_who_may_see_the_case(
    client: Client, login: Any, actors: Any, shared_case: Any, make_user: Any
) -> None:
    """Issue 15, item 4: the transfer list shows the note only to whoever sees the case (or
    decides the transfer); another case worker of either organisation gets the row without
    it, on the API and the page alike."""
    bystander = make_user("bea_bystander", actors.home_org, Role.CASE_MANAGER)
    login(client, actors.case_manager, actors.home_org)
    created = _post(
        client,
        f"/api/v1/cases/{shared_case.pk}/transfers",
        {"to_organisation_id": actors.other_org.pk, "handover_note": "Moving to Tirana"},
    )
    assert created.status_code == 201, created.content
    assert client.get("/api/v1/transfers").json()[0]["handover_note"] == "Moving to Tirana"
    for user, organisation in (
        (bystander, actors.home_org),
        (actors.other_worker, actors.other_org),
    ):
        login(client, user, organisation)
        rows = client.get("/api/v1/transfers").json()
        assert [row["handover_note"] for row in rows] == [None]
        page = client.get(reverse("referrals:transfers")).content.decode()
        assert "Moving to Tirana" not in page
    login(client, actors.supervisor, actors.home_org)
    assert client.get("/api/v1/transfers").json()[0]["handover_note"] == "Moving to Tirana"
