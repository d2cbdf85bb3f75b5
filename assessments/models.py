"""Assessment records on a case (SPEC C4; issue 5).

A comprehensive assessment is one round of assessing a person: the domains chosen for the
case, each an :class:`Assessment` done by the team member whose discipline covers it
(002 L673-L677), the person's own view of their needs (000 IOM part II) and the ranking of
their problems (000 IOM part III). A review starts a new round, so change shows round by round.

Answers are kept as JSON validated against the exact form version used; text answers and all
free text are encrypted with the person's data key (``data_key`` repeats it on every row so
that one crypto-erasure of the person makes all of it unreadable), while choices, numbers,
dates and the need level stay plain and queryable for plans and statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Discipline
from assessments.definitions import AssessmentDomain, NeedLevel
from crypto.models import EncryptedFieldsMixin


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


def domain_label(domain: str) -> str:
    """The translated label of a domain code (forms name one of ``AssessmentDomain``)."""
    if domain in AssessmentDomain.values:
        return str(AssessmentDomain(domain).label)
    return domain.replace("_", " ").capitalize()


class AssessmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


class ComprehensiveAssessment(EncryptedFieldsMixin, models.Model):
    """One round of assessing the person across the chosen domains."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="comprehensive_assessments"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    # 1 for the initial assessment; each review's reassessment adds one (000 L171).
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    # From the case's policy pack (al-sop: 14 days after reception, 002 L1036); None where
    # the pack sets no period.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The formal identification this assessment informed or followed (002 L1114-L1142); the
    # decision itself lives in the case file.
    identification_decision = models.ForeignKey(
        "cases.IdentificationDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("identification decision"),
    )
    # 000 IOM part II: the person's own view of their needs and of the situation they want.
    own_view_enc = models.BinaryField(null=True)
    desired_situation_enc = models.BinaryField(null=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("own_view", "desired_situation")

    class Meta:
        ordering = ["case", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="comprehensive_round_unique"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="open"),
                name="comprehensive_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="comprehensive_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open", completed_on__isnull=True)
                | Q(status="completed", completed_on__isnull=False),
                name="comprehensive_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class ProblemRank(EncryptedFieldsMixin, models.Model):
    """000 IOM part III: the person's problems ranked, most pressing first, each in the
    domain the plan addresses it in."""

    comprehensive = models.ForeignKey(
        ComprehensiveAssessment, on_delete=models.CASCADE, related_name="problems"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    position = models.PositiveSmallIntegerField(_("rank"))
    domain = models.CharField(_("domain"), max_length=64, choices=AssessmentDomain.choices)
    problem_enc = models.BinaryField(null=True)

    ENCRYPTED = ("problem",)

    class Meta:
        ordering = ["comprehensive", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["comprehensive", "position"], name="problem_rank_position_unique"
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self.position}. {self.domain}"

    @property
    def domain_label(self) -> str:
        return domain_label(self.domain)


class Assessment(EncryptedFieldsMixin, models.Model):
    """One domain of a comprehensive assessment, filled in with one version of one form."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    comprehensive = models.ForeignKey(
        ComprehensiveAssessment, on_delete=models.CASCADE, related_name="assessments"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    form_code = models.CharField(_("form"), max_length=63)
    # The exact version answered: answers are always read and checked against it, so a
    # newer version of the form never makes old answers unreadable.
    form_version = models.PositiveIntegerField(_("form version"))
    domain = models.CharField(_("domain"), max_length=64, choices=AssessmentDomain.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_assessments",
        verbose_name=_("assigned to"),
    )
    # The assignee's discipline at assignment (002 L673-L677); kept as assigned even if
    # their membership changes later.
    discipline = models.CharField(_("discipline"), max_length=32, choices=Discipline.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.ASSIGNED,
    )
    # Non-text answers, validated against the form version (assessments.answers).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Text answers (top-level and inside repeating groups), as one encrypted JSON document.
    text_answers_enc = models.BinaryField(null=True)
    # The form's own summary categories (e.g. "high_risk"); a list where the form allows
    # several.
    conclusion = models.JSONField(_("conclusion"), default=list, blank=True)
    need_level = models.CharField(
        _("need level"), max_length=8, choices=NeedLevel.choices, blank=True
    )
    evidence_enc = models.BinaryField(null=True)
    # Differences of opinion the author noted within the dimension (002 L1107-L1108); a
    # member's own dissent is an AssessmentDisagreement.
    team_disagreement_enc = models.BinaryField(null=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("text_answers", "evidence", "team_disagreement")

    class Meta:
        ordering = ["comprehensive", "domain", "form_code"]
        constraints = [
            # One record per form in each round.
            models.UniqueConstraint(
                fields=["comprehensive", "form_code"], name="assessment_form_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(need_level__in=[*NeedLevel.values, ""]),
                name="assessment_need_level_valid",
            ),
            # A completed assessment carries its conclusion and its date; an open one neither
            # date nor a half-recorded completion.
            models.CheckConstraint(
                condition=(
                    Q(status="completed", completed_on__isnull=False) & ~Q(need_level="")
                    | (~Q(status="completed") & Q(completed_on__isnull=True))
                ),
                name="assessment_completed_has_conclusion",
            ),
        ]
        indexes = [
            # Serves needs_for_case: the latest completed assessment per domain of a case.
            models.Index(
                fields=["case", "domain", "-completed_on"],
                condition=Q(status="completed"),
                name="assessment_case_completed",
            ),
            # Serves a specialist's open assessments ("My work" and the case page).
            models.Index(fields=["assigned_to", "status"], name="assessment_assignee_status"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def domain_label(self) -> str:
        return domain_label(self.domain)

    @property
    def form_title(self) -> str:
        """The title of the form version answered, in the active language."""
        from assessments.selectors import get_form

        definition = get_form(self.form_code, self.form_version)
        return definition.title.text() if definition else self.form_code


class AssessmentDisagreement(EncryptedFieldsMixin, models.Model):
    """A team member's recorded disagreement with a domain conclusion (002 L1103-L1113)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="disagreements"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note_enc = models.BinaryField(null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("note",)

    class Meta:
        ordering = ["assessment", "recorded_at", "id"]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"
