"""New, active and closed cases by sex, age band, citizenship, form of exploitation and
identification status (SPEC C12; 001 §1.2).

New: received in the quarter. Closed: a closure recorded in the quarter (the closure
milestone). Active: received by the end of the quarter and open, or closed during or after it.
Two grouped queries: one over cases (every single-valued dimension at once), one over the
forms of exploitation (a case may have several).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from cases.codes import ExploitationForm, IdentificationStatus, ProfileCodeList
from cases.models import Case, CaseStatus, ProfileCode
from people.codes import Sex
from reports.bands import age_band_choices, age_band_of
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult
from reports.suppression import Table
from services.codes import country_name
from work.models import CaseMilestone, MilestoneKind

NOT_RECORDED = "none"
MEASURES = [
    ("new", _("New")),
    ("active", _("Active")),
    ("closed", _("Closed")),
]


def case_flags(scope: StatisticsScope, prefix: str = "") -> dict[str, Any]:
    """Annotations saying whether a case (reached through ``prefix``) is new, active or closed
    in the scope's quarter. The closures are an uncorrelated subquery, which the database
    evaluates once (a hashed set), not once per row."""
    start, end = scope.quarter.start, scope.quarter.end
    p = prefix
    closed_in = CaseMilestone.objects.filter(
        kind=MilestoneKind.CLOSURE, occurred_on__range=(start, end)
    ).values("case_id")
    closed_since = CaseMilestone.objects.filter(
        kind=MilestoneKind.CLOSURE, occurred_on__gte=start
    ).values("case_id")
    case_id = f"{p}pk" if p else "pk"
    return {
        "is_new": ExpressionWrapper(
            Q(**{f"{p}received_at__range": (start, end)}), output_field=BooleanField()
        ),
        "is_closed": ExpressionWrapper(
            Q(**{f"{case_id}__in": closed_in}), output_field=BooleanField()
        ),
        "is_active": ExpressionWrapper(
            Q(**{f"{p}received_at__lte": end})
            & (Q(**{f"{p}status": CaseStatus.OPEN}) | Q(**{f"{case_id}__in": closed_since})),
            output_field=BooleanField(),
        ),
    }


def _counted(rows: list[dict[str, Any]], dimension: str) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        key = row[dimension] or NOT_RECORDED
        for measure, _label in MEASURES:
            if row[f"is_{measure}"]:
                counts[(key, measure)] += row["n"]
    return dict(counts)


def _rows_for(
    choices: list[tuple[str, str]], counts: dict[tuple[str, str], int]
) -> list[tuple[str, str]]:
    """The listed values in their order, then any value found that the list lacks."""
    known = {code for code, _label in choices}
    found = {code for code, _measure in counts}
    extra = sorted(found - known)
    return [*choices, *((code, code) for code in extra)]


def build(scope: StatisticsScope, k: int) -> SectionResult:
    flags = case_flags(scope)
    in_scope = Case.objects.filter(
        scope.case_condition(), received_at__lte=scope.quarter.end
    ).annotate(**flags)
    # Grouped on plain columns (the bands are worked out below from year of birth and year
    # of reception): cheaper for the database than grouping on expressions.
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in in_scope.annotate(received_year=ExtractYear("received_at"))
        .values(
            "person__sex",
            "person__birth_year",
            "received_year",
            "identification_status",
            *flags,
        )
        .annotate(n=Count("id"))
        .order_by()
    ]
    for row in rows:
        born = row["person__birth_year"]
        row["age_band"] = age_band_of(row["received_year"] - born if born else None)
    citizenship_rows: list[dict[str, Any]] = [
        dict(row)
        for row in in_scope.values("person__citizenships__country", *flags)
        .annotate(n=Count("id"))
        .order_by()
    ]
    code_flags = case_flags(scope, "profile__case__")
    exploitation: list[dict[str, Any]] = list(
        ProfileCode.objects.filter(
            scope.case_condition("profile__case__"),
            list=ProfileCodeList.EXPLOITATION,
            profile__case__received_at__lte=scope.quarter.end,
        )
        .annotate(**code_flags)
        .values("code", *code_flags)
        .annotate(n=Count("id"))
        .order_by()
    )
    without_form: list[dict[str, Any]] = [
        dict(row)
        for row in in_scope.filter(
            ~Exists(
                ProfileCode.objects.filter(
                    profile__case=OuterRef("pk"), list=ProfileCodeList.EXPLOITATION
                )
            )
        )
        .values(*flags)
        .annotate(n=Count("id"))
        .order_by()
    ]
    for row in without_form:
        row["code"] = NOT_RECORDED
    exploitation.extend(without_form)

    measures = [(code, str(label)) for code, label in MEASURES]
    sex_counts = _counted(rows, "person__sex")
    age_counts = _counted(rows, "age_band")
    citizenship_counts = _counted(citizenship_rows, "person__citizenships__country")
    status_counts = _counted(rows, "identification_status")
    form_counts = _counted(exploitation, "code")
    not_recorded = str(_("Not recorded"))
    citizenships = sorted({code for code, _m in citizenship_counts if code != NOT_RECORDED})
    tables = [
        Table(
            key="cases_by_sex",
            title=str(_("Cases by sex")),
            row_label=str(_("Sex")),
            rows=_rows_for([(c, str(label)) for c, label in Sex.choices], sex_counts),
            columns=measures,
            counts=sex_counts,
            additive_rows=False,
        ),
        Table(
            key="cases_by_age",
            title=str(_("Cases by age band at registration")),
            row_label=str(_("Age")),
            rows=_rows_for(age_band_choices(), age_counts),
            columns=measures,
            counts=age_counts,
            additive_rows=False,
        ),
        Table(
            key="cases_by_citizenship",
            title=str(_("Cases by citizenship")),
            row_label=str(_("Citizenship")),
            rows=[(c, country_name(c)) for c in citizenships] + [(NOT_RECORDED, not_recorded)],
            columns=measures,
            counts=citizenship_counts,
            additive_rows=False,
            additive_columns=False,
            note=str(_("A person with several citizenships counts under each, so no totals.")),
        ),
        Table(
            key="cases_by_exploitation",
            title=str(_("Cases by form of exploitation")),
            row_label=str(_("Form of exploitation")),
            rows=_rows_for(
                [
                    *((c, str(label)) for c, label in ExploitationForm.choices),
                    (NOT_RECORDED, not_recorded),
                ],
                form_counts,
            ),
            columns=measures,
            counts=form_counts,
            additive_rows=False,
            additive_columns=False,
            note=str(
                _("A case with several forms of exploitation counts under each, so no totals.")
            ),
        ),
        Table(
            key="cases_by_identification",
            title=str(_("Cases by identification status")),
            row_label=str(_("Identification status")),
            rows=_rows_for(
                [(c, str(label)) for c, label in IdentificationStatus.choices], status_counts
            ),
            columns=measures,
            counts=status_counts,
            additive_rows=False,
        ),
    ]
    return SectionResult(
        key="cases",
        title=str(_("New, active and closed cases")),
        tables=tables,
        charts=[
            Chart(
                "bar",
                "cases_by_sex",
                str(_("New cases by sex")),
                str(_("Bar chart of the cases received in the quarter, by sex.")),
                ["new"],
            ),
            Chart(
                "bar",
                "cases_by_age",
                str(_("Active cases by age band")),
                str(_("Bar chart of the cases active in the quarter, by age at registration.")),
                ["active"],
            ),
            Chart(
                "stacked",
                "cases_by_identification",
                str(_("Cases by identification status")),
                str(_("Stacked bars of new and closed cases, by identification status.")),
                ["new", "closed"],
            ),
        ],
    )
