"""Writes of the complaints register (DESIGN rule 1): keyword-only, typed, atomic, audited.

Anyone who does case work in the organisation may write down a complaint they receive (in
person, by phone, from the box); only supervisors and the complaints officer read and answer
them. A complaint is linked to a case only when the person asks for it; an anonymous one never
is (002 L1468-L1478)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, get_case_for
from accounts.models import User
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from complaints.codes import Channel, Outcome, Status, Subject
from complaints.models import Complaint
from complaints.selectors import handlers_of
from crypto.services import data_key_create
from lib.errors import StaleEdit
from policies.selectors import UnknownPolicyPack, pack_for_organisation

TEXT_LIMIT = 8000


def may_record(acting: Acting) -> bool:
    return acting.can(Capability.COMPLAINTS_HANDLE) or (
        acting.sees_identity and acting.can(Capability.CASE_WORK_TEAM)
    )


def _audit(acting: Acting, action: str, complaint: Complaint, fields: list[str]) -> None:
    # The case id only when the person asked for the link; otherwise the complaint stays out
    # of the case's audit trail as it stays out of the case file.
    record(
        action=action,
        actor=acting.user,
        organisation=acting.organisation,
        target=complaint,
        case_id=complaint.case_id,
        fields=fields,
    )


def _text(errors: dict[str, list[str]], name: str, value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_LIMIT:
        errors[name] = [_("Keep this under %(n)d characters.") % {"n": TEXT_LIMIT}]
    return text


def _due(acting: Acting, received_on: datetime.date) -> datetime.date | None:
    try:
        days = pack_for_organisation(acting.organisation).parsed.complaints.response_due_days
    except UnknownPolicyPack:
        return None
    return None if days is None else received_on + timedelta(days=days)


@transaction.atomic
def complaint_record(
    *,
    acting: Acting,
    received_on: datetime.date,
    channel: str,
    subject: str,
    details: str,
    anonymous: bool = False,
    complainant: str = "",
    case_id: int | None = None,
) -> Complaint:
    """Record a complaint. ``case_id`` links it to a case, only at the person's request."""
    if not may_record(acting):
        raise PermissionDenied("may not record complaints")
    errors: dict[str, list[str]] = {}
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose one of the listed values.")]
    if subject not in Subject.values:
        errors["subject"] = [_("Choose one of the listed values.")]
    details = _text(errors, "details", details)
    if not details:
        errors["details"] = [_("Write down what the complaint is about.")]
    complainant = _text(errors, "complainant", complainant)
    if anonymous and complainant:
        errors["complainant"] = [_("An anonymous complaint has no name.")]
    if anonymous and case_id is not None:
        errors["case_id"] = [_("An anonymous complaint is linked to no case.")]
    if errors:
        raise ValidationError(errors)
    # The recorder must be able to see the case they link (the chokepoint: 404 otherwise).
    case = get_case_for(acting, case_id, action=CaseAction.VIEW) if case_id is not None else None
    complaint = Complaint(
        organisation=acting.organisation,
        data_key=data_key_create(),
        received_on=received_on,
        channel=channel,
        subject=subject,
        anonymous=anonymous,
        case=case,
        linked_at_request_on=timezone.localdate() if case is not None else None,
        response_due_on=_due(acting, received_on),
        recorded_by=acting.user,
    )
    complaint.set_plain("details", details)
    complaint.set_plain("complainant", complainant or None)
    complaint.save()
    _audit(
        acting,
        AuditAction.CREATE,
        complaint,
        ["received_on", "channel", "subject", "details", *(["complainant"] if complainant else [])],
    )
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    acting: Acting,
    complaint: Complaint,
    expected_version: int,
    handler: User | None,
    response: str,
    responded_on: datetime.date | None,
    outcome: str,
) -> Complaint:
    """Name who handles the complaint and, once answered, the answer, its date and the
    outcome. Saving without an answer keeps the complaint open."""
    if not acting.can(Capability.COMPLAINTS_HANDLE) or complaint.organisation_id != (
        acting.organisation.pk
    ):
        raise PermissionDenied("may not answer complaints")
    locked = Complaint.objects.select_for_update().select_related("data_key").get(pk=complaint.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked)
    errors: dict[str, list[str]] = {}
    if handler is not None and not handlers_of(acting).filter(pk=handler.pk).exists():
        errors["handler"] = [_("Choose a supervisor or the complaints officer.")]
    response = _text(errors, "response", response)
    if outcome and outcome not in Outcome.values:
        errors["outcome"] = [_("Choose one of the listed values.")]
    answered = bool(response or responded_on or outcome)
    if answered:
        if not response:
            errors["response"] = [_("Write the answer given.")]
        if responded_on is None:
            errors["responded_on"] = [_("Give the date of the answer.")]
        elif responded_on > timezone.localdate() or responded_on < locked.received_on:
            errors["responded_on"] = [_("The answer is dated between the complaint and today.")]
        if not outcome:
            errors["outcome"] = [_("Choose the outcome.")]
    if errors:
        raise ValidationError(errors)
    changed = []
    if locked.handler_id != (handler.pk if handler else None):
        locked.handler = handler
        changed.append("handler")
    if (locked.get_plain("response") or "") != response:
        locked.set_plain("response", response or None)
        changed.append("response")
    for name, value in (("responded_on", responded_on), ("outcome", outcome)):
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    locked.status = Status.ANSWERED if answered else Status.OPEN
    locked.version += 1
    locked.save()
    _audit(acting, AuditAction.UPDATE, locked, changed)
    return locked


@transaction.atomic
def complaint_link_case(
    *, acting: Acting, complaint: Complaint, expected_version: int, case_id: int
) -> Complaint:
    """Link the complaint to the person's case, because the person asked for it."""
    if not acting.can(Capability.COMPLAINTS_HANDLE):
        raise PermissionDenied("may not link complaints")
    locked = Complaint.objects.select_for_update().select_related("data_key").get(pk=complaint.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked)
    if locked.anonymous:
        raise ValidationError({"case_id": [_("An anonymous complaint is linked to no case.")]})
    # Only a case the handler may see: the complaints officer sees none and asks a supervisor.
    case = get_case_for(acting, case_id, action=CaseAction.VIEW)
    locked.case = case
    locked.linked_at_request_on = timezone.localdate()
    locked.version += 1
    locked.save()
    _audit(acting, AuditAction.UPDATE, locked, ["case"])
    return locked
