"""Milestones for the demo cases, so that "My work" and the reminders have something to show.

The case file's demo seeder creates the cases; this runs after it and gives every demo case
that has no milestone yet a plausible history, chosen from the case's number so that running
``seed_demo`` again changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import ORGANISATIONS
from cases.models import Case, CaseStatus
from policies.selectors import policy_for_case
from policies.services import sync_policy_packs
from work.models import CaseMilestone, MilestoneKind
from work.services import milestone_record


def _story(case: Case, today: date) -> list[tuple[MilestoneKind, date]]:
    received = min(case.received_at, today)

    def on(days: int) -> date:
        return min(received + timedelta(days=days), today)

    steps = [(MilestoneKind.RECEPTION, received)]
    if case.case_manager_id:
        steps.append((MilestoneKind.CASE_MANAGER_ASSIGNED, on(1)))
    chapter = case.pk % 4
    if chapter >= 1 and (today - received).days > 20:
        steps.append((MilestoneKind.ASSESSMENT_COMPLETED, on(12)))
        steps.append((MilestoneKind.PLAN_SUBMITTED, on(18)))
        if policy_for_case(case).plan.final_approval_by != "none":
            steps.append((MilestoneKind.PLAN_APPROVED, on(25)))
    if chapter >= 2 and (today - received).days > 60:
        steps.append((MilestoneKind.MONITORING_CONTACT, on(55)))
    if case.status == CaseStatus.CLOSED:
        steps.append((MilestoneKind.CLOSURE, max(day for _, day in steps)))
    return sorted(steps, key=lambda step: step[1])


@transaction.atomic
def seed_work() -> int:
    """Record milestones for demo cases without any; returns how many cases got them."""
    sync_policy_packs()
    today = timezone.localdate()
    prefixes = [organisation.case_prefix for organisation in ORGANISATIONS]
    with_milestones = CaseMilestone.objects.values("case_id")
    cases = (
        Case.objects.filter(organisation__case_prefix__in=prefixes)
        .exclude(pk__in=with_milestones)
        .order_by("pk")
    )
    seeded = 0
    for case in cases:
        for kind, day in _story(case, today):
            milestone_record(case=case, kind=kind, occurred_on=day, actor=None)
        seeded += 1
    return seeded
