"""Reads of closure, follow-up and reopening. Each returns preloaded rows so that the
closure section costs the same number of queries whatever the number of items."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.access import Acting, cases_visible_to
from cases.models import Case
from closure.codes import ClosureStatus
from closure.models import CaseClosure, CaseReopening, ClosureObjectiveReview
from work.models import WorkItem, WorkItemKind


def closures_of(case: Case) -> list[CaseClosure]:
    return list(
        CaseClosure.objects.filter(case=case)
        .select_related("data_key", "proposed_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=ClosureObjectiveReview.objects.select_related(
                    "objective__data_key"
                ).order_by("id"),
            )
        )
        .order_by("-created_at", "-id")
    )


def closure_of(case: Case, closure_id: int) -> CaseClosure:
    from django.http import Http404

    closure = (
        CaseClosure.objects.filter(case=case, pk=closure_id)
        .select_related("data_key", "case")
        .first()
    )
    if closure is None:
        raise Http404
    return closure


def current_closure(case: Case) -> CaseClosure | None:
    return (
        CaseClosure.objects.filter(case=case, status=ClosureStatus.APPROVED)
        .select_related("data_key", "case")
        .order_by("-closed_on", "-id")
        .first()
    )


def reopenings_of(case: Case) -> list[CaseReopening]:
    return list(
        CaseReopening.objects.filter(case=case)
        .select_related("data_key", "recorded_by", "setback")
        .order_by("-reopened_on", "-id")
    )


def follow_ups_of(case: Case) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(case=case, kind=WorkItemKind.FOLLOW_UP_CONTACT).order_by(
            "due_on", "id"
        )
    )


def follow_ups_due_for(acting: Acting) -> QuerySet[WorkItem]:
    """ "My work": the open follow-up contacts of the closed cases the user manages."""
    return (
        WorkItem.objects.filter(
            kind=WorkItemKind.FOLLOW_UP_CONTACT,
            done_on__isnull=True,
            case__in=cases_visible_to(acting).filter(case_manager=acting.user),
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def closed_cases_for(
    acting: Acting, *, reason: str = "", planned: str = "", in_follow_up: bool = False
) -> QuerySet[CaseClosure]:
    """The approved closures of the closed cases ``acting`` may see, newest first."""
    rows = CaseClosure.objects.filter(
        status=ClosureStatus.APPROVED,
        case__in=cases_visible_to(acting).filter(status="closed"),
    ).select_related("case")
    if reason:
        rows = rows.filter(reason=reason)
    if planned:
        rows = rows.filter(planned=planned == "yes")
    if in_follow_up:
        rows = rows.filter(follow_up_ended_on__isnull=True)
    return rows.order_by("-closed_on", "-id")
