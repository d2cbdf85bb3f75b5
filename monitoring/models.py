"""Monitoring of a case (SPEC C8): programme phases as explicit transitions, monitoring and
follow-up contacts, outcome scores and setbacks.

Phase state lives here rather than on the case: ``PhaseTransition`` is the history (who
decided, when, why) and ``CasePhase`` the current phase, one row per case, so the case list
shows it through one join. Narratives about the person are encrypted with the person's data
key; codes, dates and integer scores stay plain for the statistics.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crypto.models import EncryptedFieldsMixin
from monitoring.codes import (
    ContactHeading,
    ContactMode,
    ContactPurpose,
    ContactReport,
    Occasion,
    SetbackTrigger,
    Severity,
    phase_label,
)


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


def _user_field(verbose_name: Any = None) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class PhaseTransition(EncryptedFieldsMixin, models.Model):
    """The person moved to a programme phase (002 L646-L725) on ``started_on``."""

    uuid = _uuid_field()
    data_key = _data_key_field()
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="phase_transitions"
    )
    phase = models.CharField(_("phase"), max_length=32)
    previous_phase = models.CharField(_("previous phase"), max_length=32, blank=True)
    started_on = models.DateField(_("started on"))
    # Skipping a phase or returning to an earlier one needs a reason (encrypted).
    out_of_order = models.BooleanField(_("out of the pack's order"), default=False)
    reason_enc = models.BinaryField(null=True)
    decided_by = _user_field(_("decided by"))
    recorded_by = _user_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("reason",)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            # Two transitions on one day would leave the order of the day's phases unknown.
            models.UniqueConstraint(
                fields=["case", "started_on"], name="phase_transition_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase} from {self.started_on}"

    @property
    def phase_label(self) -> str:
        return phase_label(self.phase)

    @property
    def previous_phase_label(self) -> str:
        return phase_label(self.previous_phase)


class CasePhase(models.Model):
    """The case's current phase: the last transition, kept in one row for lists."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="programme_phase"
    )
    phase = models.CharField(_("phase"), max_length=32)
    started_on = models.DateField(_("started on"))
    transition = models.ForeignKey(PhaseTransition, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # Serves counts of cases per phase (statistics) and filters on the case list.
            models.Index(fields=["phase"], name="case_phase_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.phase}"

    @property
    def label(self) -> str:
        return phase_label(self.phase)


class MonitoringContact(EncryptedFieldsMixin, models.Model):
    """A monitoring contact or visit, or a follow-up contact after closure."""

    uuid = _uuid_field()
    data_key = _data_key_field()
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="monitoring_contacts"
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=16,
        choices=ContactPurpose.choices,
        default=ContactPurpose.MONITORING,
    )
    occurred_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=16, choices=ContactMode.choices)
    report = models.CharField(
        _("report"), max_length=16, choices=ContactReport.choices, default=ContactReport.LONG_TERM
    )
    # The programme phase on the day, kept for statistics of contacts per phase.
    phase = models.CharField(_("phase"), max_length=32, blank=True)
    participants_enc = models.BinaryField(null=True)
    recorded_by = _user_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("participants",)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=ContactPurpose.values), name="contact_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ContactMode.values), name="contact_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(report__in=ContactReport.values), name="contact_report_valid"
            ),
        ]
        indexes = [
            # Serves the case's contact list, newest first.
            models.Index(fields=["case", "-occurred_on"], name="contact_case_day"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.occurred_on}"

    @property
    def phase_label(self) -> str:
        return phase_label(self.phase)


class ContactNote(EncryptedFieldsMixin, models.Model):
    """What was found under one heading of a contact, with an optional rating 1-5."""

    uuid = _uuid_field()
    data_key = _data_key_field()
    contact = models.ForeignKey(MonitoringContact, on_delete=models.CASCADE, related_name="notes")
    heading = models.CharField(_("heading"), max_length=32, choices=ContactHeading.choices)
    text_enc = models.BinaryField(null=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)

    ENCRYPTED = ("text",)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "heading"], name="contact_note_heading"),
            models.CheckConstraint(
                condition=Q(heading__in=ContactHeading.values), name="contact_note_heading_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="contact_note_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.heading} ({self.contact_id})"


