"""Writes for referrals, transfers and the register of services not delivered (DESIGN rule 1):
keyword-only, typed, atomic, audited in the same transaction. Sending and transferring pass the
consent gate for the named recipient (SPEC C3); the answers record the referral milestones so
that an overdue answer escalates into "My work" (policies/README.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, may_on_case
from accounts.models import Organisation
from audit.models import AuditAction
from audit.services import record_on_case as _audit
from cases.models import Case, CaseDocument, CaseManagerAssignment, CaseNote, TeamMember
from consent.models import Consent, ConsentPurpose
from consent.services import current_consent, require_consent
from crypto.files import read_encrypted
from policies.selectors import policy_for_case
from referrals.models import (
    TRANSITIONS,
    CaseTransfer,
    Referral,
    ReferralSection,
    ReferralStatus,
    SharedSection,
    TransferStatus,
    UnmetNeed,
    UnmetReason,
    UnmetSource,
    Urgency,
)
from referrals.selectors import is_on_system
from services.models import Service, ServiceCategory
from work.models import MilestoneKind
from work.services import milestone_record, work_items_recompute


class StaleReferral(Exception):
    def __init__(self, current: Referral) -> None:
        super().__init__(_("Someone else changed this referral while you were looking at it."))
        self.current = current


def default_respond_by(case: Case, sent_on: datetime.date) -> datetime.date:
    """The pack's answer period for referrals; a week where the pack sets none (the seeds
    set no such period, policies/README.md)."""
    days = policy_for_case(case).referrals.response_due_days
    return sent_on + datetime.timedelta(days=days if days is not None else 7)


# ---------------------------------------------------------------- referrals


@transaction.atomic
def referral_send(
    *,
    acting: Acting,
    case: Case,
    recipient: Organisation | None,
    category: str,
    purpose: str,
    sections: list[str],
    urgency: str = Urgency.ROUTINE,
    respond_by: datetime.date | None = None,
    service: Service | None = None,
    contact_person: str = "",
    options_offered: str = "",
    chosen_by_person: bool = False,
    responsibilities: str = "",
    monitoring: str = "",
) -> Referral:
    """Send a referral with the sections the sender chose. Refused without a current consent
    to share with the recipient (or an unused supervisor override for it)."""
    if not may_on_case(acting, case, CaseAction.MANAGE):
        raise PermissionDenied("may not refer this case")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if service is not None:
        if recipient is None:
            recipient = service.organisation
        elif service.organisation_id != recipient.pk:
            errors["service"] = [_("The service belongs to another organisation.")]
    if recipient is None:
        errors["recipient"] = [_("Choose the organisation the referral goes to.")]
    elif recipient.pk == case.organisation_id:
        errors["recipient"] = [_("A referral goes to another organisation.")]
    if category not in ServiceCategory.values:
        errors["category"] = [_("Choose one of the listed services.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose one of the listed urgencies.")]
    if not purpose.strip():
        errors["purpose"] = [_("Say what the referral is for.")]
    unknown = [s for s in sections if s not in SharedSection.values]
    if unknown:
        errors["sections"] = [_("Choose only listed sections.")]
    elif not sections:
        errors["sections"] = [_("Choose at least one section to share.")]
    if respond_by is not None and respond_by < today:
        errors["respond_by"] = [_("The answer cannot be expected in the past.")]
    if errors:
        raise ValidationError(errors)
    assert recipient is not None
    if category == ServiceCategory.MEDICAL:
        # SPEC C3; 003 §4.2: a medical examination or test needs its own consent.
        require_consent(case, ConsentPurpose.MEDICAL)
    gate = require_consent(case, ConsentPurpose.SHARING, recipient=recipient)
    referral = Referral(
        case=case,
        data_key=case.data_key,
        sender=acting.organisation,
        sent_by=acting.user,
        recipient=recipient,
        service=service,
        category=category,
        urgency=urgency,
        respond_by=respond_by or default_respond_by(case, today),
        chosen_by_person=chosen_by_person,
    )
    if isinstance(gate, Consent):
        referral.consent = gate
    else:
        referral.consent_override = gate
    referral.set_plain("purpose", purpose.strip())
    referral.set_plain("options_offered", options_offered.strip() or None)
    referral.set_plain("responsibilities", responsibilities.strip() or None)
    referral.set_plain("monitoring", monitoring.strip() or None)
    referral.set_plain("contact_person", contact_person.strip()[:200] or None)
    referral.save()
    ReferralSection.objects.bulk_create(
        ReferralSection(referral=referral, section=s) for s in dict.fromkeys(sections)
    )
    _audit(
        acting,
        AuditAction.CREATE,
        referral,
        case,
        fields=["recipient", "service", "category", "purpose", "sections", "urgency"],
        detail={
            "recipient": recipient.pk,
            "sections": sorted(set(sections)),
            "override": referral.consent_override_id is not None,
        },
    )
    milestone_record(
        case=case,
        kind=MilestoneKind.REFERRAL_SENT,
        occurred_on=today,
        actor=acting.user,
        ref=str(referral.pk),
    )
    return referral


@transaction.atomic
def referral_answer(
    *,
    acting: Acting,
    referral: Referral,
    status: str,
    expected_version: int,
    reason: str = "",
    answer: str = "",
    feedback: str = "",
) -> Referral:
    """The recipient (or, for a recipient not on the system, the sender on its behalf) moves
    the referral on. ``referral`` comes from ``referral_for`` / ``referral_answerable_by``.
    A declined or undelivered referral enters the register of services not delivered."""
    # The recipient answers; the sender only for a recipient with nobody on the system.
    if acting.organisation.pk != referral.recipient_id and not (
        acting.organisation.pk == referral.sender_id and not is_on_system(referral.recipient)
    ):
        raise PermissionDenied("may not answer this referral")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.version != expected_version:
        raise StaleReferral(locked)
    errors: dict[str, list[str]] = {}
    if status not in TRANSITIONS.get(locked.status, ()):
        errors["status"] = [_("This referral cannot move to that status now.")]
    ends_undelivered = status in (ReferralStatus.DECLINED, ReferralStatus.NOT_DELIVERED)
    if ends_undelivered and reason not in UnmetReason.values:
        errors["reason"] = [_("Choose the reason.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    first_answer = locked.status == ReferralStatus.SENT
    locked.status = status
    locked.version += 1
    if ends_undelivered:
        locked.decline_reason = reason
    if answer.strip():
        locked.set_plain("answer", answer.strip())
    if feedback.strip():
        locked.set_plain("feedback", feedback.strip())
    if first_answer:
        locked.answered_at = now
        locked.answered_by = acting.user
    if status not in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        locked.ended_at = now
    locked.save()
    case = locked.case
    _audit(
        acting,
        AuditAction.TRANSITION,
        locked,
        case,
        fields=["status", "decline_reason", "answer", "feedback"],
        detail={"status": status},
    )
    if first_answer:
        milestone_record(
            case=case,
            kind=MilestoneKind.REFERRAL_ANSWERED,
            occurred_on=timezone.localdate(),
            actor=acting.user,
            ref=str(locked.pk),
        )
    if ends_undelivered:
        _unmet_from_referral(acting=acting, referral=locked, reason=reason)
    return locked


def _unmet_from_referral(*, acting: Acting, referral: Referral, reason: str) -> UnmetNeed:
    case = referral.case
    region = ""
    if referral.service_id is not None:
        area = referral.service.areas.order_by("id").first() if referral.service else None
        region = area.region if area is not None else ""
    need = UnmetNeed(
        case=case,
        data_key=case.data_key,
        organisation=case.organisation,
        category=referral.category,
        reason=reason,
        source=UnmetSource.REFERRAL,
        referral=referral,
        country=case.organisation.country,
        region=region,
        recorded_by=acting.user,
    )
    need.save()
    _audit(
        acting,
        AuditAction.CREATE,
        need,
        case,
        fields=["category", "reason", "source", "referral"],
        detail={"category": need.category, "reason": reason, "source": need.source},
    )
    return need


@transaction.atomic
def shared_document_read(*, acting: Acting, referral: Referral, document: CaseDocument) -> bytes:
    """A shared document, decrypted for the recipient; the download is audited."""
    if document.case_id != referral.case_id:
        raise PermissionDenied("document of another case")
    data = read_encrypted(
        referral.case.data_key,
        document.file,
        table=CaseDocument._meta.db_table,
        column="file",
        row=str(document.uuid),
    )
    _audit(
        acting,
        AuditAction.DOWNLOAD,
        document,
        referral.case,
        fields=["file"],
        detail={"referral": referral.pk},
    )
    return data


def shared_read_record(*, acting: Acting, referral: Referral, sections: list[str]) -> None:
    """Everything the recipient sees is audited (issue 7 part 3)."""
    _audit(
        acting,
        AuditAction.VIEW,
        referral,
        referral.case,
        fields=sections,
        detail={"referral": referral.pk, "sections": sections},
    )


def referral_sheet_record(*, acting: Acting, referral: Referral, sections: list[str]) -> None:
    """The printed sheet for an organisation not on the system is logged (issue 7 part 6)."""
    _audit(
        acting,
        AuditAction.PRINT,
        referral,
        referral.case,
        fields=sections,
        detail={"referral": referral.pk, "recipient": referral.recipient_id},
    )


# ---------------------------------------------------------------- the register


@transaction.atomic
def unmet_need_record(
    *,
    acting: Acting,
    case: Case,
    category: str,
    reason: str,
    source: str,
    note: str = "",
    plan_activity: Any = None,
    region: str = "",
) -> UnmetNeed:
    """Record a service the person needed and did not get. Called by case workers, by the
    referral answers above and by plans for activities that could not be delivered."""
    if not may_on_case(acting, case, CaseAction.WORK):
        raise PermissionDenied("may not record on this case")
    errors: dict[str, list[str]] = {}
    if category not in ServiceCategory.values:
        errors["category"] = [_("Choose one of the listed services.")]
    if reason not in UnmetReason.values:
        errors["reason"] = [_("Choose the reason.")]
    if source not in (UnmetSource.CASE_WORKER, UnmetSource.PLAN_ACTIVITY):
        errors["source"] = [_("Choose where this comes from.")]
    if source == UnmetSource.PLAN_ACTIVITY and plan_activity is None:
        errors["plan_activity"] = [_("Name the plan activity that was not delivered.")]
    if reason == UnmetReason.OTHER and not note.strip():
        errors["note"] = [_("Say what the reason was.")]
    if errors:
        raise ValidationError(errors)
    need = UnmetNeed(
        case=case,
        data_key=case.data_key,
        organisation=case.organisation,
        category=category,
        reason=reason,
        source=source,
        plan_activity_id=getattr(plan_activity, "pk", None),
        country=case.organisation.country,
        region=region.strip(),
        recorded_by=acting.user,
    )
    need.set_plain("note", note.strip() or None)
    need.save()
    _audit(
        acting,
        AuditAction.CREATE,
        need,
        case,
        fields=["category", "reason", "source", "note"],
        detail={"category": category, "reason": reason, "source": source},
    )
    return need


# ---------------------------------------------------------------- transfers


@transaction.atomic
def transfer_request(
    *, acting: Acting, case: Case, to_organisation: Organisation | None, handover_note: str
) -> CaseTransfer:
    """Ask another organisation to take the case over, with consent and a handover note."""
    if not may_on_case(acting, case, CaseAction.MANAGE):
        raise PermissionDenied("may not transfer this case")
    errors: dict[str, list[str]] = {}
    if to_organisation is None:
        errors["to_organisation"] = [_("Choose the organisation that takes the case over.")]
    elif to_organisation.pk == case.organisation_id:
        errors["to_organisation"] = [_("Choose another organisation.")]
    if not handover_note.strip():
        errors["handover_note"] = [_("Write the handover note.")]
    if CaseTransfer.objects.filter(case=case, status=TransferStatus.PENDING).exists():
        errors["to_organisation"] = [_("A transfer of this case is already waiting for an answer.")]
    if errors:
        raise ValidationError(errors)
    assert to_organisation is not None
    gate = require_consent(case, ConsentPurpose.SHARING, recipient=to_organisation)
    transfer = CaseTransfer(
        case=case,
        data_key=case.data_key,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        requested_by=acting.user,
    )
    if isinstance(gate, Consent):
        transfer.consent = gate
    else:
        transfer.consent_override = gate
    transfer.set_plain("handover_note", handover_note.strip())
    transfer.save()
    _audit(
        acting,
        AuditAction.CREATE,
        transfer,
        case,
        fields=["to_organisation", "handover_note"],
        detail={"to_organisation": to_organisation.pk},
    )
    return transfer


class TransferCancelled(ValidationError):
    """The transfer was cancelled on acceptance: the person withdrew the consent to share
    with the receiving organisation meanwhile (SPEC §1.2: withdrawn consent stops sharing)."""


def transfer_consent_holds(transfer: CaseTransfer) -> bool:
    """Whether the consent the transfer rests on still holds on acceptance: a current consent
    to share with the receiver, or the supervisor's override with no consent withdrawn since."""
    case = transfer.case
    if current_consent(case, ConsentPurpose.SHARING, recipient=transfer.to_organisation):
        return True
    if transfer.consent_override_id is None:
        return False
    withdrawn_since = Consent.objects.filter(
        case=case,
        purpose=ConsentPurpose.SHARING,
        recipient=transfer.to_organisation,
        withdrawn_on__gte=timezone.localdate(transfer.requested_at),
    )
    return not withdrawn_since.exists()


