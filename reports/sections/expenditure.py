"""Expenditure actuals (SPEC C12): what the assistance ledger records as actually spent, by
funding source, against the budgets of the approved plans and the pack's cap per beneficiary
(001 §5.6 L56), and the cost per beneficiary from actual spending — paid items, items given in
kind and services of other organisations at their estimated value, as ``assistance`` counts
them (004 SW-130).

Every query groups plain columns (funder, currency, provision, dates, amounts); counts are
distinct beneficiaries (cases) or plans, so that each cell is suppressed on the number of
people behind it. A beneficiary may have several funders, so the source tables publish no
totals and their cells are suppressed one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils.translation import gettext_lazy as _

from assistance.codes import CostSource, Provision
from assistance.models import ActivityImplementation, LedgerItem
from plans.codes import PlanStatus
from plans.models import BudgetLine, Plan
from policies.packs import shipped_packs
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult, figure_if_enough
from reports.sections.cases import case_flags
from reports.suppression import Table

OTHER_SOURCE = "other"
NO_SOURCE = "none"
BUDGETED = "budgeted"
# The plans whose budget the ledger spends against: approved, or (ge-fund) the initial plan
# agreed with the Fund while the services are confirmed (001 §3.4(a), §7.5).
FUNDED_STATUSES = (PlanStatus.AGREED, PlanStatus.APPROVED)
SPENT = "spent"
CAP_STATUSES = [
    ("within", _("Within the cap")),
    ("over", _("Over the cap")),
    ("other_currency", _("In another currency")),
    ("no_cap", _("No cap in the pack")),
]


def _other_named() -> ExpressionWrapper:
    # A funder named in (encrypted) free text rather than chosen from the organisations:
    # grouped as one, by whether a name is there, never by its ciphertext.
    return ExpressionWrapper(Q(funding_source_name_enc__isnull=False), output_field=BooleanField())


def _source(row: Mapping[str, Any]) -> tuple[str, str]:
    name = row["funding_organisation__name"]
    if name:
        return f"org:{name}", name
    if row["other_named"]:
        return OTHER_SOURCE, str(_("Other funders"))
    return NO_SOURCE, str(_("No funder named"))


def _in_quarter(scope: StatisticsScope) -> Q:
    return Q(given_on__range=(scope.quarter.start, scope.quarter.end))


def _estimated_in_quarter(scope: StatisticsScope) -> Q:
    # The day a service counts is its actual end, else its actual start (as ``assistance``).
    quarter = (scope.quarter.start, scope.quarter.end)
    return Q(actual_end__range=quarter) | Q(actual_end__isnull=True, actual_start__range=quarter)


def _spent_by_source(scope: StatisticsScope) -> Table:
    """Paid items given in the quarter, by funding source and currency."""
    rows = (
        LedgerItem.objects.filter(
            scope.case_condition("case__"), _in_quarter(scope), provision=Provision.PAID
        )
        .annotate(other_named=_other_named())
        .values("funding_organisation__name", "other_named", "currency")
        .annotate(amount=Sum("amount"), cases=Count("case_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    amounts: dict[tuple[str, str], float] = {}
    sources: dict[str, str] = {}
    for row in rows:
        code, label = _source(row)
        sources[code] = label
        counts[(code, row["currency"])] = row["cases"]
        amounts[(code, row["currency"])] = float(row["amount"] or 0)
    return Table(
        key="spent_by_source",
        title=str(_("Paid in the quarter, by funding source")),
        row_label=str(_("Funding source")),
        rows=sorted(sources.items(), key=lambda item: item[1]),
        columns=[(c, c) for c in sorted({c for _s, c in counts})],
        counts=counts,
        amounts=amounts,
        additive_rows=False,
        additive_columns=False,
        note=str(
            _(
                "Each cell gives the number of beneficiaries and the amount paid from the "
                "assistance ledger; a beneficiary with several funders counts under each."
            )
        ),
    )


def _against_budget(scope: StatisticsScope) -> Table:
    """The agreed or approved plans of the cases active in the quarter: their budget by
    funding source, and what the ledger paid on their budget lines up to the end of the
    quarter."""
    flags = case_flags(scope, "case__")
    plans = (
        Plan.objects.filter(scope.case_condition("case__"), status__in=FUNDED_STATUSES)
        .annotate(is_active=flags["is_active"])
        .filter(is_active=True)
    )
    budgeted = (
        BudgetLine.objects.filter(activity__objective__plan__in=plans)
        .annotate(other_named=_other_named())
        .values("funding_organisation__name", "other_named", "currency")
        .annotate(amount=Sum("amount"), plans=Count("activity__objective__plan_id", distinct=True))
        .order_by()
    )
    spent = (
        LedgerItem.objects.filter(
            budget_line__activity__objective__plan__in=plans,
            provision=Provision.PAID,
            given_on__lte=scope.quarter.end,
        )
        .annotate(other_named=_other_named())
        .values("funding_organisation__name", "other_named", "currency")
        .annotate(amount=Sum("amount"), plans=Count("case_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    amounts: dict[tuple[str, str], float] = {}
    sources: dict[str, str] = {}
    for measure, grouped in ((BUDGETED, budgeted), (SPENT, spent)):
        for row in grouped:
            code, label = _source(row)
            sources[code] = label
            # A case has one approved plan, so plans and beneficiaries are the same people.
            counts[(f"{code}|{measure}", row["currency"])] = row["plans"]
            amounts[(f"{code}|{measure}", row["currency"])] = float(row["amount"] or 0)
    rows: list[tuple[str, str]] = []
    for code, label in sorted(sources.items(), key=lambda item: item[1]):
        rows.append((f"{code}|{BUDGETED}", str(_("%(source)s: budgeted") % {"source": label})))
        rows.append((f"{code}|{SPENT}", str(_("%(source)s: paid to date") % {"source": label})))
    return Table(
        key="spent_against_budget",
        title=str(_("Plans: budgeted and paid to date, by funding source")),
        row_label=str(_("Funding source")),
        rows=rows,
        columns=[(c, c) for c in sorted({c for _r, c in counts})],
        counts=counts,
        amounts=amounts,
        additive_rows=False,
        additive_columns=False,
        note=str(
            _(
                "Plans agreed or approved for the cases active in the quarter; paid to date "
                "counts the ledger items on their budget lines up to the end of the quarter. "
                "Each cell gives the number of plans and the amount."
            )
        ),
    )


def _against_cap(scope: StatisticsScope) -> Table:
    """Beneficiaries paid in the quarter, by whether their paid total to the end of the
    quarter stays within the cap of their pack (the cap counts paid items in its currency)."""
    paid_in_quarter = LedgerItem.objects.filter(
        scope.case_condition("case__"), _in_quarter(scope), provision=Provision.PAID
    ).values("case_id")
    per_case = (
        LedgerItem.objects.filter(
            case_id__in=paid_in_quarter,
            provision=Provision.PAID,
            given_on__lte=scope.quarter.end,
        )
        .values("case_id", "case__policy_pack", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    packs = shipped_packs()
    by_case: dict[int, tuple[str, dict[str, Decimal]]] = {}
    for row in per_case:
        pack, totals = by_case.setdefault(row["case_id"], (row["case__policy_pack"], {}))
        totals[row["currency"]] = Decimal(str(row["total"] or 0))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for pack, totals in by_case.values():
        rules = packs.get(pack)
        cap = rules.plan.budget_cap if rules is not None else None
        if cap is None:
            status = "no_cap"
        elif cap.currency not in totals:
            status = "other_currency"
        elif totals[cap.currency] > Decimal(cap.amount):
            status = "over"
        else:
            status = "within"
        counts[(pack, status)] += 1
    return Table(
        key="spent_against_cap",
        title=str(_("Beneficiaries paid in the quarter, against the cap per beneficiary")),
        row_label=str(_("Policy pack")),
        rows=[
            (code, packs[code].name if code in packs else code)
            for code in sorted({p for p, _s in counts})
        ],
        columns=[(code, str(label)) for code, label in CAP_STATUSES],
        counts=dict(counts),
        note=str(
            _(
                "The cap counts what was paid to the beneficiary up to the end of the quarter in "
                "the cap's currency; items given in kind do not count against it."
            )
        ),
    )


def _cost_by_kind(scope: StatisticsScope) -> Table:
    """Every cost of the quarter — paid, in kind, services of other organisations at their
    estimated value — with the beneficiaries behind each."""
    ledger = (
        LedgerItem.objects.filter(scope.case_condition("case__"), _in_quarter(scope))
        .values("provision", "currency")
        .annotate(amount=Sum("amount"), cases=Count("case_id", distinct=True))
        .order_by()
    )
    estimated = (
        ActivityImplementation.objects.filter(
            scope.case_condition("case__"),
            _estimated_in_quarter(scope),
            estimated_value__isnull=False,
        )
        .values("estimated_currency")
        .annotate(amount=Sum("estimated_value"), cases=Count("case_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    amounts: dict[tuple[str, str], float] = {}
    for row in ledger:
        counts[(row["provision"], row["currency"])] = row["cases"]
        amounts[(row["provision"], row["currency"])] = float(row["amount"] or 0)
    for valued in estimated:
        key = (CostSource.OTHER_ORGANISATION.value, valued["estimated_currency"])
        counts[key] = valued["cases"]
        amounts[key] = float(valued["amount"] or 0)
    return Table(
        key="cost_by_kind",
        title=str(_("Cost of assistance in the quarter, by kind")),
        row_label=str(_("Kind of cost")),
        rows=[(code, str(label)) for code, label in CostSource.choices],
        columns=[(c, c) for c in sorted({c for _k, c in counts})],
        counts=counts,
        amounts=amounts,
        additive_rows=False,
        additive_columns=False,
        note=str(
            _(
                "Each cell gives the number of beneficiaries and the amount; a beneficiary "
                "who received several kinds of assistance counts under each."
            )
        ),
    )


def _cost_per_beneficiary(scope: StatisticsScope) -> list[tuple[str, int, Decimal]]:
    """Per currency: the beneficiaries with any cost in the quarter (ledger or estimated
    services, counted once) and the total. One query: the two sources' (case, currency,
    amount) rows united and grouped."""
    ledger = (
        LedgerItem.objects.filter(scope.case_condition("case__"), _in_quarter(scope))
        .values_list("case_id", "currency", "amount")
        .order_by()
    )
    estimated = (
        ActivityImplementation.objects.filter(
            scope.case_condition("case__"),
            _estimated_in_quarter(scope),
            estimated_value__isnull=False,
        )
        .values_list("case_id", "estimated_currency", "estimated_value")
        .order_by()
    )
    ledger_sql, ledger_params = ledger.query.sql_with_params()
    estimated_sql, estimated_params = estimated.query.sql_with_params()
    with connection.cursor() as cursor:
        # Both parts are SQL the ORM wrote; every value is a parameter.
        cursor.execute(
            "SELECT costs.currency, COUNT(DISTINCT costs.case_id), SUM(costs.amount) "  # noqa: S608
            f"FROM ({ledger_sql} UNION ALL {estimated_sql}) AS costs "
            "GROUP BY costs.currency ORDER BY costs.currency",
            [*ledger_params, *estimated_params],
        )
        return [
            (currency, int(cases), Decimal(str(total or 0)))
            for currency, cases, total in cursor.fetchall()
        ]


def build(scope: StatisticsScope, k: int) -> SectionResult:
    figures = [
        figure_if_enough(
            f"cost_per_beneficiary_{currency}",
            str(_("Cost per beneficiary in the quarter (%(currency)s)") % {"currency": currency}),
            float(total / cases) if cases else 0.0,
            basis=cases,
            k=k,
            unit=currency,
        )
        for currency, cases, total in _cost_per_beneficiary(scope)
    ]
    return SectionResult(
        key="expenditure",
        title=str(_("Expenditure actuals")),
        tables=[
            _spent_by_source(scope),
            _against_budget(scope),
            _against_cap(scope),
            _cost_by_kind(scope),
        ],
        figures=figures,
        charts=[
            Chart(
                "stacked",
                "spent_against_cap",
                str(_("Beneficiaries against the cap")),
                str(_("Stacked bars of beneficiaries paid within and over the cap, by pack.")),
                None,
            )
        ],
    )