class OutcomeMeasurement(EncryptedFieldsMixin, models.Model):
    """One occasion of scoring the outcome domains with the person."""

    uuid = _uuid_field()
    data_key = _data_key_field()
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="outcome_measurements"
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    taken_on = models.DateField(_("date"))
    framework_code = models.CharField(max_length=32)
    framework_version = models.PositiveIntegerField()
    phase = models.CharField(_("phase"), max_length=32, blank=True)
    contact = models.ForeignKey(
        MonitoringContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_measurements",
    )
    notes_enc = models.BinaryField(null=True)
    recorded_by = _user_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("notes",)

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occasion__in=Occasion.values), name="outcome_occasion_valid"
            ),
            # One baseline per case: change is measured from it.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(occasion="baseline"),
                name="outcome_one_baseline",
            ),
        ]
        indexes = [
            # Serves the trajectory: a case's measurements by date.
            models.Index(fields=["case", "taken_on"], name="outcome_case_day"),
        ]

    def __str__(self) -> str:
        return f"{self.occasion} {self.taken_on}"


class OutcomeScore(models.Model):
    """The worker's and the person's own score of one domain (1-5), side by side."""

    measurement = models.ForeignKey(
        OutcomeMeasurement, on_delete=models.CASCADE, related_name="scores"
    )
    # Repeated from the measurement so that statistics group scores without a join.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(_("domain"), max_length=32)
    worker_score = models.PositiveSmallIntegerField(_("worker's score"), null=True, blank=True)
    person_score = models.PositiveSmallIntegerField(_("person's own score"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "domain"], name="outcome_score_domain"),
            models.CheckConstraint(
                condition=(
                    Q(worker_score__isnull=True) | Q(worker_score__gte=1, worker_score__lte=5)
                )
                & (Q(person_score__isnull=True) | Q(person_score__gte=1, person_score__lte=5)),
                name="outcome_score_range",
            ),
            models.CheckConstraint(
                condition=Q(worker_score__isnull=False) | Q(person_score__isnull=False),
                name="outcome_score_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.worker_score}/{self.person_score}"


class Setback(EncryptedFieldsMixin, models.Model):
    """A setback or crisis (004 §3.4, SW-80 to SW-84), and re-trafficking."""

    uuid = _uuid_field()
    data_key = _data_key_field()
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="setbacks")
    occurred_on = models.DateField(_("date"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    description_enc = models.BinaryField(null=True)
    response_enc = models.BinaryField(null=True)
    led_to_reassessment = models.BooleanField(_("led to a re-assessment"), default=False)
    led_to_plan_modification = models.BooleanField(_("led to a plan modification"), default=False)
    # The return to an earlier phase it led to, if any.
    phase_transition = models.OneToOneField(
        PhaseTransition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="setback",
    )
    re_trafficking = models.BooleanField(_("re-trafficking"), default=False)
    re_trafficked_on = models.DateField(_("re-trafficked on"), null=True, blank=True)
    circumstances_enc = models.BinaryField(null=True)
    recorded_by = _user_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("description", "response", "circumstances")

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="setback_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(re_trafficking=False, re_trafficked_on__isnull=True)
                | Q(re_trafficking=True, re_trafficked_on__isnull=False),
                name="setback_retrafficking_dated",
            ),
        ]
        indexes = [
            # Serves the case's setbacks, newest first.
            models.Index(fields=["case", "-occurred_on"], name="setback_case_day"),
        ]

    def __str__(self) -> str:
        return f"setback {self.occurred_on}"


class SetbackTriggerRow(models.Model):
    """One trigger of a setback; several may apply. A row each, so statistics count them."""

    setback = models.ForeignKey(Setback, on_delete=models.CASCADE, related_name="triggers")
    trigger = models.CharField(_("trigger"), max_length=32, choices=SetbackTrigger.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["setback", "trigger"], name="setback_trigger_unique"),
            models.CheckConstraint(
                condition=Q(trigger__in=SetbackTrigger.values), name="setback_trigger_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.trigger