@transaction.atomic
def _transfer_cancel(*, acting: Acting, transfer: CaseTransfer, reason: str) -> CaseTransfer:
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by = acting.user
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        acting,
        AuditAction.TRANSITION,
        transfer,
        transfer.case,
        fields=["status"],
        detail={"status": TransferStatus.CANCELLED, "reason": reason},
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, acting: Acting, transfer: CaseTransfer) -> CaseTransfer:
    """The sending organisation withdraws a transfer that is still waiting for an answer."""
    locked = CaseTransfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if locked.from_organisation_id != acting.organisation.pk or not may_on_case(
        acting, locked.case, CaseAction.MANAGE
    ):
        raise PermissionDenied("not the sending organisation")
    if locked.status != TransferStatus.PENDING:
        raise ValidationError({"status": [_("This transfer was already decided.")]})
    return _transfer_cancel(acting=acting, transfer=locked, reason="sender")


def transfer_decide(
    *, acting: Acting, transfer: CaseTransfer, accept: bool, answer: str = ""
) -> CaseTransfer:
    """The receiving organisation accepts or declines. Acceptance re-checks the consent to
    share with the receiver: if the person withdrew it meanwhile, the transfer is cancelled
    (and stays cancelled) and ``TransferCancelled`` is raised; the case stays with the sender."""
    decided = _transfer_decide(acting=acting, transfer=transfer, accept=accept, answer=answer)
    if decided.status == TransferStatus.CANCELLED:
        raise TransferCancelled(
            {
                "consent": [
                    _(
                        "The person withdrew the consent to share their case with %(recipient)s; "
                        "the transfer is cancelled and the case stays with %(sender)s."
                    )
                    % {
                        "recipient": decided.to_organisation.name,
                        "sender": decided.from_organisation.name,
                    }
                ]
            }
        )
    return decided


