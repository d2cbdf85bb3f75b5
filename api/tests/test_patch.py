"""Every PATCH in the API changes only the fields sent (issue 15, item 3), and ``null`` for a
field that cannot be empty is a 422 that changes nothing (item 5).

``PATCH_ENDPOINTS`` is checked against the router code, so a new PATCH endpoint without an
omitted-field test here fails the suite."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from api.urls import api
from cases.models import Case, TraffickingIndicator
from people.models import Person
from plans.models import Activity, Objective, Plan
from services.models import Service

pytestmark = pytest.mark.django_db

PATCH_ENDPOINTS = {
    "/organisations/{organisation_id}",
    "/services/{service_id}",
    "/cases/{case_id}",
    "/cases/{case_id}/person",
    "/indicators/{indicator_id}",
    "/cases/{case_id}/plan",
    "/cases/{case_id}/plan/objectives/{objective_id}",
    "/cases/{case_id}/plan/activities/{activity_id}",
    # Their omitted-field tests live beside the rest of each app's API tests:
    # assistance/tests/test_api.py, monitoring/tests/test_api.py,
    # complaints/tests/test_complaints.py.
    "/cases/{case_id}/ledger/{item_id}",
    "/cases/{case_id}/monitoring/contacts/{contact_id}",
    "/complaints/{complaint_id}",
}


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def test_every_patch_endpoint_has_an_omitted_field_test() -> None:
    found = set()
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "PATCH" in operation.methods:
                    found.add(path.replace("{int:", "{"))
    assert found == PATCH_ENDPOINTS


@pytest.fixture
def worker_client(client: Client, actors: Any, login: Callable[..., Client]) -> Client:
    return login(client, actors.case_manager, actors.home_org)


def test_person_patch_keeps_omitted_fields(
    worker_client: Client, open_case: Callable[..., Case]
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/person"
    before = worker_client.get(url).json()
    response = _patch(worker_client, url, {"version": before["version"], "phone": "+373 555"})
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["phone"] == "+373 555"
    for field in ("given_name", "family_name", "date_of_birth", "sex", "languages"):
        assert after[field] == before[field], field
    person = Person.objects.select_related("data_key").get(pk=case.person_id)
    assert person.get_plain("given_name") == "Olena"


def test_person_patch_null_where_not_allowed_is_422(
    worker_client: Client, open_case: Callable[..., Case]
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/person"
    before = worker_client.get(url).json()
    response = _patch(worker_client, url, {"version": before["version"], "sex": None})
    assert response.status_code == 422
    assert "sex" in response.json()["detail"]
    assert Person.objects.get(pk=case.person_id).version == before["version"]


def test_case_patch_keeps_omitted_fields_and_refuses_null(
    worker_client: Client, open_case: Callable[..., Case]
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}"
    before = worker_client.get(url).json()
    refused = _patch(worker_client, url, {"version": before["version"], "received_at": None})
    assert refused.status_code == 422
    assert "received_at" in refused.json()["detail"]
    response = _patch(worker_client, url, {"version": before["version"], "risk_level": "high"})
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["risk_level"] == "high"
    for field in ("received_at", "immediate_needs_met_on", "referring_party", "security_alert"):
        assert after[field] == before[field], field


def test_plan_patches_keep_omitted_fields_and_refuse_null(
    worker_client: Client, actors: Any, open_case: Callable[..., Case], build_plan: Any
) -> None:
    case = open_case()
    plan: Plan = build_plan(case, by=actors.case_manager)
    base = f"/api/v1/cases/{case.pk}/plan"
    refused = _patch(worker_client, base, {"expected_version": plan.version, "layout": None})
    assert refused.status_code == 422
    response = _patch(worker_client, base, {"expected_version": plan.version, "notes": "Call"})
    assert response.status_code == 200, response.content
    assert response.json()["goal_details"] == "Live on her own in Chișinău"
    assert response.json()["starts_on"] == "2026-04-01"

    objective = Objective.objects.get(plan=plan)
    url = f"{base}/objectives/{objective.pk}"
    refused = _patch(worker_client, url, {"expected_version": objective.version, "title": None})
    assert refused.status_code == 422
    response = _patch(
        worker_client, url, {"expected_version": objective.version, "target": "6 months"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Objective 1"
    assert response.json()["need"] == "No income"

    activity = Activity.objects.get(objective=objective)
    url = f"{base}/activities/{activity.pk}"
    refused = _patch(
        worker_client, url, {"expected_version": activity.version, "description": None}
    )
    assert refused.status_code == 422
    response = _patch(
        worker_client, url, {"expected_version": activity.version, "due_on": "2026-07-31"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Vocational course 1"
    assert response.json()["starts_on"] == "2026-04-01"
    activity.refresh_from_db()
    assert activity.due_on == datetime.date(2026, 7, 31)


def test_service_patch_keeps_omitted_fields_and_refuses_null(
    client: Client, actors: Any, login: Callable[..., Client], make_service: Any
) -> None:
    service: Service = make_service()
    login(client, actors.supervisor, actors.home_org)
    url = f"/api/v1/services/{service.pk}"
    refused = _patch(client, url, {"version": service.version, "name": None})
    assert refused.status_code == 422
    assert "name" in refused.json()["detail"]
    response = _patch(client, url, {"version": service.version, "phone": "+373 22 000 000"})
    assert response.status_code == 200, response.content
    fresh = Service.objects.get(pk=service.pk)
    assert (fresh.name, fresh.description) == (service.name, service.description)
    assert fresh.phone == "+373 22 000 000"


def test_organisation_patch_keeps_omitted_fields_and_refuses_null(
    client: Client, actors: Any, login: Callable[..., Client]
) -> None:
    login(client, actors.system_admin, actors.home_org)
    other = actors.other_org
    url = f"/api/v1/organisations/{other.pk}"
    refused = _patch(client, url, {"version": other.version, "name": None})
    assert refused.status_code == 422
    response = _patch(client, url, {"version": other.version, "short_name": "ONGO"})
    assert response.status_code == 200, response.content
    other.refresh_from_db()
    assert (other.name, other.short_name, other.country) == ("Other NGO", "ONGO", "AL")


def test_indicator_patch_needs_its_one_field(
    client: Client, actors: Any, login: Callable[..., Client]
) -> None:
    indicator = TraffickingIndicator.objects.create(code="held", label="Held", position=99)
    login(client, actors.system_admin, actors.home_org)
    url = f"/api/v1/indicators/{indicator.pk}"
    assert _patch(client, url, {}).status_code == 422
    assert _patch(client, url, {"is_active": None}).status_code == 422
    assert TraffickingIndicator.objects.get(pk=indicator.pk).is_active
    response = _patch(client, url, {"is_active": False})
    assert response.status_code == 200, response.content
    fresh = TraffickingIndicator.objects.get(pk=indicator.pk)
    assert (fresh.label, fresh.is_active) == ("Held", False)


def test_a_409_with_the_current_record_writes_its_view_entry(
    worker_client: Client, open_case: Callable[..., Case]
) -> None:
    """Issue 15, item 4: the stale answer carries the person's identity, so it is a read."""
    from audit.models import AuditEntry

    case = open_case()
    url = f"/api/v1/cases/{case.pk}/person"
    version = worker_client.get(url).json()["version"]
    before = AuditEntry.objects.count()
    response = _patch(worker_client, url, {"version": version - 1, "phone": "1"})
    assert response.status_code == 409
    assert response.json()["given_name"] == "Olena"
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [(e.action, e.case_id, e.detail.get("section")) for e in entries] == [
        ("view", case.pk, "api:person:conflict")
    ]
    case_url = f"/api/v1/cases/{case.pk}"
    stale = _patch(worker_client, case_url, {"version": 0, "risk_level": "high"})
    assert stale.status_code == 409
    assert AuditEntry.objects.filter(
        case_id=case.pk, detail__section="api:overview:conflict"
    ).exists()
