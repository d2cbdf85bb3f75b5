"""Milestones of a case, the work items the deadline engine derives from them, and the
daily reminder digests (SPEC C10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policies.deadlines import EventKind, WorkKind


class MilestoneKind(models.TextChoices):
    RECEPTION = EventKind.RECEPTION.value, _("Reception")
    CASE_MANAGER_ASSIGNED = EventKind.CASE_MANAGER_ASSIGNED.value, _("Case manager assigned")
    ASSESSMENT_ASSIGNED = EventKind.ASSESSMENT_ASSIGNED.value, _("Assessment assigned")
    ASSESSMENT_COMPLETED = EventKind.ASSESSMENT_COMPLETED.value, _("Assessment completed")
    PLAN_SUBMITTED = EventKind.PLAN_SUBMITTED.value, _("Plan submitted")
    PLAN_APPROVED = EventKind.PLAN_APPROVED.value, _("Plan in force")
    PLAN_DECIDED = EventKind.PLAN_DECIDED.value, _("Decision on the plan")
    REVIEW_DONE = EventKind.REVIEW_DONE.value, _("Plan review done")
    PHASE_START = EventKind.PHASE_START.value, _("Programme phase started")
    MONITORING_CONTACT = EventKind.MONITORING_CONTACT.value, _("Monitoring contact")
    REFERRAL_SENT = EventKind.REFERRAL_SENT.value, _("Referral sent")
    REFERRAL_ANSWERED = EventKind.REFERRAL_ANSWERED.value, _("Referral answered")
    EXPENDITURE_REPORTED = EventKind.EXPENDITURE_REPORTED.value, _("Expenditure reported")
    CLOSURE = EventKind.CLOSURE.value, _("Closure")
    REOPENED = EventKind.REOPENED.value, _("Reopened")
    FOLLOW_UP_CONTACT = EventKind.FOLLOW_UP_CONTACT.value, _("Follow-up contact")


class WorkItemKind(models.TextChoices):
    ASSESSMENT = WorkKind.ASSESSMENT.value, _("Comprehensive assessment")
    PLAN_DRAFT = WorkKind.PLAN_DRAFT.value, _("Plan draft")
    PLAN_APPROVAL = WorkKind.PLAN_APPROVAL.value, _("Plan approval")
    PLAN_REVIEW = WorkKind.PLAN_REVIEW.value, _("Plan review")
    PLAN_TERM_END = WorkKind.PLAN_TERM_END.value, _("Plan term ends")
    MONITORING_CONTACT = WorkKind.MONITORING_CONTACT.value, _("Monitoring contact")
    REFERRAL_RESPONSE = WorkKind.REFERRAL_RESPONSE.value, _("Referral response")
    EXPENDITURE_REPORT = WorkKind.EXPENDITURE_REPORT.value, _("Expenditure report")
    FOLLOW_UP_CONTACT = WorkKind.FOLLOW_UP_CONTACT.value, _("Follow-up contact")


class CaseMilestone(models.Model):
    """Something that happened on a case and starts or meets a deadline."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=32, choices=MilestoneKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    # The assessment domain, referral id or phase key the milestone belongs to.
    ref = models.CharField(_("reference"), max_length=64, blank=True)
    # Who must act on what this milestone starts, when not the case manager (the specialist
    # assigned an assessment, the approver of a submitted plan).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values),
                name="case_milestone_kind_with_decision_valid",
            ),
        ]
        indexes = [
            # Serves the recomputation of one case's work items (all its milestones).
            models.Index(fields=["case", "occurred_on"], name="case_milestone_case_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class WorkItem(models.Model):
    """A deadline of a case, stored so that "my work" is an indexed query."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="work_items")
    # The organisation the responsible person acts in: the case's, or the coordinator's for
    # a plan submitted to the fund. "My work" and the team queries filter on it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=WorkItemKind.choices)
    # Tells recurring items of one kind apart (e.g. "review:2026-03-01").
    key = models.CharField(max_length=64)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # "<pack>@<version>:<rule path>", e.g. "al-sop@1:assessment.comprehensive_due_days".
    source_rule = models.CharField(_("rule"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "key"], name="work_item_unique_key"),
            models.CheckConstraint(
                condition=Q(kind__in=WorkItemKind.values), name="work_item_kind_valid"
            ),
        ]
        indexes = [
            # Serves "my work": open items of one user, by due date.
            models.Index(
                fields=["responsible", "due_on"],
                condition=Q(done_on__isnull=True),
                name="work_item_open_by_user",
            ),
            # Serves the supervisor's overdue work of the organisation, by due date.
            models.Index(
                fields=["organisation", "due_on"],
                condition=Q(done_on__isnull=True),
                name="work_item_open_by_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


class ReminderDigest(models.Model):
    """One digest per user and day. The row is the claim: a run sends a digest only after
    it changed ``claimed_at`` from null to now (compare-and-set), so two runs at once
    never send it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    day = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_digest_user_day"),
        ]

    def __str__(self) -> str:
        return f"digest {self.user_id} {self.day}"
