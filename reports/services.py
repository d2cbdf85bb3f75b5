"""Writes of the reports app: the audit entries of statistics read or downloaded (DESIGN
rule 1; the statistics themselves are never stored)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.access import Acting
from audit.models import AuditAction
from audit.services import record


@transaction.atomic
def statistics_read_record(
    *, acting: Acting, report: str, detail: dict[str, Any], download: str = ""
) -> None:
    """Who looked at or took which statistics, with the filters and the format."""
    record(
        action=AuditAction.DOWNLOAD if download else AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=("reports.statistics", report),
        detail={**{k: str(v) for k, v in detail.items()}, "format": download or "page"},
    )
