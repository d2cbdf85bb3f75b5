"""Crisis interventions, case meetings and the fund's information requests (issue 14 item 8):
the same services, access rules and audit as the pages."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from accounts.access import (
    Acting,
    CaseAction,
    funded_case_for,
    information_requests_for,
)
from accounts.models import User
from accounts.roles import Capability
from api.case_access import case_for as _case
from api.schemas import Problem, ValidationProblem
from audit.models import AuditAction
from audit.services import record
from lib.errors import StaleEdit
from lib.views import acting_or_403
from teamwork.models import CaseMeeting, CrisisIntervention, InformationRequest
from teamwork.selectors import crises_of, meeting_of, meetings_of, request_of, requests_listed
from teamwork.services import (
    crisis_record,
    information_request_answer,
    information_request_create,
    meeting_minutes_share,
    meeting_record,
    records_read,
)

router = Router(tags=["teamwork"])


class TeamworkPage(Schema):
    offset: int = 0
    limit: int = 20


def _window(page: TeamworkPage) -> slice:
    offset = max(page.offset, 0)
    return slice(offset, offset + min(max(page.limit, 1), 100))


class CrisisOut(Schema):
    id: int
    occurred_at: datetime.datetime
    situation: str
    immediate_risks: str
    actions: str
    responders: str
    outcome: str
    follow_up_needed: bool
    recorded_by_id: int


class CrisisIn(Schema):
    occurred_at: datetime.datetime
    situation: str
    immediate_risks: str
    actions: str
    responders: str
    outcome: str = ""
    follow_up_needed: bool = True


class MeetingOut(Schema):
    id: int
    held_on: datetime.date
    participant_ids: list[int]
    other_participants: str
    purpose: str
    decisions: str
    minutes: str
    minutes_due_on: datetime.date
    minutes_shared_on: datetime.date | None
    minutes_on_time: bool | None
    version: int


class MeetingIn(Schema):
    held_on: datetime.date
    participant_ids: list[int] = []
    other_participants: str = ""
    purpose: str
    decisions: str
    minutes_due_on: datetime.date


class MinutesIn(Schema):
    expected_version: int
    minutes: str
    shared_on: datetime.date


class InformationRequestOut(Schema):
    id: int
    case_code: str
    organisation: str
    requested_at: datetime.datetime
    question: str
    answer_by: datetime.date | None
    answer: str | None
    answered_at: datetime.datetime | None
    version: int


class InformationRequestIn(Schema):
    case_id: int
    question: str
    answer_by: datetime.date | None = None


class InformationAnswerIn(Schema):
    expected_version: int
    answer: str


def _crisis_out(crisis: CrisisIntervention) -> dict[str, Any]:
    return {
        "id": crisis.pk,
        "occurred_at": crisis.occurred_at,
        **{
            name: crisis.get_plain_or_erased(name) or ""
            for name in ("situation", "immediate_risks", "actions", "responders", "outcome")
        },
        "follow_up_needed": crisis.follow_up_needed,
        "recorded_by_id": crisis.recorded_by_id,
    }


def _meeting_out(meeting: CaseMeeting) -> dict[str, Any]:
    shared = meeting.minutes_shared_on
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "participant_ids": [user.pk for user in meeting.participants.all()],
        **{
            name: meeting.get_plain_or_erased(name) or ""
            for name in ("other_participants", "purpose", "decisions", "minutes")
        },
        "minutes_due_on": meeting.minutes_due_on,
        "minutes_shared_on": shared,
        "minutes_on_time": None if shared is None else shared <= meeting.minutes_due_on,
        "version": meeting.version,
    }


def _request_out(item: InformationRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "case_code": item.case.code,
        "organisation": item.organisation.name,
        "requested_at": item.requested_at,
        "question": item.get_plain_or_erased("question") or "",
        "answer_by": item.answer_by,
        "answer": item.get_plain_or_erased("answer") if item.answered_at else None,
        "answered_at": item.answered_at,
        "version": item.version,
    }


# ---------------------------------------------------------------- crisis interventions


@router.get(
    "/cases/{case_id}/crisis-interventions",
    response={200: list[CrisisOut], 404: Problem},
    summary="Crisis interventions of the case, newest first (audited read)",
)
def crisis_list(
    request: HttpRequest, case_id: int, page: Query[TeamworkPage]
) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    rows = list(crises_of(case)[_window(page)])
    records_read(acting=acting, case=case, records=rows)
    return [_crisis_out(row) for row in rows]


@router.post(
    "/cases/{case_id}/crisis-interventions",
    response={201: CrisisOut, 404: Problem, 422: ValidationProblem},
    summary="Record a crisis intervention: situation, risks, actions, who, outcome",
)
def crisis_create(request: HttpRequest, case_id: int, payload: CrisisIn) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    crisis = crisis_record(acting=acting, case=case, **payload.dict())
    return Status(201, _crisis_out(crisis))


# ---------------------------------------------------------------- case meetings


@router.get(
    "/cases/{case_id}/meetings",
    response={200: list[MeetingOut], 404: Problem},
    summary="Multidisciplinary case meetings, newest first (audited read)",
)
def meeting_list(
    request: HttpRequest, case_id: int, page: Query[TeamworkPage]
) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    rows = list(meetings_of(case)[_window(page)])
    records_read(acting=acting, case=case, records=rows)
    return [_meeting_out(row) for row in rows]


@router.post(
    "/cases/{case_id}/meetings",
    response={201: MeetingOut, 404: Problem, 422: ValidationProblem},
    summary="Record a case meeting with its participants and decisions",
)
def meeting_create(
    request: HttpRequest, case_id: int, payload: MeetingIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    wanted = set(payload.participant_ids)
    participants = list(
        User.objects.filter(pk__in=wanted, memberships__organisation=acting.organisation).distinct()
    )
    if len(participants) != len(wanted):
        raise ValidationError(
            {"participant_ids": [_("Choose members of the organisation's staff.")]}
        )
    meeting = meeting_record(
        acting=acting,
        case=case,
        held_on=payload.held_on,
        participants=participants,
        minutes_due_on=payload.minutes_due_on,
        purpose=payload.purpose,
        decisions=payload.decisions,
        other_participants=payload.other_participants,
    )
    return Status(201, _meeting_out(meeting_of(case, meeting.pk)))


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/minutes",
    response={200: MeetingOut, 404: Problem, 409: MeetingOut, 422: ValidationProblem},
    summary="Record the minutes and the day they were shared with the participants",
)
def meeting_minutes(
    request: HttpRequest, case_id: int, meeting_id: int, payload: MinutesIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    meeting = meeting_of(case, meeting_id)
    try:
        meeting_minutes_share(acting=acting, meeting=meeting, **payload.dict())
    except StaleEdit:
        return Status(409, _meeting_out(meeting_of(case, meeting_id)))
    return Status(200, _meeting_out(meeting_of(case, meeting_id)))


# ---------------------------------------------------------------- information requests


def _requests_acting(request: HttpRequest) -> Acting:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    request.acting = acting  # type: ignore[attr-defined]  # acting_or_403 reads it
    return acting_or_403(request)


@router.get(
    "/information-requests",
    response={200: list[InformationRequestOut], 403: Problem},
    summary="The fund's information requests it made, or those on the cases you see",
)
def request_list(request: HttpRequest, page: Query[TeamworkPage]) -> list[dict[str, Any]]:
    acting = _requests_acting(request)
    rows = list(requests_listed(information_requests_for(acting))[_window(page)])
    for item in rows:
        record(
            action=AuditAction.VIEW,
            actor=acting.user,
            organisation=acting.organisation,
            target=item,
            case_id=item.case_id,
            fields=["question", "answer"],
        )
    return [_request_out(item) for item in rows]


@router.post(
    "/information-requests",
    response={201: InformationRequestOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="The fund asks the case manager for information on a case it funds (001 §8.2)",
)
def request_create(request: HttpRequest, payload: InformationRequestIn) -> Status[dict[str, Any]]:
    acting = _requests_acting(request)
    if not acting.can(Capability.PLAN_APPROVE_FUNDED):
        raise PermissionDenied
    case = funded_case_for(acting, payload.case_id)
    item = information_request_create(
        acting=acting, case=case, question=payload.question, answer_by=payload.answer_by
    )
    return Status(201, _request_out(request_of(information_requests_for(acting), item.pk)))


@router.post(
    "/cases/{case_id}/information-requests/{request_id}/answer",
    response={
        200: InformationRequestOut,
        403: Problem,
        404: Problem,
        409: InformationRequestOut,
        422: ValidationProblem,
    },
    summary="The case manager answers the fund's request",
)
def request_answer(
    request: HttpRequest, case_id: int, request_id: int, payload: InformationAnswerIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    visible = information_requests_for(acting).filter(case=case)
    item = request_of(visible, request_id)
    try:
        information_request_answer(acting=acting, request=item, **payload.dict())
    except StaleEdit:
        return Status(409, _request_out(request_of(visible, request_id)))
    return Status(200, _request_out(request_of(visible, request_id)))
