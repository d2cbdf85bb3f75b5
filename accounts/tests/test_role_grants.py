"""The role-grant rule (issue 15, item 1; accounts/grants.py): nobody grants themselves a
role; an administrator's case-file role and a coordinator outside a state fund need a second
person. Every combination of granter, grantee and role is checked against a table written
out by hand, in the service, the pages and the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Organisation, RoleGrantRequest, User
from accounts.roles import Role
from accounts.services import role_grant, role_grant_approve, role_grant_refuse
from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

GRANTED, PENDING, REFUSED, FORBIDDEN, HELD = "granted", "pending", "refused", "403", "held"

# What each grantee holds in the organisation before the grant.
GRANTEE_ROLES: dict[str, tuple[str, ...]] = {
    "self": (),  # the granter's own account
    "newcomer": (),  # no role yet
    "worker": (Role.CASE_MANAGER,),  # a case worker
    "admin": (Role.ORGANISATION_ADMIN,),  # another administrator
}

# (granter, grantee) -> role -> outcome, in an NGO. Written out, not computed.
NGO_TABLE: dict[tuple[str, str], dict[Role, str]] = {
    ("org_admin", "self"): {role: REFUSED for role in Role},
    ("system_admin", "self"): {role: REFUSED for role in Role},
    ("org_admin", "newcomer"): {
        Role.CASE_MANAGER: GRANTED,
        Role.SPECIALIST: GRANTED,
        Role.SUPERVISOR: GRANTED,
        Role.COORDINATOR: PENDING,
        Role.ANALYST: GRANTED,
        Role.ORGANISATION_ADMIN: GRANTED,
        Role.SYSTEM_ADMIN: FORBIDDEN,
    },
    ("system_admin", "newcomer"): {
        Role.CASE_MANAGER: GRANTED,
        Role.SPECIALIST: GRANTED,
        Role.SUPERVISOR: GRANTED,
        Role.COORDINATOR: PENDING,
        Role.ANALYST: GRANTED,
        Role.ORGANISATION_ADMIN: GRANTED,
        Role.SYSTEM_ADMIN: GRANTED,
    },
    ("org_admin", "worker"): {
        Role.CASE_MANAGER: HELD,
        Role.SPECIALIST: GRANTED,
        Role.SUPERVISOR: GRANTED,
        Role.COORDINATOR: PENDING,
        Role.ANALYST: GRANTED,
        Role.ORGANISATION_ADMIN: PENDING,
        Role.SYSTEM_ADMIN: FORBIDDEN,
    },
    ("system_admin", "worker"): {
        Role.CASE_MANAGER: HELD,
        Role.SPECIALIST: GRANTED,
        Role.SUPERVISOR: GRANTED,
        Role.COORDINATOR: PENDING,
        Role.ANALYST: GRANTED,
        Role.ORGANISATION_ADMIN: PENDING,
        Role.SYSTEM_ADMIN: PENDING,
    },
    ("org_admin", "admin"): {
        Role.CASE_MANAGER: PENDING,
        Role.SPECIALIST: PENDING,
        Role.SUPERVISOR: PENDING,
        Role.COORDINATOR: PENDING,
        Role.ANALYST: GRANTED,
        Role.ORGANISATION_ADMIN: HELD,
        Role.SYSTEM_ADMIN: FORBIDDEN,
    },
    ("system_admin", "admin"): {
        Role.CASE_MANAGER: PENDING,
        Role.SPECIALIST: PENDING,
        Role.SUPERVISOR: PENDING,
        Role.COORDINATOR: PENDING,
        Role.ANALYST: GRANTED,
        Role.ORGANISATION_ADMIN: HELD,
        Role.SYSTEM_ADMIN: GRANTED,
    },
}

CASES = [
    (granter, grantee, role, outcome)
    for (granter, grantee), roles in NGO_TABLE.items()
    for role, outcome in roles.items()
]


def _grantee(kind: str, granter: User, organisation: Organisation, make_user: Any) -> User:
    if kind == "self":
        return granter
    return make_user(f"{kind}_grantee", organisation, *GRANTEE_ROLES[kind])


def _attempt(granter: User, organisation: Organisation, grantee: User, role: Role) -> str:
    try:
        outcome = role_grant(
            acting_user=granter, organisation=organisation, user=grantee, role=role
        )
    except PermissionDenied:
        return FORBIDDEN
    except ValidationError as error:
        return HELD if "already holds" in " ".join(error.messages) else REFUSED
    return PENDING if isinstance(outcome, RoleGrantRequest) else GRANTED


@pytest.mark.parametrize(("granter_name", "grantee_kind", "role", "expected"), CASES)
def test_grant_rule_in_an_ngo(
    actors: Any, make_user: Any, granter_name: str, grantee_kind: str, role: Role, expected: str
) -> None:
    granter = getattr(actors, granter_name)
    grantee = _grantee(grantee_kind, granter, actors.home_org, make_user)
    before = set(Membership.objects.active().filter(user=grantee).values_list("role", flat=True))
    assert _attempt(granter, actors.home_org, grantee, role) == expected
    after = set(Membership.objects.active().filter(user=grantee).values_list("role", flat=True))
    if expected == GRANTED:
        assert after == before | {role}
    else:
        # Refused, forbidden or pending: nothing changes until a second person approves.
        assert after == before
    assert RoleGrantRequest.objects.filter(user=grantee).exists() == (expected == PENDING)


@pytest.mark.parametrize(
    ("grantee_kind", "role", "expected"),
    [
        # In a state fund the coordinator is the ordinary role: one administrator suffices.
        ("newcomer", Role.COORDINATOR, GRANTED),
        ("admin", Role.COORDINATOR, GRANTED),
        ("worker", Role.COORDINATOR, GRANTED),
        # The case-file rule holds in a fund too.
        ("admin", Role.SUPERVISOR, PENDING),
        ("self", Role.COORDINATOR, REFUSED),
    ],
)
def test_grant_rule_in_a_state_fund(
    actors: Any, make_user: Any, grantee_kind: str, role: Role, expected: str
) -> None:
    fund = actors.coordinator_org
    fund_admin = make_user("fay_fundadmin", fund, Role.ORGANISATION_ADMIN)
    grantee = _grantee(grantee_kind, fund_admin, fund, make_user)
    assert _attempt(fund_admin, fund, grantee, role) == expected


@pytest.fixture
def second_admin(actors: Any, make_user: Any) -> User:
    return make_user("sam_secondadmin", actors.home_org, Role.ORGANISATION_ADMIN)


@pytest.fixture
def pending(actors: Any, second_admin: User) -> RoleGrantRequest:
    """The escalation of the security review: an administrator asks for a case-file role for
    a fellow administrator."""
    outcome = role_grant(
        acting_user=actors.org_admin,
        organisation=actors.home_org,
        user=second_admin,
        role=Role.SUPERVISOR,
    )
    assert isinstance(outcome, RoleGrantRequest)
    return outcome


def _acting_org(user: User) -> Organisation:
    return Membership.objects.active().filter(user=user).first().organisation  # type: ignore[union-attr]


def test_neither_requester_nor_grantee_approves(actors: Any, pending: RoleGrantRequest) -> None:
    for user in (actors.org_admin, pending.user):
        with pytest.raises(PermissionDenied):
            role_grant_approve(
                acting_user=user, acting_organisation=actors.home_org, request=pending
            )
    assert not Membership.objects.filter(user=pending.user, role=Role.SUPERVISOR).exists()


def test_another_organisation_admin_approves(
    actors: Any, make_user: Any, pending: RoleGrantRequest
) -> None:
    third = make_user("tia_thirdadmin", actors.home_org, Role.ORGANISATION_ADMIN)
    role_grant_approve(acting_user=third, acting_organisation=actors.home_org, request=pending)
    assert Membership.objects.active().filter(user=pending.user, role=Role.SUPERVISOR).exists()
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by_id) == ("approved", third.pk)
    entry = AuditEntry.objects.filter(action=AuditAction.ROLE_CHANGE, actor=third).latest("id")
    assert entry.detail["granted"] == Role.SUPERVISOR
    assert entry.detail["requested_by"] == actors.org_admin.pk


def test_a_system_administrator_approves_and_an_outsider_may_not(
    actors: Any, make_user: Any, pending: RoleGrantRequest
) -> None:
    outsider = make_user("oz_otheradmin", actors.other_org, Role.ORGANISATION_ADMIN)
    with pytest.raises(PermissionDenied):
        role_grant_approve(
            acting_user=outsider, acting_organisation=actors.other_org, request=pending
        )
    hosting = Organisation.objects.create(
        name="Hosting", type="other", country="MD", case_prefix="HST"
    )
    root = make_user("rita_root", hosting, Role.SYSTEM_ADMIN)
    role_grant_approve(acting_user=root, acting_organisation=hosting, request=pending)
    assert Membership.objects.active().filter(user=pending.user, role=Role.SUPERVISOR).exists()


def test_refusal_grants_nothing_and_is_final(
    actors: Any, make_user: Any, pending: RoleGrantRequest
) -> None:
    third = make_user("tia_thirdadmin", actors.home_org, Role.ORGANISATION_ADMIN)
    role_grant_refuse(acting_user=third, acting_organisation=actors.home_org, request=pending)
    with pytest.raises(ValidationError):
        role_grant_approve(acting_user=third, acting_organisation=actors.home_org, request=pending)
    assert not Membership.objects.filter(user=pending.user, role=Role.SUPERVISOR).exists()
    assert AuditEntry.objects.filter(action=AuditAction.ROLE_CHANGE, actor=third).exists()


# ---------------------------------------------------------------- the pages


def test_page_refuses_a_self_grant(
    client: Client, actors: Any, login: Callable[..., Client]
) -> None:
    login(client, actors.org_admin, actors.home_org)
    url = reverse("accounts:member_detail", args=[actors.org_admin.pk])
    response = client.post(url, {"role": Role.SUPERVISOR, "discipline": ""})
    assert response.status_code == 200
    assert "Nobody may grant a role to themselves." in response.content.decode()
    assert not Membership.objects.filter(user=actors.org_admin, role=Role.SUPERVISOR).exists()


def test_pages_file_and_approve_a_pending_grant(
    client: Client, actors: Any, login: Callable[..., Client], second_admin: User, make_user: Any
) -> None:
    login(client, actors.org_admin, actors.home_org)
    url = reverse("accounts:member_detail", args=[second_admin.pk])
    response = client.post(url, {"role": Role.SUPERVISOR, "discipline": ""}, follow=True)
    assert "approves it" in response.content.decode()
    assert not Membership.objects.filter(user=second_admin, role=Role.SUPERVISOR).exists()
    grant = RoleGrantRequest.objects.get(user=second_admin)
    listing = client.get(reverse("accounts:grant_requests")).content.decode()
    assert "Another administrator decides." in listing
    decide = reverse("accounts:grant_request_decide", args=[grant.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403

    third = make_user("tia_thirdadmin", actors.home_org, Role.ORGANISATION_ADMIN)
    other = Client()
    login(other, third, actors.home_org)
    assert "Approve" in other.get(reverse("accounts:grant_requests")).content.decode()
    assert other.post(decide, {"decision": "approve"}).status_code == 302
    assert Membership.objects.active().filter(user=second_admin, role=Role.SUPERVISOR).exists()


@pytest.mark.parametrize("actor", ["case_manager", "supervisor", "coordinator"])
def test_grant_pages_deny_other_roles(
    client: Client, actors: Any, login: Callable[..., Client], actor: str
) -> None:
    user = getattr(actors, actor)
    login(client, user, _acting_org(user))
    assert client.get(reverse("accounts:grant_requests")).status_code == 403


def test_grant_pages_deny_anonymous(client: Client) -> None:
    assert client.get(reverse("accounts:grant_requests")).status_code == 302


def test_grant_page_of_another_organisation_is_404(
    client: Client, actors: Any, login: Callable[..., Client], make_user: Any, pending: Any
) -> None:
    outsider = make_user("oz_otheradmin", actors.other_org, Role.ORGANISATION_ADMIN)
    login(client, outsider, actors.other_org)
    assert "sam_secondadmin" not in client.get(reverse("accounts:grant_requests")).content.decode()
    decide = reverse("accounts:grant_request_decide", args=[pending.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404


# ---------------------------------------------------------------- the API


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_api_refuses_self_grant_and_files_pending_grants(
    client: Client, actors: Any, login: Callable[..., Client], second_admin: User, make_user: Any
) -> None:
    login(client, actors.org_admin, actors.home_org)
    own = _post(client, f"/api/v1/members/{actors.org_admin.pk}/roles", {"role": "supervisor"})
    assert own.status_code == 422
    assert "role" in own.json()["errors"]
    filed = _post(client, f"/api/v1/members/{second_admin.pk}/roles", {"role": "supervisor"})
    assert filed.status_code == 202, filed.content
    grant_id = filed.json()["id"]
    assert filed.json()["status"] == "pending"
    assert [g["id"] for g in client.get("/api/v1/role-grants").json()] == [grant_id]
    assert _post(client, f"/api/v1/role-grants/{grant_id}/approve").status_code == 403

    third = make_user("tia_thirdadmin", actors.home_org, Role.ORGANISATION_ADMIN)
    other = Client()
    login(other, third, actors.home_org)
    approved = _post(other, f"/api/v1/role-grants/{grant_id}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert Membership.objects.active().filter(user=second_admin, role=Role.SUPERVISOR).exists()


def test_api_grants_deny(
    client: Client, actors: Any, login: Callable[..., Client], make_user: Any, pending: Any
) -> None:
    assert client.get("/api/v1/role-grants").status_code == 401
    login(client, actors.supervisor, actors.home_org)
    assert client.get("/api/v1/role-grants").status_code == 403
    outsider = make_user("oz_otheradmin", actors.other_org, Role.ORGANISATION_ADMIN)
    other = Client()
    login(other, outsider, actors.other_org)
    assert _post(other, f"/api/v1/role-grants/{pending.pk}/refuse").status_code == 404
