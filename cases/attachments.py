"""Downloading the scans kept on other records of the case file: signed consents, decision
documents of formal identification, and a legal representative's document of authority. Each
download is decrypted with the person's key and audited, like the checklist documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from accounts.access import Acting, CaseAction, may_on_case
from audit.models import AuditAction
from audit.services import record
from cases.models import Case, IdentificationDecision
from consent.models import Consent
from crypto.files import read_encrypted
from lib.uploads import sniff_content_type
from people.models import RelatedPerson


@dataclass(frozen=True)
class AttachmentKind:
    model: type[models.Model]
    file_field: str
    case_filter: str  # how a row belongs to the case: "case" or "person"


KINDS: dict[str, AttachmentKind] = {
    "consent": AttachmentKind(Consent, "document_file", "case"),
    "decision": AttachmentKind(IdentificationDecision, "decision_file", "case"),
    "authority": AttachmentKind(RelatedPerson, "authority_file", "person"),
}


@dataclass(frozen=True)
class Attachment:
    data: bytes
    content_type: str


def _row_of(case: Case, kind: AttachmentKind, object_id: int) -> Any:
    owner = {"case": case} if kind.case_filter == "case" else {"person_id": case.person_id}
    manager = kind.model._default_manager
    return manager.filter(pk=object_id, **owner).select_related("data_key").first()


@transaction.atomic
def attachment_read(*, acting: Acting, case: Case, kind: str, object_id: int) -> Attachment | None:
    """The decrypted file, or None when the case has no such attachment (the caller says 404)."""
    if not may_on_case(acting, case, CaseAction.VIEW):
        raise PermissionDenied("may not read this case")
    spec = KINDS.get(kind)
    if spec is None:
        return None
    row = _row_of(case, spec, object_id)
    name = getattr(row, spec.file_field, "") if row is not None else ""
    if not name:
        return None
    data = read_encrypted(
        row.data_key,
        name,
        table=spec.model._meta.db_table,
        column=spec.file_field,
        row=str(row.uuid),
    )
    record(
        action=AuditAction.DOWNLOAD,
        actor=acting.user,
        organisation=acting.organisation,
        target=row,
        case_id=case.pk,
        fields=[spec.file_field],
    )
    return Attachment(
        data=data, content_type=sniff_content_type(data) or "application/octet-stream"
    )
