"""Closure, follow-up and reopening over the API: the acceptance paths with a frozen clock
on an md-nrs adult case, the refusal while activities are open, the closed-case guard, and
allow/deny per endpoint."""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from audit.models import AuditEntry
from cases.models import Case
from closure.models import CaseClosure
from plans.models import Activity, Objective, Plan
from work.models import WorkItem

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
FROZEN = "2026-06-01 10:00:00+03:00"


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _plan(case: Any, *statuses: str) -> tuple[Objective, list[Activity]]:
    plan = Plan.objects.create(case=case, organisation=case.organisation, data_key=case.data_key)
    objective = Objective(plan=plan, data_key=case.data_key, domain="employment")
    objective.set_plain("title", "Stable job")
    objective.save()
    activities = []
    for status in statuses:
        activity = Activity(
            objective=objective,
            data_key=case.data_key,
            responsible_kind="staff",
            status=status,
            not_delivered_reason="waiting_list" if status == "not_delivered" else "",
        )
        activity.set_plain("description", "Vocational course")
        activity.save()
        activities.append(activity)
    return objective, activities


def _closure_body(objective: Objective | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reason": "objectives_achieved",
        "planned": True,
        "closed_on": TODAY.isoformat(),
        "contact_channel": "phone",
        "contact_frequency": "quarterly",
        "consent_to_contact": True,
        "objectives": ([{"objective_id": objective.pk, "result": "achieved"}] if objective else []),
        "person_words": "I have my own flat and a job now",
        "worker_assessment": "Stable, supported by her sister",
    }
    body.update(extra)
    return body


def _close(client: Client, login: Any, actors: Any, case: Any, objective: Any) -> int:
    login(client, actors.case_manager, actors.home_org)
    response = _post(client, f"/api/v1/cases/{case.pk}/closures", _closure_body(objective))
    assert response.status_code == 201, response.content
    closure = response.json()
    login(client, actors.supervisor, actors.home_org)
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/closures/{closure['id']}/decision",
        {"approve": True, "version": closure["version"]},
    )
    assert response.status_code == 200, response.content
    return int(closure["id"])


def test_open_activities_refuse_closure_until_each_is_settled(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=200))
        objective, (open_one, _done, _undelivered) = _plan(
            case, "in_progress", "done", "not_delivered"
        )
        login(client, actors.case_manager, actors.home_org)
        url = f"/api/v1/cases/{case.pk}/closures"
        response = _post(client, url, _closure_body(objective))
        assert response.status_code == 422
        assert "activities" in response.json()["errors"]
        assert not CaseClosure.objects.filter(case=case).exists()
        # Handed over explicitly, with whom: accepted.
        response = _post(
            client,
            url,
            _closure_body(
                objective,
                handed_over_activity_ids=[open_one.pk],
                handover="Course continues with the employment office",
            ),
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "proposed"
        assert body["handover"] == "Course continues with the employment office"
        assert Case.objects.get(pk=case.pk).status == "open"
        stored = CaseClosure.objects.get(pk=body["id"])
        # The person's words are encrypted at rest.
        assert stored.person_words_enc is not None
        assert b"own flat" not in bytes(stored.person_words_enc)


def test_every_objective_needs_a_result(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=200))
        objective, _ = _plan(case, "done")
        login(client, actors.case_manager, actors.home_org)
        response = _post(client, f"/api/v1/cases/{case.pk}/closures", _closure_body(None))
        assert response.status_code == 422
        assert "objectives" in response.json()["errors"]
        response = _post(
            client,
            f"/api/v1/cases/{case.pk}/closures",
            _closure_body(objective, reason="graduated"),
        )
        assert response.status_code == 422
        assert "reason" in response.json()["errors"]


