"""Reads for the home page: what each role starts the day with.

A case worker sees their overdue and today's work, the cases opened most recently, referrals
waiting for their organisation's answer and plans returned to them with comments; a
supervisor the plans to approve, overdue work per worker and the persons' requests for
another case manager; a coordinator the submissions waiting for the fund's decision. Each
list is one bounded query through the access chokepoints; cases are shown by number and code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from accounts.access import cases_visible_to, plans_for_approval, referrals_received_by
from accounts.roles import Capability
from work.models import WorkItem
from work.selectors import case_links

if TYPE_CHECKING:
    from accounts.access import Acting

# Enough to start the day with; the full lists are one click away.
HOME_ROWS = 6


@dataclass
class Day:
    """What the home page shows; a list is ``None`` when the role does not see it."""

    due: list[dict[str, Any]] | None = None
    due_count: int = 0
    recent_cases: list[Any] | None = None
    referrals_waiting: list[Any] | None = None
    plans_returned: list[Any] | None = None
    plans_to_approve: list[Any] | None = None
    plans_to_approve_count: int = 0
    overdue_by_worker: list[dict[str, Any]] | None = None
    change_requests: list[Any] | None = None
    fund_submissions: list[Any] | None = None
    shortcuts: list[tuple[str, str]] = field(default_factory=list)


def _due_today_or_overdue(acting: Acting, today: date) -> tuple[list[dict[str, Any]], int]:
    items = (
        WorkItem.objects.filter(
            responsible=acting.user,
            organisation=acting.organisation,
            done_on__isnull=True,
            due_on__lte=today,
        )
        .select_related("case")
        .order_by("due_on", "id")
    )
    shown = list(items[:HOME_ROWS])
    count = len(shown) if len(shown) < HOME_ROWS else items.count()
    links = case_links(item.case_id for item in shown)
    return [
        {"item": item, "link": links[item.case_id], "overdue": item.due_on < today}
        for item in shown
    ], count


def day_for(acting: Acting, *, today: date) -> Day:
    from cases.codes import ChangeRequestStatus
    from cases.models import CaseManagerChangeRequest, CaseStatus
    from plans.codes import PlanStatus
    from plans.models import Plan
    from referrals.models import ReferralStatus

    day = Day()
    works_cases = acting.sees_identity and acting.can(Capability.CASE_WORK_TEAM)
    if acting.can(Capability.WORK_QUEUE):
        day.due, day.due_count = _due_today_or_overdue(acting, today)
    if works_cases:
        visible = cases_visible_to(acting)
        day.recent_cases = list(
            visible.filter(status=CaseStatus.OPEN)
            .select_related("case_manager")
            .order_by("-received_at", "-id")[:HOME_ROWS]
        )
        day.referrals_waiting = list(
            referrals_received_by(acting)
            .filter(status=ReferralStatus.SENT)
            .select_related("case", "sender")
            .order_by("respond_by", "id")[:HOME_ROWS]
        )
        # A plan the approver returned with comments is the case manager's to rework.
        day.plans_returned = list(
            Plan.objects.filter(
                status=PlanStatus.RETURNED,
                case__in=visible,
                case__case_manager=acting.user,
            )
            .select_related("case")
            .order_by("-updated_at", "-id")[:HOME_ROWS]
        )
    if acting.can(Capability.PLAN_APPROVE):
        waiting = plans_for_approval(acting).filter(
            status=PlanStatus.SUBMITTED, organisation=acting.organisation
        )
        day.plans_to_approve = list(
            waiting.select_related("case").order_by("submitted_at", "id")[:HOME_ROWS]
        )
        day.plans_to_approve_count = (
            len(day.plans_to_approve) if len(day.plans_to_approve) < HOME_ROWS else waiting.count()
        )
    if acting.can(Capability.CASELOAD_VIEW):
        day.overdue_by_worker = [
            dict(row)
            for row in WorkItem.objects.filter(
                organisation=acting.organisation, done_on__isnull=True, due_on__lt=today
            )
            .values(
                "responsible_id",
                "responsible__first_name",
                "responsible__last_name",
                "responsible__username",
            )
            .annotate(overdue=Count("id"))
            .order_by("-overdue", "responsible__username")[:HOME_ROWS]
        ]
        if works_cases:
            day.change_requests = list(
                CaseManagerChangeRequest.objects.filter(
                    status=ChangeRequestStatus.OPEN, case__in=cases_visible_to(acting)
                )
                .select_related("case", "case__case_manager")
                .order_by("requested_on", "id")[:HOME_ROWS]
            )
    if acting.can(Capability.PLAN_APPROVE_FUNDED):
        # Submissions to the fund from other organisations' case managers (001 §3.4(b)).
        day.fund_submissions = list(
            plans_for_approval(acting)
            .filter(status=PlanStatus.SUBMITTED, approving_organisation=acting.organisation)
            .exclude(organisation=acting.organisation)
            .select_related("case", "organisation")
            .order_by("submitted_at", "id")[:HOME_ROWS]
        )
    if acting.can(Capability.ORGANISATION_USERS_MANAGE):
        day.shortcuts.append(("accounts:members", "users"))
    if acting.can(Capability.ORGANISATIONS_MANAGE):
        day.shortcuts.append(("accounts:organisations", "organisations"))
    if acting.can(Capability.AUDIT_VIEW):
        day.shortcuts.append(("audit:log", "audit"))
    return day
