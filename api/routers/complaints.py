"""The complaints register over the API (002 L1468-L1478): supervisors and the complaints
officer list, read and answer; anyone doing case work in the organisation may record one."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from accounts.access import Acting
from accounts.roles import Capability
from api.schemas import PatchIn, Problem, ValidationProblem
from audit.models import AuditAction
from audit.services import record
from complaints.models import Complaint
from complaints.selectors import complaint_for, complaint_list, handlers_of
from complaints.services import complaint_answer, complaint_link_case, complaint_record, may_record
from lib.errors import StaleEdit
from lib.views import acting_or_403

router = Router(tags=["complaints"])
PAGE_SIZE = 50


class ComplaintIn(Schema):
    received_on: datetime.date
    channel: str
    subject: str
    details: str
    anonymous: bool = False
    complainant: str = ""
    # Only when the person asks to link the complaint to their case.
    case_id: int | None = None


class ComplaintRecordedOut(Schema):
    id: int
    received_on: datetime.date
    response_due_on: datetime.date | None
    anonymous: bool
    case_id: int | None


class ComplaintOut(Schema):
    id: int
    received_on: datetime.date
    channel: str
    subject: str
    anonymous: bool
    complainant: str
    details: str
    case_id: int | None
    linked_at_request_on: datetime.date | None
    response_due_on: datetime.date | None
    handler_id: int | None
    status: str
    response: str
    responded_on: datetime.date | None
    outcome: str
    version: int


class ComplaintPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ComplaintOut]


class ComplaintAnswerIn(PatchIn):
    """Only the fields sent change; ``null`` clears the handler or the answer's date."""

    clearable = frozenset({"handler_id", "responded_on"})

    expected_version: int
    handler_id: int | None = None
    response: str = ""
    responded_on: datetime.date | None = None
    outcome: str = ""


class ComplaintLinkIn(Schema):
    expected_version: int
    case_id: int


def _acting(request: HttpRequest) -> Acting:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    request.acting = acting  # type: ignore[attr-defined]  # acting_or_403 reads it
    return acting_or_403(request)


def _handler(request: HttpRequest) -> Acting:
    _acting(request)
    return acting_or_403(request, Capability.COMPLAINTS_HANDLE)


def _out(complaint: Complaint) -> dict[str, Any]:
    return {
        "id": complaint.pk,
        "received_on": complaint.received_on,
        "channel": complaint.channel,
        "subject": complaint.subject,
        "anonymous": complaint.anonymous,
        "complainant": complaint.get_plain_or_erased("complainant") or "",
        "details": complaint.get_plain_or_erased("details") or "",
        "case_id": complaint.case_id,
        "linked_at_request_on": complaint.linked_at_request_on,
        "response_due_on": complaint.response_due_on,
        "handler_id": complaint.handler_id,
        "status": complaint.status,
        "response": complaint.get_plain_or_erased("response") or "",
        "responded_on": complaint.responded_on,
        "outcome": complaint.outcome,
        "version": complaint.version,
    }


@router.get(
    "/complaints",
    response={200: ComplaintPage, 403: Problem},
    summary="The organisation's complaints (supervisors and the complaints officer)",
)
def complaints_list(request: HttpRequest, status: str = "", page: int = 1) -> dict[str, Any]:
    acting = _handler(request)
    paginator = Paginator(complaint_list(acting, status=status), PAGE_SIZE)
    current = paginator.get_page(page)
    items = [_out(c) for c in current]
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=("complaints.list", ""),
        detail={"complaints": [item["id"] for item in items]},
    )
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": items,
    }


@router.post(
    "/complaints",
    response={201: ComplaintRecordedOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Record a complaint (anonymous allowed; linked to a case only at the person's request)",
)
def complaints_create(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, Any]]:
    acting = _acting(request)
    if not may_record(acting):
        raise PermissionDenied
    complaint = complaint_record(acting=acting, **payload.dict())
    return Status(
        201,
        {
            "id": complaint.pk,
            "received_on": complaint.received_on,
            "response_due_on": complaint.response_due_on,
            "anonymous": complaint.anonymous,
            "case_id": complaint.case_id,
        },
    )


@router.get(
    "/complaints/{complaint_id}",
    response={200: ComplaintOut, 403: Problem, 404: Problem},
    summary="One complaint",
)
def complaints_detail(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    acting = _handler(request)
    complaint = complaint_for(acting, complaint_id)
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=complaint,
        case_id=complaint.case_id,
    )
    return _out(complaint)


@router.patch(
    "/complaints/{complaint_id}",
    response={
        200: ComplaintOut,
        403: Problem,
        404: Problem,
        409: ComplaintOut,
        422: ValidationProblem,
    },
    summary="Name the handler; record the answer, its date and the outcome (409 when stale)",
)
def complaints_answer(
    request: HttpRequest, complaint_id: int, payload: ComplaintAnswerIn
) -> Status[dict[str, Any]]:
    acting = _handler(request)
    complaint = complaint_for(acting, complaint_id)
    sent = payload.model_fields_set
    handler = complaint.handler
    if "handler_id" in sent:
        handler = None
        if payload.handler_id is not None:
            handler = handlers_of(acting).filter(pk=payload.handler_id).first()
            if handler is None:
                raise ValidationError(
                    {"handler_id": [_("Choose a supervisor or the complaints officer.")]}
                )
    try:
        updated = complaint_answer(
            acting=acting,
            complaint=complaint,
            expected_version=payload.expected_version,
            handler=handler,
            response=payload.response
            if "response" in sent
            else complaint.get_plain_or_erased("response") or "",
            responded_on=payload.responded_on if "responded_on" in sent else complaint.responded_on,
            outcome=payload.outcome if "outcome" in sent else complaint.outcome,
        )
    except StaleEdit:
        return Status(409, _out(complaint_for(acting, complaint_id)))
    return Status(200, _out(updated))


@router.post(
    "/complaints/{complaint_id}/case-link",
    response={
        200: ComplaintOut,
        403: Problem,
        404: Problem,
        409: ComplaintOut,
        422: ValidationProblem,
    },
    summary="Link a complaint to the person's case, at the person's request",
)
def complaints_link(
    request: HttpRequest, complaint_id: int, payload: ComplaintLinkIn
) -> Status[dict[str, Any]]:
    acting = _handler(request)
    complaint = complaint_for(acting, complaint_id)
    try:
        updated = complaint_link_case(
            acting=acting,
            complaint=complaint,
            expected_version=payload.expected_version,
            case_id=payload.case_id,
        )
    except StaleEdit:
        return Status(409, _out(complaint_for(acting, complaint_id)))
    return Status(200, _out(updated))
