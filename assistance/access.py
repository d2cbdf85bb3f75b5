"""Who may do what with assistance records and monthly reports. Case records go through the
case chokepoints of ``accounts.access``; the rules below add the report's readers, each on
its own line with the reason it exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.access import Acting
from accounts.roles import Capability
from assistance.models import ExpenditureReport


def may_override_cap(acting: Acting) -> bool:
    # SPEC C7: only a supervisor lets an item pass the cap per beneficiary; the capability
    # to approve plans within the organisation carries the budget decision.
    return acting.can(Capability.PLAN_APPROVE)


def require_reporter(acting: Acting | None) -> Acting:
    """A case manager (or a supervisor managing cases) reports on the cases they manage
    (001 §7.9 L74: "the social worker … reports on a monthly basis")."""
    if acting is None or not acting.sees_identity or not acting.can(Capability.CASE_WORK_OWN):
        raise PermissionDenied("may not report expenditure")
    return acting


def reports_received_by(acting: Acting | None) -> QuerySet[ExpenditureReport]:
    """The coordinator's inbox: reports submitted to the acting organisation. The rows hold
    case codes, never a name."""
    if acting is None or not acting.can(Capability.PLAN_APPROVE_FUNDED):
        return ExpenditureReport.objects.none()
    # Coordinating organisation named by the pack: reports addressed to it (001 §7.9).
    return ExpenditureReport.objects.filter(recipient=acting.organisation)


def reports_visible_to(acting: Acting | None) -> QuerySet[ExpenditureReport]:
    """Reports a case-work user may open in their organisation."""
    if acting is None or not acting.sees_identity:
        return ExpenditureReport.objects.none()
    rules: list[Q] = []
    # The case manager who wrote it.
    if acting.can(Capability.CASE_WORK_OWN):
        rules.append(Q(organisation=acting.organisation, case_manager=acting.user))
    # Supervisors see their organisation's reports (SPEC §2: everything in the organisation).
    if acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION):
        rules.append(Q(organisation=acting.organisation))
    if not rules:
        return ExpenditureReport.objects.none()
    condition = rules[0]
    for rule in rules[1:]:
        condition |= rule
    return ExpenditureReport.objects.filter(condition)


def report_for_coordinator(acting: Acting | None, report_id: int) -> ExpenditureReport:
    if acting is None:
        raise Http404
    if not acting.can(Capability.PLAN_APPROVE_FUNDED):
        raise PermissionDenied("may not read reports submitted to the coordinator")
    report = (
        reports_received_by(acting)
        .select_related("organisation", "recipient")
        .prefetch_related("lines", "works")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report
