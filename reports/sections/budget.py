"""Budgeted expenditure by funding source against the plans and the pack's cap per
beneficiary (SPEC C12; 001 §5.6 L56 cap per victim). Budgets come from the budget lines of
approved plans of cases active in the quarter; what was actually spent is reported by the
implementation ledger, which adds its own section."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils.translation import gettext_lazy as _

from plans.codes import PlanStatus
from plans.models import BudgetLine, Plan
from policies.packs import shipped_packs
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult, figure_if_enough
from reports.sections.cases import case_flags
from reports.suppression import Table

OTHER_SOURCE = "other"
NO_SOURCE = "none"


def build(scope: StatisticsScope, k: int) -> SectionResult:
    flags = case_flags(scope, "case__")
    approved = Plan.objects.filter(
        scope.case_condition("case__"), status=PlanStatus.APPROVED
    ).annotate(is_active=flags["is_active"])
    lines = (
        BudgetLine.objects.filter(activity__objective__plan__in=approved.filter(is_active=True))
        # The other funder's name is encrypted free text: only whether one is named counts.
        .annotate(
            other_named=ExpressionWrapper(
                Q(funding_source_name_enc__isnull=False), output_field=BooleanField()
            )
        )
        .values("funding_organisation__name", "other_named", "currency")
        .annotate(amount=Sum("amount"), plans=Count("activity__objective__plan_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    amounts: dict[tuple[str, str], float] = defaultdict(float)
    sources: dict[str, str] = {}
    currencies: set[str] = set()
    for row in lines:
        name = row["funding_organisation__name"]
        if name:
            source = f"org:{name}"
            sources[source] = name
        elif row["other_named"]:
            source = OTHER_SOURCE
            sources[source] = str(_("Other funders"))
        else:
            source = NO_SOURCE
            sources[source] = str(_("No funder named"))
        counts[(source, row["currency"])] += row["plans"]
        amounts[(source, row["currency"])] += float(row["amount"] or 0)
        currencies.add(row["currency"])
    # Totals per plan, to compare with the cap of the plan's pack.
    per_plan = (
        BudgetLine.objects.filter(activity__objective__plan__in=approved.filter(is_active=True))
        .values(
            "activity__objective__plan_id",
            "activity__objective__plan__case__policy_pack",
            "currency",
        )
        .annotate(total=Sum("amount"))
        .values_list("activity__objective__plan__case__policy_pack", "total", "currency")
        .order_by()
    )
    packs = shipped_packs()
    cap_counts: dict[tuple[str, str], int] = defaultdict(int)
    totals_by_currency: dict[str, Decimal] = defaultdict(Decimal)
    plans_by_currency: dict[str, int] = defaultdict(int)
    for pack_code, total, currency in per_plan:
        totals_by_currency[currency] += total or Decimal(0)
        plans_by_currency[currency] += 1
        rules = packs.get(pack_code)
        cap = rules.plan.budget_cap if rules is not None else None
        if cap is None:
            status = "no_cap"
        elif currency != cap.currency:
            status = "other_currency"
        elif (total or 0) > cap.amount:
            status = "over"
        else:
            status = "within"
        cap_counts[(pack_code, status)] += 1
    tables = [
        Table(
            key="budget_by_source",
            title=str(_("Budgeted in approved plans, by funding source")),
            row_label=str(_("Funding source")),
            rows=sorted(sources.items(), key=lambda item: item[1]),
            columns=[(c, c) for c in sorted(currencies)],
            counts=dict(counts),
            amounts=dict(amounts),
            additive_rows=False,
            additive_columns=False,
            note=str(
                _(
                    "Each cell gives the number of plans and the amount budgeted; a plan with "
                    "several funders counts under each."
                )
            ),
        ),
        Table(
            key="plans_against_cap",
            title=str(_("Approved plans against the cap per beneficiary")),
            row_label=str(_("Policy pack")),
            rows=[
                (code, packs[code].name if code in packs else code)
                for code in sorted({p for p, _s in cap_counts})
            ],
            columns=[
                ("within", str(_("Within the cap"))),
                ("over", str(_("Over the cap"))),
                ("other_currency", str(_("In another currency"))),
                ("no_cap", str(_("No cap in the pack"))),
            ],
            counts=dict(cap_counts),
        ),
    ]
    figures = [
        figure_if_enough(
            f"budget_per_beneficiary_{currency}",
            str(_("Budget per beneficiary (%(currency)s)") % {"currency": currency}),
            float(totals_by_currency[currency] / plans_by_currency[currency]),
            basis=plans_by_currency[currency],
            k=k,
            unit=currency,
        )
        for currency in sorted(plans_by_currency)
    ]
    return SectionResult(
        key="budget",
        title=str(_("Budgeted expenditure against plans and caps")),
        tables=tables,
        figures=figures,
        charts=[
            Chart(
                "stacked",
                "plans_against_cap",
                str(_("Plans against the cap")),
                str(_("Stacked bars of approved plans within and over the cap, by pack.")),
                None,
            )
        ],
    )
