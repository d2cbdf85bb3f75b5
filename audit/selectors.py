from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation
from audit.models import AuditEntry


def entries_for_organisation(
    organisation: Organisation, *, action: str = "", actor_id: int | None = None
) -> QuerySet[AuditEntry]:
    """The organisation's audit trail, newest first (served by the audit_org_seq index)."""
    entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    return entries.order_by("-sequence")
