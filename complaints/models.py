"""The complaints register (SPEC C8; 002 L1468-L1478).

A complaint belongs to the organisation, not to a case file: it is linked to a case only when
the person asks for it, and an anonymous complaint is never linked. Each complaint has its own
data key, so its text never depends on a case being readable; the complainant's name, the
complaint and the answer are encrypted, the channel, subject, dates and outcome stay plain
for the statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.codes import Channel, Outcome, Status, Subject
from crypto.models import EncryptedFieldsMixin


class Complaint(EncryptedFieldsMixin, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="complaints"
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=32, choices=Subject.choices)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_enc = models.BinaryField(null=True)
    details_enc = models.BinaryField(null=True)
    # Only at the person's request (002 §2.16: kept apart from the case file).
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    linked_at_request_on = models.DateField(_("linked at the person's request on"), null=True)
    response_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_handled",
        verbose_name=_("handled by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    response_enc = models.BinaryField(null=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("complainant", "details", "response")

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="complaint_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject__in=Subject.values), name="complaint_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="complaint_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[*Outcome.values, ""]), name="complaint_outcome_valid"
            ),
            # An anonymous complaint is linked to no case.
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(case__isnull=True),
                name="complaint_anonymous_unlinked",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(responded_on__isnull=False, outcome__gt=""),
                name="complaint_answered_complete",
            ),
        ]
        indexes = [
            # Serves the register: the organisation's complaints, open first by due date.
            models.Index(
                fields=["organisation", "status", "response_due_on"], name="complaint_org"
            ),
        ]

    def __str__(self) -> str:
        return f"complaint {self.pk}"
