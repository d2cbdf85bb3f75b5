"""Reads of implementation and assistance. Views and the API fetch the case through
``accounts.access.get_case_for`` first; reports through ``assistance.access``. Every list is
preloaded so its queries do not grow with its rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from assistance.codes import CostSource, ItemCategory, Provision
from assistance.models import (
    ActivityEvidence,
    ActivityImplementation,
    ExpenditureReport,
    LedgerItem,
)
from assistance.rules import CapState, month_end, phase_label, phase_of
from cases.models import Case
from plans.codes import ActivityStatus, PlanDomain
from plans.models import Activity, BudgetLine, Plan
from policies.deadlines import add_months
from policies.schema import PolicyRules
from policies.selectors import policy_for_case
from referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from accounts.access import Acting
    from accounts.models import User

LEDGER_PAGE_SIZE = 25

# A referral the recipient accepted (or has since worked on or completed) names the
# organisation that delivered an activity (SPEC C6, C7).
DELIVERING_REFERRAL_STATUSES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
)


def plan_of(case: Case) -> Plan | None:
    return Plan.objects.select_related("data_key").filter(case=case).first()


def activities_of(plan: Plan) -> list[Activity]:
    """The plan's activities with their objective, implementation, evidence and budget
    lines: three queries whatever the number of activities."""
    return list(
        Activity.objects.filter(objective__plan=plan)
        .select_related(
            "data_key",
            "objective__data_key",
            "responsible_user",
            "responsible_organisation",
            "implementation__data_key",
            "implementation__delivered_by_user",
            "implementation__referral__recipient",
        )
        .prefetch_related(
            Prefetch(
                "implementation__evidence",
                queryset=ActivityEvidence.objects.select_related("data_key"),
            ),
            Prefetch(
                "budget_lines", queryset=BudgetLine.objects.select_related("funding_organisation")
            ),
        )
        .order_by("objective__position", "objective_id", "position", "id")
    )


def activity_of(case: Case, activity_id: int) -> Activity:
    activity = (
        Activity.objects.select_related("data_key", "objective__data_key", "objective__plan")
        .filter(objective__plan__case=case, pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def implementation_of(activity: Activity) -> ActivityImplementation | None:
    return (
        ActivityImplementation.objects.select_related("data_key").filter(activity=activity).first()
    )


def evidence_of(case: Case, evidence_id: int) -> ActivityEvidence:
    evidence = (
        ActivityEvidence.objects.select_related("data_key")
        .filter(case=case, pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def delivering_referrals(case: Case) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(case=case, status__in=DELIVERING_REFERRAL_STATUSES)
        .select_related("recipient")
        .order_by("-sent_at", "-id")
    )


def ledger_items(case: Case) -> QuerySet[LedgerItem]:
    return LedgerItem.objects.filter(case=case).select_related(
        "data_key",
        "funding_organisation",
        "budget_line__activity__data_key",
        "recorded_by",
        "cap_override_by",
    )


def ledger_page(case: Case, number: Any) -> Page[LedgerItem]:
    return Paginator(ledger_items(case).order_by("-given_on", "-id"), LEDGER_PAGE_SIZE).get_page(
        number
    )


def ledger_item_of(case: Case, item_id: int) -> LedgerItem:
    item = ledger_items(case).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def budget_lines_of(plan: Plan | None) -> list[BudgetLine]:
    if plan is None:
        return []
    return list(
        BudgetLine.objects.filter(activity__objective__plan=plan)
        .select_related("activity__data_key", "activity__objective", "funding_organisation")
        .order_by("activity__objective__position", "activity__position", "id")
    )


def budget_line_of(case: Case, line_id: int | None) -> BudgetLine | None:
    if line_id is None:
        return None
    return (
        BudgetLine.objects.filter(activity__objective__plan__case=case, pk=line_id)
        .select_related("activity__objective", "funding_organisation")
        .first()
    )


# ---------------------------------------------------------------- spending


def cap_state(case: Case, *, exclude_item: int | None = None) -> CapState | None:
    """Actual paid spending of the case in the cap's currency against the pack's cap per
    beneficiary (001 §5.6 L56); None when the pack sets no cap."""
    cap = policy_for_case(case).plan.budget_cap
    if cap is None:
        return None
    items = LedgerItem.objects.filter(case=case, provision=Provision.PAID, currency=cap.currency)
    if exclude_item is not None:
        items = items.exclude(pk=exclude_item)
    spent = items.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return CapState(cap=Decimal(cap.amount), currency=cap.currency, spent=spent)


def spent_on_line(line: BudgetLine, *, exclude_item: int | None = None) -> Decimal:
    items = LedgerItem.objects.filter(budget_line=line, provision=Provision.PAID)
    if exclude_item is not None:
        items = items.exclude(pk=exclude_item)
    return items.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@dataclass
class LineSpending:
    line: BudgetLine
    label: str
    domain: str
    funding: str
    budgeted: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.spent

    @property
    def percent(self) -> int:
        if self.budgeted <= 0:
            return 100 if self.spent > 0 else 0
        return min(100, int(self.spent * 100 / self.budgeted))

    @property
    def over(self) -> bool:
        return self.spent > self.budgeted


@dataclass
class Bucket:
    key: str
    label: str
    currency: str
    budgeted: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.spent

    @property
    def percent(self) -> int:
        if self.budgeted <= 0:
            return 100 if self.spent > 0 else 0
        return min(100, int(self.spent * 100 / self.budgeted))


@dataclass
class Spending:
    lines: list[LineSpending]
    by_domain: list[Bucket]
    by_source: list[Bucket]
    off_plan: dict[str, Decimal]
    cap: CapState | None
    totals: list[Bucket] = field(default_factory=list)


def rules_of(case: Case) -> PolicyRules:
    """The case's pack rules, read once per request however many sections ask."""
    cached: PolicyRules | None = getattr(case, "_assistance_rules", None)
    if cached is None:
        cached = policy_for_case(case)
        case._assistance_rules = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


