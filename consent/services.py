"""The consent register and the consent gate (SPEC C3; 001 §3.2; 002; 003 §4.2).

``require_consent(case, purpose, recipient=...)`` is the one call every sharing feature makes
(referral, transfer, data sharing, statistics inclusion) before it acts."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, may_on_case
from accounts.models import Organisation
from audit.models import AuditAction
from audit.services import record
from cases.models import Case
from cases.policy import minor_status
from consent.models import Consent, ConsentGivenBy, ConsentMethod, ConsentOverride, ConsentPurpose
from lib.uploads import store_upload
from people.models import RelatedPerson


class ConsentRequired(PermissionDenied):
    """No current consent (nor an unused supervisor override) for this purpose."""

    def __init__(
        self, purpose: str, recipient: Organisation | None, *, written: bool = False
    ) -> None:
        label = ConsentPurpose(purpose).label if purpose in ConsentPurpose.values else purpose
        if written:
            # 001 §3.2 L36: the policy asks for consent in writing.
            message = _(
                "There is no current written consent for “%(purpose)s”; the policy requires it "
                "in writing, and a consent recorded as oral does not satisfy it."
            ) % {"purpose": label}
        elif recipient is not None:
            message = _("There is no current consent for “%(purpose)s” with %(recipient)s.") % {
                "purpose": label,
                "recipient": recipient.name,
            }
        else:
            message = _("There is no current consent for “%(purpose)s”.") % {"purpose": label}
        super().__init__(message)
        self.purpose = purpose
        self.recipient = recipient


class StaleConsent(Exception):
    def __init__(self, current: Consent) -> None:
        super().__init__(_("Someone else changed this record while you were editing it."))
        self.current = current


def _recipient_filter(recipient: Organisation | None) -> Q:
    # Consent to share names one organisation; a consent for another purpose has no recipient.
    return Q(recipient=recipient) if recipient is not None else Q(recipient__isnull=True)


# Consent "in writing" (001 §3.2): signed on paper or given electronically, not oral.
WRITTEN_METHODS = (ConsentMethod.SIGNED_PAPER, ConsentMethod.ELECTRONIC)


def current_consent(
    case: Case,
    purpose: str,
    *,
    recipient: Organisation | None = None,
    on: datetime.date | None = None,
    written: bool = False,
) -> Consent | None:
    today = on or timezone.localdate()
    candidates = Consent.objects.filter(case=case, purpose=purpose, given_on__lte=today)
    if written:
        candidates = candidates.filter(method__in=WRITTEN_METHODS)
    candidates = (
        candidates.filter(_recipient_filter(recipient))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .order_by("-given_on", "-id")
    )
    return candidates.first()


@transaction.atomic
def require_consent(
    case: Case, purpose: str, *, recipient: Organisation | None = None, written: bool = False
) -> Consent | ConsentOverride:
    """The consent gate. Returns the current consent (in writing when ``written``), or consumes
    one unused supervisor override for exactly this case, purpose and recipient; otherwise
    raises ``ConsentRequired``."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    consent = current_consent(case, purpose, recipient=recipient, written=written)
    if consent is not None:
        return consent
    override = (
        ConsentOverride.objects.select_for_update()
        .filter(case=case, purpose=purpose, used_at__isnull=True)
        .filter(_recipient_filter(recipient))
        .order_by("created_at")
        .first()
    )
    if override is None:
        raise ConsentRequired(purpose, recipient, written=written)
    override.used_at = timezone.now()
    override.save(update_fields=["used_at"])
    record(
        action=AuditAction.CONSENT_OVERRIDE,
        actor=override.supervisor,
        organisation=case.organisation_id,
        target=override,
        case_id=case.pk,
        fields=["used_at"],
        detail={"purpose": purpose, "used": True},
    )
    return override


