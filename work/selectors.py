"""Reads for "my work" and the supervisor's team view. Every list is one indexed query over
stored work items; nothing walks the cases in Python (DESIGN "Performance design")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import Role
from cases.models import Case, CaseStatus
from work.models import WorkItem, WorkItemKind

if TYPE_CHECKING:
    from accounts.access import Acting
    from accounts.models import Organisation

# "This week" is the next seven days, so that Friday's list still shows Monday's work.
WEEK_DAYS = 7


class Bucket:
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"


def bucket_of(due_on: date, today: date) -> str:
    if due_on < today:
        return Bucket.OVERDUE
    if due_on == today:
        return Bucket.TODAY
    return Bucket.WEEK


def week_end(today: date) -> date:
    return today + timedelta(days=WEEK_DAYS)


def my_due_count(acting: Acting, *, today: date) -> int:
    """How many of the user's items are overdue or due today: the badge in the navigation."""
    return WorkItem.objects.filter(
        responsible=acting.user,
        organisation=acting.organisation,
        done_on__isnull=True,
        due_on__lte=today,
    ).count()


def work_items_of_case(case: Case) -> QuerySet[WorkItem]:
    """A case's deadlines, met and open, for its case page (the caller has checked access)."""
    return WorkItem.objects.filter(case=case).select_related("responsible").order_by("due_on", "id")


def my_open_items(acting: Acting, *, today: date) -> QuerySet[WorkItem]:
    """The acting user's unmet items in the acting organisation, due up to a week ahead,
    oldest first (index work_item_open_by_user)."""
    return (
        WorkItem.objects.filter(
            responsible=acting.user,
            organisation=acting.organisation,
            done_on__isnull=True,
            due_on__lte=week_end(today),
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class WorkSummary:
    overdue: int
    today: int
    week: int
    by_kind: list[tuple[str, str, int]]  # (kind, label, count)

    def count(self, kind: str = "") -> int:
        """Items of ``kind`` (all kinds when empty): what the page lists."""
        if kind:
            return sum(n for code, _label, n in self.by_kind if code == kind)
        return self.overdue + self.today + self.week


def summarise(items: QuerySet[WorkItem], *, today: date) -> WorkSummary:
    """Counts per bucket and per kind, in one grouped query (the totals are its sums)."""
    labels = dict(WorkItemKind.choices)
    rows = list(
        items.order_by()
        .values("kind")
        .annotate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            today=Count("id", filter=Q(due_on=today)),
            week=Count("id", filter=Q(due_on__gt=today)),
        )
        .order_by("kind")
    )
    return WorkSummary(
        overdue=sum(row["overdue"] for row in rows),
        today=sum(row["today"] for row in rows),
        week=sum(row["week"] for row in rows),
        by_kind=[
            (
                row["kind"],
                str(labels.get(row["kind"], row["kind"])),
                row["overdue"] + row["today"] + row["week"],
            )
            for row in rows
        ],
    )


def team_overdue_items(organisation: Organisation, *, today: date) -> QuerySet[WorkItem]:
    """The organisation's unmet items past their due date (index work_item_open_by_org)."""
    return (
        WorkItem.objects.filter(organisation=organisation, done_on__isnull=True, due_on__lt=today)
        .select_related("case", "responsible")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class Caseload:
    worker: User
    open_cases: int
    overdue: int
    over_threshold: bool


def caseloads(organisation: Organisation, *, today: date, threshold: int) -> list[Caseload]:
    """Open cases and overdue items per case worker, against the pack's threshold
    (003 L318). One query: counts come from correlated subqueries, not joins that would
    multiply rows."""
    open_cases = (
        Case.objects.filter(
            organisation=organisation, status=CaseStatus.OPEN, case_manager=OuterRef("pk")
        )
        .order_by()
        .values("case_manager")
        .annotate(n=Count("id"))
        .values("n")
    )
    overdue = (
        WorkItem.objects.filter(
            organisation=organisation,
            responsible=OuterRef("pk"),
            done_on__isnull=True,
            due_on__lt=today,
        )
        .order_by()
        .values("responsible")
        .annotate(n=Count("id"))
        .values("n")
    )
    workers = (
        User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(
                organisation=organisation,
                role__in=[Role.CASE_MANAGER, Role.SPECIALIST, Role.SUPERVISOR],
            )
            .values("user_id")
        )
        .annotate(
            open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), Value(0)),
            overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        )
        .order_by("-open_cases", "last_name", "username")
    )
    return [
        Caseload(
            worker=worker,
            open_cases=worker.open_cases,
            overdue=worker.overdue,
            over_threshold=worker.open_cases > threshold,
        )
        for worker in workers
    ]


def case_link(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id])


def case_links(case_ids: Iterable[int]) -> dict[int, str]:
    return {case_id: case_link(case_id) for case_id in set(case_ids)}