def spending_of(
    case: Case, plan: Plan | None, *, lines: list[BudgetLine] | None = None
) -> Spending:
    """Budgeted vs spent per budget line, domain and funding source, and the cap: two
    queries whatever the number of lines and items (one when the lines come preloaded with
    the activities)."""
    if lines is None:
        lines = budget_lines_of(plan)
    spent_rows = (
        LedgerItem.objects.filter(case=case, provision=Provision.PAID)
        .values("budget_line_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    spent_by_line: dict[int, Decimal] = {}
    off_plan: dict[str, Decimal] = defaultdict(Decimal)
    spent_by_currency: dict[str, Decimal] = defaultdict(Decimal)
    for row in spent_rows:
        spent_by_currency[row["currency"]] += row["total"]
        if row["budget_line_id"] is None:
            off_plan[row["currency"]] += row["total"]
        else:
            spent_by_line[row["budget_line_id"]] = (
                spent_by_line.get(row["budget_line_id"], Decimal(0)) + row["total"]
            )
    line_rows = []
    domains: dict[tuple[str, str], Bucket] = {}
    sources: dict[tuple[str, str], Bucket] = {}
    totals: dict[str, Bucket] = {}
    for line in lines:
        domain = line.activity.objective.domain
        spent = spent_by_line.get(line.pk, Decimal(0))
        line_rows.append(
            LineSpending(
                line=line,
                label=line.activity.get_plain_or_erased("description") or "",
                domain=str(PlanDomain(domain).label) if domain in PlanDomain.values else domain,
                funding=line.funding_label,
                budgeted=line.amount,
                spent=spent,
            )
        )
        for buckets, key, label in (
            (domains, domain, str(PlanDomain(domain).label)),
            (sources, line.funding_label, line.funding_label),
        ):
            bucket = buckets.setdefault(
                (key, line.currency), Bucket(key=key, label=label, currency=line.currency)
            )
            bucket.budgeted += line.amount
            bucket.spent += spent
        total = totals.setdefault(line.currency, Bucket("total", "", line.currency))
        total.budgeted += line.amount
    for currency, amount in spent_by_currency.items():
        totals.setdefault(currency, Bucket("total", "", currency)).spent += amount
    # The cap counts the same paid items, in its own currency (001 §5.6 L56).
    cap = rules_of(case).plan.budget_cap
    state = (
        None
        if cap is None
        else CapState(
            cap=Decimal(cap.amount),
            currency=cap.currency,
            spent=spent_by_currency.get(cap.currency, Decimal(0)),
        )
    )
    return Spending(
        lines=line_rows,
        by_domain=list(domains.values()),
        by_source=list(sources.values()),
        off_plan=dict(off_plan),
        cap=state,
        totals=list(totals.values()),
    )


# ---------------------------------------------------------------- cost per beneficiary


@dataclass(frozen=True)
class CostRow:
    source: str
    category: str
    category_label: str
    funding: str
    phase: str
    phase_label: str
    currency: str
    amount: Decimal


@dataclass
class CostPerBeneficiary:
    rows: list[CostRow]

    def _by(self, attribute: str) -> list[tuple[str, str, Decimal]]:
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for row in self.rows:
            sums[(getattr(row, attribute), row.currency)] += row.amount
        return [(key, currency, amount) for (key, currency), amount in sorted(sums.items())]

    @property
    def totals(self) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for row in self.rows:
            sums[row.currency] += row.amount
        return sorted(sums.items())

    @property
    def by_phase(self) -> list[tuple[str, str, Decimal]]:
        return self._by("phase_label")

    @property
    def by_category(self) -> list[tuple[str, str, Decimal]]:
        return self._by("category_label")

    @property
    def by_funding(self) -> list[tuple[str, str, Decimal]]:
        return self._by("funding")

    @property
    def by_source(self) -> list[tuple[str, str, Decimal]]:
        return self._by("source")


def cost_per_beneficiary(case: Case, plan: Plan | None) -> CostPerBeneficiary:
    """Every cost of the case — paid, in kind, and services of other organisations at their
    estimated value — by phase, service category and funding source (004 SW-130)."""
    from plans.services import DOMAIN_SERVICE_CATEGORY
    from services.models import ServiceCategory

    rules = rules_of(case)
    start_of_plan = plan_start(plan)
    term = rules.plan.max_term_months.for_person(is_minor=case.minor_at_reception)
    plan_end = add_months(start_of_plan, term) if start_of_plan and term else None

    def phase(day: datetime.date) -> str:
        return phase_of(
            day,
            received_on=case.received_at,
            phases=list(rules.monitoring.phases),
            plan_start=start_of_plan,
            plan_end=plan_end,
        )

    rows: list[CostRow] = []
    # The other funder's name is encrypted per item, so one person's items are summed here
    # rather than grouped by the database (ciphertexts never group).
    items = (
        LedgerItem.objects.filter(case=case)
        .select_related("data_key", "funding_organisation")
        .only(
            "uuid",
            "data_key",
            "provision",
            "category",
            "funding_organisation__name",
            "funding_source_name_enc",
            "given_on",
            "currency",
            "amount",
        )
        .order_by()
    )
    totals: dict[tuple[str, str, str, str, str], Decimal] = defaultdict(Decimal)
    for item in items:
        funding = item.funding_label
        grouping = (item.provision, item.category, funding, phase(item.given_on), item.currency)
        totals[grouping] += item.amount
    categories = dict(ItemCategory.choices)
    for (provision, category, funding, period, currency), total in totals.items():
        rows.append(
            CostRow(
                source=str(CostSource(provision).label),
                category=category,
                category_label=str(categories.get(category, category)),
                funding=funding,
                phase=period,
                phase_label=phase_label(period),
                currency=currency,
                amount=total,
            )
        )
    services = dict(ServiceCategory.choices)
    estimated = ActivityImplementation.objects.filter(
        case=case, estimated_value__isnull=False
    ).select_related("activity__objective", "referral__recipient")
    for implementation in estimated:
        day = implementation.actual_end or implementation.actual_start or case.received_at
        key = phase(day)
        category = DOMAIN_SERVICE_CATEGORY.get(implementation.activity.objective.domain, "other")
        funding = (
            implementation.referral.recipient.name if implementation.referral is not None else ""
        )
        rows.append(
            CostRow(
                source=str(CostSource.OTHER_ORGANISATION.label),
                category=category,
                category_label=str(services.get(category, category)),
                funding=funding,
                phase=key,
                phase_label=phase_label(key),
                currency=implementation.estimated_currency,
                amount=implementation.estimated_value or Decimal(0),
            )
        )
    return CostPerBeneficiary(rows=rows)


def plan_start(plan: Plan | None) -> datetime.date | None:
    if plan is None:
        return None
    if plan.starts_on is not None:
        return plan.starts_on
    # The term runs from the entry into force (001 §7.8), not from the approval.
    return plan.in_force_since


# ---------------------------------------------------------------- progress


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    in_progress: int
    not_delivered: int
    cancelled: int

    @property
    def percent(self) -> int:
        counted = self.total - self.cancelled
        return int(self.done * 100 / counted) if counted else 0


def progress_of(activities: list[Activity]) -> Progress:
    statuses = [activity.status for activity in activities]
    return Progress(
        total=len(statuses),
        done=statuses.count(ActivityStatus.DONE),
        in_progress=statuses.count(ActivityStatus.IN_PROGRESS),
        not_delivered=statuses.count(ActivityStatus.NOT_DELIVERED),
        cancelled=statuses.count(ActivityStatus.CANCELLED),
    )


# ---------------------------------------------------------------- the monthly report


@dataclass(frozen=True)
class ReportLine:
    case_id: int
    case_code: str
    case_number: str
    category: str
    provision: str
    funding: str
    currency: str
    amount: Decimal
    items: int


@dataclass(frozen=True)
class ReportWork:
    case_id: int
    case_code: str
    case_number: str
    domain: str
    delivered_by: str
    completed_on: datetime.date


@dataclass
class MonthlyReport:
    month: datetime.date
    lines: list[ReportLine]
    works: list[ReportWork]
    case_ids: list[int]

    @property
    def totals(self) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            if line.provision == Provision.PAID:
                sums[line.currency] += line.amount
        return sorted(sums.items())

    @property
    def in_kind_totals(self) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            if line.provision == Provision.IN_KIND:
                sums[line.currency] += line.amount
        return sorted(sums.items())

    @property
    def by_funding(self) -> list[tuple[str, str, Decimal]]:
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for line in self.lines:
            if line.provision == Provision.PAID:
                sums[(line.funding, line.currency)] += line.amount
        return [(funding, currency, amount) for (funding, currency), amount in sorted(sums.items())]


def cases_reported_by(organisation_id: int, case_manager: User) -> QuerySet[Case]:
    """The cases a case manager reports on: those they manage in the organisation."""
    return Case.objects.filter(organisation_id=organisation_id, case_manager=case_manager)


def monthly_report(
    *, organisation_id: int, case_manager: User, month: datetime.date
) -> MonthlyReport:
    """Expenditures by case, category and funding source, and the activities completed, in
    the month, for the case manager's cases: two aggregate queries (001 §7.9 L74)."""
    last = month_end(month)
    cases = cases_reported_by(organisation_id, case_manager)
    item_rows = (
        LedgerItem.objects.filter(
            organisation_id=organisation_id,
            case__in=cases,
            given_on__gte=month,
            given_on__lte=last,
        )
        # A funder outside the system is encrypted free text that can name a private person:
        # the report (frozen, and read by the coordinator) counts it as "Other funders".
        .annotate(
            other_named=ExpressionWrapper(
                Q(funding_source_name_enc__isnull=False), output_field=BooleanField()
            )
        )
        .values(
            "case_id",
            "case__code",
            "case__number",
            "category",
            "provision",
            "funding_organisation__name",
            "other_named",
            "currency",
        )
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("case__code", "category", "provision", "currency")
    )
    merged: dict[tuple[Any, ...], ReportLine] = {}
    for row in item_rows:
        funding = row["funding_organisation__name"] or (
            str(_("Other funders")) if row["other_named"] else ""
        )
        key = (row["case_id"], row["category"], row["provision"], funding, row["currency"])
        previous = merged.get(key)
        merged[key] = ReportLine(
            case_id=row["case_id"],
            case_code=row["case__code"],
            case_number=row["case__number"],
            category=row["category"],
            provision=row["provision"],
            funding=funding,
            currency=row["currency"],
            amount=row["total"] + (previous.amount if previous else Decimal(0)),
            items=row["count"] + (previous.items if previous else 0),
        )
    works = [
        ReportWork(
            case_id=row["case_id"],
            case_code=row["case__code"],
            case_number=row["case__number"],
            domain=row["activity__objective__domain"],
            delivered_by=row["delivered_by"],
            completed_on=row["actual_end"] or month,
        )
        for row in ActivityImplementation.objects.filter(
            organisation_id=organisation_id,
            case__in=cases,
            activity__status=ActivityStatus.DONE,
            actual_end__gte=month,
            actual_end__lte=last,
        )
        .values(
            "case_id",
            "case__code",
            "case__number",
            "activity__objective__domain",
            "delivered_by",
            "actual_end",
        )
        .order_by("case__code", "actual_end", "id")
    ]
    lines = sorted(merged.values(), key=lambda line: (line.case_code, line.category))
    case_ids = sorted({line.case_id for line in lines} | {work.case_id for work in works})
    return MonthlyReport(month=month, lines=lines, works=works, case_ids=case_ids)


def report_of_month(
    organisation_id: int, case_manager: User, month: datetime.date
) -> ExpenditureReport | None:
    return (
        ExpenditureReport.objects.filter(
            organisation_id=organisation_id, case_manager=case_manager, month=month
        )
        .select_related("recipient")
        .first()
    )


def own_reports(acting: Acting) -> QuerySet[ExpenditureReport]:
    return ExpenditureReport.objects.filter(
        organisation=acting.organisation, case_manager=acting.user
    ).select_related("recipient")


def report_detail(report_id: int, queryset: QuerySet[ExpenditureReport]) -> ExpenditureReport:
    report = (
        queryset.select_related("organisation", "recipient")
        .prefetch_related("lines", "works")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def person_language(case: Case, fallback: str) -> str:
    """The first of the person's languages that documents print in, else ``fallback``."""
    available = dict(settings.LANGUAGES)
    for language in case.person.languages.all():
        if language.language in available:
            return str(language.language)
    return fallback if fallback in available else settings.LANGUAGE_CODE


def ledger_for_period(
    case: Case, *, start: datetime.date, end: datetime.date
) -> QuerySet[LedgerItem]:
    return (
        ledger_items(case)
        .filter(given_on__gte=start, given_on__lte=end)
        .order_by("category", "given_on", "id")
    )
