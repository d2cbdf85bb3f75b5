"""Closure, follow-up after closure and reopening of a case (SPEC C9).

A closure is proposed with its review and approved by a supervisor; only the approval closes
the case. Narratives about the person are encrypted with the case's data key; codes, dates
and flags stay plain for the statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from closure.codes import (
    ClosureReason,
    ClosureStatus,
    ContactChannel,
    ContactFrequency,
    FollowUpEnd,
    ObjectiveResult,
    ReopenReason,
    TerminationGround,
)
from crypto.models import EncryptedFieldsMixin


class CaseClosure(EncryptedFieldsMixin, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="closures")
    status = models.CharField(
        _("status"), max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=32, choices=ClosureReason.choices)
    planned = models.BooleanField(_("planned ending"), default=True)
    closed_on = models.DateField(_("closed on"))
    person_words_enc = models.BinaryField(null=True)
    worker_assessment_enc = models.BinaryField(null=True)
    remaining_needs_enc = models.BinaryField(null=True)
    follow_up_actions_enc = models.BinaryField(null=True)
    handover_enc = models.BinaryField(null=True)
    contact_channel = models.CharField(
        _("contact after closure"), max_length=16, choices=ContactChannel.choices
    )
    contact_frequency = models.CharField(
        _("frequency"), max_length=16, choices=ContactFrequency.choices, blank=True
    )
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    outcome_measurement = models.ForeignKey(
        "monitoring.OutcomeMeasurement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note_enc = models.BinaryField(null=True)
    follow_up_ended_on = models.DateField(_("follow-up ended on"), null=True, blank=True)
    follow_up_end = models.CharField(
        _("why follow-up ended"), max_length=32, choices=FollowUpEnd.choices, blank=True
    )
    follow_up_end_note_enc = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = (
        "person_words",
        "worker_assessment",
        "remaining_needs",
        "follow_up_actions",
        "handover",
        "decision_note",
        "follow_up_end_note",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ClosureReason.values), name="closure_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClosureStatus.values), name="closure_status_valid"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="proposed"), name="closure_one_proposed"
            ),
        ]
        indexes = [
            # Serves the closed-case filters and the retention run.
            models.Index(fields=["status", "closed_on"], name="closure_status_day"),
        ]

    def __str__(self) -> str:
        return f"closure {self.closed_on}"


class ClosureObjectiveReview(models.Model):
    """Whether one objective of the plan was achieved (000 TdH Final Note)."""

    closure = models.ForeignKey(CaseClosure, on_delete=models.CASCADE, related_name="objectives")
    objective = models.ForeignKey("plans.Objective", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=16, choices=ObjectiveResult.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "objective"], name="closure_objective_unique"
            ),
            models.CheckConstraint(
                condition=Q(result__in=ObjectiveResult.values), name="closure_objective_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"objective {self.objective_id}: {self.result}"


class CaseReopening(EncryptedFieldsMixin, models.Model):
    """A closed case reopened; the closure and everything before it stay (SPEC C9)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reopenings")
    closure = models.ForeignKey(CaseClosure, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.CharField(_("reason"), max_length=32, choices=ReopenReason.choices)
    reopened_on = models.DateField(_("reopened on"))
    note_enc = models.BinaryField(null=True)
    setback = models.ForeignKey(
        "monitoring.Setback", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("note",)

    class Meta:
        ordering = ["-reopened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReopenReason.values), name="reopening_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"reopening {self.reopened_on}"


class LegalHold(models.Model):
    """A hold that keeps a person's identity beyond the retention period (an investigation,
    a court order, a dispute): ``apply_retention`` skips the person while it is not lifted."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    placed_on = models.DateField(_("placed on"), default=timezone.localdate)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-placed_on", "-id"]

    def __str__(self) -> str:
        return f"legal hold {self.placed_on}"


class CaseEpisode(models.Model):
    """A case opened for a person the organisation already knew (a returning person, 004
    §2.7, SW-82), linked to the previous case, and the time from the end of exploitation (or
    the return) to the first contact, so that reports can measure late access."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="episode")
    previous_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exploitation_ended_on = models.DateField(_("exploitation ended on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    # Days from the end of exploitation (or the return, when later) to the first contact.
    days_to_first_contact = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"episode of case {self.case_id}"


class PlanTermination(EncryptedFieldsMixin, models.Model):
    """The end of a plan on one of the grounds of 001 §7.12, with its date, grounds and
    document; where the pack names an approver (the Fund in ge-fund) it waits for them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="plan_terminations"
    )
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("ground"), max_length=32, choices=TerminationGround.choices)
    terminated_on = models.DateField(_("terminated on"))
    grounds_enc = models.BinaryField(null=True)
    document = models.ForeignKey(
        "cases.CaseDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.PROPOSED
    )
    # The pack's approver when the termination was recorded: none, supervisor, coordinator.
    approver = models.CharField(max_length=16)
    approving_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("grounds",)

    class Meta:
        ordering = ["-terminated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ground__in=TerminationGround.values), name="termination_ground_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"plan termination {self.terminated_on}"
