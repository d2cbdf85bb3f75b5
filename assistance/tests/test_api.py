"""The assistance API: allow and deny per endpoint (other organisation 404, wrong role 403,
anonymous 401), the cap and its override, stale edits (409 with the current values), the
monthly report and the coordinator's identity-free view, exports and the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assistance.models import ExpenditureReport

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _item(line_id: int | None, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "category": "food_hygiene",
        "given_on": "2026-11-10",
        "amount": amount,
        "currency": "GEL",
        "budget_line_id": line_id,
        "funding_source_name": "" if line_id else "State Fund",
        **extra,
    }


def test_implementation_allow_and_deny(
    client: Client, login: Any, actors: Any, funded_case: Any
) -> None:
    funded = funded_case()
    url = f"/api/v1/cases/{funded.case.pk}/implementation"
    assert client.get(url).status_code == 401
    login(client, funded.case_manager, funded.organisation)
    body = client.get(url).json()
    assert [a["description"] for a in body["activities"]] == [
        "Vocational course 1",
        "Vocational course 2",
    ]
    assert body["spending"]["cap"] == {
        "cap": "2000.00",
        "currency": "GEL",
        "spent": "0.00",
        "remaining": "2000.00",
        "percent": 0,
    }
    assert body["activities"][0]["target_value"] == "3.00"
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get(url).status_code == 404
    coordinator = Client()
    login(coordinator, actors.coordinator, actors.coordinator_org)
    assert coordinator.get(url).status_code in (403, 404)


def test_implementation_put_status_and_stale(
    client: Client, login: Any, actors: Any, funded_case: Any
) -> None:
    funded = funded_case()
    activity = funded.activities[0]
    base = f"/api/v1/cases/{funded.case.pk}/implementation/activities/{activity.pk}"
    login(client, funded.case_manager, funded.organisation)
    saved = client.put(
        base,
        {
            "expected_version": 0,
            "actual_start": "2026-04-02",
            "actual_end": "2026-11-20",
            "result": "Certificate received",
            "delivered_by": "staff",
            "delivered_by_user_id": funded.case_manager.pk,
            "value_reached": "3",
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["result"] == "Certificate received"
    stale = client.put(
        base, {"expected_version": 0, "result": "Overwritten"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["result"] == "Certificate received"
    bad = client.put(
        base,
        {"expected_version": 1, "actual_end": "2026-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "actual_end" in bad.json()["errors"]
    done = _post(client, f"{base}/status", {"expected_version": activity.version, "status": "done"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    stale_status = _post(
        client, f"{base}/status", {"expected_version": activity.version, "status": "in_progress"}
    )
    assert stale_status.status_code == 409
    evidence = client.post(
        f"{base}/evidence",
        {"file": _pdf("certificate.pdf")},
    )
    assert evidence.status_code == 201, evidence.content
    download = client.get(
        f"/api/v1/cases/{funded.case.pk}/implementation/evidence/{evidence.json()['id']}"
    )
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    specialist = Client()
    login(specialist, actors.other_worker, actors.other_org)
    assert (
        specialist.put(base, {"expected_version": 1}, content_type="application/json").status_code
        == 404
    )


def _pdf(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.tests.conftest import PDF

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_ledger_cap_refusal_and_supervisor_override(
    client: Client, login: Any, actors: Any, funded_case: Any
) -> None:
    funded = funded_case()
    url = f"/api/v1/cases/{funded.case.pk}/ledger"
    login(client, funded.case_manager, funded.organisation)
    assert _post(client, url, _item(funded.lines[0].pk, "1200")).status_code == 201
    assert _post(client, url, _item(funded.lines[1].pk, "700")).status_code == 201
    refused = _post(client, url, _item(None, "150", off_plan_reason="Medicine"))
    assert refused.status_code == 422
    message = refused.json()["errors"]["amount"][0]
    assert "2,000.00" in message and "1,900.00" in message and "150.00" in message
    forbidden = _post(
        client,
        url,
        _item(None, "150", off_plan_reason="Medicine", cap_override_reason="Relapse"),
    )
    assert forbidden.status_code == 403
    supervisor = Client()
    login(supervisor, funded.supervisor, funded.organisation)
    passed = _post(
        supervisor,
        url,
        _item(None, "150", off_plan_reason="Medicine", cap_override_reason="Relapse"),
    )
    assert passed.status_code == 201, passed.content
    assert passed.json()["cap_overridden"] is True
    listed = client.get(url).json()
    assert listed["count"] == 3
    spending = client.get(f"/api/v1/cases/{funded.case.pk}/spending").json()
    assert spending["cap"]["spent"] == "2050.00"
    costs = client.get(f"/api/v1/cases/{funded.case.pk}/cost-per-beneficiary").json()
    assert costs["totals"] == [{"currency": "GEL", "amount": "2050.00"}]
    other = Client()
    login(other, actors.other_worker, actors.other_org)
    assert other.get(url).status_code == 404
    assert _post(other, url, _item(None, "1", off_plan_reason="x")).status_code == 404


def test_ledger_patch_stale_and_acknowledgement(
    client: Client, login: Any, funded_case: Any
) -> None:
    funded = funded_case()
    login(client, funded.case_manager, funded.organisation)
    created = _post(
        client, f"/api/v1/cases/{funded.case.pk}/ledger", _item(funded.lines[0].pk, "100")
    ).json()
    url = f"/api/v1/cases/{funded.case.pk}/ledger/{created['id']}"
    first = client.patch(
        url, {"expected_version": 1, "amount": "110"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["amount"] == "110.00"
    stale = client.patch(
        url, {"expected_version": 1, "amount": "5"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["amount"] == "110.00" and stale.json()["version"] == 2
    bad = client.patch(
        url, {"expected_version": 2, "category": "jewellery"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "category" in bad.json()["errors"]
    acknowledged = client.post(
        f"{url}/acknowledgement",
        {"expected_version": 2, "method": "on_screen", "acknowledged_on": "2026-11-10"},
    )
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["acknowledgement"] == "on_screen"
    sheet = client.get(f"/api/v1/cases/{funded.case.pk}/acknowledgement-sheet?item={created['id']}")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")


def test_monthly_report_submit_and_coordinator_view_without_identity(
    client: Client, login: Any, actors: Any, funded_case: Any
) -> None:
    funded = funded_case()
    login(client, funded.case_manager, funded.organisation)
    _post(client, f"/api/v1/cases/{funded.case.pk}/ledger", _item(funded.lines[0].pk, "60"))
    _post(
        client,
        f"/api/v1/cases/{funded.case.pk}/ledger",
        _item(funded.lines[1].pk, "40.5", category="transport"),
    )
    generated = client.get("/api/v1/expenditure-reports/monthly?month=2026-11").json()
    assert generated["status"] == "draft"
    assert generated["totals"] == [{"currency": "GEL", "amount": "100.50"}]
    refused = _post(client, "/api/v1/expenditure-reports", {"month": "2026-11", "reviewed": False})
    assert refused.status_code == 422 and "reviewed" in refused.json()["errors"]
    submitted = _post(client, "/api/v1/expenditure-reports", {"month": "2026-11", "reviewed": True})
    assert submitted.status_code == 201, submitted.content
    report_id = submitted.json()["id"]
    for fmt, magic in (("pdf", b"%PDF"), ("csv", "\ufeff".encode()), ("xlsx", b"PK")):
        exported = client.get(
            f"/api/v1/expenditure-reports/monthly/export?month=2026-11&format={fmt}"
        )
        assert exported.status_code == 200 and exported.content.startswith(magic)
    # The case manager may not open the coordinator's inbox.
    assert client.get("/api/v1/expenditure-reports/received").status_code == 403
    assert client.get(f"/api/v1/expenditure-reports/received/{report_id}").status_code == 403

    coordinator = Client()
    login(coordinator, actors.coordinator, actors.coordinator_org)
    inbox = coordinator.get("/api/v1/expenditure-reports/received")
    assert [row["id"] for row in inbox.json()] == [report_id]
    detail = coordinator.get(f"/api/v1/expenditure-reports/received/{report_id}")
    assert detail.status_code == 200
    body = detail.content.decode()
    person = funded.case.person
    for secret in (
        person.get_plain("given_name"),
        person.get_plain("family_name"),
        funded.case.number,
        "1998-04-02",
        "02.04.1998",
        funded.case_manager.username,
    ):
        assert secret and secret not in body
    assert funded.case.code in body
    for fmt in ("pdf", "csv", "xlsx"):
        exported = coordinator.get(
            f"/api/v1/expenditure-reports/received/{report_id}/export?format={fmt}"
        )
        assert exported.status_code == 200
        if fmt == "csv":
            text = exported.content.decode("utf-8-sig")
            assert funded.case.code in text
            assert person.get_plain("family_name") not in text
    stale = _post(
        coordinator,
        f"/api/v1/expenditure-reports/received/{report_id}/acknowledge",
        {"expected_version": 9},
    )
    assert stale.status_code == 409
    done = _post(
        coordinator,
        f"/api/v1/expenditure-reports/received/{report_id}/acknowledge",
        {"expected_version": 1},
    )
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    assert ExpenditureReport.objects.get(pk=report_id).status == "acknowledged"

    other_fund = _other_fund(actors)
    stranger = Client()
    login(stranger, other_fund, other_fund.memberships.get().organisation)
    assert stranger.get(f"/api/v1/expenditure-reports/received/{report_id}").status_code == 404
    analyst = Client()
    login(analyst, actors.analyst, actors.coordinator_org)
    assert analyst.get(f"/api/v1/expenditure-reports/received/{report_id}").status_code == 403
    assert analyst.get("/api/v1/expenditure-reports/monthly").status_code == 403
    assert Client().get("/api/v1/expenditure-reports/received").status_code == 401


def _other_fund(actors: Any) -> Any:
    from accounts.models import Membership, Organisation, OrganisationType, User
    from conftest import TEST_PASSWORD

    fund = Organisation.objects.create(
        name="Another Fund",
        type=OrganisationType.STATE_FUND,
        country="MD",
        policy_pack="md-nrs",
        case_prefix="AFD",
    )
    user = User.objects.create_user("zura_coordinator", password=TEST_PASSWORD)
    Membership.objects.create(user=user, organisation=fund, role="coordinator")
    return user


def test_openapi_schema_lists_the_assistance_endpoints(
    client: Client, login: Any, actors: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{case_id}/ledger" in schema["paths"]
    assert "/api/v1/expenditure-reports/received/{report_id}" in schema["paths"]
    assert "LedgerItemIn" in schema["components"]["schemas"]
    from openapi_spec_validator import validate

    validate(schema)


def test_plan_approved_but_not_in_force_refuses_implementation_and_budget_spending(
    client: Client, login: Any, funded_case: Any
) -> None:
    """001 §7.8: approved but unsigned, the plan is not in force; the API says so (422) and
    records nothing."""
    funded = funded_case(sign=False)
    activity = funded.activities[0]
    base = f"/api/v1/cases/{funded.case.pk}/implementation/activities/{activity.pk}"
    login(client, funded.case_manager, funded.organisation)
    saved = client.put(
        base,
        {"expected_version": 0, "actual_start": "2026-11-02"},
        content_type="application/json",
    )
    assert saved.status_code == 422 and "plan" in saved.json()["errors"]
    started = _post(
        client, f"{base}/status", {"expected_version": activity.version, "status": "in_progress"}
    )
    assert started.status_code == 422 and "plan" in started.json()["errors"]
    spent = _post(client, f"/api/v1/cases/{funded.case.pk}/ledger", _item(funded.lines[0].pk, "10"))
    assert spent.status_code == 422
    assert any(key.startswith("budget_line") for key in spent.json()["errors"]), spent.content
    from assistance.models import ActivityImplementation, LedgerItem

    assert not ActivityImplementation.objects.filter(activity=activity).exists()
    assert not LedgerItem.objects.filter(case=funded.case).exists()


def test_ledger_patch_keeps_omitted_fields_and_refuses_null(
    client: Client, login: Any, funded_case: Any
) -> None:
    funded = funded_case()
    login(client, funded.case_manager, funded.organisation)
    body = _item(funded.lines[0].pk, "100")
    created = _post(client, f"/api/v1/cases/{funded.case.pk}/ledger", body).json()
    url = f"/api/v1/cases/{funded.case.pk}/ledger/{created['id']}"
    changed = client.patch(
        url, {"expected_version": 1, "amount": "90"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    after = changed.json()
    assert after["amount"] == "90.00"
    for field in ("category", "given_on", "currency", "quantity", "unit", "budget_line_id"):
        assert after[field] == created[field], field
    refused = client.patch(
        url, {"expected_version": 2, "category": None}, content_type="application/json"
    )
    assert refused.status_code == 422 and "category" in refused.json()["detail"]
    from assistance.models import LedgerItem

    assert LedgerItem.objects.get(pk=created["id"]).version == 2
