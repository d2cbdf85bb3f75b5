from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_ORGANISATION
from accounts.models import ApiToken, Membership
from accounts.roles import Role
from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_profile_allow(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_profile_deny_anonymous(client):
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_language_is_saved_per_user_and_used(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.post(reverse("accounts:language"), {"language": "ro", "next": "/"})
    assert response.status_code == 302
    actors.case_manager.refresh_from_db()
    assert actors.case_manager.language == "ro"
    assert '<html lang="ro">' in client.get("/").content.decode()


def test_unknown_language_is_refused(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    client.post(reverse("accounts:language"), {"language": "xx"})
    actors.case_manager.refresh_from_db()
    assert actors.case_manager.language == "en"


def test_switch_organisation_rotates_session_and_is_audited(client, actors, login):
    Membership.objects.create(
        user=actors.case_manager, organisation=actors.other_org, role=Role.SUPERVISOR
    )
    login(client, actors.case_manager, actors.home_org)
    before = client.session.session_key
    response = client.post(
        reverse("accounts:switch_organisation"), {"organisation": actors.other_org.pk}
    )
    assert response.status_code == 302
    assert client.session[SESSION_ORGANISATION] == actors.other_org.pk
    assert client.session.session_key != before
    assert "Other NGO" in client.get("/").content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.ORGANISATION_SWITCH).exists()


def test_switch_to_a_foreign_organisation_is_refused(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.post(
        reverse("accounts:switch_organisation"), {"organisation": actors.other_org.pk}
    )
    assert response.status_code == 403
    assert client.session[SESSION_ORGANISATION] == actors.home_org.pk


def test_token_create_shows_secret_once_and_stores_hash(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.post(reverse("accounts:token_create"), {"name": "sync script", "days": 30})
    assert response.status_code == 200
    body = response.content.decode()
    token = ApiToken.objects.get(user=actors.case_manager)
    raw = body.split('id="api-token">')[1].split("<")[0]
    assert raw.startswith("rtg_")
    assert raw not in token.token_hash
    assert raw not in client.get(reverse("accounts:profile")).content.decode()


def test_token_create_refuses_too_long_validity(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    client.post(reverse("accounts:token_create"), {"name": "forever", "days": 10000})
    assert not ApiToken.objects.exists()


def test_token_create_denied_to_roles_without_api_access(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    response = client.post(reverse("accounts:token_create"), {"name": "x", "days": 5})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_token_revoke_own_only(client, actors, login):
    from accounts.services import api_token_create

    token, _raw = api_token_create(
        acting_user=actors.supervisor, organisation=actors.home_org, name="theirs", days=5
    )
    login(client, actors.case_manager, actors.home_org)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    login(client, actors.supervisor, actors.home_org)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_new_recovery_codes(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    assert 'id="recovery-codes"' in response.content.decode()
    assert client.get(reverse("accounts:recovery_codes")).status_code == 405


def test_user_of_several_organisations_chooses_after_signing_in(client, actors):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.tests.test_authentication import password_login, totp_code

    Membership.objects.create(
        user=actors.case_manager, organisation=actors.other_org, role=Role.SUPERVISOR
    )
    device = TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    password_login(client, actors.case_manager)
    response = client.post(
        reverse("accounts:second_factor") + "?next=/work/",
        {"code": totp_code(device), "next": "/work/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:choose_organisation"))
    page = client.get(response["Location"]).content.decode()
    assert "Home NGO" in page and "Other NGO" in page
    chosen = client.post(
        reverse("accounts:switch_organisation"),
        {"organisation": actors.other_org.pk, "next": "/work/"},
    )
    assert chosen["Location"] == "/work/"
    assert client.session[SESSION_ORGANISATION] == actors.other_org.pk


def test_user_of_one_organisation_goes_straight_on(client, actors):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.tests.test_authentication import password_login, totp_code

    device = TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    password_login(client, actors.case_manager)
    response = client.post(reverse("accounts:second_factor"), {"code": totp_code(device)})
    assert response["Location"] == reverse("home")


def test_switch_refuses_an_offsite_next(client, actors, login):
    Membership.objects.create(
        user=actors.case_manager, organisation=actors.other_org, role=Role.SUPERVISOR
    )
    login(client, actors.case_manager, actors.home_org)
    response = client.post(
        reverse("accounts:switch_organisation"),
        {"organisation": actors.other_org.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")
