from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.access import require_acting
from accounts.roles import Capability
from api.routers.accounts import acting_of
from audit.models import AuditEntry
from audit.selectors import entries_for_organisation

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    sequence: int | None
    occurred_at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    case_id: int | None
    fields: list[str]
    detail: dict[str, Any]
    request_id: str
    ip_address: str | None
    hash: str | None


@router.get("/audit", response=list[AuditEntryOut], summary="The organisation's audit trail")
def audit_entries(
    request: HttpRequest, action: str = "", offset: int = 0, limit: int = 50
) -> list[AuditEntry]:
    acting = require_acting(acting_of(request), Capability.AUDIT_VIEW)
    limit = max(1, min(limit, 500))
    return list(
        entries_for_organisation(acting.organisation, action=action)[offset : offset + limit]
    )
