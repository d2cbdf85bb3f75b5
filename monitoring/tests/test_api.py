"""The monitoring API: the acceptance paths with a frozen clock (md-nrs and al-sop), phase
order, outcomes, setbacks, and allow/deny per endpoint."""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from audit.models import AuditEntry
from monitoring.models import PhaseTransition
from work.models import WorkItem

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
FROZEN = "2026-06-01 10:00:00+03:00"


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _monitoring_items(case: Any) -> dict[str, WorkItem]:
    return {
        item.key: item for item in WorkItem.objects.filter(case=case, kind="monitoring_contact")
    }


def test_md_nrs_contact_meets_the_due_item_and_schedules_the_next_in_three_months(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        received = TODAY - timedelta(days=95)
        case = make_case(received=received)
        # 000 L171: impact assessment about once in three months.
        due = _monitoring_items(case)[f"contact:{received.isoformat()}"]
        assert (due.due_on, due.done_on) == (received + timedelta(days=90), None)
        login(client, actors.case_manager, actors.home_org)
        response = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/contacts",
            {
                "occurred_on": TODAY.isoformat(),
                "mode": "home_visit",
                "participants": "Olena, her mother",
                "notes": [
                    {"heading": "family", "text": "Visits her family twice a month", "rating": 4},
                    {"heading": "employment", "text": "Works as a cook assistant"},
                ],
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["next_due"] == {
            "kind": "monitoring_contact",
            "due_on": (TODAY + timedelta(days=90)).isoformat(),
            "rule": "md-nrs@1:monitoring.contact_interval_days",
        }
        assert [n["heading"] for n in body["notes"]] == ["family", "employment"]
        items = _monitoring_items(case)
        assert items[f"contact:{received.isoformat()}"].done_on == TODAY
        assert items[f"contact:{TODAY.isoformat()}"].due_on == TODAY + timedelta(days=90)
        assert items[f"contact:{TODAY.isoformat()}"].done_on is None
        assert AuditEntry.objects.filter(
            case_id=case.pk, object_type="monitoring.monitoringcontact", action="create"
        ).exists()


def test_al_sop_weekly_in_phase_two_and_monthly_in_phase_three(
    client: Client, login: Any, albania: Any, make_case: Any
) -> None:
    received = TODAY - timedelta(days=100)
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(
            organisation=albania.organisation,
            supervisor=albania.supervisor,
            case_manager=albania.case_manager,
            received=received,
        )
        # Phase I (crisis) has no minimum frequency (002): nothing is due before phase II.
        assert not any(
            i.due_on < received + timedelta(days=180) for i in _monitoring_items(case).values()
        )
        login(client, albania.case_manager, albania.organisation)
        stabilisation = received + timedelta(days=30)
        moved = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/phase-transitions",
            {"phase": "stabilisation", "started_on": stabilisation.isoformat()},
        )
        assert moved.status_code == 201, moved.content
        assert moved.json()["reassessment_offered"] is True
        # 002 L704-705: at least once a week in phase II, from the day it began.
        assert moved.json()["next_due"]["due_on"] == (stabilisation + timedelta(days=7)).isoformat()
        contact_day = stabilisation + timedelta(days=7)
        recorded = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/contacts",
            {"occurred_on": contact_day.isoformat(), "mode": "workplace_visit"},
        )
        assert recorded.status_code == 201, recorded.content
        assert recorded.json()["next_due"] == {
            "kind": "monitoring_contact",
            "due_on": (contact_day + timedelta(days=7)).isoformat(),
            "rule": "al-sop@1:monitoring.phases.1.contact_interval_days",
        }
        assert recorded.json()["phase"] == "stabilisation"
        inclusion = received + timedelta(days=60)
        assert (
            _post(
                client,
                f"/api/v1/cases/{case.pk}/monitoring/phase-transitions",
                {"phase": "inclusion", "started_on": inclusion.isoformat()},
            ).status_code
            == 201
        )
        monthly_day = inclusion + timedelta(days=1)
        recorded = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/contacts",
            {"occurred_on": monthly_day.isoformat(), "mode": "phone"},
        )
        assert recorded.status_code == 201, recorded.content
        # 002 L724-725: at least once a month in phase III.
        assert recorded.json()["next_due"] == {
            "kind": "monitoring_contact",
            "due_on": (monthly_day + timedelta(days=30)).isoformat(),
            "rule": "al-sop@1:monitoring.phases.2.contact_interval_days",
        }
        items = _monitoring_items(case)
        assert items[f"contact:{contact_day.isoformat()}"].done_on == monthly_day
        summary = client.get(f"/api/v1/cases/{case.pk}/monitoring").json()
        assert summary["phase"]["phase"] == "inclusion"
        assert summary["phase"]["recorded"] is True
        assert [t["phase"] for t in summary["phase"]["transitions"]] == [
            "stabilisation",
            "inclusion",
        ]


