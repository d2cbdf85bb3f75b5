"""The (re)integration plan (SPEC C5).

A plan belongs to one case. Its working copy (objectives, activities, budget lines) is edited
while it is a draft or has been returned; once approved it is frozen, and every later change
is a modification that opens a new version with its reason (000 IOM part V, 001 §3.5). Each
approved version keeps an encrypted snapshot of the whole plan, so the approved text never
changes and any two versions can be compared.

Free text about the person (needs, objectives, results, names of family members) is encrypted
with the person's data key, like every other narrative of the case file; codes, dates and
amounts stay plain because they carry the workflow, the budget cap and the statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crypto.models import EncryptedFieldsMixin
from plans.codes import (
    EDITABLE_STATUSES,
    ActivityStatus,
    DecisionKind,
    NotDeliveredReason,
    PlanDomain,
    PlanStage,
    PlanStatus,
    PrintLayout,
    Priority,
    RequestedBy,
    ResponsibleKind,
    ReviewRating,
    Signatory,
    SignatureMethod,
    UltimateGoal,
)


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class OrganisationPlanSettings(models.Model):
    """Which seed layout an organisation prints its plans in (000)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="plan_settings"
    )
    layout = models.CharField(
        _("print layout"), max_length=8, choices=PrintLayout.choices, default=PrintLayout.NRS
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(layout__in=PrintLayout.values),
                name="plan_settings_layout_with_cptw_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"plan settings {self.organisation_id}"


class Plan(EncryptedFieldsMixin, models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    # The owning organisation, repeated from the case for the approval queries.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="plans"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The version being drafted or, once approved, the version in force.
    version_number = models.PositiveIntegerField(_("version"), default=1)
    ultimate_goal = models.CharField(
        _("ultimate goal"), max_length=32, choices=UltimateGoal.choices, blank=True
    )
    goal_details_enc = models.BinaryField(null=True)
    notes_enc = models.BinaryField(null=True)
    # 000 L357: the plan is consulted with the child from the pack's age; their own views.
    child_views_enc = models.BinaryField(null=True)
    # 000 UNDP IPP header: who applies the protection measures (service and its head), the
    # professionals of other institutions on the team.
    protection_responsible_enc = models.BinaryField(null=True)
    team_external_enc = models.BinaryField(null=True)
    # 000 TdH IRP L140-L160: reason for repatriation, methods and means used to gather the
    # information, conclusions, comments and proposals.
    reason_for_repatriation_enc = models.BinaryField(null=True)
    information_methods_enc = models.BinaryField(null=True)
    conclusions_enc = models.BinaryField(null=True)
    # 000 CPTW: the plan is an agreement between the person and the organisation, each
    # party's actions named.
    person_commitments_enc = models.BinaryField(null=True)
    organisation_commitments_enc = models.BinaryField(null=True)
    # The approval stage the plan is in (policies.schema.ApprovalStage.key); empty where
    # the pack has nobody approve the plan.
    stage = models.CharField(_("stage"), max_length=8, choices=PlanStage.choices, blank=True)
    # The day the plan came into force: approved and signed by everyone required
    # (001 §7.8; 002 L1187-L1189). Term, reviews and activity work run from here.
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    layout = models.CharField(
        _("print layout"), max_length=8, choices=PrintLayout.choices, default=PrintLayout.NRS
    )
    # Who decides on submission, fixed when submitted (policy final_approval_by): a
    # supervisor of the owning organisation, or the coordinating fund (001 §3.4(b)).
    approving_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans_to_approve",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = (
        "goal_details",
        "notes",
        "child_views",
        "protection_responsible",
        "team_external",
        "reason_for_repatriation",
        "information_methods",
        "conclusions",
        "person_commitments",
        "organisation_commitments",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_with_agreed_valid"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[*PlanStage.values, ""]), name="plan_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(ultimate_goal__in=[*UltimateGoal.values, ""]),
                name="plan_ultimate_goal_valid",
            ),
            models.CheckConstraint(
                condition=Q(layout__in=PrintLayout.values), name="plan_layout_with_cptw_valid"
            ),
        ]
        indexes = [
            # Serves the approval queues: plans submitted to one organisation.
            models.Index(
                fields=["approving_organisation", "submitted_at"],
                condition=Q(status="submitted"),
                name="plan_submitted_to_org",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.pk} v{self.version_number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class PlanVersion(EncryptedFieldsMixin, models.Model):
    """One version of the plan: version 1 is the initial plan; each later one a modification
    with its reason ("arguments"), anticipated result and who asked (000 IOM part V)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    uuid = _uuid_field()
    data_key = _data_key_field()
    reason_enc = models.BinaryField(null=True)
    anticipated_result_enc = models.BinaryField(null=True)
    requested_by = models.CharField(
        _("requested by"), max_length=32, choices=RequestedBy.choices, blank=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    # The whole plan as JSON, encrypted; written once when the version is approved (or in
    # force without approval) and never changed afterwards.
    snapshot_enc = models.BinaryField(null=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    ENCRYPTED = ("reason", "anticipated_result", "snapshot")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
            models.CheckConstraint(
                condition=Q(requested_by__in=[*RequestedBy.values, ""]),
                name="plan_version_requested_by_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id} version {self.number}"


class Objective(EncryptedFieldsMixin, models.Model):
    """An objective in one domain, answering one assessed challenge or need (000 NRS)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    uuid = _uuid_field()
    data_key = _data_key_field()
    domain = models.CharField(_("domain"), max_length=32, choices=PlanDomain.choices)
    # 000 annex "plan for persons in care": a dependant's own objectives.
    dependant = models.ForeignKey(
        "people.RelatedPerson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_objectives",
        verbose_name=_("person in care"),
    )
    # The assessment conclusion the objective answers (SPEC C5: "linked to an assessment
    # finding"); kept when the assessment is later reopened.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_objectives",
        verbose_name=_("assessment"),
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NECESSARY
    )
    title_enc = models.BinaryField(null=True)
    need_enc = models.BinaryField(null=True)
    anticipated_result_enc = models.BinaryField(null=True)
    risk_factors_enc = models.BinaryField(null=True)
    indicator_enc = models.BinaryField(null=True)
    target_enc = models.BinaryField(null=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("title", "need", "anticipated_result", "risk_factors", "indicator", "target")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__in=PlanDomain.values), name="objective_domain_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="objective_priority_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"objective {self.pk}"


class Activity(EncryptedFieldsMixin, models.Model):
    """One action (002 L1165-L1171: "do not include multiple actions in one line")."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    uuid = _uuid_field()
    data_key = _data_key_field()
    description_enc = models.BinaryField(null=True)
    responsible_kind = models.CharField(
        _("responsible"), max_length=16, choices=ResponsibleKind.choices
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_activities",
        verbose_name=_("staff member"),
    )
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # A family member's name or a role in another organisation; encrypted.
    responsible_name_enc = models.BinaryField(null=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    not_delivered_reason = models.CharField(
        _("reason not delivered"), max_length=32, choices=NotDeliveredReason.choices, blank=True
    )
    status_note_enc = models.BinaryField(null=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("description", "responsible_name", "status_note")

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_kind__in=ResponsibleKind.values),
                name="activity_responsible_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActivityStatus.values), name="activity_status_valid"
            ),
            # A service not delivered always says why: it feeds the register of unmet needs.
            models.CheckConstraint(
                condition=(
                    Q(status="not_delivered", not_delivered_reason__in=NotDeliveredReason.values)
                    | (~Q(status="not_delivered") & Q(not_delivered_reason=""))
                ),
                name="activity_not_delivered_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="activity_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"activity {self.pk}"


class BudgetLine(EncryptedFieldsMixin, models.Model):
    """Resources for one activity: units, sum and origin of the expense (000 TdH annex 1)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    uuid = _uuid_field()
    # The person's key, as on the activity: the funder's name can name a person.
    data_key = _data_key_field()
    units = models.DecimalField(_("units"), max_digits=10, decimal_places=2, default=1)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    funding_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("funding organisation"),
    )
    # A funder outside the system (e.g. "local public authority", 000 TdH L155); it can be a
    # relative or a private person, so it is encrypted (issue 15, item 7).
    funding_source_name_enc = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_positive"),
            models.CheckConstraint(condition=Q(units__gt=0), name="budget_line_units_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="budget_line_currency_iso"
            ),
        ]

    ENCRYPTED = ("funding_source_name",)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @property
    def funding_source_name(self) -> str:
        return self.get_plain_or_erased("funding_source_name") or ""

    @property
    def funding_label(self) -> str:
        if self.funding_organisation is not None:
            return self.funding_organisation.name
        return self.funding_source_name


