"""The supervisor's and the coordinator's dashboards (SPEC C12 point 3)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import Acting
from cases.codes import IdentificationStatus
from cases.models import Case, CaseStatus
from policies.selectors import UnknownPolicyPack, pack_for_organisation
from referrals.models import Referral, ReferralStatus
from reports.scope import Quarter, StatisticsScope
from reports.sections import Chart, SectionResult
from reports.sections import cases as cases_section
from reports.sections import referrals as referrals_section
from reports.suppression import Table, minimum_cell
from work.models import CaseMilestone, MilestoneKind
from work.selectors import Caseload, caseloads

TREND_QUARTERS = 8


def _threshold(acting: Acting) -> int | None:
    try:
        return pack_for_organisation(acting.organisation).parsed.caseload.max_open_cases_per_worker
    except UnknownPolicyPack:
        return None


def supervisor_dashboard(scope: StatisticsScope, *, k: int | None = None) -> dict[str, Any]:
    """Caseloads and overdue work per worker (the team's own workload, as on the team page),
    and the organisation's cases and referrals as suppressed counts."""
    cell = k if k is not None else minimum_cell()
    organisation = scope.acting.organisation
    today = timezone.localdate()
    threshold = _threshold(scope.acting)
    loads: list[Caseload] = caseloads(organisation, today=today, threshold=threshold or 0)
    status_rows = (
        Case.objects.filter(organisation=organisation)
        .values("status", "identification_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status = {(row["identification_status"], row["status"]): row["n"] for row in status_rows}
    waiting_in = Referral.objects.filter(recipient=organisation, status=ReferralStatus.SENT).count()
    waiting_out = Referral.objects.filter(sender=organisation, status=ReferralStatus.SENT).count()
    status_table = Table(
        key="cases_by_status",
        title=str(_("Cases by identification status and status")),
        row_label=str(_("Identification status")),
        rows=[(c, str(label)) for c, label in IdentificationStatus.choices],
        columns=[(c, str(label)) for c, label in CaseStatus.choices],
        counts=by_status,
    ).suppress(cell)
    referral_table = Table(
        key="referrals_waiting",
        title=str(_("Referrals waiting for an answer")),
        row_label=str(_("Referrals")),
        rows=[
            ("received", str(_("Received, to answer"))),
            ("sent", str(_("Sent, waiting for the recipient"))),
        ],
        columns=[("n", str(_("Referrals")))],
        counts={("received", "n"): waiting_in, ("sent", "n"): waiting_out},
        additive_columns=False,
    ).suppress(cell)
    load_table = Table(
        key="caseloads",
        title=str(_("Open cases and overdue work per worker")),
        row_label=str(_("Worker")),
        rows=[(str(c.worker.pk), str(c.worker)) for c in loads],
        columns=[("open", str(_("Open cases"))), ("overdue", str(_("Overdue work")))],
        counts={
            **{(str(c.worker.pk), "open"): c.open_cases for c in loads},
            **{(str(c.worker.pk), "overdue"): c.overdue for c in loads},
        },
        additive_rows=False,
        additive_columns=False,
    ).suppress(1)
    section = SectionResult(
        key="supervisor",
        title=str(_("Team")),
        tables=[load_table, status_table, referral_table],
        charts=[
            Chart(
                "bar",
                "caseloads",
                str(_("Open cases per worker")),
                str(_("Bar chart of the open cases each worker manages.")),
                ["open"],
            ),
            Chart(
                "bar",
                "caseloads",
                str(_("Overdue work per worker")),
                str(_("Bar chart of each worker's overdue deadlines.")),
                ["overdue"],
            ),
            Chart(
                "stacked",
                "cases_by_status",
                str(_("Cases by identification status")),
                str(_("Stacked bars of open and closed cases by identification status.")),
                None,
            ),
        ],
    )
    return {
        "section": section,
        "threshold": threshold,
        "caseloads": loads,
        "k": cell,
    }


def trend_table(scope: StatisticsScope, quarters: list[Quarter]) -> Table:
    """New cases, closures and referrals sent per quarter, three grouped queries."""
    first, last = quarters[0].start, quarters[-1].end
    counts: dict[tuple[str, str], int] = defaultdict(int)
    new = (
        Case.objects.filter(scope.case_condition(), received_at__range=(first, last))
        .annotate(q=TruncQuarter("received_at"))
        .values("q")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = (
        CaseMilestone.objects.filter(
            scope.case_condition("case__"),
            kind=MilestoneKind.CLOSURE,
            occurred_on__range=(first, last),
        )
        .annotate(q=TruncQuarter("occurred_on"))
        .values("q")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    referred = (
        Referral.objects.filter(scope.case_condition("case__"), sent_at__date__range=(first, last))
        .annotate(q=TruncQuarter("sent_at"))
        .values("q")
        .annotate(n=Count("id"))
        .order_by()
    )
    for measure, rows in (("new", new), ("closed", closed), ("referrals", referred)):
        for row in rows:
            day = row["q"]
            day = day.date() if hasattr(day, "date") and callable(day.date) else day
            counts[(str(Quarter.containing(day)), measure)] += row["n"]
    return Table(
        key="trends",
        title=str(_("The last eight quarters")),
        row_label=str(_("Quarter")),
        rows=[(str(q), str(q)) for q in quarters],
        columns=[
            ("new", str(_("New cases"))),
            ("closed", str(_("Closed cases"))),
            ("referrals", str(_("Referrals sent"))),
        ],
        counts=dict(counts),
        additive_rows=False,
    )


def coordinator_dashboard(scope: StatisticsScope, *, k: int | None = None) -> dict[str, Any]:
    """The quarter's case and referral figures and the trend over eight quarters."""
    cell = k if k is not None else minimum_cell()
    quarters = scope.quarter.back(TREND_QUARTERS)
    trends = trend_table(scope, quarters).suppress(cell)
    current = cases_section.build(scope, cell)
    referrals = referrals_section.build(scope, cell)
    for section in (current, referrals):
        for table in section.tables:
            table.suppress(cell)
    trend_section = SectionResult(
        key="trends",
        title=str(_("Trends")),
        tables=[trends],
        charts=[
            Chart(
                "line",
                "trends",
                str(_("New cases, closures and referrals per quarter")),
                str(_("Line chart over the last eight quarters; gaps are values not shown.")),
                None,
            )
        ],
    )
    return {"sections": [trend_section, current, referrals], "k": cell}
