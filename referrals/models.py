"""Referrals between organisations, case transfers and the register of services needed but
not delivered (SPEC C6; issue 7 parts 2-6).

Free text about the person (purpose, options offered, answers, feedback, handover notes) is
encrypted under the case's data key, so erasing the person makes it unreadable too. Codes,
dates and statuses stay plain: they carry the deadlines and the gap statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crypto.models import EncryptedFieldsMixin
from services.models import ServiceCategory


class ReferralStatus(models.TextChoices):
    # SPEC C6: sent → accepted / declined with reason → in progress → completed / not delivered.
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_DELIVERED = "not_delivered", _("Not delivered")


# While a referral is in one of these states the recipient may open what was shared; any
# other state ends its access (issue 7 part 3).
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)

# The moves the recipient may make from each state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
        ReferralStatus.NOT_DELIVERED,
    ),
    ReferralStatus.IN_PROGRESS: (ReferralStatus.COMPLETED, ReferralStatus.NOT_DELIVERED),
}


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class SharedSection(models.TextChoices):
    """The parts of a case a sender may share, each chosen explicitly (SPEC C6: minimum
    necessary; 002 L962-L969: enough for the receiver to decide whether it can assist)."""

    SUMMARY = "summary", _("Case summary: identification status, risk level and flags")
    IDENTITY = "identity", _("Identity: name, sex, date of birth, citizenship, languages")
    CONTACT = "contact", _("Contact details: address, phone, e-mail")
    NEEDS = "needs", _("Immediate needs and assistance given")
    PROFILE = "profile", _("Trafficking profile: forms of exploitation, period, proceedings")
    NOTES = "notes", _("Case notes")
    DOCUMENTS = "documents", _("Documents of the case file")


class UnmetReason(models.TextChoices):
    """Why a needed service was not delivered (SPEC C6; issue 7 part 5; 004 §2.9)."""

    NOT_AVAILABLE_IN_AREA = "not_available", _("Not available in the area")
    WAITING_LIST = "waiting_list", _("Waiting list")
    REFUSED_BY_PROVIDER = "refused_by_provider", _("Refused by the provider")
    PERSON_DECLINED = "person_declined", _("The person declined")
    COST = "cost", _("Cost")
    DOCUMENTS_MISSING = "documents_missing", _("Documents missing")
    OTHER = "other", _("Other")


class UnmetSource(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    PLAN_ACTIVITY = "plan_activity", _("Plan activity")
    CASE_WORKER = "case_worker", _("Recorded by the case worker")


class Referral(EncryptedFieldsMixin, models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The receiving organisation. One with no active users is "not on the system" (issue 7
    # part 6): it gets a printed sheet and the sender records its answer.
    recipient = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("recipient organisation"),
    )
    service = models.ForeignKey(
        "services.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("service"),
    )
    # The name of a person at the recipient: encrypted like other free text (issue 15, item 7).
    contact_person_enc = models.BinaryField(null=True)
    category = models.CharField(_("service needed"), max_length=32, choices=ServiceCategory.choices)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    respond_by = models.DateField(_("answer expected by"))
    purpose_enc = models.BinaryField(null=True)
    # 002 L958-L960: the person is given options and chooses; the options and the choice stay.
    options_offered_enc = models.BinaryField(null=True)
    chosen_by_person = models.BooleanField(_("chosen by the person"), default=False)
    # 003 §5.6 referral factors printed on the sheet for an organisation not on the system.
    responsibilities_enc = models.BinaryField(null=True)
    monitoring_enc = models.BinaryField(null=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    decline_reason = models.CharField(
        _("reason"), max_length=24, choices=UnmetReason.choices, blank=True
    )
    answer_enc = models.BinaryField(null=True)
    feedback_enc = models.BinaryField(null=True)
    # The gate that let it be sent: a current consent, or one supervisor override.
    consent = models.ForeignKey(
        "consent.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_override = models.ForeignKey(
        "consent.ConsentOverride", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = (
        "purpose",
        "options_offered",
        "responsibilities",
        "monitoring",
        "answer",
        "feedback",
        "contact_person",
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ServiceCategory.values), name="referral_category_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""),
                name="referral_decline_has_reason",
            ),
        ]
        indexes = [
            # Serves the recipient's inbox, newest first, and its access check.
            models.Index(fields=["recipient", "status", "-sent_at"], name="referral_inbox"),
            # Serves the sender's outbox, newest first.
            models.Index(fields=["sender", "status", "-sent_at"], name="referral_outbox"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def contact_person(self) -> str:
        return self.get_plain_or_erased("contact_person") or ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralSection(models.Model):
    """One section the sender chose to share with the recipient."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(max_length=16, choices=SharedSection.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "section"], name="referral_section_unique"),
            models.CheckConstraint(
                condition=Q(section__in=SharedSection.values), name="referral_section_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.section


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving organisation")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # Cancelled by the sender, or because the person withdrew consent before acceptance.
    CANCELLED = "cancelled", _("Cancelled")


class CaseTransfer(EncryptedFieldsMixin, models.Model):
    """Ownership of a case moving to another organisation (issue 7 part 4)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("receiving organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    handover_note_enc = models.BinaryField(null=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answer_enc = models.BinaryField(null=True)
    consent = models.ForeignKey(
        "consent.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_override = models.ForeignKey(
        "consent.ConsentOverride", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the sending organisation wrote before the case left it: after the transfer it
    # keeps read access to these, and to nothing new.
    retained_notes = models.ManyToManyField("cases.CaseNote", related_name="+", blank=True)
    retained_documents = models.ManyToManyField("cases.CaseDocument", related_name="+", blank=True)

    ENCRYPTED = ("handover_note", "answer")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values),
                name="transfer_status_with_cancelled_valid",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="transfer_to_another_organisation",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="transfer_one_pending_per_case",
            ),
        ]
        indexes = [
            # Serves the receiving organisation's list of transfers waiting for it.
            models.Index(fields=["to_organisation", "status"], name="transfer_incoming"),
            # Serves the sending organisation's list and its read of what it wrote.
            models.Index(fields=["from_organisation", "status"], name="transfer_outgoing"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class UnmetNeed(EncryptedFieldsMixin, models.Model):
    """A service the person needed and did not get (issue 7 part 5): the gap evidence the
    coordinator reports (004 §2.9)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="unmet_needs")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("service needed"), max_length=32, choices=ServiceCategory.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=UnmetReason.choices)
    source = models.CharField(_("source"), max_length=16, choices=UnmetSource.choices)
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="unmet_need"
    )
    # The plan activity that could not be delivered; plans live in another app, so the key
    # is kept without a foreign key to it.
    plan_activity_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The area where the service was missing: the gap counts are by category, reason and area.
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region or municipality"), max_length=100, blank=True)
    note_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("note",)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=UnmetReason.values), name="unmet_need_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=UnmetSource.values), name="unmet_need_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ServiceCategory.values), name="unmet_need_category_valid"
            ),
        ]
        indexes = [
            # Serves the coordinator's gap counts by category, reason and area.
            models.Index(fields=["category", "reason", "country", "region"], name="unmet_gap"),
            # Serves the case's register, newest first.
            models.Index(fields=["case", "-recorded_at"], name="unmet_case"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"