def test_md_nrs_adult_follow_up_falls_due_is_met_and_ends_after_twelve_months(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, _ = _plan(case, "done")
        closure_id = _close(client, login, actors, case, objective)
        assert Case.objects.get(pk=case.pk).status == "closed"
        items = list(WorkItem.objects.filter(case=case, kind="follow_up_contact"))
        # 000 L171, L390: every three months during one year after closure.
        assert [(i.due_on, i.done_on) for i in items] == [(TODAY + timedelta(days=90), None)]
        assert not WorkItem.objects.filter(case=case, done_on__isnull=True).exclude(
            kind="follow_up_contact"
        )
    contact_day = TODAY + timedelta(days=88)
    with time_machine.travel(f"{contact_day.isoformat()} 10:00:00+03:00", tick=False):
        login(client, actors.case_manager, actors.home_org)
        response = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/contacts",
            {"occurred_on": contact_day.isoformat(), "mode": "phone", "purpose": "follow_up"},
        )
        assert response.status_code == 201, response.content
        keyed = {i.key: i for i in WorkItem.objects.filter(case=case, kind="follow_up_contact")}
        assert keyed[f"follow_up:{TODAY.isoformat()}"].done_on == contact_day
        assert keyed[f"follow_up:{contact_day.isoformat()}"].due_on == contact_day + timedelta(
            days=90
        )
        # A monitoring contact is no longer accepted.
        response = _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/contacts",
            {"occurred_on": contact_day.isoformat(), "mode": "phone"},
        )
        assert response.status_code == 422
    # After twelve months nothing more falls due.
    later = TODAY + timedelta(days=366)
    with time_machine.travel(f"{later.isoformat()} 10:00:00+03:00", tick=False):
        keys = set(
            WorkItem.objects.filter(case=case, kind="follow_up_contact").values_list(
                "due_on", flat=True
            )
        )
        assert max(keys) <= TODAY + timedelta(days=365)
        login(client, actors.case_manager, actors.home_org)
        response = _post(
            client,
            f"/api/v1/cases/{case.pk}/closures/{closure_id}/follow-up-end",
            {"ended_on": later.isoformat(), "why": "period_completed"},
        )
        assert response.status_code == 200, response.content
        assert response.json()["follow_up_end"] == "period_completed"


