"""Reads of crisis interventions, case meetings and information requests: paginated lists
preloaded in a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from cases.models import Case
from teamwork.models import CaseMeeting, CrisisIntervention, InformationRequest


def crises_of(case: Case) -> QuerySet[CrisisIntervention]:
    return CrisisIntervention.objects.filter(case=case).select_related("data_key", "recorded_by")


def meetings_of(case: Case) -> QuerySet[CaseMeeting]:
    return (
        CaseMeeting.objects.filter(case=case)
        .select_related("data_key", "minutes_shared_by")
        .prefetch_related(Prefetch("participants", queryset=User.objects.order_by("pk")))
    )


def meeting_of(case: Case, meeting_id: int) -> CaseMeeting:
    meeting = meetings_of(case).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


def requests_listed(queryset: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    return queryset.select_related(
        "data_key", "case", "organisation", "requested_by", "answered_by"
    ).order_by("-requested_at", "-id")


def request_of(queryset: QuerySet[InformationRequest], request_id: int) -> InformationRequest:
    found = requests_listed(queryset).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def staff_choices(case: Case) -> QuerySet[User]:
    """Who may be named as a participant: the owning organisation's active staff."""
    return (
        User.objects.filter(
            memberships__organisation=case.organisation, memberships__is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
