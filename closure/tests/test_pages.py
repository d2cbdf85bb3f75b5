"""The closure section of the case file: propose, approve, follow-up end, reopen, print;
allow/deny and a constant number of queries."""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case
from closure.models import CaseClosure, CaseReopening
from closure.tests.test_api import _plan

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
FROZEN = "2026-06-01 10:00:00+03:00"


def _propose(client: Client, case: Any, objective: Any, **extra: Any) -> Any:
    data = {
        "reason": "lost_contact",
        "closed_on": TODAY.isoformat(),
        "contact_channel": "none",
        f"objective_{objective.pk}": "partly",
        "person_words": "",
        "worker_assessment": "No answer since March",
        **extra,
    }
    return client.post(reverse("closure:propose", args=[case.pk]), data)


def test_propose_approve_follow_up_end_reopen_and_print_through_the_pages(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        case = make_case(received=TODAY - timedelta(days=300))
        objective, (activity,) = _plan(case, "planned")
        login(client, actors.case_manager, actors.home_org)
        page = client.get(reverse("closure:case", args=[case.pk]))
        assert page.status_code == 200
        assert "Propose to close the case" in page.content.decode()
        response = _propose(client, case, objective)
        assert response.status_code == 422
        assert "plan activities are still open" in response.content.decode()
        response = _propose(
            client,
            case,
            objective,
            handed_over_activities=[str(activity.pk)],
            handover="Employment office continues the course",
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        closure = CaseClosure.objects.get(case=case)
        # A case manager cannot approve.
        url = reverse("closure:decide", args=[case.pk, closure.pk])
        assert client.post(url, {"approve": "yes", "version": 1}).status_code == 403
        login(client, actors.supervisor, actors.home_org)
        html = client.get(reverse("closure:case", args=[case.pk])).content.decode()
        assert "Approve or refuse the closure" in html
        assert client.post(url, {"approve": "yes", "version": 1}).status_code == 302
        assert Case.objects.get(pk=case.pk).status == "closed"
        html = client.get(reverse("closure:case", args=[case.pk])).content.decode()
        assert "Moved or lost contact" in html
        assert "lost_contact" not in html
        assert "Follow-up after closure" in html
        response = client.get(reverse("closure:print", args=[case.pk, closure.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert AuditEntry.objects.filter(case_id=case.pk, action="print").exists()
        response = client.post(
            reverse("closure:follow_up_end", args=[case.pk, closure.pk]),
            {"why": "consent_withdrawn", "ended_on": TODAY.isoformat(), "note": "By phone"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("closure:reopen", args=[case.pk]),
            {"reason": "person_returns", "reopened_on": TODAY.isoformat(), "note": "Came back"},
        )
        assert response.status_code == 302
        assert CaseReopening.objects.filter(case=case, reason="person_returns").exists()
        assert Case.objects.get(pk=case.pk).status == "open"


def test_bad_input_names_the_field_and_changes_nothing(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case(received=TODAY - timedelta(days=300))
    objective, _ = _plan(case, "done")
    login(client, actors.case_manager, actors.home_org)
    response = _propose(client, case, objective, closed_on="2090-01-01")
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.content.decode()
    assert not CaseClosure.objects.filter(case=case).exists()


@pytest.mark.parametrize("who", ["other_worker", "analyst", "anonymous"])
def test_section_refuses_other_organisation_wrong_role_and_anonymous(
    client: Client, login: Any, actors: Any, make_case: Any, who: str
) -> None:
    case = make_case(received=TODAY - timedelta(days=300))
    objective, _ = _plan(case, "done")
    if who == "other_worker":
        login(client, actors.other_worker, actors.other_org)
    elif who == "analyst":
        login(client, actors.analyst, actors.coordinator_org)
    response = client.get(reverse("closure:case", args=[case.pk]))
    if who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404)
    response = _propose(client, case, objective)
    assert response.status_code in (302, 403, 404)
    assert not CaseClosure.objects.filter(case=case).exists()


def test_closure_section_query_count_is_constant(
    client: Client,
    login: Any,
    actors: Any,
    make_case: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from closure.models import ClosureObjectiveReview
    from plans.models import Objective

    case = make_case(received=TODAY - timedelta(days=300))
    objective, _ = _plan(case, "done")
    login(client, actors.supervisor, actors.home_org)
    url = reverse("closure:case", args=[case.pk])

    def add_closures(n: int) -> None:
        for _ in range(n):
            closure = CaseClosure(
                case=case,
                data_key=case.data_key,
                reason="other",
                status="refused",
                closed_on=TODAY,
                contact_channel="phone",
                proposed_by=actors.case_manager,
                decided_by=actors.supervisor,
            )
            closure.set_plain("person_words", "words")
            closure.save()
            extra = Objective(plan=objective.plan, data_key=case.data_key, domain="employment")
            extra.set_plain("title", "Housing")
            extra.save()
            ClosureObjectiveReview.objects.create(closure=closure, objective=extra, result="partly")

    add_closures(1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_closures(6)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def _closed(case: Any, actors: Any, *, reason: str, planned: bool, ended: bool = False) -> Any:
    Case.objects.filter(pk=case.pk).update(status="closed")
    return CaseClosure.objects.create(
        case=case,
        data_key=case.data_key,
        reason=reason,
        planned=planned,
        status="approved",
        closed_on=TODAY,
        contact_channel="phone",
        proposed_by=actors.case_manager,
        follow_up_ended_on=TODAY if ended else None,
        follow_up_end="period_completed" if ended else "",
    )


def test_closed_case_list_filters_and_refuses_other_roles(
    client: Client, login: Any, actors: Any, make_case: Any, django_assert_max_num_queries: Any
) -> None:
    achieved = make_case(received=TODAY - timedelta(days=300))
    lost = make_case(received=TODAY - timedelta(days=300), given_name="Ina")
    make_case(received=TODAY - timedelta(days=300), given_name="Open")
    _closed(achieved, actors, reason="objectives_achieved", planned=True, ended=True)
    _closed(lost, actors, reason="lost_contact", planned=False)
    login(client, actors.case_manager, actors.home_org)
    url = reverse("closure:closed")
    html = client.get(url).content.decode()
    assert achieved.code in html and lost.code in html
    html = client.get(url, {"reason": "lost_contact"}).content.decode()
    assert lost.code in html and achieved.code not in html
    html = client.get(url, {"in_follow_up": "on"}).content.decode()
    assert lost.code in html and achieved.code not in html
    html = client.get(url, {"planned": "yes"}).content.decode()
    assert achieved.code in html and lost.code not in html
    for _ in range(4):
        extra = make_case(received=TODAY - timedelta(days=300), given_name="More")
        _closed(extra, actors, reason="other", planned=True)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    login(client, actors.other_worker, actors.other_org)
    html = client.get(url).content.decode()
    assert achieved.code not in html
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_my_work_shows_follow_ups_due(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    from work.models import WorkItem

    case = make_case(received=TODAY - timedelta(days=300))
    _closed(case, actors, reason="objectives_achieved", planned=True)
    WorkItem.objects.create(
        case=case,
        organisation=case.organisation,
        kind="follow_up_contact",
        key="follow_up:x",
        responsible=actors.case_manager,
        due_on=TODAY,
        source_rule="md-nrs@1:monitoring.follow_up_interval_days",
    )
    login(client, actors.case_manager, actors.home_org)
    url = reverse("closure:follow_ups_due")
    assert case.code in client.get(url).content.decode()
    login(client, actors.other_worker, actors.other_org)
    assert case.code not in client.get(url).content.decode()
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get(url).status_code == 403