class DomainExclusion(EncryptedFieldsMixin, models.Model):
    """A domain with an assessed need and no objective, and why (002 L1151-L1157)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="exclusions")
    uuid = _uuid_field()
    data_key = _data_key_field()
    domain = models.CharField(_("domain"), max_length=32, choices=PlanDomain.choices)
    reason_enc = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("reason",)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "domain"], name="domain_exclusion_unique"),
        ]

    def __str__(self) -> str:
        return f"exclusion {self.domain}"


class PlanDecision(EncryptedFieldsMixin, models.Model):
    """The approver's decision on a submitted version: approved, or returned with comments."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="decisions")
    uuid = _uuid_field()
    data_key = _data_key_field()
    version_number = models.PositiveIntegerField()
    stage = models.CharField(_("stage"), max_length=8, choices=PlanStage.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    comment_enc = models.BinaryField(null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("comment",)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=DecisionKind.values), name="plan_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} v{self.version_number}"


class PlanSignature(EncryptedFieldsMixin, models.Model):
    """A signature on one version: on paper (with the date and a scan) or, for staff, an
    on-screen acknowledgement confirmed with their second factor."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatures")
    uuid = _uuid_field()
    data_key = _data_key_field()
    version_number = models.PositiveIntegerField()
    role = models.CharField(_("signatory"), max_length=32, choices=Signatory.choices)
    method = models.CharField(_("method"), max_length=16, choices=SignatureMethod.choices)
    signer_name_enc = models.BinaryField(null=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("signed on"))
    # Storage name of the encrypted scan (crypto.files); the original name is encrypted.
    scan_name = models.CharField(max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=64, blank=True)
    scan_original_name_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("signer_name", "scan_original_name")

    class Meta:
        ordering = ["version_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "version_number", "role"], name="plan_signature_once_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Signatory.values), name="plan_signature_role_valid"
            ),
            # A paper signature has its scan; an on-screen one names the staff member.
            models.CheckConstraint(
                condition=(Q(method="paper") & ~Q(scan_name=""))
                | (Q(method="on_screen") & Q(user__isnull=False)),
                name="plan_signature_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} v{self.version_number}"


class ActivityConfirmation(EncryptedFieldsMixin, models.Model):
    """A provider's confirmation that it will deliver an activity's service (001 §7.5-§7.6):
    through an accepted referral, or recorded from the provider's letter or call."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="confirmations")
    uuid = _uuid_field()
    data_key = _data_key_field()
    provider = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    # A provider outside the system; encrypted like every other free text of the case.
    provider_name_enc = models.BinaryField(null=True)
    # The accepted referral that confirmed it; referrals live in another app.
    referral_id = models.PositiveBigIntegerField(null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"))
    note_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("provider_name", "note")

    class Meta:
        ordering = ["activity", "-confirmed_on", "-id"]

    def __str__(self) -> str:
        return f"confirmation {self.pk}"


class PlanReview(EncryptedFieldsMixin, models.Model):
    """A review of the plan in force (000 L75) with the success evaluation of 000 CPTW:
    result of the activities, time, resources, and the degree the problems were solved."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    uuid = _uuid_field()
    data_key = _data_key_field()
    version_number = models.PositiveIntegerField()
    reviewed_on = models.DateField(_("reviewed on"))
    result = models.CharField(
        _("result of the activities"), max_length=12, choices=ReviewRating.choices
    )
    time = models.CharField(
        _("within the time planned"), max_length=12, choices=ReviewRating.choices
    )
    resources = models.CharField(
        _("within the resources planned"), max_length=12, choices=ReviewRating.choices
    )
    problems_solved = models.CharField(
        _("problems solved"), max_length=12, choices=ReviewRating.choices
    )
    # Legal and court support at this review (000 CPTW): hearings, the person's part in them.
    legal_support_enc = models.BinaryField(null=True)
    note_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    ENCRYPTED = ("legal_support", "note")

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=ReviewRating.values)
                & Q(time__in=ReviewRating.values)
                & Q(resources__in=ReviewRating.values)
                & Q(problems_solved__in=ReviewRating.values),
                name="plan_review_ratings_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.pk}"
