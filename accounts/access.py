"""The access chokepoints (DESIGN rule 2).

Every view, API endpoint and service asks here whether the acting user may do something in
an organisation. Access is denied unless a rule below grants it. Case-level rules
(``cases_visible_to``, ``get_case_for``) build on ``capabilities_in``: each rule that lets a
user see a case sits on its own line with a comment naming why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from accounts.models import Membership, Organisation
from accounts.roles import Capability, Role

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Acting:
    """Who is acting, in which organisation, with which roles — resolved once per request."""

    user: User
    organisation: Organisation
    roles: frozenset[Role]

    @property
    def capabilities(self) -> frozenset[Capability]:
        granted: set[Capability] = set()
        for role in self.roles:
            granted |= role.capabilities
        return frozenset(granted)

    @property
    def capability_values(self) -> frozenset[str]:
        """For templates, which cannot compare enums."""
        return frozenset(c.value for c in self.capabilities)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def sees_identity(self) -> bool:
        return any(role.sees_identity for role in self.roles)


def roles_in(user: Any, organisation: Organisation | int | None) -> frozenset[Role]:
    """The roles the user actively holds in the organisation; empty when none."""
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if not user.is_active:
        return frozenset()
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    roles = (
        Membership.objects.active()
        .filter(user=user, organisation_id=organisation_id)
        .values_list("role", flat=True)
    )
    return frozenset(Role(role) for role in roles)


def capabilities_in(user: Any, organisation: Organisation | int | None) -> frozenset[Capability]:
    granted: set[Capability] = set()
    for role in roles_in(user, organisation):
        granted |= role.capabilities
    return frozenset(granted)


def has_capability(
    user: Any, capability: Capability, organisation: Organisation | int | None
) -> bool:
    return capability in capabilities_in(user, organisation)


def require(user: Any, capability: Capability, organisation: Organisation | int | None) -> None:
    """Raise ``PermissionDenied`` unless a membership of the user in ``organisation`` grants
    ``capability``. Deny by default: no organisation, no membership, an inactive user, an
    inactive organisation or a role without the capability all refuse."""
    if not has_capability(user, capability, organisation):
        raise PermissionDenied(f"missing capability {capability.value}")


def require_acting(acting: Acting | None, capability: Capability) -> Acting:
    """The same check for an already-resolved ``Acting`` (no extra query)."""
    if acting is None or not acting.can(capability):
        raise PermissionDenied(f"missing capability {capability.value}")
    return acting


def organisations_of(user: Any) -> list[Organisation]:
    """Organisations in which the user holds at least one active role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            memberships__in=Membership.objects.active().filter(user=user)
        ).distinct()
    )


def acting_for(user: Any, organisation: Organisation | None) -> Acting | None:
    roles = roles_in(user, organisation)
    if organisation is None or not roles:
        return None
    return Acting(user=user, organisation=organisation, roles=roles)
