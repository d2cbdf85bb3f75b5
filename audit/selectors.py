from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from audit.models import AuditEntry

# Audit targets that are not a model row, named as a reader would name them.
OBJECT_LABELS = {
    "cases.case_list": _("case list"),
    "cases.duplicate_check": _("duplicate check"),
    "cases.synthetic": _("invented cases"),
    "report": _("report"),
}


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is narrowed to; every field optional."""

    action: str = ""
    actor_id: int | None = None
    case_code: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def entries_for_organisation(
    organisation: Organisation,
    *,
    action: str = "",
    actor_id: int | None = None,
    filters: AuditFilters | None = None,
) -> QuerySet[AuditEntry]:
    """The organisation's audit trail, newest first (served by the audit_org_seq index)."""
    filters = filters or AuditFilters(action=action, actor_id=actor_id)
    entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.case_code:
        from cases.models import Case

        # A case code is looked up only among the organisation's own cases.
        case_ids = Case.objects.filter(
            organisation=organisation, code__iexact=filters.case_code.strip()
        ).values("pk")
        entries = entries.filter(case_id__in=case_ids)
    if filters.since is not None:
        entries = entries.filter(occurred_at__date__gte=filters.since)
    if filters.until is not None:
        entries = entries.filter(occurred_at__date__lte=filters.until)
    # Newest first by row id: an entry has no sequence until it is sealed, and seals follow ids.
    return entries.order_by("-id")


def actors_of(organisation: Organisation) -> QuerySet[User]:
    """Everyone who has or had a role in the organisation: the "who" filter's choices."""
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def case_codes(entries: list[AuditEntry]) -> dict[int, str]:
    """The pseudonymous codes of the cases the given entries touch (one query)."""
    from cases.models import Case

    ids = {entry.case_id for entry in entries if entry.case_id is not None}
    ids |= {
        int(entry.object_id)
        for entry in entries
        if entry.object_type == "cases.case" and entry.object_id.isdigit()
    }
    if not ids:
        return {}
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "code"))


def object_label(object_type: str) -> str:
    """ "cases.casenote" → "case note", in the reader's language."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type.rpartition(".")[2].replace("_", " ")
    return str(model._meta.verbose_name)


def field_label(object_type: str, field: str) -> str:
    """A changed field's name as the model labels it ("given_name" → "given name")."""
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return field.replace("_", " ")


def entry_rows(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    """The entries as a reader follows them: people by name, cases by code, objects and
    fields by their labels."""
    codes = case_codes(entries)
    rows = []
    for entry in entries:
        case_code = codes.get(entry.case_id) if entry.case_id is not None else None
        is_case = entry.object_type == "cases.case"
        if is_case and entry.object_id.isdigit():
            case_code = case_code or codes.get(int(entry.object_id))
        actor = entry.actor
        rows.append(
            {
                "entry": entry,
                "who": (actor.get_full_name() or actor.username) if actor else "",
                "username": actor.username if actor else entry.actor_username,
                "object": object_label(entry.object_type) if entry.object_type else "",
                "object_ref": "" if is_case else entry.object_id,
                "case_code": case_code or "",
                "fields": [field_label(entry.object_type, name) for name in entry.fields or []],
            }
        )
    return rows
