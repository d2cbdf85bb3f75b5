"""Closure, follow-up and reopening over the API (SPEC C9). The same chokepoints, services
and audit as the pages."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from accounts.access import Acting, CaseAction
from api.case_access import case_for, case_worker
from api.schemas import Problem, ValidationProblem
from cases.services import record_case_read
from closure import selectors
from closure.models import CaseClosure, CaseReopening
from closure.retention import identity_erase_on_request
from closure.returning import episode_open
from closure.services import case_reopen, closure_decide, closure_propose, follow_up_end
from closure.termination import (
    plan_termination_decide,
    plan_termination_record,
    terminations_to_decide,
)
from lib.errors import StaleEdit
from monitoring.selectors import setbacks_of
from monitoring.services import ScoreInput

router = Router(tags=["closure"])


class ClosureObjectiveIO(Schema):
    objective_id: int
    result: str


class ClosureScoreIn(Schema):
    domain: str
    worker: int | None = None
    person: int | None = None


class ClosureIn(Schema):
    reason: str
    planned: bool = True
    closed_on: datetime.date
    contact_channel: str
    contact_frequency: str = ""
    consent_to_contact: bool = False
    objectives: list[ClosureObjectiveIO] = []
    person_words: str = ""
    worker_assessment: str = ""
    remaining_needs: str = ""
    follow_up_actions: str = ""
    handed_over_activity_ids: list[int] = []
    handed_over_referral_ids: list[int] = []
    handover: str = ""
    scores: list[ClosureScoreIn] = []


class ClosureDecisionIn(Schema):
    approve: bool
    version: int
    note: str = ""


class ClosureFollowUpEndIn(Schema):
    ended_on: datetime.date
    why: str
    note: str = ""


class ClosureReopenIn(Schema):
    reason: str
    reopened_on: datetime.date
    note: str = ""
    setback_id: int | None = None
    return_to_phase: str = ""


class ClosureOut(Schema):
    id: int
    status: str
    reason: str
    planned: bool
    closed_on: datetime.date
    contact_channel: str
    contact_frequency: str
    consent_to_contact: bool
    objectives: list[ClosureObjectiveIO]
    person_words: str
    worker_assessment: str
    remaining_needs: str
    follow_up_actions: str
    handover: str
    outcome_measurement_id: int | None
    decision_note: str
    follow_up_ended_on: datetime.date | None
    follow_up_end: str
    version: int


class ClosureReopeningOut(Schema):
    id: int
    reason: str
    reopened_on: datetime.date
    note: str
    setback_id: int | None


class ClosureFollowUpOut(Schema):
    due_on: datetime.date
    done_on: datetime.date | None


class ClosureFollowUpDueOut(Schema):
    case_id: int
    case_code: str
    due_on: datetime.date


class ClosureSectionOut(Schema):
    case_id: int
    status: str
    closures: list[ClosureOut]
    reopenings: list[ClosureReopeningOut]
    follow_ups: list[ClosureFollowUpOut]


def _closure(closure: CaseClosure) -> dict[str, Any]:
    text = closure.get_plain_or_erased
    return {
        "id": closure.pk,
        "status": closure.status,
        "reason": closure.reason,
        "planned": closure.planned,
        "closed_on": closure.closed_on,
        "contact_channel": closure.contact_channel,
        "contact_frequency": closure.contact_frequency,
        "consent_to_contact": closure.consent_to_contact,
        "objectives": [
            {"objective_id": row.objective_id, "result": row.result}
            for row in closure.objectives.all()
        ],
        "person_words": text("person_words") or "",
        "worker_assessment": text("worker_assessment") or "",
        "remaining_needs": text("remaining_needs") or "",
        "follow_up_actions": text("follow_up_actions") or "",
        "handover": text("handover") or "",
        "outcome_measurement_id": closure.outcome_measurement_id,
        "decision_note": text("decision_note") or "",
        "follow_up_ended_on": closure.follow_up_ended_on,
        "follow_up_end": closure.follow_up_end,
        "version": closure.version,
    }


def _reopening(reopening: CaseReopening) -> dict[str, Any]:
    return {
        "id": reopening.pk,
        "reason": reopening.reason,
        "reopened_on": reopening.reopened_on,
        "note": reopening.get_plain_or_erased("note") or "",
        "setback_id": reopening.setback_id,
    }


def _fresh(case_id: int, closure_id: int, request: HttpRequest) -> dict[str, Any]:
    _, case = case_for(request, case_id, CaseAction.VIEW)
    closure = next(c for c in selectors.closures_of(case) if c.pk == closure_id)
    return _closure(closure)


@router.get(
    "/cases/{case_id}/closure",
    response={200: ClosureSectionOut, 404: Problem},
    summary="The case's closures, reopenings and follow-up contacts",
)
def closure_section(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:closure")
    return {
        "case_id": case.pk,
        "status": case.status,
        "closures": [_closure(c) for c in selectors.closures_of(case)],
        "reopenings": [_reopening(r) for r in selectors.reopenings_of(case)],
        "follow_ups": [
            {"due_on": i.due_on, "done_on": i.done_on} for i in selectors.follow_ups_of(case)
        ],
    }


@router.post(
    "/cases/{case_id}/closures",
    response={201: ClosureOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Propose to close the case with its closure review",
)
def closure_create(
    request: HttpRequest, case_id: int, payload: ClosureIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    closure = closure_propose(
        acting=acting,
        case=case,
        reason=payload.reason,
        planned=payload.planned,
        closed_on=payload.closed_on,
        contact_channel=payload.contact_channel,
        contact_frequency=payload.contact_frequency,
        consent_to_contact=payload.consent_to_contact,
        objectives={o.objective_id: o.result for o in payload.objectives},
        person_words=payload.person_words,
        worker_assessment=payload.worker_assessment,
        remaining_needs=payload.remaining_needs,
        follow_up_actions=payload.follow_up_actions,
        handed_over_activity_ids=payload.handed_over_activity_ids,
        handed_over_referral_ids=payload.handed_over_referral_ids,
        handover=payload.handover,
        scores={s.domain: ScoreInput(worker=s.worker, person=s.person) for s in payload.scores},
    )
    return Status(201, _fresh(case_id, closure.pk, request))


@router.post(
    "/cases/{case_id}/closures/{closure_id}/decision",
    response={
        200: ClosureOut,
        403: Problem,
        404: Problem,
        409: ClosureOut,
        422: ValidationProblem,
    },
    summary="Approve (closing the case) or refuse a proposed closure",
)
def closure_decision(
    request: HttpRequest, case_id: int, closure_id: int, payload: ClosureDecisionIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    closure = selectors.closure_of(case, closure_id)
    try:
        closure_decide(
            acting=acting,
            closure=closure,
            approve=payload.approve,
            expected_version=payload.version,
            note=payload.note,
        )
    except StaleEdit:
        return Status(409, _fresh(case_id, closure_id, request))
    return Status(200, _fresh(case_id, closure_id, request))


@router.post(
    "/cases/{case_id}/closures/{closure_id}/follow-up-end",
    response={200: ClosureOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Record the end of follow-up, or the withdrawal of consent to be contacted",
)
def closure_follow_up_end(
    request: HttpRequest, case_id: int, closure_id: int, payload: ClosureFollowUpEndIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.FOLLOW_UP)
    closure = selectors.closure_of(case, closure_id)
    follow_up_end(
        acting=acting,
        closure=closure,
        ended_on=payload.ended_on,
        why=payload.why,
        note=payload.note,
    )
    return Status(200, _fresh(case_id, closure_id, request))


@router.post(
    "/cases/{case_id}/reopenings",
    response={201: ClosureReopeningOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Reopen a closed case with a reason",
)
def closure_reopen(
    request: HttpRequest, case_id: int, payload: ClosureReopenIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.REOPEN)
    setback = None
    if payload.setback_id is not None:
        setback = setbacks_of(case).filter(pk=payload.setback_id).first()
        if setback is None:
            raise ValidationError({"setback_id": [_("The setback belongs to another case.")]})
    reopening = case_reopen(
        acting=acting,
        case=case,
        reason=payload.reason,
        reopened_on=payload.reopened_on,
        note=payload.note,
        setback=setback,
        return_to_phase=payload.return_to_phase,
    )
    return Status(201, _reopening(reopening))


@router.get(
    "/work/follow-ups",
    response={200: list[ClosureFollowUpDueOut], 403: Problem},
    summary="Follow-up contacts due on the closed cases the user manages",
)
def closure_follow_ups_due(request: HttpRequest) -> list[dict[str, Any]]:
    acting = case_worker(request)
    today = timezone.localdate()
    return [
        {"case_id": i.case_id, "case_code": i.case.code, "due_on": i.due_on}
        for i in selectors.follow_ups_due_for(acting).filter(due_on__lte=today)[:100]
    ]


@router.post(
    "/cases/{case_id}/erasure",
    response={204: None, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Erase the person's identity on their request (a supervisor approves)",
)
def closure_erasure(request: HttpRequest, case_id: int) -> Status[None]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    identity_erase_on_request(acting=acting, case=case)
    return Status(204, None)


class ClosureEpisodeIn(Schema):
    received_at: datetime.date
    first_contact_on: datetime.date | None = None
    exploitation_ended_on: datetime.date | None = None
    returned_on: datetime.date | None = None


class ClosureEpisodeOut(Schema):
    case_id: int
    code: str
    previous_case_id: int
    days_to_first_contact: int | None


@router.post(
    "/cases/{case_id}/episodes",
    response={201: ClosureEpisodeOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="A returning person: open a new case on the person of this case, linked to it",
)
def closure_episode_create(
    request: HttpRequest, case_id: int, payload: ClosureEpisodeIn
) -> Status[dict[str, Any]]:
    acting, previous = case_for(request, case_id, CaseAction.VIEW)
    case = episode_open(
        acting=acting,
        previous_case=previous,
        received_at=payload.received_at,
        first_contact_on=payload.first_contact_on,
        exploitation_ended_on=payload.exploitation_ended_on,
        returned_on=payload.returned_on,
    )
    return Status(
        201,
        {
            "case_id": case.pk,
            "code": case.code,
            "previous_case_id": previous.pk,
            "days_to_first_contact": case.episode.days_to_first_contact,
        },
    )


class PlanTerminationIn(Schema):
    ground: str
    terminated_on: datetime.date
    grounds: str
    document_id: int | None = None


class PlanTerminationDecisionIn(Schema):
    approve: bool
    version: int


class PlanTerminationOut(Schema):
    """What the approver sees: the case code, the ground and the dates — no identity."""

    id: int
    case_code: str
    ground: str
    terminated_on: datetime.date
    has_document: bool
    status: str
    version: int


def _termination(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "case_code": row.case.code,
        "ground": row.ground,
        "terminated_on": row.terminated_on,
        "has_document": row.document_id is not None,
        "status": row.status,
        "version": row.version,
    }


@router.post(
    "/cases/{case_id}/plan-terminations",
    response={201: PlanTerminationOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Terminate the plan: expiry, written request or gross and repeated violation",
)
def plan_termination_create(
    request: HttpRequest, case_id: int, payload: PlanTerminationIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    termination = plan_termination_record(
        acting=acting,
        case=case,
        ground=payload.ground,
        terminated_on=payload.terminated_on,
        grounds=payload.grounds,
        document_id=payload.document_id,
    )
    return Status(201, _termination(termination))


@router.get(
    "/plan-terminations/pending",
    response={200: list[PlanTerminationOut], 403: Problem},
    summary="Plan terminations waiting for the acting approver (no identity)",
)
def plan_terminations_pending(request: HttpRequest) -> list[dict[str, Any]]:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    return [_termination(row) for row in terminations_to_decide(acting).order_by("id")[:100]]


@router.post(
    "/plan-terminations/{termination_id}/decision",
    response={200: PlanTerminationOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Approve or refuse a plan termination",
)
def plan_termination_decision(
    request: HttpRequest, termination_id: int, payload: PlanTerminationDecisionIn
) -> Status[dict[str, Any]]:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    try:
        termination = plan_termination_decide(
            acting=acting,
            termination_id=termination_id,
            approve=payload.approve,
            expected_version=payload.version,
        )
    except StaleEdit as stale:
        return Status(409, {"detail": str(stale)})
    return Status(200, _termination(termination))
