"""Plan termination (001 §7.12): a ge-fund termination for gross violation waits for the
Fund, whose view carries no name or date of birth; md-nrs (no approver) takes effect at once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from accounts.models import Organisation, OrganisationType
from accounts.roles import Role
from closure.models import PlanTermination
from plans.models import Plan

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def test_ge_fund_gross_violation_waits_for_the_fund_which_sees_no_identity(
    client: Client, login: Any, actors: Any, make_case: Any, make_user: Any
) -> None:
    ngo = Organisation.objects.create(
        name="Tbilisi NGO",
        type=OrganisationType.NGO,
        country="GE",
        policy_pack="ge-fund",
        case_prefix="TBI",
    )
    boss = make_user("nino_supervisor", ngo, Role.SUPERVISOR)
    worker = make_user("giorgi_manager", ngo, Role.CASE_MANAGER)
    case = make_case(
        organisation=ngo,
        supervisor=boss,
        case_manager=worker,
        received=datetime.date(2025, 1, 10),
        given_name="Tamar",
    )
    Plan.objects.create(case=case, organisation=ngo, data_key=case.data_key)
    login(client, worker, ngo)
    url = f"/api/v1/cases/{case.pk}/plan-terminations"
    body = {
        "ground": "gross_violation",
        "terminated_on": "2025-09-01",
        "grounds": "Missed every agreed meeting since May",
    }
    response = _post(client, url, body)
    assert response.status_code == 422
    assert "document_id" in response.json()["errors"]
    response = _post(client, url, {**body, "ground": "expiry"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "proposed"
    termination = PlanTermination.objects.get(pk=created["id"])
    assert termination.approving_organisation == actors.coordinator_org
    # The Fund's view: the case code and the ground, never the name or date of birth.
    login(client, actors.coordinator, actors.coordinator_org)
    pending = client.get("/api/v1/plan-terminations/pending")
    assert pending.status_code == 200
    text = pending.content.decode()
    assert [row["id"] for row in pending.json()] == [termination.pk]
    assert case.code in text
    assert "Tamar" not in text and "1998" not in text and "Missed" not in text
    decision = f"/api/v1/plan-terminations/{termination.pk}/decision"
    assert _post(client, decision, {"approve": True, "version": 5}).status_code == 409
    response = _post(client, decision, {"approve": True, "version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    # Others may not decide.
    login(client, worker, ngo)
    assert _post(client, decision, {"approve": True, "version": 2}).status_code == 403
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get("/api/v1/plan-terminations/pending").json() == []


def test_md_nrs_termination_takes_effect_at_once_and_others_are_refused(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case(received=datetime.date(2025, 1, 10))
    Plan.objects.create(case=case, organisation=case.organisation, data_key=case.data_key)
    url = f"/api/v1/cases/{case.pk}/plan-terminations"
    body = {"ground": "expiry", "terminated_on": "2025-09-01", "grounds": "Twelve months passed"}
    login(client, actors.other_worker, actors.other_org)
    assert _post(client, url, body).status_code == 404
    client.logout()
    assert _post(client, url, body).status_code == 401
    login(client, actors.case_manager, actors.home_org)
    response = _post(client, url, body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "approved"