def test_withdrawn_consent_stops_follow_up_and_says_why(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, _ = _plan(case, "done")
        closure_id = _close(client, login, actors, case, objective)
        login(client, actors.case_manager, actors.home_org)
        response = _post(
            client,
            f"/api/v1/cases/{case.pk}/closures/{closure_id}/follow-up-end",
            {"ended_on": TODAY.isoformat(), "why": "consent_withdrawn", "note": "Asked by phone"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["follow_up_end"], body["consent_to_contact"]) == ("consent_withdrawn", False)
        assert not WorkItem.objects.filter(
            case=case, kind="follow_up_contact", done_on__isnull=True
        ).exists()


def test_after_closure_only_follow_up_reopen_and_erasure_are_accepted(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, _ = _plan(case, "done")
        _close(client, login, actors, case, objective)
        login(client, actors.case_manager, actors.home_org)
        # A case note, a phase, a setback, a second closure: all refused.
        for url, body in (
            (f"/api/v1/cases/{case.pk}/closures", _closure_body(objective)),
            (
                f"/api/v1/cases/{case.pk}/monitoring/setbacks",
                {"occurred_on": TODAY.isoformat(), "triggers": ["job_loss"], "severity": "low"},
            ),
        ):
            response = _post(client, url, body)
            assert response.status_code == 403, (url, response.content)
        response = client.patch(
            f"/api/v1/cases/{case.pk}",
            {"version": Case.objects.get(pk=case.pk).version, "security_alert": True},
            content_type="application/json",
        )
        assert response.status_code == 403, response.content
        assert Case.objects.get(pk=case.pk).security_alert is False
        # Reading still works.
        assert client.get(f"/api/v1/cases/{case.pk}/closure").status_code == 200


def test_reopening_after_a_setback_keeps_the_history(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, _ = _plan(case, "done")
        closure_id = _close(client, login, actors, case, objective)
        login(client, actors.case_manager, actors.home_org)
        url = f"/api/v1/cases/{case.pk}/reopenings"
        response = _post(
            client, url, {"reason": "re_trafficking", "reopened_on": TODAY.isoformat()}
        )
        assert response.status_code == 422
        assert "setback" in response.json()["errors"]
        response = _post(
            client,
            url,
            {"reason": "new_need", "reopened_on": TODAY.isoformat(), "note": "Lost her job"},
        )
        assert response.status_code == 201, response.content
        assert Case.objects.get(pk=case.pk).status == "open"
        section = client.get(f"/api/v1/cases/{case.pk}/closure").json()
        assert [c["id"] for c in section["closures"]] == [closure_id]
        assert section["closures"][0]["follow_up_end"] == "reopened"
        assert [r["reason"] for r in section["reopenings"]] == ["new_need"]
        # Open again: a reopening is refused, work is accepted.
        assert (
            _post(client, url, {"reason": "new_need", "reopened_on": TODAY.isoformat()}).status_code
            == 403
        )
        assert AuditEntry.objects.filter(
            case_id=case.pk, object_type="closure.casereopening"
        ).exists()


def test_closure_approval_needs_a_supervisor(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, _ = _plan(case, "done")
        login(client, actors.case_manager, actors.home_org)
        closure = _post(
            client, f"/api/v1/cases/{case.pk}/closures", _closure_body(objective)
        ).json()
        url = f"/api/v1/cases/{case.pk}/closures/{closure['id']}/decision"
        assert _post(client, url, {"approve": True, "version": 1}).status_code == 403
        login(client, actors.supervisor, actors.home_org)
        assert _post(client, url, {"approve": True, "version": 7}).status_code == 409
        response = _post(client, url, {"approve": False, "version": 1})
        assert response.status_code == 422
        assert "note" in response.json()["errors"]
        assert Case.objects.get(pk=case.pk).status == "open"


@pytest.mark.parametrize("who", ["other_worker", "analyst", "anonymous"])
def test_other_organisation_wrong_role_and_anonymous_are_refused(
    client: Client, login: Any, actors: Any, make_case: Any, who: str
) -> None:
    case = make_case(received=TODAY - timedelta(days=300))
    if who == "other_worker":
        login(client, actors.other_worker, actors.other_org)
    elif who == "analyst":
        login(client, actors.analyst, actors.coordinator_org)
    expected = {"other_worker": 404, "analyst": 403, "anonymous": 401}[who]
    assert client.get(f"/api/v1/cases/{case.pk}/closure").status_code == expected
    response = _post(client, f"/api/v1/cases/{case.pk}/closures", _closure_body(None))
    assert response.status_code == expected
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/reopenings",
        {"reason": "new_need", "reopened_on": "2026-01-01"},
    )
    assert response.status_code == expected
    assert not CaseClosure.objects.filter(case=case).exists()


def test_specialist_may_not_propose_a_closure(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    from cases.models import TeamMember

    case = make_case(received=TODAY - timedelta(days=300))
    TeamMember.objects.create(
        case=case, user=actors.specialist, role="psychologist", added_by=actors.supervisor
    )
    login(client, actors.specialist, actors.home_org)
    response = _post(client, f"/api/v1/cases/{case.pk}/closures", _closure_body(None))
    assert response.status_code == 403


def test_my_follow_ups_due(client: Client, login: Any, actors: Any, make_case: Any) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, _ = _plan(case, "done")
        _close(client, login, actors, case, objective)
    later = TODAY + timedelta(days=95)
    with time_machine.travel(f"{later.isoformat()} 10:00:00+03:00", tick=False):
        login(client, actors.case_manager, actors.home_org)
        response = client.get("/api/v1/work/follow-ups")
        assert response.status_code == 200
        assert response.json() == [
            {
                "case_id": case.pk,
                "case_code": case.code,
                "due_on": (TODAY + timedelta(days=90)).isoformat(),
            }
        ]
        login(client, actors.other_worker, actors.other_org)
        assert client.get("/api/v1/work/follow-ups").json() == []
