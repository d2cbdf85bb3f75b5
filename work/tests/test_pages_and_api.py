"""The "My work" and team pages and their API, for every role (SPEC C10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from policies.tests.factories import make_case
from work.models import MilestoneKind
from work.services import milestone_record

pytestmark = pytest.mark.django_db

MY_WORK = reverse("work:my_work")
TEAM = reverse("work:team")
API_WORK = "/api/v1/work"
API_TEAM = "/api/v1/work/team"
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel("2026-03-02 09:00:00+02:00", tick=False):
        yield


def received_case(organisation, manager, received_at):
    case = make_case(organisation, manager=manager, received_at=received_at)
    milestone_record(
        case=case, kind=MilestoneKind.RECEPTION, occurred_on=received_at, actor=manager
    )
    # md-nrs counts the plan's 20 days from the detailed evaluation (000 L76), done here on
    # the day of reception.
    milestone_record(
        case=case, kind=MilestoneKind.ASSESSMENT_COMPLETED, occurred_on=received_at, actor=manager
    )
    return case


@pytest.fixture
def workload(actors):
    """Home runs md-nrs: the plan is due 20 days after the assessment, done at reception."""
    overdue = received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=25))
    due_today = received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=20))
    this_week = received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=16))
    later = received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=1))
    colleague = received_case(actors.home_org, actors.supervisor, TODAY - timedelta(days=30))
    elsewhere = received_case(actors.other_org, actors.other_worker, TODAY - timedelta(days=30))
    return {
        "overdue": overdue,
        "today": due_today,
        "week": this_week,
        "later": later,
        "colleague": colleague,
        "elsewhere": elsewhere,
    }


def test_my_work_lists_own_items_by_bucket(client, actors, login, workload):
    login(client, actors.case_manager, actors.home_org)
    response = client.get(MY_WORK)
    assert response.status_code == 200
    body = response.content.decode()
    for key in ("overdue", "today", "week"):
        assert workload[key].code in body
    for key in ("later", "colleague", "elsewhere"):
        assert workload[key].code not in body
    summary = response.context["summary"]
    assert (summary.overdue, summary.today, summary.week) == (1, 1, 1)
    buckets = {row["item"].case.code: row["bucket"] for row in response.context["rows"]}
    assert buckets == {
        workload["overdue"].code: "overdue",
        workload["today"].code: "today",
        workload["week"].code: "week",
    }
    # The rule by its name, never its key.
    assert "Plan due after reception" in body and "md-nrs@1:plan.due_days" not in body


def test_my_work_filters_by_kind(client, actors, login, workload):
    login(client, actors.case_manager, actors.home_org)
    response = client.get(MY_WORK, {"kind": "monitoring_contact"})
    assert response.context["rows"] == []
    response = client.get(MY_WORK, {"kind": "plan_draft"})
    assert len(response.context["rows"]) == 3


@pytest.mark.parametrize("actor", ["analyst", "org_admin", "system_admin"])
def test_my_work_denied_to_roles_without_case_work(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(MY_WORK).status_code == 403
    assert client.get(API_WORK).status_code == 403


def test_my_work_denied_to_anonymous(client):
    assert client.get(MY_WORK).status_code == 302
    assert client.get(API_WORK).status_code == 401


def test_my_work_shows_codes_never_case_numbers(client, actors, login, workload):
    login(client, actors.case_manager, actors.home_org)
    body = client.get(MY_WORK).content.decode()
    assert workload["overdue"].number not in body


def test_my_work_query_count_is_constant(client, actors, login, django_assert_max_num_queries):
    login(client, actors.case_manager, actors.home_org)
    received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=25))
    client.get(MY_WORK)
    with django_assert_max_num_queries(12) as few:
        client.get(MY_WORK)
    for days in range(15, 40):
        received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MY_WORK)
    assert len(response.context["rows"]) == 26


def test_api_my_work(client, actors, login, workload):
    login(client, actors.case_manager, actors.home_org)
    data = client.get(API_WORK).json()
    assert (data["overdue"], data["due_today"], data["this_week"], data["count"]) == (1, 1, 1, 3)
    assert data["today"] == TODAY.isoformat()
    assert data["by_kind"] == [{"kind": "plan_draft", "label": "Plan draft", "count": 3}]
    first = data["items"][0]
    assert (first["case_code"], first["bucket"], first["kind"]) == (
        workload["overdue"].code,
        "overdue",
        "plan_draft",
    )
    assert first["case_url"] == f"/cases/{workload['overdue'].pk}/"
    assert (
        client.get(API_WORK, {"kind": "plan_draft", "limit": 1}).json()["items"][0]["case_code"]
        == workload["overdue"].code
    )


def test_api_my_work_refuses_an_unknown_kind(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.get(API_WORK, {"kind": "nap"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("kind:")


def test_api_my_work_query_count_is_constant(client, actors, login, django_assert_max_num_queries):
    login(client, actors.case_manager, actors.home_org)
    received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=25))
    client.get(API_WORK)
    with django_assert_max_num_queries(12) as few:
        client.get(API_WORK)
    for days in range(15, 40):
        received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client.get(API_WORK).json()
    assert data["count"] == 26


def test_team_page_shows_caseloads_against_the_threshold(client, actors, login, workload):
    login(client, actors.supervisor, actors.home_org)
    response = client.get(TEAM)
    assert response.status_code == 200
    assert response.context["threshold"] == 15
    loads = {load.worker.username: load for load in response.context["caseloads"]}
    assert (loads["cara_manager"].open_cases, loads["cara_manager"].overdue) == (4, 1)
    assert (loads["suri_supervisor"].open_cases, loads["suri_supervisor"].overdue) == (1, 1)
    assert not loads["cara_manager"].over_threshold
    codes = {row["item"].case.code for row in response.context["rows"]}
    assert codes == {workload["overdue"].code, workload["colleague"].code}
    assert workload["elsewhere"].code not in response.content.decode()


def test_team_page_flags_a_worker_over_the_threshold(client, actors, login):
    for _ in range(16):
        make_case(actors.home_org, manager=actors.case_manager)
    login(client, actors.supervisor, actors.home_org)
    loads = {load.worker.username: load for load in client.get(TEAM).context["caseloads"]}
    assert loads["cara_manager"].over_threshold
    assert "over threshold" in client.get(TEAM).content.decode()


@pytest.mark.parametrize(
    "actor", ["case_manager", "specialist", "analyst", "coordinator", "org_admin"]
)
def test_team_page_denied_without_caseload_view(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(TEAM).status_code == 403
    assert client.get(API_TEAM).status_code == 403


def test_team_page_query_count_is_constant(
    client, actors, login, make_user, django_assert_max_num_queries
):
    login(client, actors.supervisor, actors.home_org)
    received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=25))
    client.get(TEAM)
    with django_assert_max_num_queries(14) as few:
        client.get(TEAM)
    for index in range(10):
        worker = make_user(f"extra{index}_worker", actors.home_org, "case_manager")
        received_case(actors.home_org, worker, TODAY - timedelta(days=30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(TEAM)
    assert len(response.context["rows"]) == 11


def test_api_team(client, actors, login, workload):
    login(client, actors.supervisor, actors.home_org)
    data = client.get(API_TEAM).json()
    assert data["threshold"] == 15
    assert data["overdue_count"] == 2
    assert {item["responsible"]["username"] for item in data["overdue"]} == {
        "cara_manager",
        "suri_supervisor",
    }
    loads = {row["worker"]["username"]: row for row in data["caseloads"]}
    assert loads["cara_manager"]["open_cases"] == 4


def test_coordinator_sees_plans_submitted_to_the_fund(client, actors, login, make_user):
    from accounts.models import Organisation, OrganisationType

    georgian_ngo = Organisation.objects.create(
        name="Tbilisi NGO",
        type=OrganisationType.NGO,
        country="GE",
        policy_pack="ge-fund",
        case_prefix="TBS",
    )
    worker = make_user("nino_worker", georgian_ngo, "case_manager")
    case = received_case(georgian_ngo, worker, TODAY - timedelta(days=40))
    milestone_record(
        case=case,
        kind=MilestoneKind.PLAN_SUBMITTED,
        occurred_on=TODAY - timedelta(days=12),
        actor=worker,
        responsible=actors.coordinator,
        responsible_organisation=actors.coordinator_org,
    )
    login(client, actors.coordinator, actors.coordinator_org)
    data = client.get(API_WORK).json()
    assert [(i["case_code"], i["kind"], i["bucket"]) for i in data["items"]] == [
        (case.code, "plan_approval", "overdue")
    ]
    assert data["items"][0]["source_rule"] == "ge-fund@1:plan.approval_due_days"
    login(client, worker, georgian_ngo)
    assert client.get(API_WORK).json()["items"] == []


def test_nav_badge_counts_overdue_and_today(client, actors, login, workload):
    login(client, actors.case_manager, actors.home_org)
    assert 'hx-get="/work/badge/"' in client.get(reverse("home")).content.decode()
    response = client.get(reverse("work:badge"))
    assert response.status_code == 200
    assert ">2<" in response.content.decode()
    login(client, actors.specialist, actors.home_org)
    assert "badge-danger" not in client.get(reverse("work:badge")).content.decode()


@pytest.mark.parametrize("actor", ["analyst", "org_admin"])
def test_nav_badge_denied_without_a_work_queue(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(reverse("work:badge")).status_code == 403
    assert 'hx-get="/work/badge/"' not in client.get(reverse("home")).content.decode()


def test_case_deadlines_partial_marks_late_work(actors, rf):
    from django.template.loader import render_to_string

    from work.selectors import work_items_of_case

    case = received_case(actors.home_org, actors.case_manager, TODAY - timedelta(days=30))
    milestone_record(
        case=case, kind=MilestoneKind.PLAN_SUBMITTED, occurred_on=TODAY, actor=actors.case_manager
    )
    html = render_to_string("work/_case_deadlines.html", {"items": work_items_of_case(case)})
    assert "Plan draft" in html
    assert "late" in html


def test_openapi_lists_the_work_and_policy_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/work",
        "/api/v1/work/team",
        "/api/v1/policies/effective",
        "/api/v1/policies/packs",
        "/api/v1/policies/packs/{code}/{version}",
        "/api/v1/cases/{case_id}/policy-migration",
    ):
        assert path in paths
