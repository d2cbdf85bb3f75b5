"""The directory over the API: allow and deny for every endpoint, 409 with current values,
422 naming the field, and a constant query count for the search."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create
from services.models import RenewalRound, Service
from services.services import renewal_round_start, service_update
from services.tests.conftest import as_acting

pytestmark = pytest.mark.django_db
SERVICES = "/api/v1/services"
ROUNDS = "/api/v1/services/renewal-rounds"

NEW_SERVICE = {
    "category": "shelter",
    "name": "Safe house",
    "description": "Secret address, 24-hour staff.",
    "language": "en",
    "languages": ["ro", "ru"],
    "areas": [{"country": "MD", "region": "Chișinău"}],
    "sexes": ["female"],
    "age_min": 18,
    "capacity": 12,
    "waiting_days": 3,
}


def bearer(user, organisation):
    _token, raw = api_token_create(acting_user=user, organisation=organisation, name="t", days=7)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def patch(client, url, body, headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_search_allow_filters_and_deny(client, actors, make_service):
    make_service(name="Legal desk", category="legal_aid", languages=["ro"])
    make_service(name="Adult shelter", category="shelter", age_min=18, nationalities=["MD"])
    headers = bearer(actors.specialist, actors.home_org)
    everything = client.get(SERVICES, **headers).json()
    assert [s["name"] for s in everything] == ["Adult shelter", "Legal desk"]
    assert everything[0]["nationalities"] == ["MD"]
    assert everything[0]["is_stale"] is False
    assert [s["name"] for s in client.get(SERVICES, {"age": 12}, **headers).json()] == [
        "Legal desk"
    ]
    assert [s["name"] for s in client.get(SERVICES, {"nationality": "UA"}, **headers).json()] == [
        "Legal desk"
    ]
    by_category = client.get(SERVICES, {"category": "shelter", "country": "MD"}, **headers)
    assert [s["name"] for s in by_category.json()] == ["Adult shelter"]
    assert client.get(SERVICES, {"category": "astrology"}, **headers).status_code == 422
    assert client.get(SERVICES).status_code == 401


def test_search_query_count_is_constant(
    client, actors, make_service, django_assert_max_num_queries
):
    headers = bearer(actors.case_manager, actors.home_org)
    make_service(name="First")
    with django_assert_max_num_queries(30) as few:
        client.get(SERVICES, {"language": "ro"}, **headers)
    for index in range(10):
        make_service(name=f"Service {index}", nationalities=["MD", "UA"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(SERVICES, {"language": "ro"}, **headers).json()) == 11


def test_detail_allow_and_deny(client, actors, make_service):
    service = make_service(name="Legal desk")
    headers = bearer(actors.other_worker, actors.other_org)
    assert client.get(f"{SERVICES}/{service.pk}", **headers).json()["name"] == "Legal desk"
    assert client.get(f"{SERVICES}/999999", **headers).status_code == 404
    assert client.get(f"{SERVICES}/{service.pk}").status_code == 401
    service_update(
        acting=as_acting(actors.supervisor, actors.home_org),
        service_id=service.pk,
        expected_version=1,
        values={"is_active": False},
    )
    assert client.get(f"{SERVICES}/{service.pk}", **headers).status_code == 404


def test_create_allow_for_own_organisation(client, actors):
    response = post(client, SERVICES, NEW_SERVICE, bearer(actors.supervisor, actors.home_org))
    assert response.status_code == 201
    body = response.json()
    assert body["organisation_id"] == actors.home_org.pk
    assert body["sexes"] == ["female"]
    assert body["areas"] == [{"country": "MD", "region": "Chișinău"}]
    assert body["last_confirmed_by"] == actors.supervisor.username
    assert body["version"] == 1


def test_create_deny(client, actors):
    headers = bearer(actors.case_manager, actors.home_org)
    assert post(client, SERVICES, NEW_SERVICE, headers).status_code == 403
    headers = bearer(actors.supervisor, actors.home_org)
    other = {**NEW_SERVICE, "organisation_id": actors.other_org.pk}
    assert post(client, SERVICES, other, headers).status_code == 403
    assert not Service.objects.exists()


def test_coordinator_creates_for_another_provider(client, actors):
    headers = bearer(actors.coordinator, actors.coordinator_org)
    body = {**NEW_SERVICE, "organisation_id": actors.other_org.pk}
    response = post(client, SERVICES, body, headers)
    assert response.status_code == 201
    assert response.json()["organisation_name"] == "Other NGO"
    missing = {**NEW_SERVICE, "organisation_id": 999999}
    assert post(client, SERVICES, missing, headers).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"category": "astrology"}, "category"),
        ({"languages": ["ro", "qq"]}, "languages"),
        ({"language": "xx"}, "language"),
        ({"age_min": 40, "age_max": 18}, "age_min"),
        ({"cost_kind": "fee", "fee_amount": "5", "fee_currency": "XXY"}, "fee_currency"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(client, actors, overrides, field):
    headers = bearer(actors.supervisor, actors.home_org)
    response = post(client, SERVICES, {**NEW_SERVICE, **overrides}, headers)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith(f"{field}:")
    assert field in body["errors"]
    assert not Service.objects.exists()


def test_patch_allow_conflict_and_deny(client, actors, make_service):
    service = make_service()
    url = f"{SERVICES}/{service.pk}"
    headers = bearer(actors.supervisor, actors.home_org)
    response = patch(client, url, {"version": 1, "waiting_days": 8, "capacity": None}, headers)
    assert response.status_code == 200
    assert response.json()["waiting_days"] == 8
    assert response.json()["version"] == 2
    stale = patch(client, url, {"version": 1, "waiting_days": 99}, headers)
    assert stale.status_code == 409
    assert stale.json()["waiting_days"] == 8
    assert stale.json()["version"] == 2
    bad = patch(client, url, {"version": 2, "capacity": -5}, headers)
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("capacity:")
    service.refresh_from_db()
    assert (service.waiting_days, service.version) == (8, 2)
    assert (
        patch(
            client,
            url,
            {"version": 2, "waiting_days": 1},
            bearer(actors.other_worker, actors.other_org),
        ).status_code
        == 403
    )
    assert (
        patch(
            client,
            url,
            {"version": 2, "waiting_days": 1},
            bearer(actors.case_manager, actors.home_org),
        ).status_code
        == 403
    )
    assert patch(client, f"{SERVICES}/999999", {"version": 1}, headers).status_code == 404
    service.refresh_from_db()
    assert service.waiting_days == 8


def test_confirm_allow_and_deny(client, actors, login, make_service):
    service = make_service()
    Service.objects.filter(pk=service.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = f"{SERVICES}/{service.pk}/confirm"
    assert post(client, url, {}, bearer(actors.other_worker, actors.other_org)).status_code == 403
    assert post(client, url, {}, bearer(actors.specialist, actors.home_org)).status_code == 403
    # Organisation admins hold no API tokens; they use the API from their browser session.
    login(client, actors.org_admin, actors.home_org)
    response = post(client, url, {}, {})
    assert response.status_code == 200
    assert response.json()["is_stale"] is False
    assert response.json()["last_confirmed_by"] == actors.org_admin.username


def test_to_confirm_allow_and_deny(client, actors, make_service):
    service = make_service(name="Old")
    make_service(name="Fresh")
    Service.objects.filter(pk=service.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    listed = client.get(f"{SERVICES}/to-confirm", **bearer(actors.supervisor, actors.home_org))
    assert [s["name"] for s in listed.json()] == ["Old"]
    assert listed.json()[0]["is_stale"] is True
    denied = client.get(f"{SERVICES}/to-confirm", **bearer(actors.case_manager, actors.home_org))
    assert denied.status_code == 403


def test_renewal_rounds_start_list_status(client, actors, make_service):
    make_service(actors.coordinator_org, name="Fund shelter")
    headers = bearer(actors.coordinator, actors.coordinator_org)
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    started = post(client, ROUNDS, {"due_on": due}, headers)
    assert started.status_code == 201
    body = started.json()
    assert body["country"] == "GE"
    assert body["is_open"] is True
    assert body["providers"] == [
        {
            "organisation_id": actors.coordinator_org.pk,
            "organisation_name": "State Fund",
            "confirmed": 0,
            "pending": 1,
            "stale": 0,
        }
    ]
    again = post(client, ROUNDS, {"due_on": due}, headers)
    assert again.status_code == 422
    assert again.json()["detail"].startswith("due_on:")
    listed = client.get(ROUNDS, **headers).json()
    assert [r["id"] for r in listed] == [body["id"]]
    status = client.get(f"{ROUNDS}/{body['id']}", **headers).json()
    assert status["providers"][0]["pending"] == 1
    assert client.get(f"{ROUNDS}/999999", **headers).status_code == 404


def test_renewal_rounds_deny(client, actors):
    renewal = renewal_round_start(
        acting=as_acting(actors.coordinator, actors.coordinator_org),
        due_on=timezone.localdate() + datetime.timedelta(days=9),
    )
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    for user, organisation in [
        (actors.supervisor, actors.home_org),
        (actors.analyst, actors.coordinator_org),
    ]:
        headers = bearer(user, organisation)
        assert client.get(ROUNDS, **headers).status_code == 403
        assert post(client, ROUNDS, {"due_on": due}, headers).status_code == 403
        assert client.get(f"{ROUNDS}/{renewal.pk}", **headers).status_code == 403
    assert client.get(ROUNDS).status_code == 401
    assert RenewalRound.objects.count() == 1


def test_session_writes_need_csrf(actors, login):
    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, actors.supervisor, actors.home_org)
    refused = csrf_client.post(SERVICES, json.dumps(NEW_SERVICE), content_type="application/json")
    assert refused.status_code in {401, 403}
    assert not Service.objects.exists()
