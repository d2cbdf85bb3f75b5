"""Reads of the complaints register. Only the organisation's supervisors and its complaints
officer see complaints (002 §2.16: kept apart from the case files); everyone else gets none."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.access import Acting
from accounts.roles import Capability
from complaints.models import Complaint


def complaints_visible_to(acting: Acting | None) -> QuerySet[Complaint]:
    if acting is None or not acting.can(Capability.COMPLAINTS_HANDLE):
        return Complaint.objects.none()
    # Owner organisation only: a complaint never travels with a referral or a transfer.
    return Complaint.objects.filter(organisation=acting.organisation)


def complaint_list(acting: Acting | None, *, status: str = "") -> QuerySet[Complaint]:
    complaints = complaints_visible_to(acting).select_related("data_key", "handler", "case")
    if status:
        complaints = complaints.filter(status=status)
    return complaints.order_by("status", "response_due_on", "-received_on", "-id")


def complaint_for(acting: Acting | None, complaint_id: int) -> Complaint:
    """The complaint, if ``acting`` handles the organisation's complaints; 404 otherwise."""
    complaint = (
        complaints_visible_to(acting)
        .select_related("data_key", "handler", "case", "recorded_by")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def handlers_of(acting: Acting) -> QuerySet:
    """Who may be named as handler: the organisation's supervisors and complaints officers."""
    from accounts.models import Membership, User
    from accounts.roles import Role

    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(
            organisation=acting.organisation,
            role__in=[Role.SUPERVISOR, Role.COMPLAINTS_OFFICER],
        )
        .values("user_id")
    ).order_by("last_name", "first_name", "username")


def case_id_by_number(acting: Acting, number: str) -> int | None:
    """The id of a case the user may see, by its case number or pseudonymous code."""
    from django.db.models import Q

    from accounts.access import cases_visible_to

    number = number.strip()
    if not number:
        return None
    return (
        cases_visible_to(acting)
        .filter(Q(number__iexact=number) | Q(code__iexact=number))
        .values_list("pk", flat=True)
        .first()
    )
