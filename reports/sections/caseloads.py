"""Caseloads at the end of the quarter: open cases per organisation, and case managers by the
number of cases they hold (SPEC C12; 003 L318 caseload threshold)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult, figure_if_enough
from reports.sections.cases import case_flags
from reports.suppression import Table

LOAD_BANDS: list[tuple[str, object, int | None]] = [
    ("10", _("1 to 10 cases"), 10),
    ("20", _("11 to 20 cases"), 20),
    ("30", _("21 to 30 cases"), 30),
    ("more", _("More than 30 cases"), None),
]


def build(scope: StatisticsScope, k: int) -> SectionResult:
    active = Case.objects.filter(scope.case_condition(), received_at__lte=scope.quarter.end)
    active = active.annotate(is_active=case_flags(scope)["is_active"]).filter(is_active=True)
    by_organisation = (
        active.values("organisation_id", "organisation__name")
        .annotate(n=Count("id"), managed=Count("id", filter=Q(case_manager__isnull=False)))
        .order_by("organisation__name")
    )
    per_worker = (
        active.filter(case_manager__isnull=False)
        .values("case_manager_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("n", flat=True)
    )
    organisation_counts: dict[tuple[str, str], int] = {}
    organisation_rows: list[tuple[str, str]] = []
    unassigned = 0
    for row in by_organisation:
        key = str(row["organisation_id"])
        organisation_rows.append((key, row["organisation__name"]))
        organisation_counts[(key, "n")] = row["n"]
        unassigned += row["n"] - row["managed"]
    load_counts: dict[tuple[str, str], int] = defaultdict(int)
    loads = list(per_worker)
    for load in loads:
        band = next(code for code, _l, top in LOAD_BANDS if top is None or load <= top)
        load_counts[(band, "n")] += 1
    managed = sum(loads)
    return SectionResult(
        key="caseloads",
        title=str(_("Caseloads")),
        tables=[
            Table(
                key="active_by_organisation",
                title=str(_("Cases active in the quarter, by organisation")),
                row_label=str(_("Organisation")),
                rows=organisation_rows,
                columns=[("n", str(_("Active cases")))],
                counts=organisation_counts,
            ),
            Table(
                key="case_managers_by_load",
                title=str(_("Case managers by the number of active cases they hold")),
                row_label=str(_("Caseload")),
                rows=[(code, str(label)) for code, label, _t in LOAD_BANDS],
                columns=[("n", str(_("Case managers")))],
                counts=dict(load_counts),
            ),
        ],
        figures=[
            figure_if_enough(
                "mean_caseload",
                str(_("Mean active cases per case manager")),
                round(managed / len(loads), 1) if loads else None,
                basis=managed,
                k=k,
            ),
            figure_if_enough(
                "unassigned",
                str(_("Active cases without a case manager")),
                float(unassigned),
                basis=unassigned,
                k=k,
            ),
        ],
        charts=[
            Chart(
                "bar",
                "active_by_organisation",
                str(_("Active cases by organisation")),
                str(_("Bar chart of active cases per organisation.")),
                ["n"],
            )
        ],
    )