def test_phase_transition_skipping_or_reversing_needs_a_reason(
    client: Client, login: Any, albania: Any, make_case: Any
) -> None:
    received = TODAY - timedelta(days=40)
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(
            organisation=albania.organisation,
            supervisor=albania.supervisor,
            case_manager=albania.case_manager,
            received=received,
        )
        login(client, albania.case_manager, albania.organisation)
        url = f"/api/v1/cases/{case.pk}/monitoring/phase-transitions"
        # Crisis (by the calendar) to inclusion skips stabilisation.
        skipped = _post(client, url, {"phase": "inclusion", "started_on": TODAY.isoformat()})
        assert skipped.status_code == 422
        assert "reason" in skipped.json()["errors"]
        assert not PhaseTransition.objects.filter(case=case).exists()
        forward = _post(
            client,
            url,
            {"phase": "stabilisation", "started_on": (TODAY - timedelta(days=5)).isoformat()},
        )
        assert forward.status_code == 201
        reversed_ = _post(client, url, {"phase": "crisis", "started_on": TODAY.isoformat()})
        assert reversed_.status_code == 422
        assert "reason" in reversed_.json()["errors"]
        assert PhaseTransition.objects.filter(case=case).count() == 1
        with_reason = _post(
            client,
            url,
            {
                "phase": "crisis",
                "started_on": TODAY.isoformat(),
                "reason": "Lost her job and was threatened by the recruiter",
            },
        )
        assert with_reason.status_code == 201, with_reason.content
        body = with_reason.json()
        assert (body["out_of_order"], body["previous_phase"]) == (True, "stabilisation")
        assert body["reason"] == "Lost her job and was threatened by the recruiter"
        transition = PhaseTransition.objects.get(pk=body["id"])
        assert b"threatened" not in bytes(transition.reason_enc or b"")
        entry = AuditEntry.objects.get(
            object_type="monitoring.phasetransition", object_id=str(transition.pk)
        )
        assert entry.detail["out_of_order"] is True
        assert "reason" in entry.fields
        # Back in crisis (no minimum frequency): at most the week begun in phase II is owed;
        # no weekly rhythm runs on.
        open_items = WorkItem.objects.filter(
            case=case, kind="monitoring_contact", done_on__isnull=True
        )
        assert [item.due_on for item in open_items] == [TODAY + timedelta(days=2)]


def test_phase_transition_allow_and_deny(
    client: Client, login: Any, actors: Any, albania: Any, make_case: Any, make_user: Any
) -> None:
    from accounts.roles import Role

    case = make_case(
        organisation=albania.organisation,
        supervisor=albania.supervisor,
        case_manager=albania.case_manager,
        received=TODAY - timedelta(days=40),
    )
    url = f"/api/v1/cases/{case.pk}/monitoring/phase-transitions"
    payload = {"phase": "crisis", "started_on": case.received_at.isoformat()}
    # Another organisation: 404.
    login(client, actors.case_manager, actors.home_org)
    assert _post(client, url, payload).status_code == 404
    # A specialist on the team may see the case but not decide the phase: 403.
    specialist = make_user("dritan_doctor", albania.organisation, Role.SPECIALIST)
    from cases.models import TeamMember

    TeamMember.objects.create(
        case=case, user=specialist, role="doctor", added_by=albania.supervisor
    )
    client.logout()
    login(client, specialist, albania.organisation)
    assert _post(client, url, payload).status_code == 403
    # Anonymous: 401.
    client.logout()
    assert _post(client, url, payload).status_code == 401
    # The supervisor: allowed.
    login(client, albania.supervisor, albania.organisation)
    assert _post(client, url, payload).status_code == 201


def test_md_nrs_has_no_phases(client: Client, login: Any, actors: Any, make_case: Any) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/monitoring/phase-transitions",
        {"phase": "crisis", "started_on": case.received_at.isoformat()},
    )
    assert response.status_code == 422
    assert "phase" in response.json()["errors"]
    summary = client.get(f"/api/v1/cases/{case.pk}/monitoring").json()
    assert summary["phase"]["has_phases"] is False
    assert summary["phase"]["contact_interval_days"] == 90


def test_contact_patch_keeps_omitted_fields_and_refuses_null(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=95))
        login(client, actors.case_manager, actors.home_org)
        created = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/contacts",
            {
                "occurred_on": TODAY.isoformat(),
                "mode": "home_visit",
                "participants": "the person and her mother",
            },
        )
        assert created.status_code == 201, created.content
        url = f"/api/v1/cases/{case.pk}/monitoring/contacts/{created.json()['id']}"
        changed = client.patch(
            url, {"expected_version": 1, "mode": "phone"}, content_type="application/json"
        )
        assert changed.status_code == 200, changed.content
        assert changed.json()["mode"] == "phone"
        assert changed.json()["participants"] == "the person and her mother"
        refused = client.patch(
            url, {"expected_version": 2, "participants": None}, content_type="application/json"
        )
        assert refused.status_code == 422 and "participants" in refused.json()["detail"]
        assert client.get(url).json()["participants"] == "the person and her mother"