@transaction.atomic
def _transfer_decide(
    *, acting: Acting, transfer: CaseTransfer, accept: bool, answer: str
) -> CaseTransfer:
    """On acceptance the case moves: the sending organisation's case manager and team leave
    it, what the sender wrote is retained on the transfer for the sender to read (issue 7
    part 4), and the plan moves with the case."""
    locked = (
        CaseTransfer.objects.select_for_update()
        .select_related("case", "to_organisation", "from_organisation")
        .get(pk=transfer.pk)
    )
    if locked.to_organisation_id != acting.organisation.pk:
        raise PermissionDenied("not the receiving organisation")
    if locked.status != TransferStatus.PENDING:
        raise ValidationError({"status": [_("This transfer was already decided.")]})
    if not accept and not answer.strip():
        raise ValidationError({"answer": [_("Say why the transfer is declined.")]})
    if accept and not transfer_consent_holds(locked):
        return _transfer_cancel(acting=acting, transfer=locked, reason="consent_withdrawn")
    now = timezone.now()
    locked.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    locked.decided_by = acting.user
    locked.decided_at = now
    locked.set_plain("answer", answer.strip() or None)
    locked.save()
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    if accept:
        sender = locked.from_organisation
        writers = sender.memberships.values("user")
        locked.retained_notes.set(
            CaseNote.objects.filter(case=case, author__in=writers).values_list("pk", flat=True)
        )
        locked.retained_documents.set(
            CaseDocument.objects.filter(case=case, uploaded_by__in=writers).values_list(
                "pk", flat=True
            )
        )
        TeamMember.objects.filter(case=case, removed_at__isnull=True).update(removed_at=now)
        CaseManagerAssignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
        case.organisation = acting.organisation
        case.case_manager = None
        case.version += 1
        case.save(update_fields=["organisation", "case_manager", "version", "updated_at"])
        # The plan belongs to the case's owner: the sender's supervisors no longer reach it
        # through the approval views (plans.Plan.organisation repeats the case's).
        from plans.models import Plan

        Plan.objects.filter(case=case).update(organisation=acting.organisation)
        # A plan waiting for the sender's supervisor goes to the new owner's supervisor.
        Plan.objects.filter(case=case, approving_organisation=sender).update(
            approving_organisation=acting.organisation
        )
        # Open work moves with the case: the sender's staff no longer see it in "My work".
        work_items_recompute(case=case)
    _audit(
        acting,
        AuditAction.TRANSITION,
        locked,
        case,
        fields=["status", "answer"],
        detail={"status": locked.status, "from_organisation": locked.from_organisation_id},
    )
    return locked


@transaction.atomic
def retained_document_read(
    *, acting: Acting, transfer: CaseTransfer, document: CaseDocument
) -> bytes:
    data = read_encrypted(
        transfer.case.data_key,
        document.file,
        table=CaseDocument._meta.db_table,
        column="file",
        row=str(document.uuid),
    )
    _audit(
        acting,
        AuditAction.DOWNLOAD,
        document,
        transfer.case,
        fields=["file"],
        detail={"transfer": transfer.pk},
    )
    return data


def retained_read_record(*, acting: Acting, transfer: CaseTransfer) -> None:
    _audit(acting, AuditAction.VIEW, transfer, transfer.case, detail={"transfer": transfer.pk})


def handover_notes_read_record(*, acting: Acting, transfers: list[CaseTransfer]) -> None:
    """The handover note is case data: each one shown is audited."""
    for transfer in transfers:
        _audit(
            acting,
            AuditAction.VIEW,
            transfer,
            transfer.case,
            fields=["handover_note"],
            detail={"transfer": transfer.pk},
        )
