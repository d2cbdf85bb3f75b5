"""The approver's views give only a plan now submitted to the acting organisation at the
stage it decides; nobody is recorded as approver where the pack names none; and the plan
moves with its case on an accepted transfer, so the sending organisation's supervisor no
longer reads it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from plans.models import Plan
from plans.services import plan_decide, plan_submit

pytestmark = pytest.mark.django_db


def _fresh(plan: Any) -> Plan:
    return Plan.objects.select_related("data_key", "case").get(pk=plan.pk)


def _urls(plan: Any) -> tuple[str, str]:
    return f"/api/v1/plan-approvals/{plan.pk}", f"/plans/approvals/{plan.pk}/"


def test_coordinator_cannot_open_a_plan_returned_or_never_resubmitted(
    client: Client, login: Any, ge_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = ge_case()
    plan = build_plan(case, by=ge_ngo.case_manager)
    manager = acting(ge_ngo.case_manager, ge_ngo.organisation)
    login(client, actors.coordinator, actors.coordinator_org)
    # A draft never submitted: nothing to open.
    for url in _urls(plan):
        assert client.get(url).status_code == 404
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    for url in _urls(plan):
        assert client.get(url).status_code == 200
    plan_decide(
        acting=acting(actors.coordinator, actors.coordinator_org),
        plan=plan,
        expected_version=plan.version,
        decision="returned",
        comment="Add the budget of the legal aid",
    )
    # Returned: the working copy is the NGO's again until it is submitted anew.
    for url in _urls(plan):
        assert client.get(url).status_code == 404
    assert client.get("/api/v1/plan-approvals").json()["items"] == []


def test_no_approver_recorded_where_the_pack_names_none(
    client: Client, login: Any, open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case()  # md-nrs: nobody approves (SPEC C11)
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    assert _fresh(plan).approving_organisation_id is None
    login(client, actors.supervisor, actors.home_org)
    for url in _urls(plan):
        assert client.get(url).status_code == 404


def test_plan_moves_with_the_case_and_the_sender_s_supervisor_loses_it(
    client: Client,
    login: Any,
    open_case: Any,
    build_plan: Any,
    acting: Any,
    supervised: Any,
    make_user: Any,
) -> None:
    from accounts.access import transfer_to_decide
    from accounts.roles import Role
    from consent.services import consent_record
    from referrals.services import transfer_decide, transfer_request

    actors = supervised  # the default pack: a supervisor of the owner approves
    actors.other_org.policy_pack = "default"
    actors.other_org.save(update_fields=["policy_pack"])
    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    login(client, actors.supervisor, actors.home_org)
    for url in _urls(plan):
        assert client.get(url).status_code == 200

    consent_record(
        acting=acting(actors.supervisor, actors.home_org),
        case=case,
        purpose="sharing",
        recipient=actors.other_org,
        given_by="person",
        method="oral_witnessed",
        given_on=datetime.date(2026, 3, 5),
    )
    transfer = transfer_request(
        acting=manager, case=case, to_organisation=actors.other_org, handover_note="Moving"
    )
    receiver = acting(
        make_user("rita_other_supervisor", actors.other_org, Role.SUPERVISOR), actors.other_org
    )
    transfer_decide(
        acting=receiver, transfer=transfer_to_decide(receiver, transfer.pk), accept=True
    )
    assert _fresh(plan).organisation_id == actors.other_org.pk
    for url in _urls(plan):
        assert client.get(url).status_code == 404
    assert client.get("/api/v1/plan-approvals").json()["items"] == []
    new_owner = Client()
    login(new_owner, receiver.user, actors.other_org)
    for url in _urls(plan):
        assert new_owner.get(url).status_code == 200
    approved = plan_decide(
        acting=receiver,
        plan=_fresh(plan),
        expected_version=_fresh(plan).version,
        decision="approved",
    )
    assert approved.status == "approved"
