"""Services delivered and not delivered, by category and reason (SPEC C12; 004 §2.9).

Three sources, each one grouped query: the activities of the plans due in the quarter (by
domain and status), the referrals sent in the quarter (by service and outcome) and the
register of services needed but not delivered (by service and reason), which also gives the
coordinator's gap counts.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from plans.codes import ActivityStatus, NotDeliveredReason, PlanDomain
from plans.models import Activity
from referrals.models import Referral, ReferralStatus, UnmetNeed, UnmetReason
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult
from reports.suppression import Table
from services.models import ServiceCategory


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in enum.choices]  # type: ignore[attr-defined]


def _extend(rows: list[tuple[str, str]], found: set[str]) -> list[tuple[str, str]]:
    known = {code for code, _label in rows}
    return rows + [(code, code) for code in sorted(found - known)]


def unmet_counts(
    scope: StatisticsScope, *, by: tuple[str, str] = ("category", "reason")
) -> dict[tuple[str, str], int]:
    """Entries of the register of unmet needs recorded in the quarter, by two codes."""
    rows = (
        UnmetNeed.objects.filter(
            scope.case_condition("case__"),
            recorded_at__date__range=(scope.quarter.start, scope.quarter.end),
        )
        .values(*by)
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row[by[0]], row[by[1]]): row["n"] for row in rows}


def build(scope: StatisticsScope, k: int) -> SectionResult:
    start, end = scope.quarter.start, scope.quarter.end
    activity_rows = (
        Activity.objects.filter(scope.case_condition("objective__plan__case__"))
        .annotate(_due=Coalesce("due_on", "starts_on"))
        .filter(_due__range=(start, end))
        .values("objective__domain", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    activities: dict[tuple[str, str], int] = defaultdict(int)
    for row in activity_rows:
        activities[(row["objective__domain"], row["status"])] += row["n"]
    reason_rows = (
        Activity.objects.filter(
            scope.case_condition("objective__plan__case__"), status=ActivityStatus.NOT_DELIVERED
        )
        .annotate(_due=Coalesce("due_on", "starts_on"))
        .filter(_due__range=(start, end))
        .values("objective__domain", "not_delivered_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    not_delivered = {
        (row["objective__domain"], row["not_delivered_reason"]): row["n"] for row in reason_rows
    }
    referral_rows = (
        Referral.objects.filter(scope.case_condition("case__"), sent_at__date__range=(start, end))
        .values("category", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    referrals = {(row["category"], row["status"]): row["n"] for row in referral_rows}
    register = unmet_counts(scope)

    domains = _choices(PlanDomain)
    categories = _choices(ServiceCategory)
    tables = [
        Table(
            key="activities_by_domain",
            title=str(_("Plan activities due in the quarter, by domain and status")),
            row_label=str(_("Domain")),
            rows=_extend(domains, {d for d, _s in activities}),
            columns=_choices(ActivityStatus),
            counts=dict(activities),
        ),
        Table(
            key="activities_not_delivered",
            title=str(_("Plan activities not delivered, by domain and reason")),
            row_label=str(_("Domain")),
            rows=_extend(domains, {d for d, _r in not_delivered}),
            columns=_choices(NotDeliveredReason),
            counts=not_delivered,
        ),
        Table(
            key="referrals_by_service",
            title=str(_("Referrals sent in the quarter, by service and outcome")),
            row_label=str(_("Service")),
            rows=_extend(categories, {c for c, _s in referrals}),
            columns=_choices(ReferralStatus),
            counts=referrals,
        ),
        Table(
            key="unmet_by_service",
            title=str(_("Services needed but not delivered, by service and reason")),
            row_label=str(_("Service")),
            rows=_extend(categories, {c for c, _r in register}),
            columns=_choices(UnmetReason),
            counts=register,
            note=str(
                _(
                    "From the register of services not delivered: declined or undelivered "
                    "referrals, plan activities and entries by case workers."
                )
            ),
        ),
    ]
    return SectionResult(
        key="services",
        title=str(_("Services delivered and not delivered")),
        tables=tables,
        charts=[
            Chart(
                "stacked",
                "activities_by_domain",
                str(_("Plan activities by domain")),
                str(_("Stacked bars of delivered and undelivered plan activities by domain.")),
                [ActivityStatus.DONE, ActivityStatus.NOT_DELIVERED],
            ),
            Chart(
                "stacked",
                "unmet_by_service",
                str(_("Services not delivered, by reason")),
                str(_("Stacked bars of the register of services not delivered.")),
                None,
            ),
        ],
    )
