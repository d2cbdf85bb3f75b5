"""Referrals sent, accepted and declined, and how fast they were answered (SPEC C12)."""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from referrals.models import Referral, ReferralStatus
from reports.scope import StatisticsScope
from reports.sections import Chart, SectionResult, figure_if_enough
from reports.suppression import Table

# Buckets of the time from sending to the answer.
RESPONSE_BUCKETS: list[tuple[str, object, int | None]] = [
    ("1d", _("Within a day"), 1),
    ("3d", _("2 to 3 days"), 3),
    ("7d", _("4 to 7 days"), 7),
    ("14d", _("8 to 14 days"), 14),
    ("more", _("More than 14 days"), None),
]
UNANSWERED = "unanswered"


def build(scope: StatisticsScope, k: int) -> SectionResult:
    start, end = scope.quarter.start, scope.quarter.end
    sent = Referral.objects.filter(
        scope.case_condition("case__"), sent_at__date__range=(start, end)
    ).annotate(
        _wait=ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())
    )
    whens = [When(answered_at__isnull=True, then=Value(UNANSWERED))]
    for code, _label, days in RESPONSE_BUCKETS:
        if days is not None:
            whens.append(When(Q(_wait__lte=datetime.timedelta(days=days)), then=Value(code)))
    bucketed = (
        sent.annotate(
            bucket=Case(*whens, default=Value("more"), output_field=CharField()),
            on_time=Case(
                When(answered_at__isnull=True, then=Value("open")),
                When(answered_at__date__lte=F("respond_by"), then=Value("on_time")),
                default=Value("late"),
                output_field=CharField(),
            ),
        )
        .values("status", "bucket", "on_time")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status: dict[tuple[str, str], int] = {}
    by_wait: dict[tuple[str, str], int] = {}
    timely: dict[tuple[str, str], int] = {}
    for row in bucketed:
        for counts, key in (
            (by_status, (row["status"], "n")),
            (by_wait, (row["bucket"], "n")),
            (timely, (row["on_time"], "n")),
        ):
            counts[key] = counts.get(key, 0) + row["n"]
    answered = sent.filter(answered_at__isnull=False).aggregate(mean=Avg("_wait"), n=Count("id"))
    mean: datetime.timedelta | None = answered["mean"]
    mean_days = round(mean.total_seconds() / 86400, 1) if mean is not None else None
    count_column = [("n", str(_("Referrals")))]
    tables = [
        Table(
            key="referrals_by_status",
            title=str(_("Referrals sent in the quarter, by current status")),
            row_label=str(_("Status")),
            rows=[(code, str(label)) for code, label in ReferralStatus.choices],
            columns=count_column,
            counts=by_status,
            note=str(
                _(
                    "Accepted referrals move on to in progress, completed or not delivered; "
                    "each referral counts once, under its status today."
                )
            ),
        ),
        Table(
            key="referrals_by_response_time",
            title=str(_("Time to answer the referrals sent in the quarter")),
            row_label=str(_("Answered")),
            rows=[(code, str(label)) for code, label, _d in RESPONSE_BUCKETS]
            + [(UNANSWERED, str(_("Not answered yet")))],
            columns=count_column,
            counts=by_wait,
        ),
        Table(
            key="referrals_on_time",
            title=str(_("Referrals answered by the date expected")),
            row_label=str(_("Answer")),
            rows=[
                ("on_time", str(_("By the date expected"))),
                ("late", str(_("After the date expected"))),
                ("open", str(_("Not answered yet"))),
            ],
            columns=count_column,
            counts=timely,
        ),
    ]
    return SectionResult(
        key="referrals",
        title=str(_("Referrals and response times")),
        tables=tables,
        figures=[
            figure_if_enough(
                "mean_response_days",
                str(_("Mean time to answer, in days")),
                mean_days,
                basis=answered["n"],
                k=k,
            )
        ],
        charts=[
            Chart(
                "bar",
                "referrals_by_status",
                str(_("Referrals by status")),
                str(_("Bar chart of the referrals sent in the quarter, by status.")),
                ["n"],
            ),
            Chart(
                "bar",
                "referrals_by_response_time",
                str(_("Time to answer")),
                str(_("Bar chart of the time the recipients took to answer.")),
                ["n"],
            ),
        ],
    )
