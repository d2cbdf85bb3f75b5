from __future__ import annotations

import json

import pytest
from django.urls import reverse

from audit.models import AuditAction
from audit.services import record

pytestmark = pytest.mark.django_db
LOG = reverse("audit:log")


def _case(actors, organisation=None):
    import datetime

    from accounts.access import acting_for
    from cases.services import CaseInput, case_register
    from people.services import PersonInput

    acting = acting_for(actors.supervisor, organisation or actors.home_org)
    assert acting is not None
    return case_register(
        acting=acting,
        person=PersonInput(given_name="Olena", family_name="Petrenko"),
        case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        confirmed_not_duplicate=True,
    )


def test_supervisor_sees_own_organisation_entries_only(client, actors, login):
    case = _case(actors)
    record(
        action=AuditAction.VIEW,
        organisation=actors.home_org,
        actor=actors.case_manager,
        target=case,
        case_id=case.pk,
    )
    record(action=AuditAction.VIEW, organisation=actors.other_org, target=("cases.case", "999"))
    login(client, actors.supervisor, actors.home_org)
    body = client.get(LOG).content.decode()
    # People by name, cases by their code; never "cases.case 17".
    assert case.code in body
    assert actors.case_manager.get_full_name() in body
    assert f"cases.case {case.pk}" not in body
    assert "cases.case 999" not in body and "999" not in body.split("<tbody>")[1]


def test_filter_by_action_and_paging_keep_the_filter(client, actors, login):
    for index in range(60):
        record(action=AuditAction.VIEW, organisation=actors.home_org, target=("cases.case", index))
    record(action=AuditAction.EXPORT, organisation=actors.home_org, target=("report", "q1"))
    login(client, actors.org_admin, actors.home_org)
    filtered = client.get(LOG, {"action": "export"})
    assert [row["entry"].action for row in filtered.context["rows"]] == ["export"]
    assert "report" in filtered.content.decode()
    paged = client.get(LOG, {"action": "view"}).content.decode()
    assert "action=view&amp;page=2" in paged


def test_filters_by_user_case_code_and_period(client, actors, login):
    import datetime

    import time_machine

    case = _case(actors)
    other_case = _case(actors)
    record(
        action=AuditAction.UPDATE,
        organisation=actors.home_org,
        actor=actors.case_manager,
        target=case,
        case_id=case.pk,
        fields=["risk_level"],
    )
    record(
        action=AuditAction.VIEW,
        organisation=actors.home_org,
        actor=actors.specialist,
        target=other_case,
        case_id=other_case.pk,
    )
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC)):
        record(action=AuditAction.LOGIN, organisation=actors.home_org, actor=actors.specialist)
    login(client, actors.org_admin, actors.home_org)

    def shown(**query):
        response = client.get(LOG, query)
        assert response.status_code == 200
        return [(row["entry"].action, row["case_code"]) for row in response.context["rows"]]

    by_code = shown(case_code=case.code)
    assert ("update", case.code) in by_code
    assert {code for _action, code in by_code} == {case.code}
    assert ("view", other_case.code) in shown(actor=actors.specialist.pk)
    assert all(code != case.code for _action, code in shown(actor=actors.specialist.pk))
    assert shown(until="2025-12-31") == [("login", "")]
    assert ("login", "") not in shown(since="2026-01-01")
    assert shown(case_code="R-NONE-NONE") == []
    # A field is named by its label, not its column.
    assert "risk level" in client.get(LOG, {"case_code": case.code}).content.decode()
    refused = client.get(LOG, {"since": "2026-02-01", "until": "2026-01-01"})
    assert "The end of the period is before its start." in refused.content.decode()


def test_csv_export_for_an_auditor_is_filtered_and_audited(client, actors, login):
    from audit.models import AuditEntry

    case = _case(actors)
    record(
        action=AuditAction.UPDATE,
        organisation=actors.home_org,
        actor=actors.case_manager,
        target=case,
        case_id=case.pk,
    )
    login(client, actors.org_admin, actors.home_org)
    response = client.get(reverse("audit:export"), {"case_code": case.code})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Sequence,When,Who")
    assert len(lines) >= 2 and all(case.code in line for line in lines[1:])
    assert actors.case_manager.get_full_name() in lines[1]  # newest first: the update
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert export.actor_id == actors.org_admin.pk
    assert export.detail["filters"] == {"case_code": case.code}


@pytest.mark.parametrize("actor", ["case_manager", "specialist", "analyst", "coordinator"])
def test_csv_export_denied_to_roles_without_audit_view(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(reverse("audit:export")).status_code == 403


def test_audit_pages_need_a_signed_in_user(client):
    for url in (LOG, reverse("audit:export")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("actor", ["case_manager", "specialist", "analyst", "coordinator"])
def test_audit_log_denied_to_roles_without_audit_view(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(LOG).status_code == 403


def test_audit_log_query_count_is_constant(client, actors, login, django_assert_max_num_queries):
    login(client, actors.supervisor, actors.home_org)
    record(
        action=AuditAction.VIEW,
        organisation=actors.home_org,
        actor=actors.case_manager,
        target=("x", 1),
    )
    with django_assert_max_num_queries(12) as few:
        client.get(LOG)
    for index in range(40):
        record(
            action=AuditAction.VIEW,
            organisation=actors.home_org,
            actor=actors.specialist,
            target=("x", index),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LOG)


def test_api_audit_allow_and_deny(client, actors, login):
    record(
        action=AuditAction.VIEW,
        organisation=actors.home_org,
        target=("cases.case", "7"),
        fields=["notes"],
    )
    login(client, actors.supervisor, actors.home_org)
    entries = client.get("/api/v1/audit").json()
    assert any(e["object_id"] == "7" and e["fields"] == ["notes"] for e in entries)
    login(client, actors.case_manager, actors.home_org)
    assert client.get("/api/v1/audit").status_code == 403
    assert json.loads(client.get("/api/v1/audit").content)["detail"]
