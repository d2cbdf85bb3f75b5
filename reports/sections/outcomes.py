"""Outcomes (SPEC C8, C12; 002 programme-level monitoring L228-L231): the change of the
outcome domain scores from the baseline, by cohort of entry quarter; monitoring and follow-up
contacts made on time, from the work items; follow-up contacts made after closure.

A score taken in the quarter (any occasion but the baseline) is compared with the baseline
score of the same case and domain: higher is improved, equal unchanged, lower declined. The
worker's score is the measure; the person's own score is compared the same way beside it.
Counts are people (distinct cases): a person scored in several domains can be improved in one
and declined in another, so the columns overlap and publish no row totals.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Count, F, OuterRef, Subquery, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext_lazy as _

from monitoring.codes import ContactMode, ContactPurpose, Occasion
from monitoring.framework import current_framework
from monitoring.models import MonitoringContact, OutcomeScore
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult
from reports.sections.timeliness import OUTCOMES as TIMELINESS_OUTCOMES
from reports.sections.timeliness import deadline_outcome
from reports.suppression import Table
from work.models import WorkItem, WorkItemKind

DIRECTIONS = [
    ("improved", _("Improved")),
    ("unchanged", _("Unchanged")),
    ("declined", _("Worsened")),
]
CONTACT_KINDS = (WorkItemKind.MONITORING_CONTACT, WorkItemKind.FOLLOW_UP_CONTACT)


def _direction(score: str) -> Case:
    baseline = f"baseline_{score}"
    return Case(
        When(**{f"{score}__gt": F(baseline)}, then=Value("improved")),
        When(**{f"{score}__lt": F(baseline)}, then=Value("declined")),
        default=Value("unchanged"),
        output_field=CharField(),
    )


def _changes(scope: StatisticsScope, score: str) -> list[dict[str, Any]]:
    """People by entry cohort, domain and direction of change of ``score`` ("worker_score"
    or "person_score"), from the scores taken in the quarter. The baseline is looked up by
    (case, domain): one baseline per case, so at most one row."""
    baseline = OutcomeScore.objects.filter(
        case_id=OuterRef("case_id"),
        domain=OuterRef("domain"),
        measurement__occasion=Occasion.BASELINE,
    ).values(score)[:1]
    return [
        dict(row)
        for row in OutcomeScore.objects.filter(
            scope.case_condition("case__"),
            measurement__taken_on__range=(scope.quarter.start, scope.quarter.end),
            **{f"{score}__isnull": False},
        )
        .exclude(measurement__occasion=Occasion.BASELINE)
        .annotate(**{f"baseline_{score}": Subquery(baseline)})
        .filter(**{f"baseline_{score}__isnull": False})
        .annotate(
            direction=_direction(score),
            cohort_year=ExtractYear("case__received_at"),
            cohort_quarter=ExtractQuarter("case__received_at"),
        )
        .values("cohort_year", "cohort_quarter", "direction")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    ]


def _cohort_table(key: str, title: str, rows: list[dict[str, Any]], note: str) -> Table:
    counts = {
        (f"{row['cohort_year']}-Q{row['cohort_quarter']}", row["direction"]): row["n"]
        for row in rows
    }
    cohorts = sorted({cohort for cohort, _d in counts})
    return Table(
        key=key,
        title=title,
        row_label=str(_("Entry quarter")),
        rows=[(cohort, cohort) for cohort in cohorts],
        columns=[(code, str(label)) for code, label in DIRECTIONS],
        counts=counts,
        # A person is in one cohort (rows add up) but may be in several columns.
        additive_rows=False,
        additive_columns=True,
        note=note,
    )


def _by_domain(scope: StatisticsScope) -> Table:
    baseline = OutcomeScore.objects.filter(
        case_id=OuterRef("case_id"),
        domain=OuterRef("domain"),
        measurement__occasion=Occasion.BASELINE,
    ).values("worker_score")[:1]
    rows = (
        OutcomeScore.objects.filter(
            scope.case_condition("case__"),
            measurement__taken_on__range=(scope.quarter.start, scope.quarter.end),
            worker_score__isnull=False,
        )
        .exclude(measurement__occasion=Occasion.BASELINE)
        .annotate(baseline_worker_score=Subquery(baseline))
        .filter(baseline_worker_score__isnull=False)
        .annotate(direction=_direction("worker_score"))
        .values("domain", "direction")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    counts = {(row["domain"], row["direction"]): row["n"] for row in rows}
    framework = current_framework()
    known = {domain.code for domain in framework.domains}
    return Table(
        key="outcome_change_by_domain",
        title=str(_("Change of the worker's score from the baseline, by domain")),
        row_label=str(_("Outcome domain")),
        rows=[(domain.code, domain.label.text()) for domain in framework.domains]
        + [(code, code) for code in sorted({d for d, _x in counts} - known)],
        columns=[(code, str(label)) for code, label in DIRECTIONS],
        counts=counts,
        additive_rows=False,
        additive_columns=False,
    )


def _contacts_on_time(scope: StatisticsScope) -> Table:
    rows = (
        WorkItem.objects.filter(
            scope.case_condition("case__"),
            due_on__range=(scope.quarter.start, scope.quarter.end),
            kind__in=CONTACT_KINDS,
        )
        .annotate(outcome=deadline_outcome())
        .values("kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Table(
        key="contacts_on_time",
        title=str(_("Monitoring and follow-up contacts due in the quarter")),
        row_label=str(_("Contact")),
        rows=[(str(kind.value), str(kind.label)) for kind in CONTACT_KINDS],
        columns=[(code, str(label)) for code, label in TIMELINESS_OUTCOMES],
        counts={(row["kind"], row["outcome"]): row["n"] for row in rows},
    )


def _contacts_made(scope: StatisticsScope) -> Table:
    rows = (
        MonitoringContact.objects.filter(
            scope.case_condition("case__"),
            occurred_on__range=(scope.quarter.start, scope.quarter.end),
        )
        .values("mode", "purpose")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return Table(
        key="contacts_made",
        title=str(_("People contacted in the quarter, by purpose and mode")),
        row_label=str(_("Mode")),
        rows=[(code, str(label)) for code, label in ContactMode.choices],
        columns=[(code, str(label)) for code, label in ContactPurpose.choices],
        counts={(row["mode"], row["purpose"]): row["n"] for row in rows},
        # A person may be met at home and on the phone: rows overlap.
        additive_rows=False,
        additive_columns=False,
        note=str(
            _(
                "People with at least one contact of that purpose and mode in the quarter; "
                "follow-up contacts are those made after the case was closed."
            )
        ),
    )


def build(scope: StatisticsScope, k: int) -> SectionResult:
    note = str(
        _(
            "People scored in the quarter, by the quarter their case was received; a person "
            "counts once in each direction their domain scores moved since the baseline."
        )
    )
    return SectionResult(
        key="outcomes",
        title=str(_("Outcomes and follow-up")),
        tables=[
            _cohort_table(
                "outcome_change_by_cohort",
                str(_("Change of the worker's score from the baseline, by entry cohort")),
                _changes(scope, "worker_score"),
                note,
            ),
            _cohort_table(
                "outcome_change_by_cohort_person",
                str(_("Change of the person's own score from the baseline, by entry cohort")),
                _changes(scope, "person_score"),
                note,
            ),
            _by_domain(scope),
            _contacts_on_time(scope),
            _contacts_made(scope),
        ],
        charts=[
            Chart(
                "stacked",
                "outcome_change_by_cohort",
                str(_("Outcome change by entry cohort")),
                str(
                    _(
                        "Stacked bars of people whose worker's scores improved, stayed or "
                        "declined since the baseline, by the quarter of entry."
                    )
                ),
                None,
            ),
            Chart(
                "stacked",
                "contacts_on_time",
                str(_("Contacts on time")),
                str(_("Stacked bars of monitoring and follow-up contacts done on time or late.")),
                None,
            ),
        ],
    )
