"""Late first access: the time from the end of exploitation to the first contact, for the
cases received in the quarter (SPEC C12)."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from cases.models import Case as CaseFile
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult
from reports.suppression import Table

BANDS: list[tuple[str, object, int | None]] = [
    ("30d", _("Within 30 days"), 30),
    ("90d", _("31 to 90 days"), 90),
    ("365d", _("91 days to a year"), 365),
    ("later", _("More than a year"), None),
]
NOT_RECORDED = "none"


def build(scope: StatisticsScope, k: int) -> SectionResult:
    end_of = F("profile__exploitation_ended_on")
    whens = [
        When(
            Q(profile__exploitation_ended_on__isnull=True) | Q(first_contact_on__isnull=True),
            then=Value(NOT_RECORDED),
        )
    ]
    for code, _label, days in BANDS:
        if days is not None:
            whens.append(
                When(first_contact_on__lte=end_of + datetime.timedelta(days=days), then=Value(code))
            )
    rows = (
        CaseFile.objects.filter(
            scope.case_condition(),
            received_at__range=(scope.quarter.start, scope.quarter.end),
        )
        .annotate(band=Case(*whens, default=Value("later"), output_field=CharField()))
        .values("band")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["band"], "n"): row["n"] for row in rows}
    table = Table(
        key="first_access",
        title=str(_("Time from the end of exploitation to the first contact")),
        row_label=str(_("Time to first contact")),
        rows=[(code, str(label)) for code, label, _d in BANDS]
        + [(NOT_RECORDED, str(_("Not recorded")))],
        columns=[("n", str(_("New cases")))],
        counts=counts,
    )
    return SectionResult(
        key="first_access",
        title=str(_("Late first access")),
        tables=[table],
        charts=[
            Chart(
                "bar",
                "first_access",
                str(_("Time to first contact")),
                str(_("Bar chart of new cases by the time from exploitation to first contact.")),
                ["n"],
            )
        ],
    )
