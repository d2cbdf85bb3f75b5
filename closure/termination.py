"""Plan termination (001 §7.12): on expiry of the term, on the person's written request, or
for gross and repeated violation — each with its date, grounds and document. Where the pack
names an approver the termination waits for them; the Fund (ge-fund) decides from a view
that carries the case code and the ground only, never a name or a date of birth."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, require_case_action
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record, record_on_case
from cases.models import Case, CaseDocument
from closure.codes import ClosureStatus, TerminationGround
from closure.models import PlanTermination
from lib.errors import StaleEdit
from plans.models import Plan
from plans.selectors import coordinating_fund_for
from policies.selectors import policy_for_case


@transaction.atomic
def plan_termination_record(
    *,
    acting: Acting,
    case: Case,
    ground: str,
    terminated_on: datetime.date,
    grounds: str,
    document_id: int | None = None,
) -> PlanTermination:
    require_case_action(acting, case, CaseAction.MANAGE)
    errors: dict[str, list[str]] = {}
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        errors["ground"] = [_("The case has no plan.")]
    if ground not in TerminationGround.values:
        errors["ground"] = [_("Choose one of the listed values.")]
    if terminated_on is None or terminated_on > timezone.localdate():
        errors["terminated_on"] = [_("The date cannot be in the future.")]
    grounds = (grounds or "").strip()
    if not grounds:
        errors["grounds"] = [_("State the grounds.")]
    document = None
    if document_id is not None:
        document = CaseDocument.objects.filter(case=case, pk=document_id).first()
        if document is None:
            errors["document_id"] = [_("The document belongs to another case.")]
    if ground != TerminationGround.EXPIRY and document is None and "document_id" not in errors:
        errors["document_id"] = [_("Attach the written request or the record of the violations.")]
    if PlanTermination.objects.filter(case=case, status=ClosureStatus.PROPOSED).exists():
        errors["ground"] = [_("A termination of this plan is already waiting for approval.")]
    if errors:
        raise ValidationError(errors)
    assert plan is not None
    approver = policy_for_case(case).plan.final_approval_by
    termination = PlanTermination(
        case=case,
        data_key=case.data_key,
        plan=plan,
        ground=ground,
        terminated_on=terminated_on,
        document=document,
        approver=approver,
        approving_organisation=coordinating_fund_for(case) if approver == "coordinator" else None,
        status=ClosureStatus.APPROVED if approver == "none" else ClosureStatus.PROPOSED,
        recorded_by=acting.user,
    )
    termination.set_plain("grounds", grounds)
    termination.save()
    record_on_case(
        acting,
        AuditAction.CREATE,
        termination,
        case,
        fields=["ground", "terminated_on", "grounds", "document"],
        detail={"ground": ground, "approver": approver},
    )
    return termination


def terminations_to_decide(acting: Acting | None) -> QuerySet[PlanTermination]:
    """What ``acting`` decides: the Fund its submitted terminations, a supervisor those of
    the organisation's cases under a pack whose approver is the supervisor."""
    if acting is None:
        return PlanTermination.objects.none()
    rows = PlanTermination.objects.filter(status=ClosureStatus.PROPOSED).select_related("case")
    if acting.can(Capability.PLAN_APPROVE_FUNDED):
        return rows.filter(approver="coordinator", approving_organisation=acting.organisation)
    if acting.can(Capability.PLAN_APPROVE):
        return rows.filter(approver="supervisor", case__organisation=acting.organisation)
    return PlanTermination.objects.none()


@transaction.atomic
def plan_termination_decide(
    *, acting: Acting, termination_id: int, approve: bool, expected_version: int
) -> PlanTermination:
    termination = (
        terminations_to_decide(acting).select_for_update(of=("self",)).filter(pk=termination_id)
    ).first()
    if termination is None:
        if acting.can(Capability.PLAN_APPROVE_FUNDED) or acting.can(Capability.PLAN_APPROVE):
            raise Http404
        raise PermissionDenied("may not decide plan terminations")
    if termination.version != expected_version:
        raise StaleEdit(current={"status": termination.status, "version": termination.version})
    termination.status = ClosureStatus.APPROVED if approve else ClosureStatus.REFUSED
    termination.decided_by = acting.user
    termination.decided_at = timezone.now()
    termination.version += 1
    termination.save()
    record(
        action=AuditAction.UPDATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=termination,
        case_id=termination.case_id,
        fields=["status"],
        detail={"status": termination.status},
    )
    return termination
