"""What intake and teamwork record besides the case file (issue 14 item 8): a crisis
intervention (003 §5.2), multidisciplinary case meetings with their minutes (002 L2525-L2538)
and the coordinator's information request to a case manager (001 §8.2).

Free text is encrypted with the person's data key like every narrative of the case file;
dates, codes and who took part stay plain."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crypto.models import EncryptedFieldsMixin


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class CrisisIntervention(EncryptedFieldsMixin, models.Model):
    """Immediate psychological intervention in crisis (003 §5.2): the situation, the immediate
    risks, what was done and by whom, and the outcome."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="crisis_interventions"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    occurred_at = models.DateTimeField(_("when"))
    situation_enc = models.BinaryField(null=True)
    immediate_risks_enc = models.BinaryField(null=True)
    actions_enc = models.BinaryField(null=True)
    # Who intervened: staff and others present (names, roles); encrypted.
    responders_enc = models.BinaryField(null=True)
    outcome_enc = models.BinaryField(null=True)
    # 003 L204: crisis intervention is a first step; a psychotherapeutic follow-up is needed.
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("situation", "immediate_risks", "actions", "responders", "outcome")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Serves the case's list, newest first.
            models.Index(fields=["case", "-occurred_at"], name="crisis_case_when"),
        ]

    def __str__(self) -> str:
        return f"crisis intervention {self.pk}"


class CaseMeeting(EncryptedFieldsMixin, models.Model):
    """A multidisciplinary case meeting (002 L2525-L2538): who took part, the decisions, and
    the minutes disseminated to the participants within an agreed time."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meetings")
    uuid = _uuid_field()
    data_key = _data_key_field()
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="case_meetings", verbose_name=_("participants")
    )
    # Participants from outside the system (name and organisation); encrypted.
    other_participants_enc = models.BinaryField(null=True)
    purpose_enc = models.BinaryField(null=True)
    decisions_enc = models.BinaryField(null=True)
    minutes_enc = models.BinaryField(null=True)
    # 002 L2537-L2538: minutes "disseminated by the assigned worker within an agreed timeframe".
    minutes_due_on = models.DateField(_("minutes shared by"))
    minutes_shared_on = models.DateField(_("minutes shared on"), null=True, blank=True)
    minutes_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("other_participants", "purpose", "decisions", "minutes")

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_due_on__gte=models.F("held_on")),
                name="meeting_minutes_due_after_meeting",
            ),
        ]
        indexes = [
            # Serves the case's list, newest first.
            models.Index(fields=["case", "-held_on"], name="meeting_case_held"),
        ]

    def __str__(self) -> str:
        return f"case meeting {self.pk}"


class InformationRequest(EncryptedFieldsMixin, models.Model):
    """The coordinator asks the case manager for information on a case it funds, at any stage
    of the plan (001 §8.2), and the answer."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="information_requests"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    # The coordinating organisation that asked; it reads the request and the answer only.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="information_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    question_enc = models.BinaryField(null=True)
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    answer_enc = models.BinaryField(null=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("question", "answer")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_by__isnull=False),
                name="information_request_answer_has_author",
            ),
        ]
        indexes = [
            # Serves the coordinator's list of its requests, newest first.
            models.Index(fields=["organisation", "-requested_at"], name="info_request_org"),
            # Serves the case's list.
            models.Index(fields=["case", "-requested_at"], name="info_request_case"),
        ]

    def __str__(self) -> str:
        return f"information request {self.pk}"
