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

import datetime
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, F
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from monitoring.codes import ContactMode, ContactPurpose, Occasion
from monitoring.framework import current_framework
from monitoring.models import MonitoringContact, OutcomeScore
from reports.scope import Quarter, StatisticsScope
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


def _change_rows(scope: StatisticsScope, score: str, by: str) -> list[tuple[Any, str, int]]:
    """People by ``by`` ("received_at" or "domain") and direction of change of ``score``
    ("worker_score" or "person_score"): the scores taken in the quarter joined to the
    baseline score of the same case and domain (one baseline per case). One query; the join
    is evaluated once, not a lookup per score."""
    taken = (
        OutcomeScore.objects.filter(
            scope.case_condition("case__"),
            measurement__taken_on__range=(scope.quarter.start, scope.quarter.end),
            **{f"{score}__isnull": False},
        )
        .exclude(measurement__occasion=Occasion.BASELINE)
        .annotate(
            person=F("case_id"), area=F("domain"), value=F(score), received=F("case__received_at")
        )
        .values_list("person", "area", "value", "received")
        .order_by()
    )
    baseline = (
        # Joined by (case, domain) to the few scores of the quarter: an index lookup each
        # (``report_score_case_domain``), not a scan of every baseline.
        OutcomeScore.objects.filter(
            measurement__occasion=Occasion.BASELINE,
            **{f"{score}__isnull": False},
        )
        .annotate(person=F("case_id"), area=F("domain"), value=F(score))
        .values_list("person", "area", "value")
        .order_by()
    )
    taken_sql, taken_params = taken.query.sql_with_params()
    baseline_sql, baseline_params = baseline.query.sql_with_params()
    group = "t.received" if by == "received_at" else "t.area"
    with connection.cursor() as cursor:
        # Both parts are SQL the ORM wrote; every value is a parameter.
        cursor.execute(
            f"SELECT {group}, CASE WHEN t.value > b.value THEN 'improved' "  # noqa: S608
            "WHEN t.value < b.value THEN 'declined' ELSE 'unchanged' END AS direction, "
            "COUNT(DISTINCT t.person) "
            f"FROM ({taken_sql}) AS t JOIN ({baseline_sql}) AS b "
            "ON b.person = t.person AND b.area = t.area "
            "GROUP BY 1, 2",
            [*taken_params, *baseline_params],
        )
        return [(key, direction, int(n)) for key, direction, n in cursor.fetchall()]


def _cohort_table(key: str, title: str, rows: list[tuple[Any, str, int]], note: str) -> Table:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for received, direction, n in rows:
        # A case has one reception day, so the people of its days add up to its quarter.
        day = received if isinstance(received, datetime.date) else parse_date(str(received))
        assert day is not None
        counts[(str(Quarter.containing(day)), direction)] += n
    cohorts = sorted({cohort for cohort, _d in counts})
    return Table(
        key=key,
        title=title,
        row_label=str(_("Entry quarter")),
        rows=[(cohort, cohort) for cohort in cohorts],
        columns=[(code, str(label)) for code, label in DIRECTIONS],
        counts=dict(counts),
        # A person is in one cohort (rows add up) but may be in several columns.
        additive_rows=False,
        additive_columns=True,
        note=note,
    )


def _by_domain(scope: StatisticsScope) -> Table:
    counts = {
        (domain, direction): n
        for domain, direction, n in _change_rows(scope, "worker_score", "domain")
    }
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
                _change_rows(scope, "worker_score", "received_at"),
                note,
            ),
            _cohort_table(
                "outcome_change_by_cohort_person",
                str(_("Change of the person's own score from the baseline, by entry cohort")),
                _change_rows(scope, "person_score", "received_at"),
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
