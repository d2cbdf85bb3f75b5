"""The consent register (SPEC C3): one row per purpose given, with who gave it, how, when,
until when, and its withdrawal. 001 §3.2; 002; 003 §4.2."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crypto.models import EncryptedFieldsMixin


class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "assistance", _("Assistance / programme participation")
    DATA_PROCESSING = "data_processing", _("Processing of personal data")
    SHARING = "sharing", _("Sharing with a named organisation")
    MEDICAL = "medical", _("Medical examination or test")
    INTERVIEW = "interview", _("Interview")
    FORMAL_IDENTIFICATION = "formal_identification", _("Formal identification")
    PHOTO = "photo", _("Photo")
    RESEARCH = "research", _("Research / statistics")


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", _("The person")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")


class ConsentMethod(models.TextChoices):
    SIGNED_PAPER = "signed_paper", _("Signed on paper (scanned)")
    ORAL_WITNESSED = "oral_witnessed", _("Oral, witnessed")
    ELECTRONIC = "electronic", _("Electronic")


class Consent(EncryptedFieldsMixin, models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    # Required for the "sharing" purpose: consent is given for one named organisation.
    recipient = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient organisation"),
    )
    given_by = models.CharField(_("given by"), max_length=24, choices=ConsentGivenBy.choices)
    legal_representative = models.ForeignKey(
        "people.RelatedPerson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("legal representative"),
    )
    method = models.CharField(_("how"), max_length=16, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    document_file = models.CharField(max_length=200, blank=True)
    document_file_name_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("document_file_name",)

    class Meta:
        ordering = ["purpose", "-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurpose.values), name="consent_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(given_by__in=ConsentGivenBy.values), name="consent_given_by_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=ConsentMethod.values), name="consent_method_valid"
            ),
            models.CheckConstraint(
                condition=~Q(purpose=ConsentPurpose.SHARING) | Q(recipient__isnull=False),
                name="consent_sharing_names_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(given_by=ConsentGivenBy.LEGAL_REPRESENTATIVE)
                | Q(legal_representative__isnull=False),
                name="consent_representative_named",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("given_on")),
                name="consent_expiry_after_given",
            ),
        ]
        indexes = [
            # Serves the consent gate: current consents of a case for a purpose.
            models.Index(fields=["case", "purpose", "withdrawn_on"], name="consent_gate_lookup"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"

    def is_current(self, on: datetime.date) -> bool:
        if self.withdrawn_on is not None and self.withdrawn_on <= on:
            return False
        if self.expires_on is not None and self.expires_on < on:
            return False
        return self.given_on <= on


class ConsentOverride(EncryptedFieldsMixin, models.Model):
    """A supervisor's decision to proceed without a current consent, with the reason. It
    authorises one use of the gate (``used_at``) so it cannot become a standing exception."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="consent_overrides"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_enc = models.BinaryField(null=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    ENCRYPTED = ("reason",)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"
