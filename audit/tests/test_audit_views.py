from __future__ import annotations

import json

import pytest
from django.urls import reverse

from audit.models import AuditAction
from audit.services import record

pytestmark = pytest.mark.django_db
LOG = reverse("audit:log")


def test_supervisor_sees_own_organisation_entries_only(client, actors, login):
    record(action=AuditAction.VIEW, organisation=actors.home_org, target=("cases.case", "111"))
    record(action=AuditAction.VIEW, organisation=actors.other_org, target=("cases.case", "999"))
    login(client, actors.supervisor, actors.home_org)
    body = client.get(LOG).content.decode()
    assert "cases.case 111" in body
    assert "cases.case 999" not in body


def test_filter_by_action_and_paging_keep_the_filter(client, actors, login):
    for index in range(60):
        record(action=AuditAction.VIEW, organisation=actors.home_org, target=("cases.case", index))
    record(action=AuditAction.EXPORT, organisation=actors.home_org, target=("report", "q1"))
    login(client, actors.org_admin, actors.home_org)
    filtered = client.get(LOG, {"action": "export"}).content.decode()
    assert "report q1" in filtered
    assert "cases.case 5<" not in filtered
    paged = client.get(LOG, {"action": "view"}).content.decode()
    assert "?action=view&amp;page=2" in paged


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
