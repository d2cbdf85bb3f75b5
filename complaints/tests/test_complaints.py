"""The complaints register: anonymous complaints, who sees them, answers and links, through
the API and the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEntry
from complaints.models import Complaint

pytestmark = pytest.mark.django_db

ANONYMOUS = {
    "received_on": "2026-03-02",
    "channel": "box",
    "subject": "staff_conduct",
    "details": "A worker shouted at us in the shelter kitchen",
    "anonymous": True,
}


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def officer(actors: Any, make_user: Any) -> Any:
    from accounts.roles import Role

    return make_user("cora_officer", actors.home_org, Role.COMPLAINTS_OFFICER)


def test_anonymous_complaint_has_no_case_and_only_handlers_see_it(
    client: Client, login: Any, actors: Any, officer: Any
) -> None:
    # A case worker writes down what was found in the complaints box.
    login(client, actors.case_manager, actors.home_org)
    created = _post(client, "/api/v1/complaints", ANONYMOUS)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["case_id"] is None and body["anonymous"] is True
    # Answer due from the pack (md-nrs: 30 days, a configured value).
    assert body["response_due_on"] == "2026-04-01"
    complaint = Complaint.objects.get(pk=body["id"])
    assert complaint.case_id is None
    assert b"shouted" not in bytes(complaint.details_enc or b"")
    detail = f"/api/v1/complaints/{complaint.pk}"
    # ... and cannot read the register or the complaint afterwards.
    assert client.get("/api/v1/complaints").status_code == 403
    assert client.get(detail).status_code == 403
    assert client.get("/complaints/").status_code == 403
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 403
    client.logout()
    login(client, actors.specialist, actors.home_org)
    assert client.get(detail).status_code == 403
    client.logout()
    # Another organisation's complaints officer: not found.
    other_officer = _other_officer(actors)
    login(client, other_officer, actors.other_org)
    assert client.get(detail).status_code == 404
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 404
    assert client.get("/api/v1/complaints").json()["count"] == 0
    client.logout()
    assert client.get(detail).status_code == 401
    # The organisation's complaints officer and its supervisor see it.
    for handler in (officer, actors.supervisor):
        login(client, handler, actors.home_org)
        listed = client.get("/api/v1/complaints").json()
        assert [c["id"] for c in listed["items"]] == [complaint.pk]
        assert client.get(detail).json()["details"] == ANONYMOUS["details"]
        page = client.get("/complaints/")
        assert page.status_code == 200 and "anonymous" in page.content.decode()
        assert client.get(f"/complaints/{complaint.pk}/").status_code == 200
        client.logout()
    # The complaint stays out of every case's audit trail.
    assert not AuditEntry.objects.filter(
        object_type="complaints.complaint", case_id__isnull=False
    ).exists()


def _other_officer(actors: Any) -> Any:
    from accounts.models import Membership, User
    from accounts.roles import Role

    user = User.objects.create_user("ola_officer", password="x" * 20)
    Membership.objects.create(
        user=user, organisation=actors.other_org, role=Role.COMPLAINTS_OFFICER
    )
    return user


def test_anonymous_complaint_cannot_be_linked(
    client: Client, login: Any, actors: Any, make_case: Any, officer: Any
) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    refused = _post(client, "/api/v1/complaints", {**ANONYMOUS, "case_id": case.pk})
    assert refused.status_code == 422 and "case_id" in refused.json()["errors"]
    assert not Complaint.objects.exists()
    created = _post(client, "/api/v1/complaints", ANONYMOUS).json()
    client.logout()
    login(client, actors.supervisor, actors.home_org)
    link = _post(
        client,
        f"/api/v1/complaints/{created['id']}/case-link",
        {"expected_version": 1, "case_id": case.pk},
    )
    assert link.status_code == 422
    assert Complaint.objects.get().case_id is None


def test_named_complaint_linked_at_the_persons_request_and_answered(
    client: Client, login: Any, actors: Any, make_case: Any, officer: Any
) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    created = _post(
        client,
        "/api/v1/complaints",
        {
            "received_on": "2026-03-02",
            "channel": "in_person",
            "subject": "service_not_received",
            "details": "The promised course never started",
            "complainant": "Olena Petrenko",
            "case_id": case.pk,
        },
    )
    assert created.status_code == 201
    assert created.json()["case_id"] == case.pk
    complaint_id = created.json()["id"]
    client.logout()
    # The officer sees no case file, so cannot link one; the answer is theirs to give.
    login(client, officer, actors.home_org)
    url = f"/api/v1/complaints/{complaint_id}"
    incomplete = client.patch(
        url,
        {"expected_version": 1, "response": "We called the college"},
        content_type="application/json",
    )
    assert incomplete.status_code == 422
    assert {"responded_on", "outcome"} <= set(incomplete.json()["errors"])
    answered = client.patch(
        url,
        {
            "expected_version": 1,
            "handler_id": officer.pk,
            "response": "Course starts on 1 April",
            "responded_on": "2026-03-10",
            "outcome": "upheld",
        },
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.content
    assert (answered.json()["status"], answered.json()["version"]) == ("answered", 2)
    stale = client.patch(url, {"expected_version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["outcome"] == "upheld"
    # A PATCH changes only what it sends: the answer, its date and the handler stay.
    reoutcome = client.patch(
        url, {"expected_version": 2, "outcome": "partly_upheld"}, content_type="application/json"
    )
    assert reoutcome.status_code == 200, reoutcome.content
    kept = reoutcome.json()
    assert kept["outcome"] == "partly_upheld" and kept["handler_id"] == officer.pk
    assert kept["responded_on"] == "2026-03-10" and kept["response"] == "Course starts on 1 April"
    refused = client.patch(
        url, {"expected_version": 3, "outcome": None}, content_type="application/json"
    )
    assert refused.status_code == 422 and "outcome" in refused.json()["detail"]


def test_complaint_pages_record_and_answer(
    client: Client, login: Any, actors: Any, officer: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    assert client.get("/complaints/new/").status_code == 200
    bad = client.post("/complaints/new/", {"received_on": "2026-03-02", "channel": "box"})
    assert bad.status_code == 422
    recorded = client.post(
        "/complaints/new/",
        {
            "received_on": "2026-03-02",
            "channel": "phone",
            "subject": "accommodation",
            "details": "No heating in the flat",
            "anonymous": "on",
        },
    )
    assert recorded.status_code == 302
    complaint = Complaint.objects.get()
    client.logout()
    login(client, officer, actors.home_org)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "No heating in the flat" in page
    answered = client.post(
        f"/complaints/{complaint.pk}/",
        {
            "expected_version": "1",
            "handler": str(officer.pk),
            "response": "Repaired",
            "responded_on": datetime.date(2026, 3, 5).isoformat(),
            "outcome": "upheld",
        },
    )
    assert answered.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.handler == officer
    client.logout()
    assert client.get("/complaints/new/").status_code == 302
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get("/complaints/new/").status_code == 403
