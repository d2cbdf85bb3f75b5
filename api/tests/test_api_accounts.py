from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Organisation
from accounts.roles import Role
from accounts.services import api_token_create

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def token_for(user, organisation, days=7):
    _token, raw = api_token_create(acting_user=user, organisation=organisation, name="t", days=days)
    return raw


def test_reverse_names_match_the_contract():
    assert reverse("api:me") == ME


def test_me_without_credentials_is_401(client):
    assert client.get(ME).status_code == 401


def test_me_with_token(client, actors):
    raw = token_for(actors.case_manager, actors.home_org)
    response = client.get(ME, **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == actors.case_manager.username
    assert body["organisation"]["name"] == "Home NGO"
    assert [r["role"] for r in body["roles"]] == [Role.CASE_MANAGER]
    assert "case.create" in body["capabilities"]


def test_me_with_wrong_revoked_or_expired_token_is_401(client, actors):
    assert client.get(ME, **bearer("rtg_not-a-real-token")).status_code == 401
    raw = token_for(actors.case_manager, actors.home_org)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get(ME, **bearer(raw)).status_code == 401
    raw2 = token_for(actors.case_manager, actors.home_org)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(ME, **bearer(raw2)).status_code == 401


def test_token_dies_with_the_role(client, actors):
    raw = token_for(actors.case_manager, actors.home_org)
    actors.case_manager.memberships.update(is_active=False)
    assert client.get(ME, **bearer(raw)).status_code == 401


def test_me_with_verified_session(client, actors, login):
    login(client, actors.supervisor, actors.home_org)
    assert client.get(ME).json()["username"] == actors.supervisor.username


def test_session_without_second_factor_is_401(client, actors):
    client.force_login(actors.supervisor)
    assert client.get(ME).status_code == 401


def test_session_writes_need_csrf(actors, login):
    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, actors.case_manager, actors.home_org)
    refused = csrf_client.post(
        "/api/v1/tokens", json.dumps({"name": "x", "days": 3}), content_type="application/json"
    )
    assert refused.status_code == 403
    assert not ApiToken.objects.exists()
    csrf_client.get(reverse("accounts:profile"))
    token = csrf_client.cookies["reintegra_csrftoken"].value
    accepted = csrf_client.post(
        "/api/v1/tokens",
        json.dumps({"name": "x", "days": 3}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201
    assert accepted.json()["token"].startswith("rtg_")


def test_tokens_cannot_mint_tokens(client, actors):
    raw = token_for(actors.case_manager, actors.home_org)
    response = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "x", "days": 3}),
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


def test_token_create_with_bad_days_names_the_field(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.post(
        "/api/v1/tokens", json.dumps({"name": "x", "days": 999}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("days:")
    assert not ApiToken.objects.exists()


def test_token_list_and_revoke(client, actors):
    raw = token_for(actors.case_manager, actors.home_org)
    listing = client.get("/api/v1/tokens", **bearer(raw)).json()
    assert [t["name"] for t in listing] == ["t"]
    assert "token" not in listing[0]
    other_raw = token_for(actors.supervisor, actors.home_org)
    other_id = ApiToken.objects.get(user=actors.supervisor).pk
    assert client.delete(f"/api/v1/tokens/{other_id}", **bearer(raw)).status_code == 404
    assert client.get(ME, **bearer(other_raw)).status_code == 200
    own_id = ApiToken.objects.get(user=actors.case_manager).pk
    assert client.delete(f"/api/v1/tokens/{own_id}", **bearer(raw)).status_code == 204
    assert client.get(ME, **bearer(raw)).status_code == 401


def test_members_allow_org_admin_and_deny_case_manager(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    names = [m["username"] for m in client.get("/api/v1/members").json()]
    assert actors.case_manager.username in names
    assert actors.other_worker.username not in names
    raw = token_for(actors.case_manager, actors.home_org)
    assert client.get("/api/v1/members", **bearer(raw)).status_code == 403


def test_member_create_and_role_changes(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    created = client.post(
        "/api/v1/members",
        json.dumps(
            {
                "username": "api.user",
                "first_name": "A",
                "last_name": "P",
                "role": "specialist",
                "discipline": "doctor",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert "/accounts/set-password/" in body["set_password_link"]
    user_id = body["id"]
    granted = client.post(
        f"/api/v1/members/{user_id}/roles",
        json.dumps({"role": "supervisor"}),
        content_type="application/json",
    )
    assert granted.status_code == 201
    roles = {r["role"]: r for r in granted.json()["roles"]}
    assert set(roles) == {"specialist", "supervisor"}
    revoked = client.delete(f"/api/v1/members/{user_id}/roles/{roles['supervisor']['id']}")
    assert revoked.status_code == 200
    assert {r["role"]: r["is_active"] for r in revoked.json()["roles"]} == {
        "specialist": True,
        "supervisor": False,
    }


def test_member_create_with_unknown_role_is_422(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    response = client.post(
        "/api/v1/members",
        json.dumps({"username": "x.user", "first_name": "A", "last_name": "P", "role": "king"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "role" in response.json()["detail"]


def test_member_of_another_organisation_is_404(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    assert client.get(f"/api/v1/members/{actors.other_worker.pk}").status_code == 404
    assert (
        client.delete(f"/api/v1/members/{actors.other_worker.pk}/second-factor").status_code == 404
    )


def test_second_factor_reset_allow(client, actors, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=actors.specialist, name="p", confirmed=True)
    login(client, actors.org_admin, actors.home_org)
    assert client.delete(f"/api/v1/members/{actors.specialist.pk}/second-factor").status_code == 204
    assert not TOTPDevice.objects.filter(user=actors.specialist).exists()


def test_organisations_allow_system_admin_deny_org_admin(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    assert {o["name"] for o in client.get("/api/v1/organisations").json()} >= {
        "Home NGO",
        "Other NGO",
    }
    login(client, actors.org_admin, actors.home_org)
    assert client.get("/api/v1/organisations").status_code == 403


def test_organisation_create_and_patch_with_version(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    created = client.post(
        "/api/v1/organisations",
        json.dumps({"name": "Api Org", "type": "ngo", "country": "GE", "case_prefix": "API"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    org_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/organisations/{org_id}",
        json.dumps({"version": 1, "name": "Api Org 2"}),
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/organisations/{org_id}",
        json.dumps({"version": 1, "name": "Lost"}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["name"] == "Api Org 2"
    assert Organisation.objects.get(pk=org_id).name == "Api Org 2"


def test_organisation_create_with_bad_type_is_422(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    response = client.post(
        "/api/v1/organisations",
        json.dumps({"name": "Bad", "type": "cartel", "country": "GE", "case_prefix": "BAD"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("type:")
    assert not Organisation.objects.filter(name="Bad").exists()


def test_openapi_schema_is_valid_openapi_3(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/me" in schema["paths"]
