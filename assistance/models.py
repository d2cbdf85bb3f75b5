"""Implementation of the plan and the assistance given (SPEC C7).

``ActivityImplementation`` records what was actually done for one activity of the plan; the
activity's status stays on ``plans.Activity`` and moves through ``plans.services
.activity_progress``, so the plan, its print and the register of services not delivered keep
one status. ``LedgerItem`` is one item of direct assistance given to the person (000 IOM
blank forms). ``ExpenditureReport`` is a case manager's monthly report to the coordinating
organisation (001 §7.9 L74), frozen into rows at submission.

Free text about the person (results, descriptions, reasons, file names) is encrypted with the
person's data key. The statistical columns — category, funding source, date, amount,
currency, budget line, case and organisation — stay plain and indexed so reports aggregate
them in SQL.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.codes import (
    AcknowledgementMethod,
    DeliveredBy,
    ItemCategory,
    Provision,
    ReportStatus,
    Unit,
)
from crypto.models import EncryptedFieldsMixin


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class ActivityImplementation(EncryptedFieldsMixin, models.Model):
    """What was done for one activity of the plan: dates, result, who delivered it."""

    activity = models.OneToOneField(
        "plans.Activity", on_delete=models.CASCADE, related_name="implementation"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="activity_implementations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True, db_index=True)
    result_enc = models.BinaryField(null=True)
    delivered_by = models.CharField(
        _("delivered by"), max_length=16, choices=DeliveredBy.choices, blank=True
    )
    delivered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Another organisation delivers through a referral it accepted (SPEC C6).
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referral"),
    )
    delivered_by_name_enc = models.BinaryField(null=True)
    # The value reached on the objective's measurable target (e.g. "3" months in the job).
    value_reached = models.DecimalField(
        _("value reached"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # What a service of another organisation, or given in kind, is worth (004 SW-130).
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    estimated_currency = models.CharField(_("currency"), max_length=3, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("result", "delivered_by_name")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_by__in=[*DeliveredBy.values, ""]),
                name="implementation_delivered_by_valid",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="implementation_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True)
                | Q(estimated_value__gte=0, estimated_currency__regex=r"^[A-Z]{3}$"),
                name="implementation_estimate_has_currency",
            ),
        ]
        indexes = [
            # Serves the monthly report: works completed in a month, per organisation.
            models.Index(fields=["organisation", "actual_end"], name="implementation_org_end"),
        ]

    def __str__(self) -> str:
        return f"implementation of activity {self.activity_id}"


class ActivityEvidence(EncryptedFieldsMixin, models.Model):
    """A document showing an activity was carried out (certificate, receipt, attendance
    list), encrypted at rest like the case documents."""

    implementation = models.ForeignKey(
        ActivityImplementation, on_delete=models.CASCADE, related_name="evidence"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    uuid = _uuid_field()
    data_key = _data_key_field()
    file = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    file_name_enc = models.BinaryField(null=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("file_name",)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"evidence {self.pk}"


class LedgerItem(EncryptedFieldsMixin, models.Model):
    """One item of direct assistance given to the person (000 IOM blank forms)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="ledger_items")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    given_on = models.DateField(_("date given"))
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PIECE)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    provision = models.CharField(
        _("provision"), max_length=8, choices=Provision.choices, default=Provision.PAID
    )
    funding_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("funding organisation"),
    )
    # A funder outside the system can be a relative or a private person: encrypted with the
    # person's key, like the plan's budget line (``plans.BudgetLine``).
    funding_source_name_enc = models.BinaryField(null=True)
    budget_line = models.ForeignKey(
        "plans.BudgetLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_items",
        verbose_name=_("budget line"),
    )
    # Repeated from the budget line's objective for the statistics (spending per domain).
    domain = models.CharField(_("domain"), max_length=32, blank=True)
    description_enc = models.BinaryField(null=True)
    # Emergency aid outside the plan says why (SPEC C7).
    off_plan_reason_enc = models.BinaryField(null=True)
    # A budget line over-spent says why (SPEC C7: "warns and requires a reason").
    over_budget_reason_enc = models.BinaryField(null=True)
    # A supervisor let the item pass the pack's cap per beneficiary (001 §5.6 L56).
    cap_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cap_override_reason_enc = models.BinaryField(null=True)
    acknowledgement = models.CharField(
        _("acknowledgement"), max_length=16, choices=AcknowledgementMethod.choices, blank=True
    )
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    scan = models.CharField(max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=64, blank=True)
    scan_name_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = (
        "description",
        "funding_source_name",
        "off_plan_reason",
        "over_budget_reason",
        "cap_override_reason",
        "scan_name",
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ItemCategory.values), name="ledger_category_valid"
            ),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="ledger_unit_valid"),
            models.CheckConstraint(
                condition=Q(provision__in=Provision.values), name="ledger_provision_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ledger_quantity_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(acknowledgement__in=[*AcknowledgementMethod.values, ""]),
                name="ledger_acknowledgement_valid",
            ),
            # Acknowledged on paper has its scan; acknowledged at all has its date.
            models.CheckConstraint(
                condition=Q(acknowledgement="")
                | (Q(acknowledged_on__isnull=False) & (~Q(acknowledgement="paper") | ~Q(scan=""))),
                name="ledger_acknowledgement_evidence",
            ),
        ]
        indexes = [
            # Serves the case's ledger, newest first, and its spending totals.
            models.Index(fields=["case", "given_on"], name="ledger_case_day"),
            # Serves the monthly report and the statistics: an organisation's items by date.
            models.Index(fields=["organisation", "given_on"], name="ledger_org_day"),
            models.Index(fields=["category", "given_on"], name="ledger_category_day"),
            models.Index(fields=["funding_organisation"], name="ledger_funder"),
            models.Index(fields=["currency"], name="ledger_currency"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.amount} {self.currency}"

    @property
    def funding_source_name(self) -> str:
        return self.get_plain_or_erased("funding_source_name") or ""

    @property
    def funding_label(self) -> str:
        if self.funding_organisation is not None:
            return self.funding_organisation.name
        return self.funding_source_name


class ExpenditureReport(models.Model):
    """A case manager's monthly report of expenditures and completed works to the
    coordinating organisation (001 §7.9 L74). Its figures are frozen into rows when it is
    submitted; the coordinator sees case codes, never a name."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="expenditure_reports"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expenditure_reports"
    )
    # The first day of the month reported.
    month = models.DateField(_("month"))
    recipient = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenditure_reports_received",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_manager", "month"],
                name="expenditure_report_once_a_month",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="expenditure_report_status_valid"
            ),
        ]
        indexes = [
            # Serves the coordinator's inbox: reports submitted to one organisation.
            models.Index(fields=["recipient", "-submitted_at"], name="expenditure_report_inbox"),
        ]

    def __str__(self) -> str:
        return f"report {self.case_manager_id} {self.month:%Y-%m}"


class ExpenditureReportLine(models.Model):
    """Expenditure of one case in the month, per category, funding source and currency."""

    report = models.ForeignKey(ExpenditureReport, on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    case_code = models.CharField(max_length=16)
    category = models.CharField(max_length=16, choices=ItemCategory.choices)
    provision = models.CharField(max_length=8, choices=Provision.choices)
    funding = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    items = models.PositiveIntegerField()

    class Meta:
        ordering = ["case_code", "category", "funding", "currency"]

    def __str__(self) -> str:
        return f"{self.case_code} {self.category} {self.amount}"


class ExpenditureReportWork(models.Model):
    """An activity of the plan completed in the month (001 §7.9 "completed works")."""

    report = models.ForeignKey(ExpenditureReport, on_delete=models.CASCADE, related_name="works")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    case_code = models.CharField(max_length=16)
    domain = models.CharField(max_length=32)
    delivered_by = models.CharField(max_length=16, blank=True)
    completed_on = models.DateField()

    class Meta:
        ordering = ["case_code", "completed_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_code} {self.domain} {self.completed_on}"