@transaction.atomic
def consent_record(
    *,
    acting: Acting,
    case: Case,
    purpose: str,
    given_by: str,
    method: str,
    given_on: datetime.date,
    expires_on: datetime.date | None = None,
    recipient: Organisation | None = None,
    legal_representative: RelatedPerson | None = None,
    document: Any = None,
) -> Consent:
    if not may_on_case(acting, case, CaseAction.MANAGE):
        raise PermissionDenied("may not record consent on this case")
    errors: dict[str, list[str]] = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("Choose one of the listed purposes.")]
    if given_by not in ConsentGivenBy.values:
        errors["given_by"] = [_("Say who gave the consent.")]
    if method not in ConsentMethod.values:
        errors["method"] = [_("Say how the consent was given.")]
    if given_on > timezone.localdate():
        errors["given_on"] = [_("The date cannot be in the future.")]
    if expires_on is not None and expires_on < given_on:
        errors["expires_on"] = [_("The consent cannot expire before it was given.")]
    if purpose == ConsentPurpose.SHARING and recipient is None:
        errors["recipient"] = [_("Consent to share names the organisation it is shared with.")]
    if purpose != ConsentPurpose.SHARING:
        recipient = None
    if given_by == ConsentGivenBy.LEGAL_REPRESENTATIVE:
        if (
            legal_representative is None
            or legal_representative.person_id != case.person_id
            or not legal_representative.is_legal_representative
        ):
            errors["legal_representative"] = [_("Choose the person's legal representative.")]
    else:
        legal_representative = None
        # For a minor the legal representative consents (SPEC §1.2; 002 L1545 b); minor
        # on the day the consent was given, not at reception.
        minor, _basis, _age = minor_status(case, given_on)
        if minor:
            errors["given_by"] = [
                _("The person is a minor: their legal representative gives consent.")
            ]
    if method == ConsentMethod.SIGNED_PAPER and document is None:
        errors["document"] = [_("Attach the scan of the signed consent.")]
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        case=case,
        data_key=case.data_key,
        purpose=purpose,
        recipient=recipient,
        given_by=given_by,
        legal_representative=legal_representative,
        method=method,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=acting.user,
    )
    if document is not None:
        stored = store_upload(
            document,
            key=case.data_key,
            table=Consent._meta.db_table,
            column="document_file",
            row=str(consent.uuid),
            field="document",
        )
        consent.document_file = stored.name
        consent.set_plain("document_file_name", stored.original_name)
    consent.save()
    record(
        action=AuditAction.CREATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=consent,
        case_id=case.pk,
        fields=["purpose", "given_by", "method", "given_on", "expires_on", "recipient", "document"],
        detail={"purpose": purpose},
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    acting: Acting,
    case: Case,
    consent: Consent,
    withdrawn_on: datetime.date,
    expected_version: int,
) -> Consent:
    """Withdrawal stops future sharing; what was shared before stays recorded."""
    if not may_on_case(acting, case, CaseAction.WORK):
        raise PermissionDenied("may not change consent on this case")
    locked = Consent.objects.select_for_update().get(pk=consent.pk, case=case)
    if locked.version != expected_version:
        raise StaleConsent(locked)
    if locked.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": [_("This consent was already withdrawn.")]})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": [_("The date cannot be in the future.")]})
    if withdrawn_on < locked.given_on:
        raise ValidationError(
            {"withdrawn_on": [_("A consent cannot be withdrawn before it was given.")]}
        )
    locked.withdrawn_on = withdrawn_on
    locked.version += 1
    locked.save(update_fields=["withdrawn_on", "version"])
    record(
        action=AuditAction.UPDATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=locked,
        case_id=case.pk,
        fields=["withdrawn_on"],
        detail={"purpose": locked.purpose},
    )
    return locked


@transaction.atomic
def consent_override(
    *, acting: Acting, case: Case, purpose: str, reason: str, recipient: Organisation | None = None
) -> ConsentOverride:
    """A supervisor lets one sharing step proceed without consent; the reason is required and
    the decision audited (SPEC C3)."""
    if not may_on_case(acting, case, CaseAction.OVERRIDE_CONSENT):
        raise PermissionDenied("may not override consent")
    errors: dict[str, list[str]] = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("Choose one of the listed purposes.")]
    if len(reason.strip()) < 10:
        errors["reason"] = [_("Explain the reason for the override (at least 10 characters).")]
    if purpose == ConsentPurpose.SHARING and recipient is None:
        errors["recipient"] = [_("Name the organisation the data is shared with.")]
    if errors:
        raise ValidationError(errors)
    override = ConsentOverride(
        case=case,
        data_key=case.data_key,
        purpose=purpose,
        recipient=recipient if purpose == ConsentPurpose.SHARING else None,
        supervisor=acting.user,
    )
    override.set_plain("reason", reason.strip())
    override.save()
    record(
        action=AuditAction.CONSENT_OVERRIDE,
        actor=acting.user,
        organisation=acting.organisation,
        target=override,
        case_id=case.pk,
        fields=["purpose", "reason", "recipient"],
        detail={"purpose": purpose},
    )
    return override


def require_identifying_export_consent(case: Case) -> Consent | ConsentOverride:
    """The gate a full identifying export of a case calls before it writes anything
    (SPEC C3: data sharing; 003 §4.2): a current consent to the processing of personal data,
    or a supervisor's override for it."""
    return require_consent(case, ConsentPurpose.DATA_PROCESSING)
