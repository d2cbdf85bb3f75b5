# ruff: noqa: F811  (the workload fixture is imported from the My work tests)
"""The home page starts each role's day with its waiting work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.codes import PlanStatus
from plans.models import Plan
from work.tests.test_pages_and_api import (  # noqa: F401  (fixtures)
    TODAY,
    _fixed_today,
    received_case,
    workload,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def _plan(case, *, status, approving_organisation=None):
    return Plan.objects.create(
        case=case,
        organisation=case.organisation,
        data_key=case.data_key,
        status=status,
        approving_organisation=approving_organisation,
        submitted_at=timezone.now() if status == PlanStatus.SUBMITTED else None,
    )


def test_case_worker_starts_with_due_work_recent_cases_and_returned_plans(
    client, actors, login, workload
):
    _plan(workload["week"], status=PlanStatus.RETURNED)
    login(client, actors.case_manager, actors.home_org)
    response = client.get(HOME)
    assert response.status_code == 200
    day = response.context["day"]
    # Overdue and today's items only, the overdue first; nothing of a colleague's.
    assert [row["item"].case_id for row in day.due] == [
        workload["overdue"].pk,
        workload["today"].pk,
    ]
    assert day.due_count == 2
    assert [plan.case_id for plan in day.plans_returned] == [workload["week"].pk]
    recent = [case.pk for case in day.recent_cases]
    assert workload["later"].pk == recent[0] and workload["elsewhere"].pk not in recent
    assert day.referrals_waiting == []
    assert day.plans_to_approve is None and day.fund_submissions is None
    body = response.content.decode()
    assert "Plans returned with comments" in body and workload["week"].number in body


def test_supervisor_sees_plans_to_approve_overdue_by_worker_and_change_requests(
    client, actors, login, workload
):
    from cases.models import CaseManagerChangeRequest

    _plan(workload["today"], status=PlanStatus.SUBMITTED, approving_organisation=actors.home_org)
    CaseManagerChangeRequest.objects.create(
        case=workload["overdue"],
        data_key=workload["overdue"].data_key,
        recorded_by=actors.supervisor,
        requested_on=TODAY - timedelta(days=1),
    )
    login(client, actors.supervisor, actors.home_org)
    day = client.get(HOME).context["day"]
    assert [plan.case_id for plan in day.plans_to_approve] == [workload["today"].pk]
    assert day.plans_to_approve_count == 1
    by_worker = {row["responsible__username"]: row["overdue"] for row in day.overdue_by_worker}
    assert by_worker == {actors.case_manager.username: 1, actors.supervisor.username: 1}
    assert [request.case_id for request in day.change_requests] == [workload["overdue"].pk]


def test_coordinator_sees_submissions_waiting_and_no_case_file(client, actors, login, workload):
    _plan(
        workload["today"],
        status=PlanStatus.SUBMITTED,
        approving_organisation=actors.coordinator_org,
    )
    login(client, actors.coordinator, actors.coordinator_org)
    response = client.get(HOME)
    day = response.context["day"]
    assert [plan.case_id for plan in day.fund_submissions] == [workload["today"].pk]
    assert day.recent_cases is None and day.referrals_waiting is None
    # The coordinator sees the code, never the case number or the name.
    assert workload["today"].code in response.content.decode()
    assert workload["today"].number not in response.content.decode()


def test_other_organisation_sees_none_of_it(client, actors, login, workload):
    _plan(workload["today"], status=PlanStatus.SUBMITTED, approving_organisation=actors.home_org)
    login(client, actors.other_worker, actors.other_org)
    day = client.get(HOME).context["day"]
    assert workload["today"].pk not in [case.pk for case in day.recent_cases]
    assert all(row["item"].organisation_id == actors.other_org.pk for row in day.due)
    assert day.plans_to_approve is None


def test_home_needs_a_signed_in_user(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_query_count_does_not_grow_with_the_work(
    client, actors, login, workload, django_assert_max_num_queries
):
    login(client, actors.supervisor, actors.home_org)
    client.get(HOME)
    with django_assert_max_num_queries(30) as few:
        client.get(HOME)
    for days in range(21, 31):
        received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(HOME)


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("ru", "5 февраля 2027", "Февраль"),  # the genitive, in lower case
        ("ro", "5 februarie 2027", "Februarie"),
        ("sq", "5 shkurt 2027", "Shkurt"),
        ("en", "February 5, 2027", "2027-02-05"),
        ("ka", "2027", "2027-02-05"),
    ],
)
def test_home_page_dates_in_each_language(client, actors, login, language, shown, not_shown):
    import time_machine

    from accounts.models import User

    User.objects.filter(pk=actors.case_manager.pk).update(language=language)
    with time_machine.travel("2027-02-05 09:00:00+02:00", tick=False):
        login(client, actors.case_manager, actors.home_org)
        body = client.get(HOME).content.decode()
    assert shown.replace(" ", "\xa0") in body
    assert not_shown not in body
