"""The plan API: allow and deny per endpoint, the cap, the approver's identity-free view,
versions and diff, stale edits."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEntry
from plans.models import Plan

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, data, content_type="application/json")


def _draft(client: Client, case: Any, *, amount: str = "1200", currency: str = "MDL") -> int:
    base = f"/api/v1/cases/{case.pk}/plan"
    created = client.post(base)
    assert created.status_code == 201, created.content
    plan = created.json()
    patched = _patch(
        client,
        base,
        {
            "expected_version": plan["version"],
            "ultimate_goal": "family",
            "goal_details": "Return to her mother's home",
        },
    )
    assert patched.status_code == 200, patched.content
    objective = _post(
        client,
        f"{base}/objectives",
        {"domain": "employment", "title": "Steady income", "need": "No income"},
    )
    assert objective.status_code == 201, objective.content
    activity = _post(
        client,
        f"{base}/objectives/{objective.json()['id']}/activities",
        {
            "description": "Sewing course",
            "responsible_kind": "person",
            "starts_on": "2026-04-01",
            "due_on": "2026-06-30",
        },
    )
    assert activity.status_code == 201, activity.content
    line = _post(
        client,
        f"{base}/activities/{activity.json()['id']}/budget",
        {"amount": amount, "currency": currency, "funding_source_name": "State Fund"},
    )
    assert line.status_code == 201, line.content
    return int(activity.json()["id"])


def test_build_and_read_plan_allow_and_deny(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    _draft(client, case)
    detail = client.get(f"/api/v1/cases/{case.pk}/plan")
    assert detail.status_code == 200
    body = detail.json()
    assert body["objectives"][0]["activities"][0]["budget"][0]["amount"] == "1200.00"
    assert body["budget"]["totals"] == [{"currency": "MDL", "amount": "1200.00"}]
    # md-nrs: 20 days from the completed assessment (000 L76); none is completed here.
    assert body["dates"]["draft_due_on"] is None
    assert AuditEntry.objects.filter(action="view", case_id=case.pk).exists()

    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get(f"/api/v1/cases/{case.pk}/plan").status_code == 404
    assert _post(other, f"/api/v1/cases/{case.pk}/plan/objectives", {}).status_code in (404, 422)
    analyst = Client()
    login(analyst, actors.analyst, actors.coordinator_org)
    assert analyst.get(f"/api/v1/cases/{case.pk}/plan").status_code == 404
    specialist = Client()
    login(specialist, actors.specialist, actors.home_org)
    # Not on the team: the specialist cannot see the case.
    assert specialist.get(f"/api/v1/cases/{case.pk}/plan").status_code == 404


def test_bad_input_names_the_field_and_changes_nothing(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    activity_id = _draft(client, case)
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/plan/activities/{activity_id}/budget",
        {"amount": "lots", "currency": "MDL", "funding_source_name": "x"},
    )
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]
    assert len(client.get(f"/api/v1/cases/{case.pk}/plan").json()["budget"]["by_source"]) == 1


def test_stale_patch_returns_409_with_current_values(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    _draft(client, case)
    response = _patch(
        client, f"/api/v1/cases/{case.pk}/plan", {"expected_version": 1, "notes": "x"}
    )
    assert response.status_code == 409
    assert response.json()["goal_details"] == "Return to her mother's home"


def test_cap_refused_then_fund_approves_without_seeing_identity(
    client: Client, login: Any, actors: Any, open_case: Any, ge_ngo: Any
) -> None:
    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        written=True,
        identified=True,
        given_name="Tamar",
        family_name="Beridze",
    )
    login(client, ge_ngo.case_manager, ge_ngo.organisation)
    activity_id = _draft(client, case, amount="2100", currency="GEL")
    plan = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    refused = _post(
        client, f"/api/v1/cases/{case.pk}/plan/submit", {"expected_version": plan["version"]}
    )
    assert refused.status_code == 422
    assert "GEL\xa02,100.00" in refused.json()["errors"]["budget"][0]
    assert "GEL\xa02,000.00" in refused.json()["errors"]["budget"][0]
    line_id = plan["objectives"][0]["activities"][0]["budget"][0]["id"]
    assert client.delete(f"/api/v1/cases/{case.pk}/plan/budget/{line_id}").status_code == 204
    _post(
        client,
        f"/api/v1/cases/{case.pk}/plan/activities/{activity_id}/budget",
        {"amount": "1900", "currency": "GEL", "funding_source_name": "State Fund"},
    )
    plan = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    submitted = _post(
        client, f"/api/v1/cases/{case.pk}/plan/submit", {"expected_version": plan["version"]}
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["approving_organisation_id"] == actors.coordinator_org.pk

    fund = Client()
    login(fund, actors.coordinator, actors.coordinator_org)
    listing = fund.get("/api/v1/plan-approvals").json()["items"]
    assert [item["code"] for item in listing] == [case.code]
    view = fund.get(f"/api/v1/plan-approvals/{listing[0]['id']}")
    assert view.status_code == 200
    text = view.content.decode()
    assert "Tamar" not in text and "Beridze" not in text and case.number not in text
    assert view.json()["age_band"] == "25-34"
    # The coordinator still cannot open the case file.
    assert fund.get(f"/api/v1/cases/{case.pk}/plan").status_code == 404
    decided = _post(
        fund,
        f"/api/v1/plan-approvals/{listing[0]['id']}/decision",
        {"expected_version": view.json()["version"], "decision": "approved"},
    )
    assert decided.status_code == 200, decided.content
    # 001 §3.4: the Fund agreed the initial plan; the final plan goes to it next.
    assert Plan.objects.get(pk=listing[0]["id"]).status == "agreed"
    assert fund.get(f"/api/v1/plan-approvals/{listing[0]['id']}").status_code == 404
    plan = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    assert plan["stage"] == "final"
    final = _post(
        client,
        f"/api/v1/cases/{case.pk}/plan/submit",
        {"expected_version": plan["version"], "stage": "final"},
    )
    assert final.status_code == 200, final.content
    view = fund.get(f"/api/v1/plan-approvals/{listing[0]['id']}")
    assert view.json()["stage"] == "final"
    text = view.content.decode()
    assert "Tamar" not in text and "Beridze" not in text and case.number not in text
    decided = _post(
        fund,
        f"/api/v1/plan-approvals/{listing[0]['id']}/decision",
        {"expected_version": view.json()["version"], "decision": "approved", "stage": "final"},
    )
    assert decided.status_code == 200, decided.content
    assert Plan.objects.get(pk=listing[0]["id"]).status == "approved"
    # Someone else's coordinator sees nothing.
    assert client.get(f"/api/v1/plan-approvals/{listing[0]['id']}").status_code == 404


def test_modification_versions_and_diff(
    client: Client, login: Any, supervised: Any, open_case: Any
) -> None:
    actors = supervised
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    activity_id = _draft(client, case)
    plan = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    _post(client, f"/api/v1/cases/{case.pk}/plan/submit", {"expected_version": plan["version"]})
    boss = Client()
    login(boss, actors.supervisor, actors.home_org)
    approval = boss.get(f"/api/v1/plan-approvals/{plan['id']}").json()
    assert (
        _post(
            boss,
            f"/api/v1/plan-approvals/{plan['id']}/decision",
            {"expected_version": approval["version"], "decision": "approved"},
        ).status_code
        == 200
    )
    plan = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    frozen = _patch(
        client,
        f"/api/v1/cases/{case.pk}/plan/activities/{activity_id}",
        {"expected_version": 1, "description": "Changed"},
    )
    assert frozen.status_code == 422 and "plan" in frozen.json()["errors"]
    opened = _post(
        client,
        f"/api/v1/cases/{case.pk}/plan/modifications",
        {
            "expected_version": plan["version"],
            "reason": "The course moved",
            "anticipated_result": "She finishes in autumn",
            "requested_by": "person",
        },
    )
    assert opened.status_code == 201, opened.content
    assert opened.json()["version_number"] == 2
    activity = opened.json()["objectives"][0]["activities"][0]
    _patch(
        client,
        f"/api/v1/cases/{case.pk}/plan/activities/{activity_id}",
        {"expected_version": activity["version"], "due_on": "2026-10-31"},
    )
    changes = client.get(f"/api/v1/cases/{case.pk}/plan/diff", {"from_version": 1}).json()
    assert changes == [
        {
            "kind": "changed",
            "entity": "activity",
            "label": "Sewing course",
            "field": "due_on",
            "old": "2026-06-30",
            "new": "2026-10-31",
        }
    ]
    versions = client.get(f"/api/v1/cases/{case.pk}/plan/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["reason"] == "The course moved"


def test_signatures_and_pdf_endpoint(
    client: Client, login: Any, actors: Any, open_case: Any
) -> None:
    case = open_case()
    login(client, actors.case_manager, actors.home_org)
    _draft(client, case)
    plan = client.get(f"/api/v1/cases/{case.pk}/plan").json()
    _post(client, f"/api/v1/cases/{case.pk}/plan/submit", {"expected_version": plan["version"]})
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.tests.conftest import PDF

    signed = client.post(
        f"/api/v1/cases/{case.pk}/plan/signatures/paper",
        {
            "role": "person",
            "signer_name": "Olena Petrenko",
            "signed_on": datetime.date(2026, 4, 2).isoformat(),
            "scan": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert signed.status_code == 201, signed.content
    wrong = _post(
        client,
        f"/api/v1/cases/{case.pk}/plan/signatures/acknowledge",
        {"role": "case_manager", "otp_code": "000000"},
    )
    assert wrong.status_code == 422 and "otp_code" in wrong.json()["errors"]
    assert client.get(f"/api/v1/cases/{case.pk}/plan").json()["missing_signatures"] == [
        "case_manager"
    ]
    pdf = client.get(f"/api/v1/cases/{case.pk}/plan/pdf", {"layout": "iom", "language": "en"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="print", case_id=case.pk).exists()
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get(f"/api/v1/cases/{case.pk}/plan/pdf").status_code == 404


def test_plan_settings_allow_and_deny(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.org_admin, actors.home_org)
    current = client.get("/api/v1/plan-settings").json()
    assert current["layout"] == "nrs"
    changed = client.put(
        "/api/v1/plan-settings",
        {"layout": "tdh", "version": current["version"]},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["layout"] == "tdh"
    worker = Client()
    login(worker, actors.case_manager, actors.home_org)
    assert worker.get("/api/v1/plan-settings").status_code == 403
