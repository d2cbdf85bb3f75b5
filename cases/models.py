"""The case: one person's path from first contact to follow-up, owned by one organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    # Human-friendly, unique per organisation: "<prefix>-<year>-<serial>".
    number = models.CharField(_("case number"), max_length=32)
    # Pseudonymous code shown everywhere outside the case file.
    code = models.CharField(_("code"), max_length=16, unique=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    received_at = models.DateField(_("received on"), default=timezone.localdate)
    # The jurisdiction policy pack and version the case runs under; changing the
    # organisation's pack never changes an open case silently (SPEC C11).
    policy_pack = models.CharField(_("policy pack"), max_length=32)
    policy_pack_version = models.PositiveIntegerField(_("policy pack version"), default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_per_org"),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
        ]
        indexes = [
            # Serves "my cases" for a case manager.
            models.Index(fields=["case_manager", "status"], name="case_manager_status"),
            # Serves the organisation's case list, newest first.
            models.Index(
                fields=["organisation", "status", "-received_at"], name="case_org_status_received"
            ),
        ]

    def __str__(self) -> str:
        return self.code
