from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

MEMBERS = reverse("accounts:members")
ORGANISATIONS = reverse("accounts:organisations")


def test_members_list_allow_org_admin(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    response = client.get(MEMBERS)
    assert response.status_code == 200
    body = response.content.decode()
    assert actors.case_manager.username in body
    assert actors.other_worker.username not in body


@pytest.mark.parametrize("actor", ["case_manager", "supervisor", "analyst", "coordinator"])
def test_members_list_deny_other_roles(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(MEMBERS).status_code == 403


def test_members_list_deny_anonymous(client):
    assert client.get(MEMBERS).status_code == 302


def test_members_list_query_count_is_constant(
    client, actors, login, make_user, django_assert_max_num_queries
):
    login(client, actors.org_admin, actors.home_org)
    client.get(MEMBERS)
    with django_assert_max_num_queries(12) as few:
        client.get(MEMBERS)
    for index in range(15):
        make_user(f"extra{index}_worker", actors.home_org, Role.CASE_MANAGER, Role.SUPERVISOR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MEMBERS)
    assert "extra14_worker" in response.content.decode()


def test_member_create_gives_a_set_password_link(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    response = client.post(
        reverse("accounts:member_create"),
        {
            "username": "new.worker",
            "first_name": "Nadia",
            "last_name": "Nou",
            "email": "",
            "role": Role.CASE_MANAGER,
            "discipline": "social_worker",
            "language": "ro",
        },
    )
    assert response.status_code == 200
    assert "/accounts/set-password/" in response.content.decode()
    user = User.objects.get(username="new.worker")
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, organisation=actors.home_org, role=Role.CASE_MANAGER
    ).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.ROLE_CHANGE, object_id=str(user.pk)
    ).exists()


def test_member_create_refuses_a_taken_username_and_changes_nothing(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    before = User.objects.count()
    response = client.post(
        reverse("accounts:member_create"),
        {
            "username": actors.case_manager.username.upper(),
            "first_name": "X",
            "last_name": "Y",
            "role": Role.CASE_MANAGER,
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "already taken" in response.content.decode()
    assert User.objects.count() == before


def test_org_admin_cannot_create_a_system_admin(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    response = client.post(
        reverse("accounts:member_create"),
        {
            "username": "sneaky",
            "first_name": "S",
            "last_name": "N",
            "role": Role.SYSTEM_ADMIN,
            "language": "en",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_member_detail_of_another_organisation_is_404(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    assert (
        client.get(reverse("accounts:member_detail", args=[actors.other_worker.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("accounts:member_detail", args=[actors.case_manager.pk])).status_code
        == 200
    )


def test_grant_and_revoke_role_are_audited(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    url = reverse("accounts:member_detail", args=[actors.case_manager.pk])
    assert client.post(url, {"role": Role.SUPERVISOR, "discipline": ""}).status_code == 302
    membership = Membership.objects.get(user=actors.case_manager, role=Role.SUPERVISOR)
    revoke = reverse("accounts:member_revoke", args=[actors.case_manager.pk, membership.pk])
    assert client.post(revoke).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    details = list(
        AuditEntry.objects.filter(
            action=AuditAction.ROLE_CHANGE, object_id=str(actors.case_manager.pk)
        )
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [{"granted": "supervisor", "discipline": ""}, {"revoked": "supervisor"}]


def test_admin_cannot_remove_own_admin_role(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    membership = Membership.objects.get(user=actors.org_admin)
    client.post(reverse("accounts:member_revoke", args=[actors.org_admin.pk, membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


def test_reset_second_factor(client, actors, login):
    TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    login(client, actors.org_admin, actors.home_org)
    url = reverse("accounts:member_reset_second_factor", args=[actors.case_manager.pk])
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=actors.case_manager).exists()


def test_reset_second_factor_denied_to_case_manager(client, actors, login):
    TOTPDevice.objects.create(user=actors.supervisor, name="phone", confirmed=True)
    login(client, actors.case_manager, actors.home_org)
    url = reverse("accounts:member_reset_second_factor", args=[actors.supervisor.pk])
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=actors.supervisor).exists()


def test_password_link_for_member(client, actors, login):
    login(client, actors.org_admin, actors.home_org)
    response = client.post(reverse("accounts:member_password_link", args=[actors.specialist.pk]))
    assert "/accounts/set-password/" in response.content.decode()
    assert (
        client.post(
            reverse("accounts:member_password_link", args=[actors.other_worker.pk])
        ).status_code
        == 404
    )


def test_organisations_allow_system_admin(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    response = client.get(ORGANISATIONS)
    assert response.status_code == 200
    assert "Other NGO" in response.content.decode()


@pytest.mark.parametrize("actor", ["org_admin", "supervisor", "coordinator"])
def test_organisations_deny_others(client, actors, login, actor):
    user = getattr(actors, actor)
    login(client, user, user.memberships.first().organisation)
    assert client.get(ORGANISATIONS).status_code == 403
    assert client.get(reverse("accounts:organisation_create")).status_code == 403


def _organisation_form(**overrides):
    data = {
        "name": "Fresh Shelter",
        "short_name": "Fresh",
        "type": "shelter",
        "country": "ro",
        "policy_pack": "ro-guide",
        "case_prefix": "fsh",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_create_organisation(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    response = client.post(reverse("accounts:organisation_create"), _organisation_form())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Fresh Shelter")
    assert (organisation.country, organisation.case_prefix) == ("RO", "FSH")


def test_system_admin_gives_a_new_organisation_its_administrator(client, actors, login):
    from accounts.models import Membership, User
    from accounts.roles import Role
    from audit.models import AuditAction, AuditEntry

    login(client, actors.system_admin, actors.home_org)
    created = client.post(reverse("accounts:organisation_create"), _organisation_form())
    organisation = Organisation.objects.get(name="Fresh Shelter")
    assert created["Location"] == reverse("accounts:organisation_admin", args=[organisation.pk])
    url = reverse("accounts:organisation_admin", args=[organisation.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"username": "ioana.admin", "first_name": "Ioana", "last_name": "Pop", "language": "ro"},
    )
    assert response.status_code == 200
    assert "/accounts/set-password/" in response.content.decode()
    admin = User.objects.get(username="ioana.admin")
    assert not admin.has_usable_password()
    assert Membership.objects.filter(
        user=admin, organisation=organisation, role=Role.ORGANISATION_ADMIN
    ).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.ROLE_CHANGE, organisation=organisation, object_id=str(admin.pk)
    ).exists()
    again = client.post(
        url, {"username": "IOANA.admin", "first_name": "I", "last_name": "P", "language": "ro"}
    )
    assert "This username is already taken." in again.content.decode()
    assert User.objects.filter(username__iexact="ioana.admin").count() == 1


def test_organisation_administrator_page_refused_to_others(client, actors, login):
    url = reverse("accounts:organisation_admin", args=[actors.other_org.pk])
    login(client, actors.org_admin, actors.home_org)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"username": "x", "first_name": "x", "last_name": "x"}).status_code == 403
    )
    login(client, actors.system_admin, actors.home_org)
    assert client.get(reverse("accounts:organisation_admin", args=[999999])).status_code == 404


def test_create_organisation_with_bad_country_names_the_field(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    response = client.post(
        reverse("accounts:organisation_create"), _organisation_form(country="Romania")
    )
    assert response.status_code == 200
    assert "two-letter ISO country code" in response.content.decode()
    assert not Organisation.objects.filter(name="Fresh Shelter").exists()


def test_stale_organisation_edit_is_refused_with_current_values(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    url = reverse("accounts:organisation_edit", args=[actors.other_org.pk])
    Organisation.objects.filter(pk=actors.other_org.pk).update(name="Renamed Meanwhile", version=2)
    response = client.post(url, _organisation_form(name="My Edit", case_prefix="OTH", version=1))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed this record" in body
    assert "Renamed Meanwhile" in body
    actors.other_org.refresh_from_db()
    assert actors.other_org.name == "Renamed Meanwhile"


def test_fresh_organisation_edit_saves(client, actors, login):
    login(client, actors.system_admin, actors.home_org)
    url = reverse("accounts:organisation_edit", args=[actors.other_org.pk])
    response = client.post(
        url, _organisation_form(name="Other NGO renamed", case_prefix="OTH", version=1)
    )
    assert response.status_code == 302
    actors.other_org.refresh_from_db()
    assert (actors.other_org.name, actors.other_org.version) == ("Other NGO renamed", 2)


def test_unknown_policy_pack_is_refused_in_ui_and_api(client, actors, login):
    import json

    login(client, actors.system_admin, actors.home_org)
    response = client.post(
        reverse("accounts:organisation_create"), _organisation_form(policy_pack="xx-none")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    api = client.post(
        "/api/v1/organisations",
        json.dumps(
            {
                "name": "Pack Org",
                "type": "ngo",
                "country": "GE",
                "case_prefix": "PKO",
                "policy_pack": "xx-none",
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["detail"].startswith("policy_pack:")
    assert not Organisation.objects.filter(name__in=["Fresh Shelter", "Pack Org"]).exists()
