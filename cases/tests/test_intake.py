"""Identification and intake, reception and assignment, team, change requests (SPEC C2)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.access import acting_for
from audit.models import AuditEntry
from cases.codes import IdentificationStatus
from cases.models import Case, CaseManagerAssignment, IdentificationDecision, TraffickingIndicator
from cases.services import (
    StaleEdit,
    case_admit,
    case_assign_manager,
    change_request_decide,
    change_request_record,
    identification_transition,
    transition_refusal,
)
from consent.services import ConsentRequired, consent_record

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 1)


def _refusal(current: str, target: str, **extra: Any) -> dict[str, str] | None:
    values: dict[str, Any] = {
        "decided_on": TODAY,
        "today": TODAY,
        "identifying_body": "",
        "identifying_authority": "",
        "has_decision_document": False,
        "referred_to": "",
    }
    values.update(extra)
    return transition_refusal(current=current, target=target, **values)


def test_transition_rules_are_explicit() -> None:
    assert _refusal("at_risk", "potential") is None
    assert "to_status" in (_refusal("at_risk", "identified") or {})
    assert "identifying_body" in (_refusal("potential", "identified") or {})
    assert "decision_document" in (
        _refusal(
            "potential", "identified", identifying_body="Police", identifying_authority="G/SRFI"
        )
        or {}
    )
    assert (
        _refusal(
            "potential",
            "identified",
            identifying_body="Police",
            identifying_authority="G/SRFI",
            has_decision_document=True,
        )
        is None
    )
    assert "referred_to" in (_refusal("potential", "not_victim") or {})
    assert _refusal("not_victim", "at_risk") is None
    assert "to_status" in (_refusal("identified", "at_risk") or {})
    assert "decided_on" in (
        _refusal("at_risk", "potential", decided_on=TODAY + datetime.timedelta(days=1)) or {}
    )


def test_formal_identification_through_the_service(
    case: Any, actors: Any, acting: Any, pdf_upload: Any
) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    identification_transition(
        acting=supervisor,
        case=case,
        to_status="potential",
        decided_on=datetime.date(2026, 3, 2),
        expected_version=case.version,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        identification_transition(
            acting=supervisor,
            case=case,
            to_status="identified",
            decided_on=datetime.date(2026, 3, 3),
            expected_version=case.version,
        )
    assert "identifying_body" in refused.value.message_dict
    formal: dict[str, Any] = {
        "to_status": "identified",
        "decided_on": datetime.date(2026, 3, 3),
        "identifying_body": "Police",
        "identifying_authority": "Formal identification group, Chisinau",
    }
    # The referral to formal identification needs the person's consent (SPEC C3).
    with pytest.raises(ConsentRequired):
        identification_transition(
            acting=supervisor,
            case=case,
            decision_document=pdf_upload(),
            expected_version=case.version,
            **formal,
        )
    case.refresh_from_db()
    assert case.identification_status == IdentificationStatus.POTENTIAL
    consent_record(
        acting=supervisor,
        case=case,
        purpose="formal_identification",
        given_by="person",
        method="oral_witnessed",
        given_on=datetime.date(2026, 3, 2),
    )
    decision = identification_transition(
        acting=supervisor,
        case=case,
        to_status="identified",
        decided_on=datetime.date(2026, 3, 3),
        identifying_body="Police",
        identifying_authority="Formal identification group, Chisinau",
        decision_document=pdf_upload(),
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.identification_status == IdentificationStatus.IDENTIFIED
    assert case.identified_on == datetime.date(2026, 3, 3)
    assert decision.decision_file and decision.get_plain("decision_file_name") == "decision.pdf"
    assert AuditEntry.objects.filter(action="transition", case_id=case.pk).count() == 2


def test_stale_transition_is_refused(case: Any, actors: Any, acting: Any) -> None:
    with pytest.raises(StaleEdit):
        identification_transition(
            acting=acting(actors.supervisor, actors.home_org),
            case=case,
            to_status="potential",
            decided_on=datetime.date(2026, 3, 2),
            expected_version=case.version - 1 if case.version > 1 else 99,
        )
    assert IdentificationDecision.objects.count() == 0


def test_assignment_waits_for_immediate_needs(case: Any, actors: Any, acting: Any) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError) as refused:
        case_assign_manager(
            acting=supervisor,
            case=case,
            case_manager=actors.case_manager,
            reason="initial",
            expected_version=case.version,
        )
    # The message says where the missing date is recorded.
    message = refused.value.message_dict["case_manager"][0]
    assert "Edit details, referral and flags" in message and "Immediate needs met on" in message


def test_note_written_now_is_not_refused_as_future(managed_case: Any, actors: Any, acting: Any):
    import datetime

    from django.utils import timezone

    from cases.services import note_add

    # A tablet whose clock runs a little ahead, saving "now" with its seconds.
    note = note_add(
        acting=acting(actors.case_manager, actors.home_org),
        case=managed_case,
        kind="visit",
        occurred_at=timezone.now() + datetime.timedelta(seconds=59),
        text="Home visit.",
    )
    assert note.pk is not None


def test_only_supervisors_assign(managed_case: Any, actors: Any, acting: Any) -> None:
    with pytest.raises(PermissionDenied):
        case_assign_manager(
            acting=acting(actors.case_manager, actors.home_org),
            case=managed_case,
            case_manager=actors.supervisor,
            reason="workload",
            expected_version=managed_case.version,
        )


def test_reassignment_keeps_history_and_change_request(
    managed_case: Any, actors: Any, acting: Any
) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    request = change_request_record(
        acting=acting(actors.case_manager, actors.home_org),
        case=managed_case,
        requested_on=datetime.date(2026, 3, 5),
        reason="I would rather talk to a woman",
    )
    change_request_decide(
        acting=supervisor,
        case=managed_case,
        request=request,
        grant=True,
        new_case_manager=actors.supervisor,
    )
    managed_case.refresh_from_db()
    assert managed_case.case_manager == actors.supervisor
    history = list(CaseManagerAssignment.objects.filter(case=managed_case).order_by("assigned_at"))
    assert [a.case_manager for a in history] == [actors.case_manager, actors.supervisor]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert history[1].reason == "person_request"
    request.refresh_from_db()
    assert request.status == "granted"


def test_admission(case: Any, actors: Any, acting: Any) -> None:
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError):
        case_admit(
            acting=supervisor,
            case=case,
            admitted_on=datetime.date(2026, 2, 1),
            expected_version=case.version,
        )
    case_admit(
        acting=supervisor,
        case=case,
        admitted_on=datetime.date(2026, 3, 2),
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.admitted_on == datetime.date(2026, 3, 2)


def test_screening_interview_and_decision_through_pages(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    indicators = list(
        TraffickingIndicator.objects.filter(code__in=["no_identity_documents", "cannot_leave_work"])
    )
    assert len(indicators) == 2
    response = client.post(
        reverse("cases:screening_create", args=[case.pk]),
        {
            "screened_on": "2026-03-01",
            "indicators": [i.pk for i in indicators],
            "notes": "documents kept by employer",
        },
    )
    assert response.status_code == 302
    interview = {
        "held_on": "2026-03-01",
        "language": "uk",
        "interpreter_present": "on",
        "medical_history": "asthma",
        "principles": ["informed_consent", "private"],
    }
    # Without the person's consent to the interview, nothing is recorded (003 §5.1).
    response = client.post(reverse("cases:interview_create", args=[case.pk]), interview)
    assert response.status_code == 200
    assert "There is no current consent" in response.content.decode()
    boss = acting_for(actors.supervisor, actors.home_org)
    assert boss is not None
    consent_record(
        acting=boss,
        case=case,
        purpose="interview",
        given_by="person",
        method="oral_witnessed",
        given_on=datetime.date(2026, 3, 1),
    )
    response = client.post(reverse("cases:interview_create", args=[case.pk]), interview)
    assert response.status_code == 302
    page = client.get(reverse("cases:identification", args=[case.pk])).content.decode()
    assert "documents kept by employer" in page and "asthma" in page
    response = client.post(
        reverse("cases:decision_create", args=[case.pk]),
        {"version": case.version, "to_status": "identified", "decided_on": "2026-03-02"},
    )
    assert response.status_code == 200
    assert "A case cannot go from" in response.content.decode()
    response = client.post(
        reverse("cases:decision_create", args=[case.pk]),
        {"version": case.version, "to_status": "potential", "decided_on": "2026-03-02"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).identification_status == "potential"


def test_stale_case_edit_shows_current_values(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    url = reverse("cases:edit", args=[case.pk])
    data = {
        "version": case.version,
        "received_at": "2026-03-01",
        "referring_party": "Border police",
        "risk_level": "high",
    }
    assert client.post(url, data).status_code == 302
    data["referring_party"] = "Someone else"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "Someone changed this case" in response.content.decode()
    assert "Border police" in response.content.decode()
    assert Case.objects.get(pk=case.pk).referring_party == "Border police"


def test_assign_team_and_change_request_pages(
    client: Client, login: Any, actors: Any, case: Any
) -> None:
    login(client, actors.supervisor, actors.home_org)
    client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "version": case.version,
            "received_at": "2026-03-01",
            "immediate_needs_met_on": "2026-03-01",
        },
    )
    case.refresh_from_db()
    response = client.post(
        reverse("cases:assign", args=[case.pk]),
        {"version": case.version, "case_manager": actors.case_manager.pk, "reason": "initial"},
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("cases:team_add", args=[case.pk]),
            {"user": actors.specialist.pk, "role": "psychologist"},
        ).status_code
        == 302
    )
    assert case.team.filter(user=actors.specialist, removed_at__isnull=True).exists()
    member = case.team.get(user=actors.specialist)
    assert client.post(reverse("cases:team_remove", args=[case.pk, member.pk])).status_code == 302
    assert not case.team.filter(user=actors.specialist, removed_at__isnull=True).exists()
    assert (
        client.post(
            reverse("cases:change_request", args=[case.pk]),
            {"requested_on": "2026-03-04", "reason": "no trust"},
        ).status_code
        == 302
    )
    change = case.change_requests.get()
    response = client.post(
        reverse("cases:change_request_decide", args=[case.pk, change.pk]), {"grant": "0"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "declined"
    assert (
        client.post(
            reverse("cases:admit", args=[case.pk]),
            {"version": Case.objects.get(pk=case.pk).version, "admitted_on": "2026-03-02"},
        ).status_code
        == 302
    )
    assert Case.objects.get(pk=case.pk).admitted_on == datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    "name", ["cases:admit", "cases:team_add", "cases:change_request", "cases:assign"]
)
def test_actions_refused_to_other_organisation(
    client: Client, login: Any, actors: Any, case: Any, name: str
) -> None:
    login(client, actors.other_worker, actors.other_org)
    assert client.post(reverse(name, args=[case.pk]), {}).status_code == 404


def test_case_manager_cannot_assign_or_override(
    client: Client, login: Any, actors: Any, managed_case: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    assert client.get(reverse("cases:assign", args=[managed_case.pk])).status_code == 403
    assert client.get(reverse("cases:consent_override", args=[managed_case.pk])).status_code == 403
    assert client.get(reverse("cases:detail", args=[managed_case.pk])).status_code == 200
