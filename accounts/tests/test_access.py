from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.access import acting_for, capabilities_in, has_capability, require, roles_in
from accounts.models import Membership
from accounts.roles import ROLE_CAPABILITIES, Capability, Role

pytestmark = pytest.mark.django_db


def test_every_role_has_an_entry_in_the_matrix():
    assert set(ROLE_CAPABILITIES) == set(Role)


def test_require_allows_what_the_role_grants(actors):
    require(actors.supervisor, Capability.CASE_ASSIGN, actors.home_org)
    require(actors.org_admin, Capability.ORGANISATION_USERS_MANAGE, actors.home_org)
    require(actors.coordinator, Capability.PLAN_APPROVE_FUNDED, actors.coordinator_org)


@pytest.mark.parametrize(
    ("actor", "capability"),
    [
        ("case_manager", Capability.CASE_ASSIGN),
        ("specialist", Capability.CASE_CREATE),
        ("analyst", Capability.CASE_WORK_TEAM),
        ("coordinator", Capability.CASE_VIEW_ALL_IN_ORGANISATION),
        ("org_admin", Capability.CASE_WORK_TEAM),
        ("system_admin", Capability.CASE_VIEW_ALL_IN_ORGANISATION),
    ],
)
def test_require_denies_what_the_role_does_not_grant(actors, actor, capability):
    user = getattr(actors, actor)
    organisation = user.memberships.first().organisation
    with pytest.raises(PermissionDenied):
        require(user, capability, organisation)


def test_a_role_in_one_organisation_grants_nothing_in_another(actors):
    with pytest.raises(PermissionDenied):
        require(actors.supervisor, Capability.CASE_ASSIGN, actors.other_org)
    assert roles_in(actors.supervisor, actors.other_org) == frozenset()


def test_no_organisation_and_anonymous_are_denied(actors):
    from django.contrib.auth.models import AnonymousUser

    assert not has_capability(actors.supervisor, Capability.CASE_ASSIGN, None)
    assert capabilities_in(AnonymousUser(), actors.home_org) == frozenset()


def test_inactive_membership_user_or_organisation_deny(actors):
    Membership.objects.filter(user=actors.supervisor).update(is_active=False)
    assert not has_capability(actors.supervisor, Capability.CASE_ASSIGN, actors.home_org)
    actors.org_admin.is_active = False
    actors.org_admin.save()
    assert not has_capability(
        actors.org_admin, Capability.ORGANISATION_USERS_MANAGE, actors.home_org
    )
    actors.home_org.is_active = False
    actors.home_org.save()
    assert not has_capability(actors.case_manager, Capability.CASE_CREATE, actors.home_org)


def test_roles_in_several_organisations_are_kept_apart(actors):
    Membership.objects.create(
        user=actors.case_manager, organisation=actors.other_org, role=Role.SUPERVISOR
    )
    assert has_capability(actors.case_manager, Capability.CASE_ASSIGN, actors.other_org)
    assert not has_capability(actors.case_manager, Capability.CASE_ASSIGN, actors.home_org)


def test_acting_unions_the_roles_held_in_one_organisation(actors):
    Membership.objects.create(
        user=actors.case_manager, organisation=actors.home_org, role=Role.ORGANISATION_ADMIN
    )
    acting = acting_for(actors.case_manager, actors.home_org)
    assert acting is not None
    assert acting.can(Capability.CASE_CREATE)
    assert acting.can(Capability.ORGANISATION_USERS_MANAGE)
    assert acting.sees_identity


def test_analyst_and_coordinator_never_see_identity(actors):
    for user, organisation in [
        (actors.analyst, actors.coordinator_org),
        (actors.coordinator, actors.coordinator_org),
    ]:
        acting = acting_for(user, organisation)
        assert acting is not None
        assert not acting.sees_identity
