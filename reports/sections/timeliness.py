"""Timeliness from the work items the deadline engine keeps (SPEC C10, C12): assessments,
plans, reviews and the other deadlines that fell due in the quarter, done on time, done late,
or still open."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult
from reports.suppression import Table
from work.models import WorkItem, WorkItemKind

OUTCOMES = [
    ("on_time", _("Done on time")),
    ("late", _("Done late")),
    ("overdue", _("Open and overdue")),
    ("open", _("Open, not yet due")),
]


def deadline_outcome() -> Case:
    """A work item's outcome: done on time, done late, open and overdue, or open."""
    return Case(
        When(Q(done_on__isnull=False, done_on__lte=F("due_on")), then=Value("on_time")),
        When(done_on__isnull=False, then=Value("late")),
        When(due_on__lt=timezone.localdate(), then=Value("overdue")),
        default=Value("open"),
        output_field=CharField(),
    )


def build(scope: StatisticsScope, k: int) -> SectionResult:
    rows = (
        WorkItem.objects.filter(
            scope.case_condition("case__"),
            due_on__range=(scope.quarter.start, scope.quarter.end),
        )
        .annotate(outcome=deadline_outcome())
        .values("kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["kind"], row["outcome"]): row["n"] for row in rows}
    table = Table(
        key="timeliness",
        title=str(_("Deadlines that fell due in the quarter")),
        row_label=str(_("Deadline")),
        rows=[(code, str(label)) for code, label in WorkItemKind.choices],
        columns=[(code, str(label)) for code, label in OUTCOMES],
        counts=counts,
    )
    return SectionResult(
        key="timeliness",
        title=str(_("Timeliness")),
        tables=[table],
        charts=[
            Chart(
                "stacked",
                "timeliness",
                str(_("Deadlines met and missed")),
                str(_("Stacked bars of deadlines done on time, late, or still open, by kind.")),
                None,
            )
        ],
    )
