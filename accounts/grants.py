"""Who may give whom which role (issue 15, item 1). The one place this rule is written.

- Nobody grants a role to themselves.
- Only a system administrator creates a system administrator.
- A second person must approve a grant that would leave an administrator holding a role
  that opens case files (an administrator could otherwise give a fellow administrator, or
  an accomplice, every case file of the organisation), and a grant of ``coordinator`` in an
  organisation that is not a state fund / national coordinator (the coordinator maintains
  every organisation's directory entries and approves funded plans). The second person is a
  system administrator or another administrator of the organisation — never the one who
  asked, never the one who receives the role.

``grant_rule`` decides; ``accounts.services`` applies it for the web pages and the API alike.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import capabilities_in
from accounts.models import Membership, OrganisationType
from accounts.roles import Capability, Role

if TYPE_CHECKING:
    from accounts.models import Organisation, RoleGrantRequest, User

# Capabilities that open a case file (accounts.access.CASE_RULES).
CASE_FILE_CAPABILITIES = frozenset(
    {
        Capability.CASE_WORK_OWN,
        Capability.CASE_WORK_TEAM,
        Capability.CASE_VIEW_ALL_IN_ORGANISATION,
    }
)
ADMINISTRATOR_ROLES = frozenset({Role.ORGANISATION_ADMIN, Role.SYSTEM_ADMIN})
# The organisations whose coordinator role is their ordinary work (SPEC §2).
COORDINATING_TYPES = frozenset({OrganisationType.STATE_FUND})


class GrantReason(StrEnum):
    """Why a grant needs a second person; stored on the request, shown translated."""

    ADMINISTRATOR_CASE_FILES = "administrator_case_files"
    COORDINATOR_OUTSIDE_FUND = "coordinator_outside_fund"

    @property
    def label(self) -> str:
        return str(GRANT_REASON_LABELS[self])


GRANT_REASON_LABELS = {
    GrantReason.ADMINISTRATOR_CASE_FILES: gettext_lazy(
        "An administrator would hold a role that opens case files."
    ),
    GrantReason.COORDINATOR_OUTSIDE_FUND: gettext_lazy(
        "Coordinator in an organisation that is not a state fund or national coordinator."
    ),
}


def opens_case_files(role: Role) -> bool:
    return bool(role.capabilities & CASE_FILE_CAPABILITIES)


def _held_roles(user: User, organisation: Organisation) -> set[Role]:
    held = {
        Role(role)
        for role in Membership.objects.active()
        .filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
    }
    # A system administrator is one wherever they work.
    if Membership.objects.active().filter(user=user, role=Role.SYSTEM_ADMIN).exists():
        held.add(Role.SYSTEM_ADMIN)
    return held


def grant_rule(
    *, granter: User, organisation: Organisation, grantee: User, role: Role
) -> GrantReason | None:
    """Refuse a grant nobody may make; otherwise the reason it needs a second person, or None
    when the granter's word is enough."""
    if granter.pk == grantee.pk:
        raise ValidationError({"role": [_("Nobody may grant a role to themselves.")]})
    if role == Role.SYSTEM_ADMIN and Capability.ORGANISATIONS_MANAGE not in capabilities_in(
        granter, organisation
    ):
        raise PermissionDenied("only a system administrator creates a system administrator")
    after = _held_roles(grantee, organisation) | {role}
    if after & ADMINISTRATOR_ROLES and any(opens_case_files(r) for r in after):
        return GrantReason.ADMINISTRATOR_CASE_FILES
    if role == Role.COORDINATOR and organisation.type not in COORDINATING_TYPES:
        return GrantReason.COORDINATOR_OUTSIDE_FUND
    return None


def may_decide_grant(
    acting_user: Any, acting_organisation: Organisation | None, request: RoleGrantRequest
) -> bool:
    """A second person: a system administrator, or another administrator of the
    organisation; never the requester nor the one who would receive the role."""
    if acting_user.pk in (request.requested_by_id, request.user_id):
        return False
    if Capability.ORGANISATIONS_MANAGE in capabilities_in(acting_user, acting_organisation):
        return True
    return Capability.ORGANISATION_USERS_MANAGE in capabilities_in(
        acting_user, request.organisation_id
    ) and (acting_organisation is not None and acting_organisation.pk == request.organisation_id)
