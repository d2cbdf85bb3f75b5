"""Who may change which directory entry. Built on the chokepoints in ``accounts.access``:
each rule on its own line with the reason it exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.access import Acting
from accounts.roles import Capability
from services.models import Service


def can_manage_directory(acting: Acting | None) -> bool:
    # SPEC §2: the coordinator maintains the whole directory.
    return acting is not None and acting.can(Capability.DIRECTORY_MANAGE)


def can_add_services_for(acting: Acting | None, organisation_id: int) -> bool:
    if acting is None:
        return False
    if can_manage_directory(acting):
        return True
    # 001 §4.3 L45: a provider reports its own services, nobody else's.
    return (
        acting.can(Capability.DIRECTORY_OWN_SERVICES) and acting.organisation.pk == organisation_id
    )


def can_edit_service(acting: Acting | None, service: Service) -> bool:
    return can_add_services_for(acting, service.organisation_id)


def require_service_edit(acting: Acting | None, service: Service) -> Acting:
    if acting is None or not can_edit_service(acting, service):
        raise PermissionDenied("missing capability to edit this service")
    return acting


def require_add_services_for(acting: Acting | None, organisation_id: int) -> Acting:
    if acting is None or not can_add_services_for(acting, organisation_id):
        raise PermissionDenied("missing capability to add services for this organisation")
    return acting


def require_directory_manage(acting: Acting | None) -> Acting:
    if acting is None or not can_manage_directory(acting):
        raise PermissionDenied(f"missing capability {Capability.DIRECTORY_MANAGE.value}")
    return acting
